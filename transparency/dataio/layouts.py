"""How each table looks in a spreadsheet: Chinese headers, the fields above the table, examples.

One layout per table type (财务收支明细账, 惠农补贴名单, 征地补偿分配表). The same layout
reads a clerk's upload, writes the blank template and writes the public download, so a
downloaded table has the shape an upload expects.

A sheet is: optional label/value lines (标题, 期初余额 …), then the header row, then one
line per row. Headers are matched loosely (spaces, full-width brackets, units in brackets
and a trailing * are ignored) and by the usual synonyms accountants use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transparency.disclosures.content import CompensationLine, LedgerLine, SubsidyLine
from transparency.disclosures.drafting import compensation_line, ledger_line, subsidy_line
from transparency.disclosures.forms import (
    CompensationForm,
    CompensationRowForm,
    DisclosureForm,
    FinanceForm,
    LedgerRowForm,
    RowForm,
    SubsidyForm,
    SubsidyRowForm,
)
from transparency.disclosures.models import Category

# Columns that must never reach a public page (DESIGN.md: bank or card account numbers are
# never published). A file carrying one is refused as a whole, not silently trimmed.
FORBIDDEN_HEADER_PARTS = ("银行卡", "卡号", "账号", "帐号", "银行账户", "存折", "开户行", "社保卡")


@dataclass(frozen=True)
class Column:
    key: str  # the row form's field name
    header: str  # as written in the template
    example: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    width: int = 14
    personal_id: bool = False  # masked in public downloads
    # False: read on import only and never written out (征地补偿's ID number, kept as a 查我家 key).
    published: bool = True


@dataclass(frozen=True)
class Field:
    """A value above the table: label in the first column, value in the second."""

    key: str
    label: str
    example: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    category: Category
    name: str  # the table's name, also the sheet's title
    form: type[DisclosureForm]  # the web page's form of this category: the fields above the table obey it
    row_form: type[RowForm]
    columns: tuple[Column, ...]
    fields: tuple[Field, ...]
    to_line: Callable[[Any], Any]
    # 惠农补贴: one "项目合计 | program | amount" line per program above the table.
    has_program_totals: bool = False

    @property
    def published_columns(self) -> tuple[Column, ...]:
        """The columns a published version's downloads carry."""
        return tuple(c for c in self.columns if c.published)

    def column_for(self, header: Any) -> Column | None:
        wanted = normalise_header(header)
        return next((c for c in self.columns if wanted in {normalise_header(n) for n in (c.header, *c.aliases)}), None)

    def field_for(self, label: Any) -> Field | None:
        wanted = normalise_header(label)
        return next(
            (f for f in COMMON_FIELDS + self.fields if wanted in {normalise_header(n) for n in (f.label, *f.aliases)}),
            None,
        )


PROGRAM_TOTAL_LABEL = "项目合计"

COMMON_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "2025年第1季度财务收支明细", ("公开标题",)),
    Field("body", "说明", "", ("正文", "备注说明")),
)

LEDGER = Layout(
    category=Category.FINANCE,
    form=FinanceForm,
    name="财务收支明细账",
    row_form=LedgerRowForm,
    columns=(
        Column("entry_date", "日期", "2025-01-05", ("记账日期", "凭证日期", "发生日期"), width=12),
        Column("voucher_no", "凭证号", "记-001", ("凭证编号", "凭证字号", "凭证号码"), width=10),
        Column("account", "会计科目", "补助收入", ("科目", "科目名称")),
        Column("summary", "摘要", "上级拨付村级组织运转经费", ("内容", "事由"), width=30),
        Column("income", "收入（元）", "5000.00", ("收入金额",), required=False),
        Column("expense", "支出（元）", "", ("支出金额",), required=False),
    ),
    fields=(
        Field("opening_balance", "期初余额（元）", "10000.00", ("上期结余", "期初结余")),
        Field("closing_balance", "期末余额（元）", "15000.00", ("本期结余", "期末结余")),
        Field("carry_over_reason", "期初与上期期末不符的原因", "", ("期初不符原因",)),
    ),
    to_line=ledger_line,
)

