"""The publish path: draft → submit → review (approve and publish, or return) → correct.

Every function flushes and appends its audit entry; none commits.
Raises: NotYourVillage, CannotSubmit, WrongState, SignatureMismatch, RejectedUpload,
PublishedIsPermanent (from the flush guard, should a caller try to rewrite history).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area, AreaLevel
from transparency.audit.services import record, record_publication_checkpoint
from transparency.core.db import utcnow
from transparency.disclosures.access import ensure, may_draft, may_review
from transparency.disclosures.attachments import RejectedUpload, clean_upload, store_blob
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.content import DraftContent, UploadedFile
from transparency.disclosures.models import (
    Attachment,
    AttachmentBlob,
    Category,
    CompensationRow,
    Disclosure,
    DisclosureVersion,
    LedgerRow,
    PeriodKind,
    ReviewDecision,
    SubsidyProgramTotal,
    SubsidyRow,
    VersionStatus,
)
from transparency.search import indexer as search_outbox
from transparency.search.documents import DISCLOSURE, document_key

EDITABLE = (VersionStatus.DRAFT, VersionStatus.RETURNED)


class DisclosureError(Exception):
    """A request the workflow refuses; the message is for the user."""


class CannotSubmit(DisclosureError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


class WrongState(DisclosureError):
    """The version is not in a state that allows this step (e.g. approving a draft)."""


class SignatureMismatch(DisclosureError):
    """The reviewer's typed signature is not their registered name."""


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
    """A new notice with its first draft version. Raises NotYourVillage, RejectedUpload."""
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
    _fill(version, category, content)
    _attach(session, version, files)
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.draft",
        object_type="disclosure",
        object_id=disclosure.id,
        version=1,
        village=village.code,
        category=str(category),
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
    _fill(version, disclosure.category, content)
    version.attachments = [a for a in version.attachments if a.id not in set(remove_attachments)]
    _attach(session, version, files)
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.save",
        object_type="disclosure",
        object_id=disclosure.id,
        version=version.number,
    )
    return version


def submit(session: Session, *, actor: Account, version: DisclosureVersion) -> DisclosureVersion:
    """Hand a draft to the supervision committee. Raises NotYourVillage, WrongState, CannotSubmit."""
    disclosure = version.disclosure
    ensure(may_draft(actor, disclosure.village), _("只能提交本村的草稿"))
    session.refresh(version, with_for_update=True)
    if version.status not in EDITABLE:
        raise WrongState(_("这个版本已经提交过了"))
    problems = problems_before_publication(disclosure.category, version)
    if problems:
        raise CannotSubmit(problems)
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.submit",
        object_type="disclosure",
        object_id=disclosure.id,
        version=version.number,
    )
    return version


def approve(
    session: Session, *, actor: Account, version: DisclosureVersion, signed_name: str, note: str = ""
) -> DisclosureVersion:
    """预公开审核通过: the reviewer signs and the version is published at once.

    Raises NotYourVillage, WrongState, SignatureMismatch, CannotSubmit (numbers re-checked).
    """
    disclosure = version.disclosure
    ensure(may_review(actor, disclosure.village), _("只能审核本村的公开内容"))
    session.refresh(version, with_for_update=True)
    if version.status is not VersionStatus.SUBMITTED:
        raise WrongState(_("只有待审核的版本可以审核"))
    if signed_name.strip() != actor.display_name:
        raise SignatureMismatch(_("签名应与您登记的姓名“%(name)s”一致", name=actor.display_name))
    problems = problems_before_publication(disclosure.category, version)
    if problems:
        raise CannotSubmit(problems)
    now = utcnow()
    session.add(
        ReviewDecision(version_id=version.id, reviewer=actor, approved=True, signed_name=signed_name, note=note)
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    if disclosure.first_published_at is None:
        disclosure.first_published_at = now
    search_outbox.enqueue(session, document_key(DISCLOSURE, disclosure.id))
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.publish",
        object_type="disclosure",
        object_id=disclosure.id,
        version=version.number,
        content_sha256=content_fingerprint(version),
    )
    record_publication_checkpoint(session)
    return version


