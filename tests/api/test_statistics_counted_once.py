"""/api/v1/statistics is counted once per change of what it counts, not once per request."""

from __future__ import annotations

from sqlalchemy import event

from tests.conftest import running_app
from tests.disclosures.helpers import publish_ledger
from transparency.core.db import db


def grouped_counts(app, client) -> tuple[dict, int]:
    """The statistics, and how many GROUP BY queries answering them took."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        body = client.get("/api/v1/statistics").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return body, sum("GROUP BY" in statement for statement in seen)


def test_statistics_are_counted_again_only_after_a_publication(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PAGE_CACHE="off") as app:  # every request reaches the view
        client = app.test_client()
        first, counted = grouped_counts(app, client)
        assert counted == 1
        again, counted = grouped_counts(app, client)
        assert (again, counted) == (first, 0)
        with app.app_context():
            publish_ledger(world)
            db.session.commit()
        after, counted = grouped_counts(app, client)
        assert counted == 1
        assert (
            sum(row["published"] for row in after["villages"]) == sum(row["published"] for row in first["villages"]) + 1
        )
