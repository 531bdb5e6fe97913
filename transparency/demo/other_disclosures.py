"""Disclosures without a table: a village decision, officials' pay, and one awaiting review."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.core.db import clock_at
from transparency.demo.publishing import publish
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, PeriodKind
from transparency.disclosures.periods import period_bounds


def publish_other_disclosures(
    session: Session, village: Area, clerk: Account, reviewer: Account, names: list[str]
) -> None:
    """A road decision (一事一议) and the officials' pay of 2025."""
    decision_day = dt.date(2026, 4, 8)
    publish(
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
    publish(
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


def submit_work_in_progress(session: Session, village: Area, clerk: Account) -> None:
    """A submitted disclosure awaiting the reviewer, so the demo reviewer has something to do."""
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
