"""Personal data: validating and masking ID and phone numbers, and finding them in free text.

DESIGN.md: ID numbers and phone numbers are masked everywhere public
(3201**********1234, 138****5678); bank or card account numbers are never published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from stdnum.iso7064 import mod_11_2

from transparency.core import clock

# No number starts right after a decimal point: the digits of 0.6899999999999999 are a fraction.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z.])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")
# 16–19 digits, optionally grouped by spaces or dashes in fours (as cards are written).
_CARD_IN_TEXT = re.compile(r"(?<![\d.-])(?:\d[ -]?){15,18}\d(?![\d-])")


# First two digits: the province-level division (GB/T 2260). stdnum's own table of
# counties is decades old and rejects real current codes, so only the province is checked.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


class InvalidIdNumber(ValueError):
    """Not a valid 18-digit resident identity number (居民身份证号码)."""


def validate_id_number(value: str) -> str:
    """Return the canonical 18-character form, or raise InvalidIdNumber with a message.

    Checks the format, the province code, the birth date and the ISO 7064 MOD 11-2 check digit.
    """
    compact = value.strip().replace(" ", "").upper()
    if not re.fullmatch(r"\d{17}[0-9X]", compact):
        raise InvalidIdNumber(_("身份证号应为 18 位，最后一位可以是数字或 X"))
    if compact[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(_("身份证号前两位不是有效的省份代码"))
    try:
        born = dt.date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
    except ValueError:
        raise InvalidIdNumber(_("身份证号中的出生日期不存在，请核对第 7 到 14 位")) from None
    if not dt.date(1900, 1, 1) <= born <= clock.today():
        raise InvalidIdNumber(_("身份证号中的出生日期不对，请核对第 7 到 14 位"))
    if not mod_11_2.is_valid(compact):
        raise InvalidIdNumber(_("身份证号最后一位校验码不对，可能有一位数字输错了"))
    return compact


def is_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except InvalidIdNumber:
        return False
    return True


def id_check_digit(first_17: str) -> str:
    """The 18th character for 17 leading digits (used to make valid demo numbers)."""
    return mod_11_2.calc_check_digit(first_17)


def mask_id_number(value: str | None) -> str:
    """3201**********1234: first four and last four digits stay."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


@dataclass(frozen=True)
class Finding:
    kind: str  # 身份证号 / 手机号 / 银行卡号
    line: int
    column: int

    def describe(self, where: str) -> str:
        return _(
            "%(where)s第 %(line)s 行第 %(column)s 个字符处有未遮盖的%(kind)s",
            where=where,
            line=self.line,
            column=self.column,
            kind=self.kind,
        )


def find_personal_data(text: str) -> list[Finding]:
    """Unmasked ID numbers, mobile numbers and bank-card numbers in free text, with positions."""
    findings: list[Finding] = []
    for line_no, line in enumerate(text.splitlines() or [text], start=1):
        taken: list[range] = []
        for match in _ID_IN_TEXT.finditer(line):
            if is_id_number(match.group()):
                findings.append(Finding(_("身份证号"), line_no, match.start() + 1))
                taken.append(range(match.start(), match.end()))
        for match in _CARD_IN_TEXT.finditer(line):
            # Bank account numbers carry no check digit of their own: any long run is refused.
            if not any(match.start() in r for r in taken):
                findings.append(Finding(_("银行卡号或账号"), line_no, match.start() + 1))
                taken.append(range(match.start(), match.end()))
        for match in _MOBILE_IN_TEXT.finditer(line):
            if not any(match.start() in r for r in taken):
                findings.append(Finding(_("手机号"), line_no, match.start() + 1))
    return sorted(findings, key=lambda f: (f.line, f.column))


class PersonalDataFound(ValueError):
    """Free text that would be shown publicly holds an unmasked ID, mobile or card number.

    `messages` name each place (the same words the disclosure checks use).
    """

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


def refuse_personal_data(text: str | None, *, where: str) -> None:
    """The one gate for every text a person types that can become public.

    Raises PersonalDataFound naming `where` and the line and column of each number found.
    """
    findings = find_personal_data(text or "")
    if findings:
        raise PersonalDataFound([finding.describe(where) for finding in findings])


# For masking output the numbers must also stand apart from ASCII letters, so that digests
# and other hexadecimal strings printed publicly are never rewritten.
_ID_TO_MASK = re.compile(r"(?<![0-9A-Za-z.])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_TO_MASK = re.compile(r"(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])")
_CARD_TO_MASK = re.compile(r"(?<![0-9A-Za-z.-])(?:\d[ -]?){15,18}\d(?![0-9A-Za-z-])")
# What each of the three needs at least (11 digits in a row, or a card's run): a text without it
# is left as it is, found by one search in C instead of three substitutions (public pages print
# thousands of short texts).
_MAYBE_MASKED = re.compile(r"\d{11}|(?:\d[ -]?){15,18}\d")


def _mask_id_match(match: re.Match[str]) -> str:
    return mask_id_number(match.group()) if is_id_number(match.group()) else match.group()


def _mask_card_match(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "*" * (len(digits) - 4) + digits[-4:]


def may_need_masking(text: str) -> bool:
    """Whether `text` has a run of digits long enough for `mask_personal_data` to change it; when
    not, `mask_personal_data(text)` is `text` itself (one search in C, for callers that would
    otherwise do more work per text than masking costs); when so, it may still be left alone."""
    return bool(text) and _MAYBE_MASKED.search(text) is not None


def mask_personal_data(text: str) -> str:
    """The text with every valid ID number, mobile number and card-like run of digits masked.

    The second line of defence at the public edges: applied to texts stored before the gate
    existed, or that reached the database around it. Returns `text` itself when nothing changes.
    """
    if not may_need_masking(text) or not any("0" <= ch <= "9" for ch in text):
        return text
    masked = _ID_TO_MASK.sub(_mask_id_match, text)
    masked = _CARD_TO_MASK.sub(_mask_card_match, masked)
    masked = _MOBILE_TO_MASK.sub(lambda m: mask_phone(m.group()), masked)
    return text if masked == text else masked
