"""`transparency demo-data`: one county, four townships, fourteen villages, two years of notices.

Everything goes through the same services as the web forms (draft → submit → approve),
with the domain clock set to plausible dates, so the demo shows real workflows and a
real audit log. Idempotent: a second run only prints the demo accounts again.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code, create_area
from transparency.core.db import clock_at
from transparency.demo.complaints import Handlers, load_demo_complaints
from transparency.demo.ledgers import quarter_ledger
from transparency.demo.people import People
from transparency.disclosures import services
from transparency.disclosures.content import (
    CompensationLine,
    DraftContent,
    ProgramTotal,
    SubsidyLine,
)
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import period_bounds

COUNTY = ("511399000000", "临江县")
TOWNSHIPS = {
    ("511399100000", "城关镇"): ["东街村", "西河村", "桃源村"],
    ("511399101000", "石桥镇"): ["石桥村", "王家庄村", "柳树湾村", "河口村"],
    ("511399200000", "柳林乡"): ["青山村", "杨柳村", "红旗村"],
    ("511399201000", "东山乡"): ["东岭村", "李家沟村", "龙潭村", "白马村"],
}
MAIN_VILLAGE = "石桥村"
# One village skipped a quarter: the disclosure calendar must show the gap.
SKIPPED = ("东岭村", 2025, 3)
QUARTERS = [(2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
CST = dt.timezone(dt.timedelta(hours=8))

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


def load_demo_county(session: Session, echo: Echo = print) -> None:
    if area_by_code(session, COUNTY[0]) is not None:
        echo("演示数据已经载入过，不再重复载入。")
        _print_accounts(echo)
        return
    echo("正在载入演示县……")
    areas = _create_areas(session)
    staff = _create_staff(session, areas)
    rng = random.Random("临江县演示数据")
    villages = [a for a in areas.values() if a.level is AreaLevel.VILLAGE]
    for number, village in enumerate(villages, start=1):
        echo(f"  [{number}/{len(villages)}] {village.parent.name}{village.name}")
        clerk, reviewer = staff[village.name]
        people = People(village.name)
        names = [people.name() for _ in range(40)]
        _ledgers(session, rng, village, clerk, reviewer, names)
        _subsidies(session, rng, village, clerk, reviewer, people)
        _other_notices(session, village, clerk, reviewer, names)
    main = areas[MAIN_VILLAGE]
    clerk, reviewer = staff[MAIN_VILLAGE]
    _land_compensation(session, rng, main, clerk, reviewer, People("征地"))
    _corrections(session, main, clerk, reviewer)
    _work_in_progress(session, rng, main, clerk)
    echo("  群众反映事项")
    handlers = Handlers(
        clerks={name: pair[0] for name, pair in staff.items()},
        inspector=_account(session, "inspector"),
        county_inspector=_account(session, "county-inspector"),
    )
    load_demo_complaints(session, areas, handlers)
    echo("演示数据载入完成。")
    _print_accounts(echo)


def _account(session: Session, username: str) -> Account:
    return session.scalars(select(Account).where(Account.username == username)).one()


def _print_accounts(echo: Echo) -> None:
    echo("演示账户（仅供试用）：")
    for username, name, role, area, password in DEMO_ACCOUNTS:
        echo(f"  {role.label:<10} {username:<18} 密码 {password}   {name}{'，' + area if area else ''}")


def _create_areas(session: Session) -> dict[str, Area]:
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


def _create_staff(session: Session, areas: dict[str, Area]) -> dict[str, tuple[Account, Account]]:
    named = {}
    for username, name, role, area_name, password in DEMO_ACCOUNTS:
        account = create_account(
            session,
            actor=None,
            username=username,
            display_name=name,
            password=password,
            role=role,
            area=areas[area_name] if area_name else None,
        )
        named[(role, area_name)] = account
    staff = {}
    people = People("工作人员")
    for area in areas.values():
        if area.level is not AreaLevel.VILLAGE:
            continue
        pair = []
        for role in (Role.CLERK, Role.REVIEWER):
            account = named.get((role, area.name))
            if account is None:
                # Other villages' staff exist so their notices can be drafted and reviewed;
                # their passwords are random and never printed.
                account = create_account(
                    session,
                    actor=None,
                    username=f"{role.value}-{area.code}",
                    display_name=people.name(),
                    password=secrets.token_urlsafe(16),
                    role=role,
                    area=area,
                )
            pair.append(account)
        staff[area.name] = (pair[0], pair[1])
    return staff


def _publish(
    session: Session,
    *,
    clerk: Account,
    reviewer: Account,
    village: Area,
    category: Category,
    kind: PeriodKind,
    start: dt.date,
    end: dt.date,
    content: DraftContent,
    published_on: dt.date,
) -> DisclosureVersion:
    """Draft, submit and approve on `published_on` (China time, mid-morning)."""
    moment = dt.datetime.combine(published_on, dt.time(10, 30), CST).astimezone(dt.UTC)
    with clock_at(moment - dt.timedelta(days=2)):
        version = services.start_disclosure(
            session,
            actor=clerk,
            village=village,
            category=category,
            period_kind=kind,
            period_start=start,
            period_end=end,
            content=content,
        )
        services.submit(session, actor=clerk, version=version)
    with clock_at(moment):
        services.approve(
            session, actor=reviewer, version=version, signed_name=reviewer.display_name, note="已核对凭证，同意公开。"
        )
    return version


def _ledgers(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, names: list[str]
) -> None:
    opening = rng.randint(150_000, 600_000) * 100
    for year, quarter in QUARTERS:
        content = quarter_ledger(rng, village.name, year, quarter, opening, names, rng.randint(22, 28))
        opening = content.closing_balance or 0
        if (village.name, year, quarter) == SKIPPED:
            continue
        start, end = period_bounds(PeriodKind.QUARTER, year, quarter)
        _publish(
            session,
            clerk=clerk,
            reviewer=reviewer,
            village=village,
            category=Category.FINANCE,
            kind=PeriodKind.QUARTER,
            start=start,
            end=end,
            content=content,
            published_on=end + dt.timedelta(days=rng.randint(5, 14)),
        )


SUBSIDY_PROGRAMS = [
    # program, unit, rate in fen per unit, basis range in hundredths
    ("耕地地力保护补贴", "亩", 10532, (150, 1200)),
    ("种粮农民一次性补贴", "亩", 1850, (150, 1200)),
    ("最低生活保障金（第四季度）", "人", 153000, (100, 400)),
    ("退耕还林补助", "亩", 12000, (50, 500)),
]


def _subsidy_content(rng: random.Random, village: Area, people: People, year: int) -> DraftContent:
    lines = []
    for program, unit, rate, (low, high) in SUBSIDY_PROGRAMS:
        count = rng.randint(6, 14) if unit == "亩" else rng.randint(3, 6)
        for _ in range(count):
            recipient = people.name()
            basis = rng.randint(low, high) if unit == "亩" else rng.randint(1, 4) * 100
            lines.append(
                SubsidyLine(
                    program=program,
                    recipient=recipient,
                    id_number=people.id_number(),
                    household=f"{recipient}户",
                    basis_unit=unit,
                    basis_hundredths=basis,
                    rate=rate,
                    amount=(basis * rate + 50) // 100,
                )
            )
    totals = {}
    for line in lines:
        totals[line.program] = totals.get(line.program, 0) + line.amount
    return DraftContent(
        title=f"{village.name}{year}年惠农补贴发放名单",
        body="补贴资金已通过“一卡通”直接发放到户。对名单有异议的，请在公示期内反映。",
        subsidy_totals=[ProgramTotal(program, total) for program, total in totals.items()],
        subsidy_rows=lines,
    )


def _subsidies(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, people: People
) -> None:
    for year in (2024, 2025):
        start, end = period_bounds(PeriodKind.YEAR, year, 1)
        _publish(
            session,
            clerk=clerk,
            reviewer=reviewer,
            village=village,
            category=Category.SUBSIDY,
            kind=PeriodKind.YEAR,
            start=start,
            end=end,
            content=_subsidy_content(rng, village, people, year),
            published_on=dt.date(year, 12, 20),
        )


def _other_notices(session: Session, village: Area, clerk: Account, reviewer: Account, names: list[str]) -> None:
    decision_day = dt.date(2026, 4, 8)
    _publish(
        session,
        clerk=clerk,
        reviewer=reviewer,
        village=village,
        category=Category.DECISIONS,
        kind=PeriodKind.DAY,
        start=decision_day,
        end=decision_day,
        published_on=decision_day + dt.timedelta(days=1),
        content=DraftContent(
            title=f"{village.name}关于硬化村组道路的一事一议决议",
            body=(
                f"{decision_day.year}年{decision_day.month}月{decision_day.day}日召开村民代表会议，"
                "应到代表 35 人，实到 31 人。\n\n"
                "**决议事项**：硬化三组至五组道路 1.2 公里，预算 48 万元，其中申请财政奖补 30 万元，"
                "村集体自筹 18 万元。\n\n"
                "- 同意 29 票\n- 反对 1 票\n- 弃权 1 票\n\n"
                f"会议记录人：{names[0]}。签字原件存村委会，欢迎查阅。"
            ),
        ),
    )
    start, end = period_bounds(PeriodKind.YEAR, 2025, 1)
    pay = "\n".join(
        f"| {role} | {name} | {amount} |"
        for role, name, amount in (
            ("党支部书记、村委会主任", names[1], "46,800.00"),
            ("村委会副主任", names[2], "32,400.00"),
            ("村文书", names[3], "28,800.00"),
            ("妇女主任", names[4], "24,000.00"),
        )
    )
    _publish(
        session,
        clerk=clerk,
        reviewer=reviewer,
        village=village,
        category=Category.OFFICIALS_PAY,
        kind=PeriodKind.YEAR,
        start=start,
        end=end,
        published_on=dt.date(2026, 1, 15),
        content=DraftContent(
            title=f"{village.name}2025年度村干部报酬公开",
            body="| 职务 | 姓名 | 全年报酬（元） |\n|---|---|---:|\n"
            + pay
            + "\n\n报酬标准按县委组织部、县财政局文件执行，含基本报酬和绩效报酬。",
        ),
    )


def _land_compensation(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, people: People
) -> None:
    rows = []
    for index in range(36):
        area = rng.randint(30, 260)  # 0.30 – 2.60 mu
        land = area * 3_800_000 // 100  # ¥38,000 per mu
        crop = area * 150_000 // 100
        relocation = rng.choice([0, 0, 0, 2_000_000])
        rows.append(
            CompensationLine(
                household=f"{people.name()}户",
                parcel=f"石桥村三组 {index + 1:02d} 号地块",
                area_hundredths=area,
                land_amount=land,
                crop_amount=crop,
                relocation_amount=relocation,
                paid_on=dt.date(2026, 5, rng.randint(10, 20)),
            )
        )
    paid = sum(row.total for row in rows)
    retained = paid // 9  # the collective keeps about a tenth of the land money for village works
    content = DraftContent(
        title="G318 国道石桥段改线工程征地补偿分配方案",
        body="补偿标准依据省政府公布的区片综合地价执行。集体留存部分用于村组道路和水利设施建设，使用情况另行公开。",
        project_name="G318 国道石桥段改线工程",
        compensation_received=paid + retained,
        retained_by_collective=retained,
        compensation_rows=rows,
    )
    _publish(
        session,
        clerk=clerk,
        reviewer=reviewer,
        village=village,
        category=Category.LAND_COMPENSATION,
        kind=PeriodKind.DAY,
        start=dt.date(2026, 5, 6),
        end=dt.date(2026, 5, 6),
        content=content,
        published_on=dt.date(2026, 5, 8),
    )


def _corrections(session: Session, village: Area, clerk: Account, reviewer: Account) -> None:
    """Two published ledgers get corrected: a mistyped amount, then a wrong account."""
    from transparency.disclosures.content import LedgerLine
    from transparency.disclosures.queries import published_in_village

    ledgers = published_in_village(session, village, Category.FINANCE)
    fixes = [
        (ledgers[2], "第 3 行凭证金额录入错误（多录了一个 0），按原始凭证更正。"),
        (ledgers[4], "第 5 行会计科目应为“公益支出”，更正科目，金额不变。"),
    ]
    for disclosure, reason in fixes:
        current = disclosure.current
        assert current is not None
        published = current.published_at or dt.datetime.now(dt.UTC)
        with clock_at(published + dt.timedelta(days=9)):
            version = services.start_correction(session, actor=clerk, disclosure=disclosure, reason=reason)
            lines = [
                LedgerLine(
                    entry_date=r.entry_date,
                    voucher_no=r.voucher_no,
                    account=r.account,
                    summary=r.summary,
                    income=r.income,
                    expense=r.expense,
                )
                for r in version.ledger_rows
            ]
            target = lines[2] if "第 3 行" in reason else lines[4]
            if "第 3 行" in reason:
                fixed = LedgerLine(**{**vars(target), "income": target.income // 10, "expense": target.expense // 10})
            else:
                fixed = LedgerLine(**{**vars(target), "account": "公益支出"})
            lines[lines.index(target)] = fixed
            delta = (fixed.income - target.income) - (fixed.expense - target.expense)
            content = DraftContent(
                title=version.title,
                body=version.body,
                opening_balance=version.opening_balance,
                closing_balance=(version.closing_balance or 0) + delta,
                ledger_rows=lines,
            )
            services.save_draft(session, actor=clerk, version=version, content=content)
            services.submit(session, actor=clerk, version=version)
        with clock_at(published + dt.timedelta(days=10)):
            services.approve(
                session,
                actor=reviewer,
                version=version,
                signed_name=reviewer.display_name,
                note="核对原始凭证无误，同意更正。",
            )


def _work_in_progress(session: Session, rng: random.Random, village: Area, clerk: Account) -> None:
    """A submitted notice awaiting the reviewer, so the demo reviewer has something to do."""
    start, end = period_bounds(PeriodKind.MONTH, 2026, 10)
    content = DraftContent(
        title=f"{village.name}2026年10月集体资产出租情况",
        body="| 资产 | 承租人 | 年租金（元） |\n|---|---|---:|\n| 原村小学校舍 | 石桥竹编合作社 | 36,000.00 |\n"
        "| 三组鱼塘 15 亩 | 个人承包 | 12,000.00 |\n\n租期均为 2026 年 1 月 1 日至 2028 年 12 月 31 日。",
    )
    with clock_at(dt.datetime(2026, 11, 5, 2, 30, tzinfo=dt.UTC)):
        version = services.start_disclosure(
            session,
            actor=clerk,
            village=village,
            category=Category.ASSETS,
            period_kind=PeriodKind.MONTH,
            period_start=start,
            period_end=end,
            content=content,
        )
        services.submit(session, actor=clerk, version=version)
