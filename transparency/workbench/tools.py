"""Each role's tools, in one list: the header shows them on every staff page, the tests crawl from them.

A tool is a link, or for an inspector's one-tap actions that write to the log (核验, 报告) a
button that posts to the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from transparency.accounts.models import Role
from transparency.core import clock
from transparency.core.translations import lazy_gettext as _l


@dataclass(frozen=True)
class Tool:
    label: Any  # a lazy string
    endpoint: str
    method: str = "get"
    fields: dict[str, Callable[[], str]] = field(default_factory=dict)  # hidden fields of a posted tool


def _this_year() -> str:
    """The report of the year the dashboard opens on (all years of a county is a lot to take in)."""
    return str(clock.today().year)


ROLE_TOOLS: dict[Role, list[Tool]] = {
    Role.CLERK: [
        Tool(_l("起草"), "workbench.drafting"),
        Tool(_l("导入"), "workbench.importing"),
        Tool(_l("待办反映"), "complaints_manage.queue"),
    ],
    Role.REVIEWER: [Tool(_l("待审核"), "workbench.reviewing")],
    Role.INSPECTOR: [
        Tool(_l("看板"), "inspection.dashboard"),
        Tool(_l("审计日志"), "inspection.audit_log"),
        Tool(_l("核验"), "inspection.verify_audit_chain", method="post"),
        Tool(_l("报告"), "inspection.report", method="post", fields={"table": lambda: "summary", "year": _this_year}),
        Tool(_l("群众反映"), "complaints_manage.queue"),
    ],
    Role.ADMIN: [
        Tool(_l("账户"), "admin.accounts"),
        Tool(_l("地区"), "admin.areas"),
        Tool(_l("期限规则"), "admin.deadline_rules"),
    ],
}


def landing_endpoint(role: Role) -> str:
    """Where an account of this role arrives after logging in (and where 工作台 leads)."""
    return "admin.accounts" if role is Role.ADMIN else "workbench.dashboard"
