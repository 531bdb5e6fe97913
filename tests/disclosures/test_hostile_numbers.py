"""Hostile numbers, dates and ids in disclosures: absurd amounts and periods, foreign villages.
Every one gets a clear answer, none a 500 (TESTING propagates exceptions, so a crash fails the test)."""

from __future__ import annotations

import re

from tests.conftest import login_as
from tests.core.hostile import FINANCE_FORM, MEETING_DAY, count, error_messages, parse, png_bytes
from tests.disclosures.helpers import draft_ledger, ledger_content, publish_ledger
from tests.disclosures.samples import COMPENSATION_FORM, SUBSIDY_FORM
from transparency.accounts.models import Role
from transparency.core.db import db
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus

ABSURD_AMOUNTS = [
    ("rows-0-income", "1e20", "金额格式不对"),
    ("rows-0-income", "1E5", "金额格式不对"),
    ("rows-1-expense", "-123.45", "金额不能为负数"),
    ("rows-0-income", "1,2,3", "金额格式不对"),
    ("rows-0-income", "¥abc", "金额格式不对"),
    ("rows-0-income", "99999999999999999999", "金额过大"),
    ("rows-0-income", "9" * 5000, "金额过大"),
    ("rows-0-income", "0x1F", "金额格式不对"),
    ("rows-0-income", "12.345", "最多两位小数"),
    ("rows-0-income", "1_000", "金额格式不对"),
    ("opening_balance", "NaN", "金额格式不对"),
    ("opening_balance", "Infinity", "金额格式不对"),
    ("opening_balance", "-1e400", "金额格式不对"),
    ("closing_balance", "--5", "金额格式不对"),
    ("closing_balance", "1 000", "金额格式不对"),
]


def test_absurd_amounts_get_a_field_message_and_keep_what_was_typed(app, world):
    clerk = login_as(app, "clerk-a")
    for field, value, message in ABSURD_AMOUNTS:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, field: value})
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert message in error_messages(page), value
        inputs = {attrs.get("name"): attrs.get("value") for tag, attrs in parse(page).tags if tag == "input"}
        assert inputs[field] == value
    assert count(app, Disclosure) == 0


ABSURD_SUBSIDY_NUMBERS = [
    ("rows-0-basis_hundredths", "-1", "不小于 0"),
    ("rows-0-basis_hundredths", "1e9", "不小于 0"),
    ("rows-0-basis_hundredths", "9" * 300, "不小于 0"),
    ("rows-0-amount", "NaN", "金额格式不对"),
    ("rows-0-rate", "-105.32", "金额不能为负数"),
    ("totals-0-declared_total", "1e20", "金额格式不对"),
    ("rows-0-id_number", "' OR 1=1 --", "身份证号"),
    ("rows-0-id_number", "110105194912310021", "校验码"),
]


def test_absurd_numbers_in_a_subsidy_list_get_a_field_message(app, world):
    clerk = login_as(app, "clerk-a")
    for field, value, message in ABSURD_SUBSIDY_NUMBERS:
        response = clerk.post("/manage/new/subsidy", {**SUBSIDY_FORM, field: value})
        assert response.status_code == 422, value
        assert message in error_messages(response.get_data(as_text=True)), value
    assert count(app, Disclosure) == 0


ABSURD_DATES = [
    ("1025-01-01", "日期应在"),
    ("9999-12-31", "日期应在"),
    ("2525-01-01", "日期应在"),
    ("1989-12-31", "日期应在"),
    ("2025-02-30", "日期格式不对"),
    ("2025-13-01", "日期格式不对"),
    ("0000-00-00", "日期格式不对"),
    ("100000000000000000000-01-01", "日期格式不对"),
    ("2025-01-01-01", "日期格式不对"),
    ("-2025-01-01", "日期格式不对"),
    ("yesterday", "日期格式不对"),
    ("2025年2月29日", "日期格式不对"),
]


def test_dates_centuries_away_or_impossible_get_a_field_message(app, world):
    clerk = login_as(app, "clerk-a")
    for value, message in ABSURD_DATES:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "rows-0-entry_date": value})
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert message in error_messages(page), value
        assert any(tag == "input" and attrs.get("value") == value for tag, attrs in parse(page).tags), value
    assert count(app, Disclosure) == 0


