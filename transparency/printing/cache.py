"""Printed disclosures kept on disk, by the hash of everything that goes into them.

A published version prints the same every time, so only its first print pays for the layout
(seconds for a long ledger). The key covers the page's HTML and the print stylesheet: a change
to the data, the template, the QR address or the style is a new key, never a stale PDF.
Receipts are never cached: they may carry a secret code.

A published version's sheet is also found without building its HTML (`published_key`): laying
out the page of an 800-row ledger costs a few hundred milliseconds before any PDF work, and a
kept copy must be answered in well under that. That key names everything the sheet depends on
besides the version's own content, which never changes once published: the paper size, the
language, the online address printed on it, the newest version (the "corrected by" warning),
the `all` public revision (a redaction anywhere, core/page_revisions.py) and the fingerprint of
the code and files that draw it. The background renderer (background.py) keeps its copies
under this key.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from sqlalchemy.orm import Session

from transparency.core.page_revisions import ALL, tokens
from transparency.disclosures.models import DisclosureVersion
from transparency.printing.services import notice_url

STYLESHEETS = ("printing/bulletin.css",)
PACKAGE = Path(__file__).resolve().parent.parent
# What draws a bulletin besides the data: its templates, styles, translations and the code.
DRAWN_BY = (
    ("templates", "printing/*.html"),
    ("templates", "disclosures/_*.html"),
    ("templates", "charts/*.html"),
    ("static", "printing/*"),
    ("package", "translations/*/LC_MESSAGES/*.mo"),
    ("package", "printing/*.py"),
    ("package", "charts/*.py"),
)


def _folder() -> Path | None:
    configured = current_app.config.get("PRINT_CACHE_DIR")
    if configured == "":
        return None  # switched off
    return Path(configured or Path(current_app.instance_path) / "print-cache")


def enabled() -> bool:
    return _folder() is not None


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


def published_key(session: Session, version: DisclosureVersion, size: str) -> str:
    """The kept copy's name for `version` printed on `size` paper, from a few indexed reads.

    The request (or the renderer's request context) gives the language and the site's address."""
    disclosure = version.disclosure
    newest = disclosure.current
    parts = (
        "bulletin",
        disclosure.id,
        version.number,
        size,
        str(get_locale()),
        notice_url(version),
        disclosure.village.name,
        newest.number if newest is not None else 0,
        tokens(session, [ALL])[0],
        _fingerprint(current_app.template_folder or "", current_app.static_folder or ""),
    )
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()


@functools.cache
def _fingerprint(templates: str, static: str) -> str:
    """A digest of every file that draws a bulletin, read once per process (a deploy restarts it)."""
    roots = {"templates": Path(templates), "static": Path(static), "package": PACKAGE}
    digest = hashlib.sha256()
    for root, pattern in DRAWN_BY:
        for path in sorted(roots[root].glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(roots[root])).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def has_copy(key: str) -> bool:
    folder = _folder()
    return folder is not None and (folder / f"{key}.pdf").is_file()
