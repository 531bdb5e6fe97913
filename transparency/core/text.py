"""Cleaning what people type: invisible and control characters never reach the database."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi-control characters can hide text or reorder what a reader sees.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str | None:
    """NFC-normalise, unify line ends, drop control and zero-width characters, trim."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", _INVISIBLE.sub("", value))
    return value.strip()
