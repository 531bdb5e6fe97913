"""The one personal-data gate, its form validator, and the masking every public output applies."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, TextAreaField

from transparency.core.forms import Form, NoPersonalData
from transparency.core.personal_data import (
    PersonalDataFound,
    id_check_digit,
    mask_personal_data,
    refuse_personal_data,
)

ID = "51139919800101123" + id_check_digit("51139919800101123")
MOBILE = "13812345678"


def test_the_gate_names_the_place_the_line_and_the_column():
    with pytest.raises(PersonalDataFound) as found:
        refuse_personal_data(f"第一行\n联系：{MOBILE}，身份证 {ID}", where="答复")
    assert found.value.messages == [
        "答复第 2 行第 4 个字符处有未遮盖的手机号",
        "答复第 2 行第 20 个字符处有未遮盖的身份证号",
    ]


@pytest.mark.parametrize("text", ["", "路灯坏了三个月", "凭证号 20250301001", "电话 138****5678", "金额 13800.00 元"])
def test_the_gate_lets_ordinary_text_and_masked_numbers_through(text):
    refuse_personal_data(text, where="答复")


def test_masking_keeps_four_digits_at_each_end_of_an_id_and_hides_the_middle_of_a_mobile():
    text = f"王某，身份证{ID}，手机{MOBILE}，卡号 6222 0212 3456 7890"
    masked_id = ID[:4] + "*" * 10 + ID[-4:]
    assert mask_personal_data(text) == f"王某，身份证{masked_id}，手机138****5678，卡号 ************7890"


def test_masking_leaves_digests_short_numbers_and_amounts_alone():
    # A SHA-256 printed in the audit pages may hold a run of digits that looks like a mobile.
    digest = "ab13812345678cd" + "0" * 49
    text = f"{digest} 凭证号 20250301001 金额 13800.00 元 2025-03-01 12:00"
    assert mask_personal_data(text) is text


def test_the_digits_of_a_decimal_fraction_are_not_a_card_or_a_phone():
    # A spreadsheet cell holds 0.69 as 0.6899999999999999: sixteen digits, but after a point.
    for text in ("0.6899999999999999", "面积 3.1391234567800 亩", "0.110105194912310022"):
        assert mask_personal_data(text) is text
        refuse_personal_data(text, where="表格")


class _Filing(Form):
    class Meta:
        csrf = False

    body = TextAreaField("详细情况", validators=[NoPersonalData("电话请填在“电话”栏", only_if="public")])
    public = BooleanField()
    reason = TextAreaField("更正理由", validators=[NoPersonalData()])


def test_the_validator_uses_the_label_for_staff_and_the_plain_message_for_villagers(app):
    with app.test_request_context():
        form = _Filing(MultiDict({"body": f"我的电话{MOBILE}", "public": "y", "reason": f"身份证{ID}写错"}))
        assert not form.validate()
        assert form.body.errors == ["电话请填在“电话”栏"]
        assert form.reason.errors == ["更正理由第 1 行第 4 个字符处有未遮盖的身份证号"]
        assert form.body.data == f"我的电话{MOBILE}"  # what was typed is kept


def test_the_validator_lets_a_private_text_through(app):
    with app.test_request_context():
        form = _Filing(MultiDict({"body": f"我的电话{MOBILE}", "reason": "金额算错"}))
        assert form.validate(), form.errors
