"""One land-compensation table (征地补偿及分配): a road project, 36 households, the collective's share."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.demo.people import People
from transparency.demo.publishing import publish
from transparency.disclosures.content import CompensationLine, DraftContent
from transparency.disclosures.models import Category, PeriodKind


def publish_land_compensation(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, people: People
) -> None:
    """The compensation table of the G318 realignment, received = paid out + retained."""
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
