"""The cleaning filter is added per binding, not stacked on the shared class-level field."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from transparency.disclosures.forms import LedgerRowForm


def test_building_a_form_many_times_keeps_one_cleaning_filter(app):
    with app.test_request_context():
        for _ in range(50):
            form = LedgerRowForm(formdata=MultiDict({"summary": "购买\u200b办公用品\x00"}))
        assert form.summary.data == "购买办公用品"
        assert len(form.summary.filters) == 1
        assert "filters" not in LedgerRowForm.summary.kwargs


def test_row_forms_speak_chinese_for_wtforms_own_messages(app):
    with app.test_request_context():
        form = LedgerRowForm(formdata=MultiDict({"entry_date": "2025-01-05", "voucher_no": "9" * 31}))
        form.validate()
    assert form.voucher_no.errors == ["字段长度不能超过 30 个字符。"]
