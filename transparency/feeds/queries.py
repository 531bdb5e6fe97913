"""What the feeds carry: published versions (new disclosures, corrections) and public replies to
public complaint matters, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from transparency.areas.models import Area, AreaLevel
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.hosts import public_url
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus
from transparency.disclosures.periods import period_label

FEED_LENGTH = 50
REPLY_KINDS = (EventKind.REPLIED, EventKind.REVIEW_ANSWERED, EventKind.RE_REVIEW_ANSWERED)


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    updated: dt.datetime
    summary: str
    author: str
    term: str
    term_label: str


def _villages(area: Area):
    if area.level is AreaLevel.VILLAGE:
        return select(Area.id).where(Area.id == area.id)
    return select(Area.id).where(Area.parent_id == area.id, Area.level == AreaLevel.VILLAGE)


def newest_publications(session: Session, area: Area, limit: int = FEED_LENGTH) -> list[DisclosureVersion]:
    """Published versions in a village, or in every village of a township, newest first."""
    query = (
        select(DisclosureVersion)
        .join(Disclosure)
        .where(Disclosure.village_id.in_(_villages(area)), DisclosureVersion.status == VersionStatus.PUBLISHED)
        .options(joinedload(DisclosureVersion.disclosure).joinedload(Disclosure.village))
        .order_by(DisclosureVersion.published_at.desc(), DisclosureVersion.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def newest_replies(session: Session, area: Area, limit: int = FEED_LENGTH) -> list[MatterEvent]:
    """Public replies (答复, 复查答复) to public matters of these villages, newest first."""
    query = (
        select(MatterEvent)
        .join(Matter)
        .where(
            Matter.village_id.in_(_villages(area)),
            Matter.is_public,
            MatterEvent.public.is_(True),
            MatterEvent.kind.in_(REPLY_KINDS),
        )
        .options(joinedload(MatterEvent.matter).joinedload(Matter.village))
        .order_by(MatterEvent.at.desc(), MatterEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def feed_entries(session: Session, area: Area, limit: int = FEED_LENGTH) -> list[FeedEntry]:
    entries = [_publication(v) for v in newest_publications(session, area, limit)]
    entries += [_reply(e) for e in newest_replies(session, area, limit)]
    return sorted(entries, key=lambda entry: entry.updated, reverse=True)[:limit]


def _publication(version: DisclosureVersion) -> FeedEntry:
    disclosure = version.disclosure
    village = disclosure.village
    summary = f"{disclosure.category.label} · {period_label(disclosure.period_kind, disclosure.period_start)}"
    if version.correction_reason:
        summary += " · " + _("更正理由：") + version.correction_reason
    prefix = _("【更正】") if version.number > 1 else ""
    return FeedEntry(
        id=f"urn:cunwu-gongkai:disclosure:{disclosure.id}:v{version.number}",
        title=f"{prefix}{village.name}：{version.title}",
        link=public_url("disclosures.version", disclosure_id=disclosure.id, number=version.number),
        updated=version.published_at,
        summary=summary,
        author=village.full_name,
        term=str(disclosure.category),
        term_label=disclosure.category.label,
    )


def _reply(event: MatterEvent) -> FeedEntry:
    matter = event.matter
    return FeedEntry(
        id=f"urn:cunwu-gongkai:matter:{matter.id}:event:{event.seq}",
        title=_(
            "【%(kind)s】%(village)s：%(title)s", kind=event.kind.label, village=matter.village.name, title=matter.title
        ),
        link=public_url("complaints.public_matter", matter_id=matter.id),
        updated=event.at,
        summary=event.text,
        author=matter.village.full_name,
        term=str(event.kind),
        term_label=event.kind.label,
    )
