"""Subsidy lists and land-compensation tables through the forms; masking on public pages."""

from __future__ import annotations

import re

from tests.conftest import login_as
from tests.disclosures.helpers import version_id_from
from tests.disclosures.samples import COMPENSATION_FORM, ID_A, ID_B, LEDGER_FORM, SUBSIDY_FORM


def _publish(app, category, form):
    clerk = login_as(app, "clerk-a")
    response = clerk.post(f"/manage/new/{category}", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    version_id = version_id_from(response)
    submitted = clerk.post(f"/manage/versions/{version_id}/submit")
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    reviewer = login_as(app, "reviewer-a")
    approved = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华"})
    assert approved.status_code == 302
    return version_id, approved.headers["Location"]


def test_subsidy_list_masks_ids_in_public_and_shows_them_to_the_villages_staff(app, world):
    version_id, public_url = _publish(app, "subsidy", SUBSIDY_FORM)
    public = app.test_client().get(public_url).get_data(as_text=True)
    assert "1101**********002X" in public and "5113**********1234" in public
    assert ID_A not in public and ID_B not in public
    assert "¥1,579.80" in public and "¥3,060.00" in public
    clerk_view = login_as(app, "clerk-a").get(f"/manage/versions/{version_id}").get_data(as_text=True)
    assert ID_A in clerk_view
    inspector_view = login_as(app, "inspector").get(f"/manage/versions/{version_id}").get_data(as_text=True)
    assert ID_A in inspector_view
    assert login_as(app, "clerk-b").get(f"/manage/versions/{version_id}").status_code == 403


def test_invalid_id_number_is_a_field_error(app, world):
    form = {**SUBSIDY_FORM, "rows-0-id_number": "110105194912310021"}
    response = login_as(app, "clerk-a").post("/manage/new/subsidy", form)
    assert response.status_code == 422
    assert "校验码不对" in response.get_data(as_text=True)


def test_subsidy_totals_must_match_on_submit(app, world):
    clerk = login_as(app, "clerk-a")
    version_id = version_id_from(
        clerk.post("/manage/new/subsidy", {**SUBSIDY_FORM, "totals-1-declared_total": "3,000"})
    )
    page = clerk.post(f"/manage/versions/{version_id}/submit").get_data(as_text=True)
    assert "“最低生活保障金”名单合计 ¥3,060.00，申报合计 ¥3,000.00，相差 ¥60.00" in page


def test_compensation_must_balance_and_shows_totals(app, world):
    clerk = login_as(app, "clerk-a")
    version_id = version_id_from(
        clerk.post("/manage/new/land_compensation", {**COMPENSATION_FORM, "retained_by_collective": "12,100"})
    )
    page = clerk.post(f"/manage/versions/{version_id}/submit").get_data(as_text=True)
    assert "相差 -¥1,000.00" in page
    _, public_url = _publish(app, "land_compensation", COMPENSATION_FORM)
    public = app.test_client().get(public_url).get_data(as_text=True)
    assert "¥86,900.00" in public and "收支相符" in public and "未发放" in public
    rates = public[public.index('data-testid="compensation-rates"') :]
    assert "土地补偿标准</dt><dd>¥38,000.00 / 亩" in rates and "青苗补偿标准</dt><dd>¥1,500.00 / 亩" in rates
    assert "安置补助标准" not in rates.split("</dl>")[0] and 'data-testid="rates-check"' in public


def test_compensation_rows_must_be_area_times_rate_on_submit(app, world):
    clerk = login_as(app, "clerk-a")
    form = {**COMPENSATION_FORM, "rows-1-land_amount": "39,000", "retained_by_collective": "12,100"}
    version_id = version_id_from(clerk.post("/manage/new/land_compensation", form))
    page = clerk.post(f"/manage/versions/{version_id}/submit").get_data(as_text=True)
    assert "分配明细第 2 行土地补偿：面积 × 标准 = ¥38,000.00，与填写的 ¥39,000.00 相差 ¥1,000.00" in page
    no_rate = {**COMPENSATION_FORM, "crop_rate": ""}
    version_id = version_id_from(clerk.post("/manage/new/land_compensation", no_rate))
    page = clerk.post(f"/manage/versions/{version_id}/submit").get_data(as_text=True)
    assert "请填写青苗补偿标准（元/亩）" in page


def test_unmasked_numbers_in_free_text_block_submission_and_say_where(app, world):
    clerk = login_as(app, "clerk-a")
    form = {
        **LEDGER_FORM,
        "body": "本期收支如下。\n有疑问请联系会计 13812345678",
        "rows-1-summary": "退还押金至 6222021234567890123",
    }
    version_id = version_id_from(clerk.post("/manage/new/finance", form))
    response = clerk.post(f"/manage/versions/{version_id}/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "正文第 2 行第 10 个字符处有未遮盖的手机号" in page
    assert re.search("明细第 2 行“摘要”中有未遮盖的银行卡号或账号", page)
