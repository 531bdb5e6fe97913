"""ID numbers are checked and masked; phones masked; personal numbers in free text are found."""

import pytest

from transparency.core.personal_data import (
    InvalidIdNumber,
    find_personal_data,
    id_check_digit,
    mask_id_number,
    mask_phone,
    validate_id_number,
)

VALID = "11010519491231002X"  # the standard's own example


def test_valid_id_number_with_x_check_digit():
    assert validate_id_number("11010519491231002x") == VALID


def test_current_county_codes_are_accepted():
    # Codes newer than stdnum's county table must not be refused.
    first = "51132119800101123"
    assert validate_id_number(first + id_check_digit(first)) == first + id_check_digit(first)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验码"),  # one digit changed
        ("11010519491231002", "18 位"),
        ("1101051949123100XX", "18 位"),
        ("990105194912310028", "省份"),
        ("110105194913310029", "出生日期"),  # month 13
        ("110105290012310025", "出生日期"),  # born in 2900
    ],
)
def test_invalid_id_numbers_are_refused_with_a_reason(number, message):
    with pytest.raises(InvalidIdNumber, match=message):
        validate_id_number(number)


def test_every_single_digit_typo_is_caught():
    for position in range(17):
        for digit in "0123456789":
            if digit == VALID[position]:
                continue
            typo = VALID[:position] + digit + VALID[position + 1 :]
            try:
                validate_id_number(typo)
            except InvalidIdNumber:
                continue
            pytest.fail(f"typo at {position} accepted: {typo}")


def test_masks():
    assert mask_id_number("320102198001011234") == "3201**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number(None) == "" and mask_phone("") == ""


def test_finds_unmasked_numbers_with_their_position():
    text = "联系人张三\n电话 13812345678，身份证 11010519491231002X\n卡号 6222 0212 3456 7890 123"
    findings = find_personal_data(text)
    assert [(f.kind, f.line, f.column) for f in findings] == [
        ("手机号", 2, 4),
        ("身份证号", 2, 20),
        ("银行卡号或账号", 3, 4),
    ]
    assert findings[0].describe("正文") == "正文第 2 行第 4 个字符处有未遮盖的手机号"


def test_masked_numbers_and_ordinary_figures_pass():
    assert find_personal_data("3201**********1234 138****5678 金额 12345.67 元，凭证 2501-003，面积 1200 亩") == []
