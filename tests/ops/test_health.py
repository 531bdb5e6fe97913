"""/healthz and /readyz (issue 14, point 6): JSON, 200 when ready, 503 with the failed check."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.complaints.helpers import file_matter
from tests.conftest import Browser, running_app
from tests.core.test_limit_fallback import stopped_redis
from transparency.core.db import db
from transparency.search.indexer import enqueue

VILLAGE_A = "511399101201"


def ready(application):
    response = application.test_client().get("/readyz")
    return response.status_code, response.get_json()


def test_healthz_answers_without_asking_anything(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_a_migrated_database_and_a_writable_index_are_ready(app):
    status, body = ready(app)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["search"] == "ok"
    assert body["checks"]["outbox"].startswith("ok")


def test_a_database_behind_the_migration_head_is_not_ready(app):
    def set_version(version: str) -> str:
        with app.app_context():
            previous = db.session.scalar(text("SELECT version_num FROM alembic_version"))
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
            db.session.commit()
        return previous

    head = set_version("an_old_one")
    try:
        status, body = ready(app)
    finally:
        set_version(head)  # the PostgreSQL test database outlives this test
    assert status == 503 and body["status"] == "unavailable"
    assert "migration head" in body["checks"]["database"]
    assert ready(app)[0] == 200


def test_an_unreachable_database_is_not_ready(database_url, tmp_path):
    url = (
        "postgresql://nobody@127.0.0.1:1/none" if database_url.startswith("postgres") else "sqlite:////nonexistent/x.db"
    )
    with running_app(url, tmp_path) as application:
        status, body = ready(application)
    assert status == 503 and body["checks"]["database"].startswith("unreachable")


def test_an_index_folder_that_cannot_be_written_is_not_ready(database_url, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # nobody, root included, makes a folder inside a file
    with running_app(database_url, tmp_path, SEARCH_BACKEND="whoosh", SEARCH_INDEX_PATH=str(blocker / "index")) as a:
        status, body = ready(a)
    assert status == 503 and body["checks"]["search"] == "index folder not writable"


def test_an_outbox_backlog_over_the_threshold_is_not_ready(database_url, tmp_path):
    with running_app(database_url, tmp_path, READINESS_MAX_OUTBOX=2, SEARCH_INDEX_AFTER_COMMIT=False) as application:
        with application.app_context():
            enqueue(db.session, "disclosure:1")
            db.session.commit()
        assert ready(application)[0] == 200
        with application.app_context():
            enqueue(db.session, "disclosure:2")
            db.session.commit()
        status, body = ready(application)
    assert status == 503 and "2 pending" in body["checks"]["outbox"]


def test_a_stopped_redis_is_degraded_but_still_serving(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, RATELIMIT_STORAGE_URI=stopped_redis()) as application:
        file_matter(Browser(application.test_client()), VILLAGE_A)
        status, body = ready(application)
    assert status == 200 and body["status"] == "degraded"
    assert "Redis unreachable" in body["checks"]["rate_limits"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_by_address_pass_the_host_allow_list_but_pages_do_not(database_url, tmp_path, path):
    with running_app(database_url, tmp_path, TRUSTED_HOSTS=["cunwu.example.gov.cn"]) as application:
        client = application.test_client()
        assert client.get(path, headers={"Host": "10.0.0.5:8000"}).status_code == 200
        assert client.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 400
        assert client.get(path, headers={"Host": "bad host!"}).status_code == 400  # still well formed only
