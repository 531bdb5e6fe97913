"""What publication commits to, and the import of disclosures published before this site existed.

Flushes and appends its audit entries; never commits. Raises: NotYourVillage, CannotSubmit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area, AreaLevel
from transparency.audit.services import record, record_publication_checkpoint
from transparency.core.signals import disclosure_published
from transparency.disclosures.access import ensure
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.content import DraftContent
from transparency.disclosures.errors import CannotSubmit
from transparency.disclosures.models import (
    Category,
    CompensationRow,
    Disclosure,
    DisclosureVersion,
    LedgerRow,
    PeriodKind,
    SubsidyRow,
    VersionStatus,
)
from transparency.disclosures.services.drafts import fill

# The long tables of a version (an imported ledger may have 50 000 lines): an imported version's
# rows are written by one bulk INSERT, not one ORM object and flush each. They are checked as
# the rows `fill` would have made, and fingerprinted as stored: read back from the database.
ROW_TABLES = {"ledger_rows": LedgerRow, "subsidy_rows": SubsidyRow, "compensation_rows": CompensationRow}


class _WithRows:
    """A version with its rows given apart: as content lines (for the checks) or as stored."""

    def __init__(self, version: DisclosureVersion, rows: dict[str, Sequence[Any]]) -> None:
        self._version = version
        for name in ROW_TABLES:
            setattr(self, name, rows[name])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._version, name)


def _row_values(content: DraftContent) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows as `fill` makes them for a new version (no household key to keep)."""
    tables = {
        name: [{"position": i, **vars(line)} for i, line in enumerate(getattr(content, name), start=1)]
        for name in ROW_TABLES
    }
    for row in tables["compensation_rows"]:
        row["household_key"] = row["household_key"] or None
    return tables


def _stored(session: Session, version: DisclosureVersion) -> _WithRows:
    """The version with its rows read back from the database (plain rows, no ORM objects)."""
    rows = {}
    for name, model in ROW_TABLES.items():
        table = model.__table__
        query = select(table).where(table.c.version_id == version.id).order_by(table.c.position)
        rows[name] = session.execute(query).all()
    return _WithRows(version, rows)


def content_fingerprint(version: DisclosureVersion) -> str:
    """SHA-256 over the version's text rendering: what was published, provably."""
    from transparency.disclosures.rendering import version_lines

    return hashlib.sha256("\n".join(version_lines(version)).encode()).hexdigest()


def publish_historical(
    session: Session,
    *,
    actor: Account,
    village: Area,
    category: Category,
    period_kind: PeriodKind,
    period_start: dt.date,
    period_end: dt.date,
    versions: Sequence[tuple[DraftContent, str | None, dt.datetime]],
) -> Disclosure:
    """An administrator's import of a disclosure published before this site existed (`transparency import`).

    Each (content, correction reason, publication time) becomes a published version at once,
    without review: the paper original was already posted and signed. The numbers must add up
    as for any publication. Raises NotYourVillage (not an administrator), CannotSubmit.
    """
    ensure(actor.role is Role.ADMIN and village.level is AreaLevel.VILLAGE, _("只有管理员可以导入历史公开内容"))
    disclosure = Disclosure(
        village=village, category=category, period_kind=period_kind, period_start=period_start, period_end=period_end
    )
    tables = []
    for number, (content, reason, published_at) in enumerate(versions, start=1):
        version = DisclosureVersion(
            disclosure=disclosure,
            number=number,
            status=VersionStatus.PUBLISHED,
            title=content.title,
            correction_reason=reason,
            drafted_by=actor,
            submitted_at=published_at,
            published_at=published_at,
        )
        fill(version, category, dataclasses.replace(content, **{name: [] for name in ROW_TABLES}))
        problems = problems_before_publication(category, _WithRows(version, vars(content)))
        if problems:
            raise CannotSubmit(problems)
        tables.append((version, _row_values(content)))
    disclosure.first_published_at = versions[0][2]
    session.add(disclosure)
    session.flush()
    for version, rows in tables:
        for name, model in ROW_TABLES.items():
            if rows[name]:
                session.execute(insert(model), [{**row, "version_id": version.id} for row in rows[name]])
        session.expire(version, list(ROW_TABLES))  # loaded from the database when next read
    for version in disclosure.versions:
        record(
            session,
            actor=actor,
            action="disclosure.import",
            object_type="disclosure",
            object_id=disclosure.id,
            area_code=village.code,
            releases=True,
            version=version.number,
            village=village.code,
            category=str(category),
            content_sha256=content_fingerprint(_stored(session, version)),
        )
    disclosure_published.send(session, disclosure=disclosure)
    record_publication_checkpoint(session)
    return disclosure
