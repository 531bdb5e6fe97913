"""`transparency demo-data`: one county, four townships, fourteen villages, two years of disclosures.

Everything goes through the same services as the web forms (draft → submit → approve),
with the domain clock set to plausible dates, so the demo shows real workflows and a
real audit log. Idempotent: a second run only prints the demo accounts again.

What is loaded lives by kind: county.py (areas and accounts), ledgers.py, subsidies.py,
compensation.py, disclosures.py (decisions, pay, a draft under review) and complaints.py.
"""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from transparency.areas.models import AreaLevel
from transparency.areas.services import area_by_code
from transparency.demo.compensation import publish_land_compensation
from transparency.demo.county import COUNTY, MAIN_VILLAGE, Echo, account, create_areas, create_staff, print_accounts
from transparency.demo.ledgers import correct_ledgers, publish_ledgers
from transparency.demo.matters import Handlers, load_demo_matters
from transparency.demo.other_disclosures import publish_other_disclosures, submit_work_in_progress
from transparency.demo.people import People
from transparency.demo.subsidies import publish_subsidies
from transparency.obligations.status import rebuild as rebuild_status


def load_demo_county(session: Session, echo: Echo = print) -> None:
    """Load the demo county unless it is there already. Raises what the services it calls raise."""
    if area_by_code(session, COUNTY[0]) is not None:
        echo("演示数据已经载入过，不再重复载入。")
        print_accounts(echo)
        return
    echo("正在载入演示县……")
    areas = create_areas(session)
    staff = create_staff(session, areas)
    rng = random.Random("临江县演示数据")
    villages = [a for a in areas.values() if a.level is AreaLevel.VILLAGE]
    for number, village in enumerate(villages, start=1):
        echo(f"  [{number}/{len(villages)}] {village.parent.name}{village.name}")
        clerk, reviewer = staff[village.name]
        people = People(village.name)
        names = [people.name() for _ in range(40)]
        publish_ledgers(session, rng, village, clerk, reviewer, names)
        publish_subsidies(session, rng, village, clerk, reviewer, people)
        publish_other_disclosures(session, village, clerk, reviewer, names)
    main = areas[MAIN_VILLAGE]
    clerk, reviewer = staff[MAIN_VILLAGE]
    publish_land_compensation(session, rng, main, clerk, reviewer, People("征地"))
    correct_ledgers(session, main, clerk, reviewer)
    submit_work_in_progress(session, main, clerk)
    echo("  群众反映事项")
    handlers = Handlers(
        clerks={name: pair[0] for name, pair in staff.items()},
        inspector=account(session, "inspector"),
        county_inspector=account(session, "county-inspector"),
    )
    load_demo_matters(session, areas, handlers)
    rebuild_status(session)  # kept up to date as it loaded; built again so the demo proves the command
    echo("演示数据载入完成。")
    print_accounts(echo)
