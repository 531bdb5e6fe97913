"""/api/v1: what it returns, its bounds, JSON errors; and schemathesis against the running app."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.disclosures.helpers import draft_ledger, publish_ledger
from tests.disclosures.samples import ID_A, SUBSIDY_FORM
from tests.disclosures.test_tables import _publish
from transparency.core.db import db
from transparency.disclosures import services


def _published_with_correction(app, world) -> int:
    with app.app_context():
        version = publish_ledger(world)
        correction = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason="更正一笔支出"
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=correction)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=correction, signed_name="李德华")
        draft_ledger(world, village=world.village_b, clerk="clerk_b")  # a draft: never in the API
        db.session.commit()
        return version.disclosure_id


def test_areas_tree(client, world):
    tree = client.get("/api/v1/areas").get_json()["areas"]
    assert tree[0]["code"] == world.county.code
    assert [t["name"] for t in tree[0]["children"]] == ["石桥镇", "柳林乡"]
    assert tree[0]["children"][0]["children"][0] == {"code": "511399101201", "name": "石桥村", "level": "village"}


def test_list_filters_pages_and_hides_drafts(app, client, world):
    disclosure_id = _published_with_correction(app, world)
    body = client.get("/api/v1/disclosures").get_json()
    assert (body["total"], body["page"], body["limit"], body["pages"]) == (1, 1, 20, 1)
    item = body["items"][0]
    assert item["id"] == disclosure_id and item["current_version"] == 2
    assert item["period"] == {"kind": "quarter", "start": "2025-01-01", "end": "2025-03-31", "label": "2025年第1季度"}
    assert client.get(f"/api/v1/disclosures?village={world.village_b.code}").get_json()["total"] == 0
    assert client.get(f"/api/v1/disclosures?township={world.township.code}").get_json()["total"] == 1
    assert client.get("/api/v1/disclosures?category=subsidy").get_json()["total"] == 0
    assert client.get("/api/v1/disclosures?period_from=2025-04-01").get_json()["total"] == 0
    assert client.get("/api/v1/disclosures?period_to=2025-01-31").get_json()["total"] == 1
    assert client.get("/api/v1/disclosures?page=2&limit=1").get_json()["items"] == []


def test_a_listed_disclosure_shows_its_newest_published_version_and_its_places(app, client, world):
    with app.app_context():
        version = publish_ledger(world)
        services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason="更正一笔支出"
        )  # a correction still in draft: the list keeps showing version 1
        db.session.commit()
        disclosure_id, title = version.disclosure_id, version.title
    (item,) = client.get("/api/v1/disclosures").get_json()["items"]
    assert (item["id"], item["current_version"], item["title"]) == (disclosure_id, 1, title)
    assert item["village"] == {"code": world.village_a.code, "name": world.village_a.name, "level": "village"}
    assert item["township"] == {"code": world.township.code, "name": world.township.name, "level": "township"}
    assert item["url"].endswith(f"/d/{disclosure_id}")


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "page=0",
        "page=10001",
        "page=x",
        "category=bribes",
        "village=123",
        "period_from=2025-13-01",
    ],
)
def test_out_of_bounds_parameters_are_a_json_400(client, world, query):
    response = client.get(f"/api/v1/disclosures?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["status"] == 400


def test_a_disclosure_with_its_versions_and_rows(app, client, world):
    disclosure_id = _published_with_correction(app, world)
    body = client.get(f"/api/v1/disclosures/{disclosure_id}").get_json()
    assert [(v["number"], v["correction_reason"]) for v in body["versions"]] == [(1, None), (2, "更正一笔支出")]
    assert body["current"]["opening_balance"] == "1000.00"
    assert body["current"]["ledger"][1]["expense"] == "123.45"
    first = client.get(f"/api/v1/disclosures/{disclosure_id}/versions/1").get_json()
    assert first["number"] == 1 and first["disclosure"]["id"] == disclosure_id
    for missing in (f"/api/v1/disclosures/{disclosure_id}/versions/3", "/api/v1/disclosures/999", "/api/v1/nothing"):
        response = client.get(missing)
        assert response.status_code == 404 and response.get_json() == {"error": "找不到页面", "status": 404}


def test_ids_are_masked_as_on_the_public_page(app, client, world):
    _version_id, url = _publish(app, "subsidy", SUBSIDY_FORM)
    body = client.get(f"/api/v1/disclosures/{url.rsplit('/', 1)[-1]}").get_data(as_text=True)
    assert "1101**********002X" in body and ID_A not in body


def test_statistics_count_published_notices_per_village(app, client, world):
    _published_with_correction(app, world)
    assert client.get("/api/v1/statistics").get_json() == {
        "villages": [
            {
                "village": {"code": "511399101201", "name": "石桥村", "level": "village"},
                "township": {"code": "511399101000", "name": "石桥镇", "level": "township"},
                "published": 1,
                "by_category": {"finance": 1},
            }
        ]
    }


def test_other_capabilities_add_their_paths_to_the_one_document(client):
    from transparency.api.openapi import add_path, document

    add_path("/api/v1/example", {"get": {"responses": {"200": {"description": "ok"}}}})
    try:
        assert "/api/v1/example" in document()["paths"]
        assert "/api/v1/disclosures" in client.get("/api/v1/openapi.json").get_json()["paths"]
    finally:
        from transparency.api import openapi

        openapi._paths.pop("/api/v1/example")


def test_the_api_conforms_to_its_openapi_document(app, world):
    """Schemathesis generates requests from the document and calls the application: no 500s,
    every status, content type and body as documented."""
    _published_with_correction(app, world)
    _publish(app, "subsidy", SUBSIDY_FORM)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case) -> None:
            case.call_and_validate()

        call()
        tested.append(operation.label)
    assert "GET /api/v1/disclosures/{disclosure_id}/versions/{number}" in tested
    assert len(tested) >= 5  # every operation (the document's own path is left to the test above)
