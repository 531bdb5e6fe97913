"""预公开审核: a draft goes to the supervision committee, which publishes it (signed) or returns it.

Every function flushes and appends its audit entry; none commits.
Raises: NotYourVillage, WrongState, CannotSubmit, SignatureMismatch.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.audit.services import record, record_publication_checkpoint
from transparency.core.db import utcnow
from transparency.core.personal_data import refuse_personal_data
from transparency.core.signals import disclosure_published
from transparency.disclosures.access import ensure, may_draft, may_review
from transparency.disclosures.carry_over import carry_over_problems
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.errors import CannotSubmit, SignatureMismatch, WrongState
from transparency.disclosures.models import DisclosureVersion, ReviewDecision, VersionStatus
from transparency.disclosures.services.drafts import EDITABLE, record_unpublished_step
from transparency.disclosures.services.publication import content_fingerprint


def problems_before_submission(session: Session, version: DisclosureVersion) -> list[str]:
    """The publication checks, and a ledger's carry-over from the previous published ledger."""
    return problems_before_publication(version.disclosure.category, version) + carry_over_problems(session, version)


def submit(session: Session, *, actor: Account, version: DisclosureVersion) -> DisclosureVersion:
    """Hand a draft to the supervision committee. Raises NotYourVillage, WrongState, CannotSubmit."""
    disclosure = version.disclosure
    ensure(may_draft(actor, disclosure.village), _("只能提交本村的草稿"))
    session.refresh(version, with_for_update=True)
    if version.status not in EDITABLE:
        raise WrongState(_("这个版本已经提交过了"))
    problems = problems_before_submission(session, version)
    if problems:
        raise CannotSubmit(problems)
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = utcnow()
    session.flush()
    record_unpublished_step(session, actor=actor, action="disclosure.submit", version=version)
    return version


def approve(
    session: Session, *, actor: Account, version: DisclosureVersion, signed_name: str, note: str = ""
) -> DisclosureVersion:
    """预公开审核通过: the reviewer signs and the version is published at once.

    The same reviewer approving a version they already approved (the form sent again after its
    answer was lost) changes nothing and answers the version: the approval stands.
    Raises NotYourVillage, WrongState, SignatureMismatch, CannotSubmit (numbers re-checked),
    PersonalDataFound (the note holds an ID, phone or card number).
    """
    disclosure = version.disclosure
    ensure(may_review(actor, disclosure.village), _("只能审核本村的公开内容"))
    refuse_personal_data(note, where=_("审核意见"))
    session.refresh(version, with_for_update=True)
    approval = version.approval
    if version.status is VersionStatus.PUBLISHED and approval is not None and approval.reviewer_id == actor.id:
        return version
    if version.status is not VersionStatus.SUBMITTED:
        raise WrongState(_("只有待审核的版本可以审核"))
    if signed_name.strip() != actor.display_name:
        raise SignatureMismatch(_("签名应与您登记的姓名“%(name)s”一致", name=actor.display_name))
    problems = problems_before_submission(session, version)
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
    disclosure_published.send(session, disclosure=disclosure)
    session.flush()
    record(
        session,
        actor=actor,
        action="disclosure.publish",
        object_type="disclosure",
        object_id=disclosure.id,
        area_code=disclosure.village.code,
        releases=True,
        version=version.number,
        content_sha256=content_fingerprint(version),
    )
    record_publication_checkpoint(session)
    return version


def return_for_revision(
    session: Session, *, actor: Account, version: DisclosureVersion, reasons: str
) -> DisclosureVersion:
    """Send a submitted version back to the clerk with reasons.

    Raises NotYourVillage, WrongState, PersonalDataFound (the reasons, copied into the audit log,
    hold an ID, phone or card number).
    """
    disclosure = version.disclosure
    ensure(may_review(actor, disclosure.village), _("只能审核本村的公开内容"))
    refuse_personal_data(reasons, where=_("退回理由"))
    session.refresh(version, with_for_update=True)
    if version.status is not VersionStatus.SUBMITTED:
        raise WrongState(_("只有待审核的版本可以退回"))
    session.add(ReviewDecision(version_id=version.id, reviewer=actor, approved=False, note=reasons))
    version.status = VersionStatus.RETURNED
    session.flush()
    record_unpublished_step(
        session, actor=actor, action="disclosure.return", version=version, texts={"reasons": reasons}
    )
    return version
