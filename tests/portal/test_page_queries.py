"""Public pages read what they show in few round trips: no lazy load per area, account or level.

Counted with the page cache off, so that every request renders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.conftest import running_app
from tests.disclosures.helpers import publish_ledger
from transparency.core.db import db


@contextmanager
def statements(app) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection, _cursor, statement, parameters, *_rest) -> None:
        seen.append(" ".join(statement.split()) + f" -- {tuple(parameters or ())}")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def uncached(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PAGE_CACHE="off") as application:
        yield application


def test_the_home_page_reads_every_area_in_one_query(uncached):
    client = uncached.test_client()
    client.get("/?village=石桥")
    with statements(uncached) as seen:
        body = client.get("/?village=石桥").get_data(as_text=True)
    assert "石桥镇" in body and "石桥村" in body
    from_area = [s for s in seen if re.search(r"\bFROM area\b", s) and "LIKE" not in s]
    assert len(from_area) == 1, from_area  # counties, townships and their villages, the matches' townships


def test_a_notice_reads_its_village_township_and_drafter_with_the_disclosure(uncached, world):
    with uncached.app_context():
        version = publish_ledger(world)
        disclosure_id, drafter = version.disclosure_id, version.drafted_by_id
        places = {world.village_a.id, world.village_a.parent_id}
        db.session.commit()
    client = uncached.test_client()
    for url in (f"/d/{disclosure_id}",):
        with statements(uncached) as seen:
            assert client.get(url).status_code == 200
        # (The carry-over check may read the previous ledger, and its village, on its own.)
        lazy = [s for s in seen if re.search(r"FROM area WHERE area\.id = \? -- \((\d+),\)", s)]
        lazy = [s for s in lazy if int(re.search(r"-- \((\d+),\)", s).group(1)) in places]
        lazy += [s for s in seen if f"FROM account WHERE account.id = ? -- ({drafter},)" in s]
        assert lazy == [], f"{url}: {lazy}"
