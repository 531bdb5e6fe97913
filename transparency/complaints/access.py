"""Who sees and handles which matter. Nobody judges their own case (DESIGN rule 3).

- The village clerk handles ordinary matters of their village. They never see a matter routed
  around the village (a 举报, or one that concerns or names village officials), not even that
  it exists.
- The township inspectors (and the county's, whose jurisdiction covers every township) handle
  reports, matters concerning officials, escalated and overdue matters, and reviews of the
  village's replies. Only the county's handle a matter at the county level: a review of a
  township's reply, every 复核, a 举报 about the township, and a matter nobody at the township
  may handle any more.
- A 举报 about the township (its officials or its inspectors) does not exist for any township
  account, as a village's routed-around matters do not exist for the village: only the county
  sees it, in its queues, pages and log.
- Nobody handles a matter about themselves: an account whose holder the matter names (涉及人员),
  or who declared a conflict of interest on it (回避), does not see it at all.
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
from transparency.complaints.models import HandlerLevel, Matter
from transparency.core.area_levels import AreaLevel

# Handler levels from the bottom up: a matter's review goes one up from the level that replied.
LEVELS = (HandlerLevel.VILLAGE, HandlerLevel.TOWNSHIP, HandlerLevel.COUNTY)


def level_above(level: HandlerLevel) -> HandlerLevel:
    return LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]


def level_of(account: Account) -> HandlerLevel:
    """The level an account acts at: a clerk the village's, an inspector their area's."""
    if account.role is Role.INSPECTOR and account.area is not None:
        return HandlerLevel(str(account.area.level))  # AreaLevel and HandlerLevel share their values
    return HandlerLevel.VILLAGE


def is_village_account(account: Account | None) -> bool:
    """A clerk's or a supervision committee member's account: bound to one village (active or not)."""
    return account is not None and AreaLevel.VILLAGE in account.role.area_level


def named_in(account: Account, matter: Matter) -> bool:
    """The matter's 涉及人员 names this account's holder, and the account is of the matter's area."""
    name = account.display_name.strip()
    return len(name) >= 2 and name in (matter.named_officials or "") and account.covers(matter.village)


def stands_aside(account: Account, matter: Matter) -> bool:
    """Named in the matter, or declared a conflict of interest on it: the matter does not exist for them."""
    return named_in(account, matter) or any(r.account_id == account.id for r in matter.recusals)


def routed_around(account: Account, matter: Matter) -> bool:
    """The matter goes around the account's level: a matter routed around the village and any
    village account; a 举报 about the township and any township inspector."""
    if matter.conflict_of_interest and is_village_account(account):
        return True
    return matter.concerns_township and account.role is Role.INSPECTOR and level_of(account) is HandlerLevel.TOWNSHIP


def hidden_from(account: Account | None, matter: Matter) -> bool:
    """True when `matter` must not exist for `account`: a matter routed around the account's
    level (`routed_around`), and a matter the account stands aside from (named in it, or a
    declared conflict). The one visibility rule: every path asks it, none copies it."""
    if account is None:
        return False
    return routed_around(account, matter) or stands_aside(account, matter)


def log_area_code(matter: Matter) -> str:
    """The area under which the log records the matter's steps: its village, except a 举报 about
    the township, recorded under the county so that the township's inspectors, who read the log
    of their villages, do not learn of it there."""
    area = matter.village
    while matter.concerns_township and area.level is not AreaLevel.COUNTY and area.parent is not None:
        area = area.parent
    return area.code


def may_see(account: Account | None, matter: Matter) -> bool:
    """Whether a staff account may open the matter on staff pages (and find it in queues)."""
    if account is None or not account.active or hidden_from(account, matter):
        return False
    if account.role is Role.INSPECTOR:
        return account.covers(matter.village)
    if account.role is Role.CLERK:
        return account.area_id == matter.village_id
    return False


def handling_level(matter: Matter, today: dt.date) -> HandlerLevel:
    """Who handles the matter now: its level, and the township for a village's overdue matter."""
    if matter.handler_level is HandlerLevel.VILLAGE and is_overdue(matter, today):
        return HandlerLevel.TOWNSHIP
    return matter.handler_level


def may_handle(account: Account | None, matter: Matter, today: dt.date) -> bool:
    if not may_see(account, matter):
        return False
    assert account is not None
    level = handling_level(matter, today)
    if level is HandlerLevel.VILLAGE:
        return account.role is Role.CLERK
    return account.role is Role.INSPECTOR and LEVELS.index(level_of(account)) >= LEVELS.index(level)


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
