"""Absurd Host headers get 400, urlencoded bodies obey the form-memory cap, and no address a
request chooses reaches public output (issue 12, points 7 and 9)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import running_app
from tests.core.helpers import real_ids
from transparency.accounts import services as account_services

EVIL = "evil.example"


@pytest.mark.parametrize(
    "host",
    ["a" * 64 + ".example", "a..b", ".example", "ex ample", "exa<mple>", "example.com:99999", "x" * 300, "例子.com"],
)
def test_absurd_host_headers_get_400(app, host):
    response = app.test_client().get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Host" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "cunwu.example.gov.cn", "127.0.0.1:8000", "[::1]:80"])
def test_ordinary_hosts_pass(app, host):
    assert app.test_client().get("/", headers={"Host": host}).status_code == 200


def test_a_ten_megabyte_password_is_refused_with_413_before_hashing(app, world, monkeypatch):
    def no_hashing():
        raise AssertionError("the password reached the hasher")

    monkeypatch.setattr(account_services, "password_hasher", no_hashing)
    client = app.test_client()
    response = client.post(
        "/login",
        data=f"username=clerk-a&password={'x' * 10 * 1024 * 1024}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "超过了大小限制" in response.get_data(as_text=True)


def _public_outputs(app: Flask, ids: dict, host: str) -> dict[str, str]:
    client = app.test_client()
    headers = {"Host": host}
    code = "511399101201"
    return {
        "feed": client.get(f"/v/{code}/feed.atom", headers=headers).get_data(as_text=True),
        "matters": client.get("/api/v1/matters", headers=headers).get_data(as_text=True),
        "disclosure": client.get(f"/api/v1/disclosures/{ids['disclosure_id']}", headers=headers).get_data(as_text=True),
    }


def test_without_configuration_public_output_carries_no_host_from_the_request(app, world):
    ids = real_ids(app, world)
    outputs = _public_outputs(app, ids, EVIL)
    for name, body in outputs.items():
        assert EVIL not in body, name
    assert f'href="/d/{ids["disclosure_id"]}/v/1"' in outputs["feed"]  # relative instead
    assert json.loads(outputs["disclosure"])["url"] == f"/d/{ids['disclosure_id']}"


@pytest.fixture
def based_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, PUBLIC_BASE_URL="https://cunwu.example.gov.cn") as application:
        yield application


def test_public_base_url_makes_every_public_address_absolute(based_app, world):
    ids = real_ids(based_app, world)
    outputs = _public_outputs(based_app, ids, EVIL)
    assert f"https://cunwu.example.gov.cn/d/{ids['disclosure_id']}/v/1" in outputs["feed"]
    assert json.loads(outputs["disclosure"])["url"] == f"https://cunwu.example.gov.cn/d/{ids['disclosure_id']}"
    assert all(EVIL not in body for body in outputs.values())


@pytest.fixture
def listed_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, TRUSTED_HOSTS=["cunwu.example.gov.cn"]) as application:
        yield application


def test_with_an_allow_list_an_unknown_host_gets_400_and_a_listed_one_is_used(listed_app, world):
    ids = real_ids(listed_app, world)
    assert listed_app.test_client().get("/", headers={"Host": EVIL}).status_code == 400
    outputs = _public_outputs(listed_app, ids, "cunwu.example.gov.cn")
    assert json.loads(outputs["disclosure"])["url"] == f"http://cunwu.example.gov.cn/d/{ids['disclosure_id']}"


def test_receipts_and_printed_qr_codes_take_no_address_from_the_request(app, based_app):
    from transparency.printing.receipts import track_url

    with app.test_request_context("/", headers={"Host": EVIL}):
        assert track_url() == "/track"
    with based_app.test_request_context("/", headers={"Host": EVIL}):
        assert track_url() == "https://cunwu.example.gov.cn/track"
