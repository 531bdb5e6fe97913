"""The demo county's places and people: one county, four townships, fourteen villages, and
the staff who draft, review and inspect there."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.demo.people import People

COUNTY = ("511399000000", "临江县")
TOWNSHIPS = {
    ("511399100000", "城关镇"): ["东街村", "西河村", "桃源村"],
    ("511399101000", "石桥镇"): ["石桥村", "王家庄村", "柳树湾村", "河口村"],
    ("511399200000", "柳林乡"): ["青山村", "杨柳村", "红旗村"],
    ("511399201000", "东山乡"): ["东岭村", "李家沟村", "龙潭村", "白马村"],
}
MAIN_VILLAGE = "石桥村"

DEMO_ACCOUNTS = [
    # username, display name, role, area name (None: county or none), password
    ("admin", "系统管理员", Role.ADMIN, None, "admin-demo-2026"),
    ("clerk", "王秀英", Role.CLERK, MAIN_VILLAGE, "clerk-demo-2026"),
    ("reviewer", "李德华", Role.REVIEWER, MAIN_VILLAGE, "reviewer-demo-2026"),
    ("inspector", "赵振华", Role.INSPECTOR, "石桥镇", "inspector-demo-2026"),
    ("county-inspector", "孙国庆", Role.INSPECTOR, "临江县", "county-demo-2026"),
    ("clerk-qingshan", "陈玉梅", Role.CLERK, "青山村", "qingshan-demo-2026"),
]

Echo = Callable[[str], None]


def account(session: Session, username: str) -> Account:
    """The demo account `username`. Raises NoResultFound when it was never created."""
    return session.scalars(select(Account).where(Account.username == username)).one()


def print_accounts(echo: Echo) -> None:
    """The demo accounts and their passwords, for whoever tries the demo."""
    echo("演示账户（仅供试用）：")
    for username, name, role, area, password in DEMO_ACCOUNTS:
        echo(f"  {role.label:<10} {username:<18} 密码 {password}   {name}{'，' + area if area else ''}")


def create_areas(session: Session) -> dict[str, Area]:
    """The county, its townships and villages, by name. Raises what `create_area` raises."""
    county = create_area(session, actor=None, code=COUNTY[0], name=COUNTY[1], level=AreaLevel.COUNTY, parent=None)
    areas = {county.name: county}
    for (code, name), villages in TOWNSHIPS.items():
        township = create_area(session, actor=None, code=code, name=name, level=AreaLevel.TOWNSHIP, parent=county)
        areas[name] = township
        for index, village_name in enumerate(villages, start=1):
            areas[village_name] = create_area(
                session,
                actor=None,
                code=f"{code[:9]}{200 + index:03d}",
                name=village_name,
                level=AreaLevel.VILLAGE,
                parent=township,
            )
    return areas


def create_staff(session: Session, areas: dict[str, Area]) -> dict[str, tuple[Account, Account]]:
    """The demo accounts, and a clerk and a reviewer for every village: (clerk, reviewer) by village name.

    Raises what `create_account` raises.
    """
    named = {}
    for username, name, role, area_name, password in DEMO_ACCOUNTS:
        created = create_account(
            session,
            actor=None,
            username=username,
            display_name=name,
            password=password,
            role=role,
            area=areas[area_name] if area_name else None,
        )
        named[(role, area_name)] = created
    staff = {}
    people = People("工作人员")
    for area in areas.values():
        if area.level is not AreaLevel.VILLAGE:
            continue
        pair = []
        for role in (Role.CLERK, Role.REVIEWER):
            member = named.get((role, area.name))
            if member is None:
                # Other villages' staff exist so their disclosures can be drafted and reviewed;
                # their passwords are random and never printed.
                member = create_account(
                    session,
                    actor=None,
                    username=f"{role.value}-{area.code}",
                    display_name=people.name(),
                    password=secrets.token_urlsafe(16),
                    role=role,
                    area=area,
                )
            pair.append(member)
        staff[area.name] = (pair[0], pair[1])
    return staff
