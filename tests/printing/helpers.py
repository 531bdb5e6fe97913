"""Published disclosures of every kind, built through the same services the web forms use."""

from __future__ import annotations

import datetime as dt

from tests.disclosures.samples import ID_A, ID_B
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.content import CompensationLine, DraftContent, ProgramTotal, SubsidyLine
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import period_bounds


def publish(
    world,
    category: Category,
    content: DraftContent,
    *,
    kind: PeriodKind = PeriodKind.QUARTER,
    year: int = 2025,
    number: int = 1,
    day: dt.date | None = None,
) -> DisclosureVersion:
    """Draft, submit and approve a disclosure of 石桥村 (village_a); committed."""
    start, end = (day, day) if kind is PeriodKind.DAY else period_bounds(kind, year, number)
    version = services.start_disclosure(
        db.session,
        actor=world.accounts["clerk_a"],
        village=world.village_a,
        category=category,
        period_kind=kind,
        period_start=start,
        period_end=end,
        content=content,
    )
    services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
    reviewer = world.accounts["reviewer_a"]
    services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    db.session.commit()
    return version


def subsidy_content() -> DraftContent:
    lines = [
        SubsidyLine("耕地地力保护补贴", "王建国", "王建国户", "亩", 1500, 157_980, rate=10_532, id_number=ID_A),
        SubsidyLine("耕地地力保护补贴", "赵桂芳", "赵桂芳户", "亩", 800, 84_256, rate=10_532),
        SubsidyLine("最低生活保障金", "李秀英", "李秀英户", "人", 200, 306_000, rate=153_000, id_number=ID_B),
    ]
    return DraftContent(
        title="2025年惠农补贴发放名单",
        subsidy_totals=[ProgramTotal("耕地地力保护补贴", 242_236), ProgramTotal("最低生活保障金", 306_000)],
        subsidy_rows=lines,
    )


def compensation_content() -> DraftContent:
    return DraftContent(
        title="G318 国道改线工程征地补偿分配方案",
        project_name="G318 国道改线工程",
        compensation_received=10_000_000,
        retained_by_collective=650_000,
        land_rate=3_800_000,
        crop_rate=150_000,
        relocation_rate=300_000,
        compensation_rows=[
            CompensationLine("王建国户", "三组 01 号", 120, 4_560_000, 180_000, 360_000, dt.date(2026, 5, 10)),
            CompensationLine("李秀英户", "三组 02 号", 100, 3_800_000, 150_000, 300_000, None),
        ],
    )


def decision_content() -> DraftContent:
    return DraftContent(title="关于村集体鱼塘续包的决定", body="经村民代表会议表决，鱼塘续包三年。")
