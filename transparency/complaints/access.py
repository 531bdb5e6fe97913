"""Who sees and handles which matter. Nobody judges their own case (DESIGN rule 3).

- The village clerk handles ordinary matters of their village. They never see a matter routed
  around the village (a 举报, or one that concerns or names village officials), not even that
  it exists.
- The township inspectors (and the county's, whose jurisdiction covers every township) handle
  reports, matters concerning officials, escalated and overdue matters, and every review.
- Other village accounts (the supervision committee) see matters only on public pages.
- Contact details: only the account that handles the matter now, each view audited.
- A lost code is re-issued in person: by the clerk for an ordinary matter of their village, by an
  inspector over the village for one routed around it (the clerk must not learn it exists).

`hidden_from` is the one rule that keeps a routed-around matter from every village account, on
every path: staff pages and queues (through `may_see`), the tracking lookup and everything that
uses it (/track, the complainant's steps, the receipt PDF), a filing form sent again, and code
re-issue. A lookup it hides answers exactly as an unknown number does.
"""

from __future__ import annotations

import datetime as dt

from transparency.accounts.models import Account, Role
from transparency.complaints.deadlines import is_overdue
from transparency.complaints.models import HandlerLevel, Matter, MatterStatus
from transparency.core.area_levels import AreaLevel


def is_village_account(account: Account | None) -> bool:
    """A clerk's or a supervision committee member's account: bound to one village (active or not)."""
    return account is not None and AreaLevel.VILLAGE in account.role.area_level


def hidden_from(account: Account | None, matter: Matter) -> bool:
    """True when `matter` must not exist for `account`: a matter routed around the village (a
    举报, or one concerning or naming village officials) and any village account, of that
    village or another. The one visibility rule: every path asks it, none copies it."""
    return matter.conflict_of_interest and is_village_account(account)


def may_see(account: Account | None, matter: Matter) -> bool:
    """Whether a staff account may open the matter on staff pages (and find it in queues)."""
    if account is None or not account.active or hidden_from(account, matter):
        return False
    if account.role is Role.INSPECTOR:
        return account.covers(matter.village)
    if account.role is Role.CLERK:
        return account.area_id == matter.village_id
    return False


def township_handles(matter: Matter, today: dt.date) -> bool:
    return (
        matter.handler_level is HandlerLevel.TOWNSHIP
        or matter.status in (MatterStatus.UNDER_REVIEW, MatterStatus.REVIEWED)
        or is_overdue(matter, today)
    )


def may_handle(account: Account | None, matter: Matter, today: dt.date) -> bool:
    if not may_see(account, matter):
        return False
    assert account is not None
    if township_handles(matter, today):
        return account.role is Role.INSPECTOR
    return account.role is Role.CLERK


def may_approve_extension(account: Account | None, matter: Matter, requested_by_id: int | None) -> bool:
    """An inspector over the village, and never the one who asked."""
    return (
        account is not None
        and account.role is Role.INSPECTOR
        and may_see(account, matter)
        and account.id != requested_by_id
    )


def may_reissue_code(account: Account | None, matter: Matter) -> bool:
    """The clerk for an ordinary matter of their village; an inspector for a routed-around one."""
    if not may_see(account, matter):
        return False
    assert account is not None
    return account.role is (Role.INSPECTOR if matter.conflict_of_interest else Role.CLERK)
