"""/metrics (issue 14, point 6): Prometheus text, counted on commit, open to loopback only unless
an allow-list or a bearer token says otherwise; logs are JSON lines with the request id."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.complaints.helpers import file_matter
from tests.conftest import Browser, running_app
from tests.search.helpers import publish_disclosure
from transparency.core import signals
from transparency.core.db import db

VILLAGE_A = "511399101201"
OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def scrape(application, **kwargs) -> dict[tuple[str, tuple], float]:
    response = application.test_client().get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_filings_publications_and_the_audit_head_are_counted(app, world):
    before = scrape(app)
    browser = Browser(app.test_client())
    file_matter(browser, VILLAGE_A)
    with app.app_context():
        publish_disclosure(world, "村道维修公告")
        publish_disclosure(world, "没有提交的公告", commit=False)
        db.session.rollback()  # a publication that rolled back is not counted
    after = scrape(app)
    assert value(after, "transparency_matters_filed_total") == value(before, "transparency_matters_filed_total") + 1
    published = "transparency_disclosures_published_total"
    assert value(after, published) == value(before, published) + 1
    filing = {"endpoint": "complaints.new", "method": "POST", "status": "200"}
    assert value(after, "transparency_http_requests_total", **filing) == (
        value(before, "transparency_http_requests_total", **filing) + 1
    )
    latency = "transparency_http_request_duration_seconds_count"
    assert value(after, latency, endpoint="complaints.new") > value(before, latency, endpoint="complaints.new")
    assert value(after, "transparency_audit_head_sequence") > value(before, "transparency_audit_head_sequence")
    assert ("transparency_search_outbox_pending", ()) in after
    pending = "transparency_print_renders_pending"  # the publication queued its A4 and A3 prints
    assert value(after, pending) == value(before, pending) + 2


def test_pdf_render_times_are_observed_from_the_printing_signal(app):
    name = "transparency_pdf_render_seconds_count"
    before = value(scrape(app), name, kind="receipt")
    signals.pdf_rendered.send(None, kind="receipt", seconds=0.8)
    assert value(scrape(app), name, kind="receipt") == before + 1


def test_other_addresses_are_refused_unless_allowed(database_url, tmp_path):
    with running_app(database_url, tmp_path, METRICS_TOKEN="s3cret-token-of-the-scraper") as application:
        client = application.test_client()
        assert client.get("/metrics", environ_base=OUTSIDE).status_code == 403
        # Loopback behind a proxy we were not told about is the proxy, not the operator.
        assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
        wrong = {"Authorization": "Bearer s3cret-token-of-the-scrapeX"}
        assert client.get("/metrics", environ_base=OUTSIDE, headers=wrong).status_code == 403
        right = {"Authorization": "Bearer s3cret-token-of-the-scraper"}
        assert client.get("/metrics", environ_base=OUTSIDE, headers=right).status_code == 200
    with running_app(database_url, tmp_path, METRICS_ALLOWED_NETWORKS=["203.0.113.0/24"]) as application:
        assert application.test_client().get("/metrics", environ_base=OUTSIDE).status_code == 200
        other = {"REMOTE_ADDR": "198.51.100.7"}
        assert application.test_client().get("/metrics", environ_base=other).status_code == 403


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("7f3c2a10-proxy-id-0001", True), ("bad id; DROP TABLE", False), ("x" * 300, False), (None, False)],
)
def test_each_request_has_an_id_sent_back_and_logged_as_json(app, capsys, incoming, kept):
    headers = {"X-Request-Id": incoming} if incoming else {}
    response = app.test_client().get("/healthz?code=SECRET", headers=headers)
    request_id = response.headers["X-Request-Id"]
    assert (request_id == incoming) is kept and 8 <= len(request_id) <= 100
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == request_id]
    assert mine and mine[-1]["path"] == "/healthz" and mine[-1]["status"] == 200
    assert all("SECRET" not in json.dumps(line) for line in lines)  # no query string in the log


def test_the_token_never_reaches_the_log(database_url, tmp_path, capsys, caplog):
    token = "s3cret-token-of-the-scraper"
    with caplog.at_level(logging.DEBUG), running_app(database_url, tmp_path, METRICS_TOKEN=token) as application:
        application.test_client().get("/metrics", environ_base=OUTSIDE, headers={"Authorization": f"Bearer {token}"})
    assert token not in capsys.readouterr().err
    assert all(token not in record.getMessage() for record in caplog.records)