ABSURD_PERIODS = [
    ({"year": "1025"}, "应填 1990 到 2100 之间的整数"),
    ({"year": "99999999999999999999"}, "应填 1990 到 2100 之间的整数"),
    ({"year": "1e5"}, "应填 1990 到 2100 之间的整数"),
    ({"year": "-2025"}, "应填 1990 到 2100 之间的整数"),
    ({"number": "13"}, "应填 1 到 12 之间的整数"),
    ({"number": "0"}, "应填 1 到 12 之间的整数"),
    ({"number": "5"}, "季度的序号应在 1 到 4 之间"),
    ({"period_kind": "day", "day": "9999-12-31"}, "日期应在"),
    ({"period_kind": "day", "day": "2025-02-30"}, "日期格式不对"),
    ({"period_kind": "century"}, "不是有效的选择"),
]


def test_absurd_periods_get_a_message(app, world):
    clerk = login_as(app, "clerk-a")
    for changes, message in ABSURD_PERIODS:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, **changes})
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert count(app, Disclosure) == 0


def test_compensation_with_absurd_dates_and_areas_gets_field_messages(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post(
        "/manage/new/land_compensation",
        {
            **COMPENSATION_FORM,
            "rows-0-paid_on": "9999-12-31",
            "rows-0-area_hundredths": "-3",
            "compensation_received": "1e20",
        },
    )
    assert response.status_code == 422
    messages = error_messages(response.get_data(as_text=True))
    assert "日期应在" in messages and "不小于 0" in messages and "金额格式不对" in messages
    assert count(app, Disclosure) == 0


def test_hostile_attachment_ids_to_remove_never_crash(app, world):
    with app.app_context():
        version = services.start_disclosure(
            db.session,
            actor=world.accounts["clerk_a"],
            village=world.village_a,
            category=Category.FINANCE,
            period_kind=PeriodKind.DAY,
            period_start=MEETING_DAY,
            period_end=MEETING_DAY,
            content=ledger_content(),
            files=[UploadedFile(filename="收据.png", data=png_bytes())],
        )
        db.session.commit()
        version_id = version.id
    clerk = login_as(app, "clerk-a")
    form = {k: v for k, v in FINANCE_FORM.items() if k not in ("period_kind", "year", "number")}
    with app.app_context():
        (attachment,) = db.session.get(DisclosureVersion, version_id).attachments
        own_id = attachment.id
    for value in ("²", "9" * 5000, "-1", "1; DROP TABLE attachment", "0x1", "1e0", str(own_id + 1)):
        response = clerk.post(f"/manage/versions/{version_id}/edit", {**form, "remove_attachments": value})
        assert response.status_code == 422, value  # not one of this version's attachments
    with app.app_context():
        assert len(db.session.get(DisclosureVersion, version_id).attachments) == 1
    response = clerk.post(f"/manage/versions/{version_id}/edit", {**form, "remove_attachments": str(own_id)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).attachments == []


# Accounts of the right role but the wrong village or township.
FOREIGN = {Role.CLERK: "clerk-b", Role.REVIEWER: "reviewer-b", Role.INSPECTOR: "other-inspector"}


def test_foreign_village_ids_in_every_manage_url_answer_403_with_a_message(app, world):
    with app.app_context():
        submitted = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=submitted)
        published = publish_ledger(world)
        values = {"version_id": submitted.id, "disclosure_id": published.disclosure_id, "code": world.village_a.code}
    browsers = {role: login_as(app, username) for role, username in FOREIGN.items()}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage") or not rule.arguments & set(values):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(r"<(?:[^:<>]+:)?" + name + ">", str(values[name]), path)
        access = app.view_functions[rule.endpoint].access
        for role, browser in browsers.items():
            if role not in access:
                continue
            for method in ("GET", "POST"):
                if method not in rule.methods:
                    continue
                response = browser.get(path) if method == "GET" else browser.post(path, {"reason": "更正理由写在这里"})
                page = response.get_data(as_text=True)
                assert response.status_code == 403, (method, path, role)
                assert "只能" in page or "辖区" in page, (method, path, role)
                checked += 1
    assert checked >= 9
    with app.app_context():
        assert db.session.get(DisclosureVersion, submitted.id).status is VersionStatus.SUBMITTED
        assert len(db.session.get(Disclosure, published.disclosure_id).versions) == 1


def test_unknown_category_is_404(app, world):
    client = app.test_client()
    clerk = login_as(app, "clerk-a")
    assert client.get(f"/v/{world.village_a.code}/finance").status_code == 200
    for category in ("nonsense", "FINANCE", "Finance", "finance%20", "%3Cscript%3E", "__class__", "label", "%ff"):
        assert client.get(f"/v/{world.village_a.code}/{category}").status_code == 404, category
        assert clerk.get(f"/manage/new/{category}").status_code == 404, category