def return_for_revision(
    session: Session, *, actor: Account, version: DisclosureVersion, reasons: str
) -> DisclosureVersion:
    """Send a submitted version back to the clerk with reasons. Raises NotYourVillage, WrongState."""
    disclosure = version.disclosure
    ensure(may_review(actor, disclosure.village), _("只能审核本村的公开内容"))
    session.refresh(version, with_for_update=True)
    if version.status is not VersionStatus.SUBMITTED:
        raise WrongState(_("只有待审核的版本可以退回"))
    session.add(ReviewDecision(version_id=version.id, reviewer=actor, approved=False, note=reasons))
    version.status = VersionStatus.RETURNED
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.return",
        object_type="disclosure",
        object_id=disclosure.id,
        version=version.number,
        reasons=reasons,
    )
    return version


def start_correction(session: Session, *, actor: Account, disclosure: Disclosure, reason: str) -> DisclosureVersion:
    """更正: a new draft version copied from the current published one, with a stated reason.

    The published versions stay as they are. Raises NotYourVillage, WrongState.
    """
    ensure(may_draft(actor, disclosure.village), _("只能更正本村的公开内容"))
    session.refresh(disclosure, with_for_update=True)
    current = disclosure.current
    if current is None:
        raise WrongState(_("还没有公开的内容，直接修改草稿即可"))
    if disclosure.work_in_progress is not None:
        raise WrongState(_("已有一个正在进行的更正版本，请先完成它"))
    last = session.scalar(
        select(func.max(DisclosureVersion.number)).where(DisclosureVersion.disclosure_id == disclosure.id)
    )
    version = DisclosureVersion(
        disclosure=disclosure,
        number=(last or 0) + 1,
        status=VersionStatus.DRAFT,
        title=current.title,
        body=current.body,
        correction_reason=reason,
        drafted_by=actor,
        opening_balance=current.opening_balance,
        closing_balance=current.closing_balance,
        project_name=current.project_name,
        compensation_received=current.compensation_received,
        retained_by_collective=current.retained_by_collective,
    )
    session.add(version)
    version.ledger_rows = [_copy_row(r) for r in current.ledger_rows]
    version.subsidy_totals = [_copy_row(r) for r in current.subsidy_totals]
    version.subsidy_rows = [_copy_row(r) for r in current.subsidy_rows]
    version.compensation_rows = [_copy_row(r) for r in current.compensation_rows]
    version.attachments = [_copy_row(a) for a in current.attachments]
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.correct",
        object_type="disclosure",
        object_id=disclosure.id,
        version=version.number,
        reason=reason,
    )
    return version


def discard_draft(session: Session, *, actor: Account, version: DisclosureVersion) -> None:
    """Throw away a draft or returned version. A notice never published goes with it.

    Raises NotYourVillage, WrongState (submitted or published versions cannot be discarded).
    """
    disclosure = version.disclosure
    ensure(may_draft(actor, disclosure.village), _("只能放弃本村的草稿"))
    session.refresh(version, with_for_update=True)
    if version.status not in EDITABLE:
        raise WrongState(_("已提交审核或已公开的版本不能放弃"))
    number, disclosure_id = version.number, disclosure.id
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


def content_fingerprint(version: DisclosureVersion) -> str:
    """SHA-256 over the version's text rendering: what was published, provably."""
    from transparency.disclosures.rendering import version_lines

    return hashlib.sha256("\n".join(version_lines(version)).encode()).hexdigest()


def _copy_row(row: object) -> object:
    mapper = type(row).__mapper__  # type: ignore[attr-defined]
    values = {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key not in ("id", "version_id")}
    return type(row)(**values)


def _fill(version: DisclosureVersion, category: Category, content: DraftContent) -> None:
    """Put the content's fields and rows on the version, replacing what it held."""
    version.title = content.title
    version.body = content.body
    if category is Category.FINANCE:
        version.opening_balance = content.opening_balance
        version.closing_balance = content.closing_balance
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
        version.compensation_rows = [
            CompensationRow(position=i, **vars(line)) for i, line in enumerate(content.compensation_rows, start=1)
        ]


def _attach(session: Session, version: DisclosureVersion, files: Sequence[UploadedFile]) -> None:
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
    """An administrator's import of a notice published before this site existed (`transparency import`).

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
        _fill(version, category, content)
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
            version=version.number,
            village=village.code,
            category=str(category),
            content_sha256=content_fingerprint(version),
        )
    search_outbox.enqueue(session, document_key(DISCLOSURE, disclosure.id))
    record_publication_checkpoint(session)
    return disclosure
