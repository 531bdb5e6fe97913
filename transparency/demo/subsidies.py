"""Yearly subsidy lists (惠农补贴): four programs, recipients with masked-on-publication ID numbers."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.demo.people import People
from transparency.demo.publishing import publish
from transparency.disclosures.content import DraftContent, ProgramTotal, SubsidyLine
from transparency.disclosures.models import Category, PeriodKind
from transparency.disclosures.periods import period_bounds

SUBSIDY_PROGRAMS = [
    # program, unit, rate in fen per unit, basis range in hundredths
    ("耕地地力保护补贴", "亩", 10532, (150, 1200)),
    ("种粮农民一次性补贴", "亩", 1850, (150, 1200)),
    ("最低生活保障金（第四季度）", "人", 153000, (100, 400)),
    ("退耕还林补助", "亩", 12000, (50, 500)),
]


def subsidy_content(rng: random.Random, village: Area, people: People, year: int) -> DraftContent:
    """One year's subsidy list of `village`, with its totals per program."""
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


def publish_subsidies(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, people: People
) -> None:
    """The 2024 and 2025 subsidy lists, each published on 20 December."""
    for year in (2024, 2025):
        start, end = period_bounds(PeriodKind.YEAR, year, 1)
        publish(
            session,
            clerk=clerk,
            reviewer=reviewer,
            village=village,
            category=Category.SUBSIDY,
            kind=PeriodKind.YEAR,
            start=start,
            end=end,
            content=subsidy_content(rng, village, people, year),
            published_on=dt.date(year, 12, 20),
        )
