"""What a printed disclosure shows besides its tables: the online address, the audit record of
its publication, and the limits that keep printing cheap.

Raises: TooLongToPrint.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from transparency.audit.models import AuditEntry
from transparency.core.hosts import public_base, public_url
from transparency.disclosures.models import DisclosureVersion
from transparency.disclosures.services import content_fingerprint

DEFAULTS = {
    # The address printed (and encoded in the QR code) on paper; the request's host if unset.
    "PUBLIC_BASE_URL": None,
    # Seconds one rendering may take before it is killed: below gunicorn's 30 s worker timeout.
    "PRINT_TIME_LIMIT": 25,
    "PRINT_MEMORY_LIMIT": 1536 * 1024 * 1024,  # bytes of address space for the print process
    "PRINT_CONCURRENCY": 2,  # renderings at once per web process
    # A table longer than this is refused at once with a message, instead of spending the whole
    # time limit first: 1,500 ledger rows are about 55 A4 pages and take 10–15 s of CPU to render
    # (benchmarks/print_benchmark.py), which a busy server can still finish within the limit.
    "PRINT_MAX_ROWS": 1500,
    "PRINT_RATE_LIMIT": "12 per minute",
    # Where printed disclosures are kept by content hash (instance/print-cache if None; "" turns it off).
    "PRINT_CACHE_DIR": None,
}


class PaperSize(enum.StrEnum):
    A4 = "a4"
    A3 = "a3"  # the poster for the bulletin board


class TooLongToPrint(Exception):
    """The disclosure has more table rows than one printout may hold."""


@dataclass(frozen=True)
class PublicationRecord:
    """The audit entry appended when a version was published: its hash is the chain head then."""

    seq: int
    hash: str
    content_sha256: str | None
    content_matches: bool  # the version's content still hashes to what was recorded


def with_printed_tables(session: Session, version: DisclosureVersion) -> DisclosureVersion:
    """The version with everything a printout shows loaded (its tables, attachments, reviews)."""
    return session.scalars(
        select(DisclosureVersion)
        .where(DisclosureVersion.id == version.id)
        .options(
            selectinload(DisclosureVersion.ledger_rows),
            selectinload(DisclosureVersion.subsidy_rows),
            selectinload(DisclosureVersion.subsidy_totals),
            selectinload(DisclosureVersion.compensation_rows),
            selectinload(DisclosureVersion.attachments),
            selectinload(DisclosureVersion.reviews),
        )
    ).one()


def table_rows(version: DisclosureVersion) -> int:
    return len(version.ledger_rows) + len(version.subsidy_rows) + len(version.compensation_rows)


def ensure_printable(version: DisclosureVersion) -> None:
    """Raises TooLongToPrint when the tables exceed PRINT_MAX_ROWS."""
    limit = current_app.config["PRINT_MAX_ROWS"]
    rows = table_rows(version)
    if rows > limit:
        raise TooLongToPrint(
            _(
                "这份公示的表格有 %(rows)s 行，超过了一次打印的上限 %(limit)s 行。"
                "请在网上查看全文，或请村务公开员按月分开公示后再打印。",
                rows=f"{rows:,}",
                limit=f"{limit:,}",
            )
        )


def public_base_url() -> str:
    """Where the renderer resolves the sheet's own relative links (never printed: see notice_url)."""
    return public_base() or request.host_url


def notice_url(version: DisclosureVersion) -> str:
    """The online address of exactly this version (core/hosts.py: absolute only from configuration)."""
    return public_url("disclosures.version", disclosure_id=version.disclosure_id, number=version.number)


def publication_record(session: Session, version: DisclosureVersion) -> PublicationRecord | None:
    """The audit entry of this version's publication (None for data older than the log)."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == "disclosure.publish",
            AuditEntry.object_type == "disclosure",
            AuditEntry.object_id == str(version.disclosure_id),
        )
        .order_by(AuditEntry.seq)
    )
    for entry in entries:
        payload = json.loads(entry.payload)
        if payload.get("version") == version.number:
            recorded = payload.get("content_sha256")
            return PublicationRecord(
                seq=entry.seq,
                hash=entry.hash,
                content_sha256=recorded,
                content_matches=recorded == content_fingerprint(version),
            )
    return None


def css_string(text: str) -> str:
    """A CSS string literal for `text` (quotes, backslashes and '<' escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", "\\a ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """CSS `content` for "第 x 页 / 共 y 页", translated, with the page counters in place."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    literal = css_string(_("第 %(page)s 页 / 共 %(pages)s 页", page=page, pages=pages))
    return literal.replace(page, '" counter(page) "').replace(pages, '" counter(pages) "')
