"""Tracking numbers and secret codes.

The code has 65 bits of entropy (13 characters from a 32-letter alphabet without 0/O and 1/I),
is shown once, and is stored only as an HMAC under a key from configuration, never in the
database in clear, never in a cookie or URL. A wrong code and an unknown number look the same.

A matter filed through a form gets the code derived from the form's one-time token, keyed by the
same key: the villager who sends the form again (the answer was lost) is shown the same code,
and nothing that could give the code back is stored.

Keys rotate (issue 14, point 5): TRACKING_CODE_KEYS lists the current key first, then older ones.
New codes and digests use the first; a lookup tries each, so a code issued under an older key
keeps working. A single TRACKING_CODE_KEY is a list of one; without either, the keys are derived
from SECRET_KEY and then each of SECRET_KEY_FALLBACKS, so rotating the session secret the Flask
way does not break codes either.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 13
GROUP = 4
# 2026-000495 in the log's first epoch; 2026-B-000495 after the first restore (a series per epoch,
# so a number given by a run that a restore lost is never given again).
NUMBER_PATTERN = re.compile(r"^\d{4}-(?:[A-Z]{1,3}-)?\d{6,}$")
_TYPED_NUMBER = re.compile(r"(\d{4})-?([A-Z]{1,3})?-?(\d{6,})")
# Digest of nothing in particular: compared against when the number is unknown, so that an
# unknown number costs the same as a wrong code.
_NO_MATTER = "0" * 64


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_from_token(form_token: str) -> str:
    """The code of the matter filed with this one-time form token: a keyed HMAC, 65 of its bits."""
    mac = hmac.new(_key(), f"form-token:{form_token}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(mac, "big")
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def display_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str | None:
    """What the villager typed, in canonical form, or None when it cannot be a code."""
    cleaned = re.sub(r"[\s\-－—_]", "", typed or "").upper()
    cleaned = cleaned.replace("O", "0").replace("I", "1")  # then refused below: never issued
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def normalise_number(typed: str) -> str | None:
    """2026-000495, 2026000495, 2026-b-000495 or 2026B000495 in canonical form, or None."""
    cleaned = re.sub(r"\s", "", typed or "").replace("－", "-").replace("—", "-").upper()
    match = _TYPED_NUMBER.fullmatch(cleaned)
    if match is None:
        return None
    year, series, serial = match.groups()
    cleaned = f"{year}-{series}-{serial}" if series else f"{year}-{serial}"
    return cleaned if NUMBER_PATTERN.match(cleaned) and len(cleaned) <= 20 else None


def series_for(epoch: int) -> str:
    """The number series of an audit epoch: none in the first, then B … Z, AA, AB … (never reused)."""
    if epoch <= 1:
        return ""
    letters, value = "", epoch
    while value:
        value, rest = divmod(value - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def number_for(year: int, matter_id: int, series: str = "") -> str:
    return f"{year}-{series}-{matter_id:06d}" if series else f"{year}-{matter_id:06d}"


def tracking_keys(config: Mapping[str, Any]) -> list[bytes]:
    """The tracking-code keys, current first (see the module's docstring); what a backup must carry."""
    configured = config.get("TRACKING_CODE_KEYS") or []
    if isinstance(configured, str):
        configured = [key.strip() for key in configured.split(",") if key.strip()]
    elif isinstance(configured, bytes):
        configured = [configured]
    if not configured and config.get("TRACKING_CODE_KEY"):
        configured = [config["TRACKING_CODE_KEY"]]
    if not configured:
        secrets_in_use = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
        configured = [f"{secret}:tracking-code" for secret in secrets_in_use]
    return [key.encode() if isinstance(key, str) else key for key in configured]


def _key() -> bytes:
    return tracking_keys(current_app.config)[0]


def _digest_under(key: bytes, number: str, code: str) -> str:
    return hmac.new(key, f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


def digest(number: str, code: str) -> str:
    """The stored form of a new code: under the current key."""
    return _digest_under(_key(), number, code)


def matches(stored_digest: str | None, number: str, code: str | None) -> bool:
    """Constant-time check under every key in use; also spends the same work when there is no
    such matter (every key is always tried, so the time says nothing about which one matched)."""
    stored = stored_digest or _NO_MATTER
    found = False
    for key in tracking_keys(current_app.config):
        found |= hmac.compare_digest(stored, _digest_under(key, number, code or ""))
    return found and stored_digest is not None and code is not None
