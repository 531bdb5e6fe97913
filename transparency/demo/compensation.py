"""One land-compensation table (征地补偿及分配): a road project, 36 households, the collective's share.

The project states its rates per 亩, so every household can check area × rate; each household head's
ID number is kept only as the key 查我家 needs.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.demo.people import People
from transparency.demo.publishing import publish
from transparency.disclosures.checks import area_times_rate
from transparency.disclosures.content import CompensationLine, DraftContent
from transparency.disclosures.household_lookup import household_key, last_four
from transparency.disclosures.models import Category, PeriodKind

# Rates per 亩 (fen): 区片综合地价 for the land, 青苗 and 安置补助 as the county publishes them.
LAND_RATE = 3_800_000
CROP_RATE = 150_000
RELOCATION_RATE = 1_200_000


def publish_land_compensation(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, people: People
) -> None:
    """The compensation table of the G318 realignment, received = paid out + retained."""
    rows = []
    # ID numbers from their own generator: the names (and the search demo built on them) stay as they were.
    numbers = People("征地-身份证")
    for index in range(36):
        area = rng.randint(30, 260)  # 0.30 – 2.60 mu
        head = people.name()
        rows.append(
            CompensationLine(
                household=f"{head}户",
                parcel=f"石桥村三组 {index + 1:02d} 号地块",
                area_hundredths=area,
                land_amount=area_times_rate(area, LAND_RATE),
                crop_amount=area_times_rate(area, CROP_RATE),
                relocation_amount=area_times_rate(area, RELOCATION_RATE),
                paid_on=dt.date(2026, 5, rng.randint(10, 20)),
                household_key=household_key(head, last_four(numbers.id_number())),
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
        land_rate=LAND_RATE,
        crop_rate=CROP_RATE,
        relocation_rate=RELOCATION_RATE,
        compensation_rows=rows,
    )
    publish(
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