SUBSIDY = Layout(
    category=Category.SUBSIDY,
    form=SubsidyForm,
    name="惠农补贴发放名单",
    row_form=SubsidyRowForm,
    columns=(
        Column("program", "补贴项目", "耕地地力保护补贴", ("项目", "补贴类别", "补贴名称"), width=18),
        Column("recipient", "姓名", "王建国", ("领取人", "享受人", "补贴对象"), width=10),
        Column(
            "id_number",
            "身份证号",
            "11010519491231002X",
            ("身份证号码", "公民身份号码", "身份证"),
            required=False,
            width=20,
            personal_id=True,
        ),
        Column("household", "户主/户号", "王建国户", ("户主", "户号", "户名"), width=12),
        Column("basis_hundredths", "数量", "15", ("面积", "人数", "补贴面积", "计补面积"), width=8),
        Column("basis_unit", "单位", "亩", ("计量单位",), width=6),
        Column("rate", "标准（元/单位）", "105.32", ("标准", "补贴标准", "单价"), required=False, width=10),
        Column("amount", "金额（元）", "1579.80", ("发放金额", "补贴金额", "金额"), width=12),
    ),
    fields=(),
    to_line=subsidy_line,
    has_program_totals=True,
)

COMPENSATION = Layout(
    category=Category.LAND_COMPENSATION,
    form=CompensationForm,
    name="征地补偿分配表",
    row_form=CompensationRowForm,
    columns=(
        Column("household", "户主", "王建国户", ("户名", "被征地户", "姓名"), width=12),
        Column("parcel", "地块", "三组 01 号", ("地块编号", "地块名称"), width=12),
        Column("area_hundredths", "面积（亩）", "1.2", ("征地面积", "面积"), width=10),
        Column("land_amount", "土地补偿（元）", "45600.00", ("土地补偿费",), required=False),
        Column("crop_amount", "青苗补偿（元）", "1800.00", ("青苗补偿费", "青苗费"), required=False),
        Column("relocation_amount", "安置补助（元）", "0", ("安置补助费",), required=False),
        Column("paid_on", "发放日期", "2026-05-10", ("兑付日期", "支付日期"), required=False, width=12),
        Column(
            "id_number",
            "户主身份证号",
            "11010519491231002X",
            ("身份证号", "身份证号码", "公民身份号码", "身份证"),
            required=False,
            width=20,
            personal_id=True,
            published=False,
        ),
    ),
    fields=(
        Field("project_name", "征地项目名称", "G318 国道改线工程", ("项目名称", "征地项目")),
        Field("compensation_received", "收到补偿款总额（元）", "57400.00", ("补偿款总额", "收到补偿款")),
        Field("retained_by_collective", "集体留存金额（元）", "10000.00", ("集体留存", "留存金额")),
        Field("land_rate", "土地补偿标准（元/亩）", "38000.00", ("土地补偿标准", "土地补偿费标准")),
        Field("crop_rate", "青苗补偿标准（元/亩）", "1500.00", ("青苗补偿标准", "青苗费标准")),
        Field("relocation_rate", "安置补助标准（元/亩）", "", ("安置补助标准", "安置补助费标准")),
    ),
    to_line=compensation_line,
)

LAYOUTS = {layout.category: layout for layout in (LEDGER, SUBSIDY, COMPENSATION)}
LINE_TYPES = {Category.FINANCE: LedgerLine, Category.SUBSIDY: SubsidyLine, Category.LAND_COMPENSATION: CompensationLine}

_UNIT_IN_BRACKETS = re.compile(r"\([^()]*\)$")


def normalise_header(text: Any) -> str:
    """'  收入（元）* ' → '收入': width-folded, no spaces, no unit in brackets, no required mark."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = re.sub(r"\s+", "", folded).rstrip("*:：")
    return _UNIT_IN_BRACKETS.sub("", folded) or folded


def is_forbidden_header(text: Any) -> bool:
    header = normalise_header(text)
    return any(part in header for part in FORBIDDEN_HEADER_PARTS)


def is_program_total_label(text: Any) -> bool:
    return normalise_header(text) in (PROGRAM_TOTAL_LABEL, "合计")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet program names columns)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
