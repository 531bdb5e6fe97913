"""A lost code re-issued in person (当面补发查询码): the old code stops working, the new one is shown once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.audit.services import record
from transparency.complaints import codes
from transparency.complaints.access import log_area_code, may_reissue_code
from transparency.complaints.models import EventKind, Matter
from transparency.complaints.services.timeline import append_event, require
from transparency.core.translations import lazy_gettext as _l

# How staff checked who stands at the counter: a fixed list, so nobody types personal data here.
IDENTITY_CHECKS = {
    "id_card": _l("核对了居民身份证"),
    "household": _l("核对了户口簿"),
    "known": _l("本村干部当面认识并确认"),
}


def reissue_code(session: Session, *, matter: Matter, actor: Account, identity_check: str) -> str:
    """Replace the matter's code with a new one and answer it, to be shown once and never stored.

    Two audit entries, neither holding a code: the old code revoked, then the new one issued (the
    latter through the timeline event, which only the complainant and the handler see).
    The caller holds the matter's lock. Raises NotAllowed (not the clerk of an ordinary matter of
    their village, nor an inspector over the village for a routed-around one; an unknown check).
    """
    require(may_reissue_code(actor, matter), _("这件事项的查询码不由您补发"))
    require(identity_check in IDENTITY_CHECKS, _("请选择怎样核实了反映人的身份"))
    assert matter.number is not None
    code = codes.new_code()
    matter.code_digest = codes.digest(matter.number, code)
    session.flush()
    record(
        session,
        actor=actor,
        action="complaint.code_revoked",
        object_type="matter",
        object_id=matter.id,
        area_code=log_area_code(matter),
        is_public=matter.is_public,
        number=matter.number,
        identity_check=identity_check,
    )
    append_event(session, matter, EventKind.CODE_REISSUED, actor, str(IDENTITY_CHECKS[identity_check]), public=False)
    return code
