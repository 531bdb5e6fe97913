"""What publication commits to, and the import of disclosures published before this site existed.

Flushes and appends its audit entries; never commits. Raises: NotYourVillage, CannotSubmit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area, AreaLevel
from transparency.audit.services import record, record_publication_checkpoint
from transparency.core.signals import disclosure_published
from transparency.disclosures.access import ensure
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.content import DraftContent
from transparency.disclosures.errors import CannotSubmit
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus
from transparency.disclosures.services.drafts import fill


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
        fill(version, category, content)
        problems = problems_before_publication(category, version)
        if problems:
            raise CannotSubmit(problems)
    disclosure.first_published_at = versions[0][2]
    session.add(disclosure)
    session.flush()
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
            content_sha256=content_fingerprint(version),
        )
    disclosure_published.send(session, disclosure=disclosure)
    record_publication_checkpoint(session)
    return disclosure
