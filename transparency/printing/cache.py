"""Printed disclosures kept on disk, by the hash of everything that goes into them.

A published version prints the same every time, so only its first print pays for the layout
(seconds for a long ledger). The key covers the page's HTML and the print stylesheet: a change
to the data, the template, the QR address or the style is a new key, never a stale PDF.
Receipts are never cached: they may carry a secret code.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

STYLESHEETS = ("printing/bulletin.css",)


def _folder() -> Path | None:
    configured = current_app.config.get("PRINT_CACHE_DIR")
    if configured == "":
        return None  # switched off
    return Path(configured or Path(current_app.instance_path) / "print-cache")


def cache_key(html: str) -> str:
    digest = hashlib.sha256(html.encode())
    static = Path(current_app.static_folder or "")
    for name in STYLESHEETS:
        digest.update((static / name).read_bytes())
    return digest.hexdigest()


def cached_pdf(key: str) -> bytes | None:
    folder = _folder()
    if folder is None:
        return None
    try:
        return (folder / f"{key}.pdf").read_bytes()
    except FileNotFoundError:
        return None


def keep_pdf(key: str, pdf: bytes) -> None:
    """Write atomically, so another process never reads half a file."""
    folder = _folder()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, folder / f"{key}.pdf")
