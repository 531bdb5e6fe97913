"""Rule 1 of DESIGN.md: published is permanent.

A flush that would change or delete a published version, its rows, its attachments or the
disclosure it belongs to raises `PublishedIsPermanent`, whichever code path asked for it. The
check runs on the ORM's `before_flush`, so no service can forget it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from transparency.disclosures.models import (
    Attachment,
    CompensationRow,
    Disclosure,
    DisclosureVersion,
    LedgerRow,
    SubsidyProgramTotal,
    SubsidyRow,
    VersionStatus,
)

CONTENT_OF_A_VERSION = (LedgerRow, SubsidyRow, SubsidyProgramTotal, CompensationRow, Attachment)
# What may change on a Disclosure after publication: nothing but the first-publication stamp.
DISCLOSURE_MUTABLE = {"first_published_at"}


class PublishedIsPermanent(Exception):
    """Something tried to change or delete what has been published."""


def _was_published(version: DisclosureVersion) -> bool:
    """The status as stored in the database before this flush."""
    state = inspect(version)
    if state.pending or state.transient:
        return False
    history = state.attrs.status.history
    before = history.deleted[0] if history.deleted else version.status
    return before is VersionStatus.PUBLISHED or before == VersionStatus.PUBLISHED.value


def _changed_columns(obj: Any) -> set[str]:
    """Columns, and collections such as a version's rows, with unflushed changes."""
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _version_of(session: Session, row: Any) -> DisclosureVersion | None:
    history = inspect(row).attrs.version_id.history
    version_id = history.deleted[0] if history.deleted else row.version_id
    if version_id is None:
        return None
    return session.get(DisclosureVersion, version_id)


@event.listens_for(Session, "before_flush")
def refuse_changes_to_published(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, DisclosureVersion) and _was_published(obj):
            if obj in session.deleted or _changed_columns(obj):
                raise PublishedIsPermanent(f"已公开的版本不能修改或删除（{obj!r}）")
        elif isinstance(obj, Disclosure) and obj.first_published_at is not None:
            stamp = inspect(obj).attrs.first_published_at.history
            published_before = not stamp.added or bool(stamp.deleted and stamp.deleted[0])
            changed = _changed_columns(obj) - DISCLOSURE_MUTABLE - {"versions"}
            if published_before and (obj in session.deleted or changed):
                raise PublishedIsPermanent(f"已公开的公开事项不能修改或删除（{obj!r}）")
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, CONTENT_OF_A_VERSION):
            if obj in session.dirty and not _changed_columns(obj):
                continue
            version = _version_of(session, obj)
            if version is not None and _was_published(version):
                raise PublishedIsPermanent(f"已公开版本的内容不能修改或删除（{obj!r}）")
