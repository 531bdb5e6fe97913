"""更正: a published disclosure is corrected by a new version; the published ones stay as they are.

Flushes and appends its audit entry; never commits. Raises: NotYourVillage, WrongState, PersonalDataFound.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.core.personal_data import refuse_personal_data
from transparency.disclosures.access import ensure, may_draft
from transparency.disclosures.errors import WrongState
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus
from transparency.disclosures.services.drafts import record_unpublished_step


def start_correction(session: Session, *, actor: Account, disclosure: Disclosure, reason: str) -> DisclosureVersion:
    """更正: a new draft version copied from the current published one, with a stated reason.

    The published versions stay as they are. Raises NotYourVillage, WrongState, PersonalDataFound
    (the reason, which villagers read, holds an ID, phone or card number).
    """
    ensure(may_draft(actor, disclosure.village), _("只能更正本村的公开内容"))
    refuse_personal_data(reason, where=_("更正理由"))
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
        carry_over_reason=current.carry_over_reason,
        project_name=current.project_name,
        compensation_received=current.compensation_received,
        retained_by_collective=current.retained_by_collective,
        land_rate=current.land_rate,
        crop_rate=current.crop_rate,
        relocation_rate=current.relocation_rate,
    )
    session.add(version)
    version.ledger_rows = [_copy_row(r) for r in current.ledger_rows]
    version.subsidy_totals = [_copy_row(r) for r in current.subsidy_totals]
    version.subsidy_rows = [_copy_row(r) for r in current.subsidy_rows]
    version.compensation_rows = [_copy_row(r) for r in current.compensation_rows]
    version.attachments = [_copy_row(a) for a in current.attachments]
    session.flush()
    record_unpublished_step(
        session, actor=actor, action="disclosure.correct", version=version, texts={"reason": reason}
    )
    return version


def _copy_row(row: object) -> object:
    mapper = type(row).__mapper__  # type: ignore[attr-defined]
    values = {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key not in ("id", "version_id")}
    return type(row)(**values)
