"""A clerk's draft: start a disclosure, replace a draft's content and files, or throw it away.

Every function flushes and appends its audit entry; none commits.
Raises: NotYourVillage, WrongState, RejectedUpload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area, AreaLevel
from transparency.audit.services import record
from transparency.core.blobs import AttachmentBlob, store_blob
from transparency.core.uploads import RejectedUpload, UploadedFile, clean_upload
from transparency.disclosures.access import ensure, may_draft
from transparency.disclosures.content import DraftContent
from transparency.disclosures.errors import WrongState
from transparency.disclosures.household_lookup import household_name
from transparency.disclosures.models import (
    Attachment,
    Category,
    CompensationRow,
    Disclosure,
    DisclosureVersion,
    LedgerRow,
    PeriodKind,
    SubsidyProgramTotal,
    SubsidyRow,
    VersionStatus,
)

EDITABLE = (VersionStatus.DRAFT, VersionStatus.RETURNED)


def record_unpublished_step(
    session: Session, *, actor: Account, action: str, version: DisclosureVersion, **details: Any
) -> None:
    """The audit entry of a step on a version before publication, kept from the public log
    until the disclosure is published."""
    disclosure = version.disclosure
    record(
        session,
        actor=actor,
        action=action,
        object_type="disclosure",
        object_id=disclosure.id,
        area_code=disclosure.village.code,
        is_public=False,
        version=version.number,
        **details,
    )


def start_disclosure(
    session: Session,
    *,
    actor: Account,
    village: Area,
    category: Category,
    period_kind: PeriodKind,
    period_start: dt.date,
    period_end: dt.date,
    content: DraftContent,
    files: Sequence[UploadedFile] = (),
) -> DisclosureVersion:
    """A new disclosure with its first draft version. Raises NotYourVillage, RejectedUpload."""
    ensure(village.level is AreaLevel.VILLAGE and may_draft(actor, village), _("只能为本村起草公开内容"))
    disclosure = Disclosure(
        village=village,
        category=category,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
    )
    version = DisclosureVersion(
        disclosure=disclosure, number=1, status=VersionStatus.DRAFT, title=content.title, drafted_by=actor
    )
    session.add_all([disclosure, version])
    fill(version, category, content)
    attach(session, version, files)
    session.flush()
    record_unpublished_step(
        session, actor=actor, action="disclosure.draft", version=version, village=village.code, category=str(category)
    )
    return version


def save_draft(
    session: Session,
    *,
    actor: Account,
    version: DisclosureVersion,
    content: DraftContent,
    files: Sequence[UploadedFile] = (),
    remove_attachments: Sequence[int] = (),
) -> DisclosureVersion:
    """Replace a draft's content. Raises NotYourVillage, WrongState, RejectedUpload."""
    disclosure = version.disclosure
    ensure(may_draft(actor, disclosure.village), _("只能修改本村的草稿"))
    session.refresh(version, with_for_update=True)
    if version.status not in EDITABLE:
        raise WrongState(_("这个版本已经提交审核或已公开，不能再修改"))
    version.title = content.title
    fill(version, disclosure.category, content)
    version.attachments = [a for a in version.attachments if a.id not in set(remove_attachments)]
    attach(session, version, files)
    session.flush()
    record_unpublished_step(session, actor=actor, action="disclosure.save", version=version)
    return version


def discard_draft(session: Session, *, actor: Account, version: DisclosureVersion) -> None:
    """Throw away a draft or returned version. A disclosure never published goes with it.

    Raises NotYourVillage, WrongState (submitted or published versions cannot be discarded).
    """
    disclosure = version.disclosure
    ensure(may_draft(actor, disclosure.village), _("只能放弃本村的草稿"))
    session.refresh(version, with_for_update=True)
    if version.status not in EDITABLE:
        raise WrongState(_("已提交审核或已公开的版本不能放弃"))
    number, disclosure_id, village_code = version.number, disclosure.id, disclosure.village.code
    files = {attachment.blob_sha256 for attachment in version.attachments}
    session.delete(version)
    if disclosure.first_published_at is None:
        session.delete(disclosure)
    session.flush()
    _forget_unused_files(session, files)
    record(
        session,
        actor=actor,
        action="disclosure.discard",
        object_type="disclosure",
        object_id=disclosure_id,
        area_code=village_code,
        is_public=False,
        version=number,
    )


def _forget_unused_files(session: Session, digests: set[str]) -> None:
    """Delete stored files that no attachment refers to any more."""
    for digest in digests:
        if session.scalar(select(Attachment.id).where(Attachment.blob_sha256 == digest).limit(1)) is None:
            blob = session.get(AttachmentBlob, digest)
            if blob is not None:
                session.delete(blob)
    session.flush()


def fill(version: DisclosureVersion, category: Category, content: DraftContent) -> None:
    """Put the content's fields and rows on the version, replacing what it held."""
    version.title = content.title
    version.body = content.body
    if category is Category.FINANCE:
        version.opening_balance = content.opening_balance
        version.closing_balance = content.closing_balance
        version.carry_over_reason = content.carry_over_reason
        version.ledger_rows = [
            LedgerRow(position=i, **vars(line)) for i, line in enumerate(content.ledger_rows, start=1)
        ]
    elif category is Category.SUBSIDY:
        version.subsidy_totals = [
            SubsidyProgramTotal(position=i, **vars(t)) for i, t in enumerate(content.subsidy_totals, start=1)
        ]
        version.subsidy_rows = [
            SubsidyRow(position=i, **vars(line)) for i, line in enumerate(content.subsidy_rows, start=1)
        ]
    elif category is Category.LAND_COMPENSATION:
        version.project_name = content.project_name
        version.compensation_received = content.compensation_received
        version.retained_by_collective = content.retained_by_collective
        version.land_rate = content.land_rate
        version.crop_rate = content.crop_rate
        version.relocation_rate = content.relocation_rate
        # The form cannot show a household key back (it keeps no ID number): a row saved again
        # without the number keeps the key its household head's name had.
        kept = {household_name(r.household): r.household_key for r in version.compensation_rows if r.household_key}
        version.compensation_rows = [
            CompensationRow(
                position=i,
                **{**vars(line), "household_key": line.household_key or kept.get(household_name(line.household))},
            )
            for i, line in enumerate(content.compensation_rows, start=1)
        ]


def attach(session: Session, version: DisclosureVersion, files: Sequence[UploadedFile]) -> None:
    config = current_app.config
    if len(version.attachments) + len(files) > config["MAX_ATTACHMENTS_PER_VERSION"]:
        raise RejectedUpload(_("每个版本最多 %(count)s 个附件", count=config["MAX_ATTACHMENTS_PER_VERSION"]))
    position = max((a.position for a in version.attachments), default=0)
    for upload in files:
        clean = clean_upload(upload.filename, upload.data, max_bytes=config["MAX_ATTACHMENT_BYTES"])
        digest = store_blob(session, clean)
        position += 1
        version.attachments.append(
            Attachment(
                position=position,
                blob_sha256=digest,
                filename=clean.filename,
                media_type=clean.media_type,
                size=len(clean.data),
            )
        )
