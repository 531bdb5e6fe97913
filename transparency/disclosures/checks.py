"""What must hold before a version may be submitted or published.

The numbers must add up (DESIGN.md: a ledger that does not reconcile cannot be published)
and no unmasked personal number may hide in free text. Each problem names the row or
total and, for money, the difference.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _

from transparency.core.money import format_yuan
from transparency.core.personal_data import find_personal_data
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.models import Category


def ledger_problems(opening: int | None, rows: Sequence[Any], closing: int | None) -> list[str]:
    """Opening + income − expense must equal closing; each row is income or expense, not both."""
    problems = []
    if opening is None:
        problems.append(_("请填写期初余额"))
    if closing is None:
        problems.append(_("请填写期末余额"))
    if not rows:
        problems.append(_("明细账至少要有一行"))
    for number, row in enumerate(rows, start=1):
        if row.income and row.expense:
            problems.append(_("明细第 %(row)s 行同时填写了收入和支出，请分成两行", row=number))
        elif not row.income and not row.expense:
            problems.append(_("明细第 %(row)s 行收入和支出都是 0", row=number))
    if opening is None or closing is None:
        return problems
    income = sum(row.income for row in rows)
    expense = sum(row.expense for row in rows)
    computed = opening + income - expense
    if computed != closing:
        problems.append(
            _(
                "账不平：期初余额 %(opening)s + 收入合计 %(income)s − 支出合计 %(expense)s = %(computed)s，"
                "与期末余额 %(closing)s 相差 %(difference)s",
                opening=format_yuan(opening),
                income=format_yuan(income),
                expense=format_yuan(expense),
                computed=format_yuan(computed),
                closing=format_yuan(closing),
                difference=format_yuan(computed - closing),
            )
        )
    return problems


def area_times_rate(area_hundredths: int, rate: int) -> int:
    """An amount for an area in hundredths of a 亩 at a rate in fen per 亩, rounded to the fen."""
    return (area_hundredths * rate + 50) // 100


def subsidy_program_sums(rows: Iterable[Any]) -> OrderedDict[str, int]:
    sums: OrderedDict[str, int] = OrderedDict()
    for row in rows:
        sums[row.program] = sums.get(row.program, 0) + row.amount
    return sums


def subsidy_problems(totals: Sequence[Any], rows: Sequence[Any]) -> list[str]:
    """Every program's rows must add up to its declared total; amount = basis × rate where a rate is given."""
    problems = []
    if not rows:
        problems.append(_("补贴名单至少要有一行"))
    for number, row in enumerate(rows, start=1):
        if row.rate is not None:
            expected = area_times_rate(row.basis_hundredths, row.rate)
            if expected != row.amount:
                problems.append(
                    _(
                        "名单第 %(row)s 行：数量 × 标准 = %(expected)s，与发放金额 %(amount)s 相差 %(difference)s",
                        row=number,
                        expected=format_yuan(expected),
                        amount=format_yuan(row.amount),
                        difference=format_yuan(row.amount - expected),
                    )
                )
    sums = subsidy_program_sums(rows)
    declared = {total.program: total.declared_total for total in totals}
    for program, total in declared.items():
        actual = sums.get(program, 0)
        if actual != total:
            problems.append(
                _(
                    "“%(program)s”名单合计 %(actual)s，申报合计 %(declared)s，相差 %(difference)s",
                    program=program,
                    actual=format_yuan(actual),
                    declared=format_yuan(total),
                    difference=format_yuan(actual - total),
                )
            )
    for program in sums:
        if program not in declared:
            problems.append(_("名单中的项目“%(program)s”没有填写合计", program=program))
    return problems


# The parts of a household's compensation, each paid at the project's rate per 亩 (补偿标准).
COMPENSATION_PARTS = (
    ("land_amount", "land_rate", _l("土地补偿")),
    ("crop_amount", "crop_rate", _l("青苗补偿")),
    ("relocation_amount", "relocation_rate", _l("安置补助")),
)


def compensation_rate_problems(version: Any, rows: Sequence[Any]) -> list[str]:
    """Each part paid must have its rate per 亩 stated, and each row's part must be area × rate."""
    problems = []
    for amount_name, rate_name, label in COMPENSATION_PARTS:
        rate = getattr(version, rate_name)
        if rate is None:
            if any(getattr(row, amount_name) for row in rows):
                problems.append(_("请填写%(part)s标准（元/亩）：每户金额要按面积 × 标准核对", part=label))
            continue
        for number, row in enumerate(rows, start=1):
            expected = area_times_rate(row.area_hundredths, rate)
            amount = getattr(row, amount_name)
            if amount != expected:
                problems.append(
                    _(
                        "分配明细第 %(row)s 行%(part)s：面积 × 标准 = %(expected)s，"
                        "与填写的 %(amount)s 相差 %(difference)s",
                        row=number,
                        part=label,
                        expected=format_yuan(expected),
                        amount=format_yuan(amount),
                        difference=format_yuan(amount - expected),
                    )
                )
    return problems


def compensation_problems(version: Any) -> list[str]:
    """Received must equal paid out to households plus retained by the collective; rows follow the rates."""
    received, retained, rows = version.compensation_received, version.retained_by_collective, version.compensation_rows
    problems = []
    if received is None:
        problems.append(_("请填写收到的补偿款总额"))
    if retained is None:
        problems.append(_("请填写集体留存金额（没有留存填 0）"))
    if not rows:
        problems.append(_("分配明细至少要有一户"))
    problems += compensation_rate_problems(version, rows)
    if received is None or retained is None:
        return problems
    paid = sum(row.land_amount + row.crop_amount + row.relocation_amount for row in rows)
    if paid + retained != received:
        problems.append(
            _(
                "账不平：发放到户 %(paid)s + 集体留存 %(retained)s = %(total)s，"
                "与收到补偿款 %(received)s 相差 %(difference)s",
                paid=format_yuan(paid),
                retained=format_yuan(retained),
                total=format_yuan(paid + retained),
                received=format_yuan(received),
                difference=format_yuan(paid + retained - received),
            )
        )
    return problems


# Free-text columns of each table, with the name a clerk sees.
TEXT_COLUMNS = {
    "ledger_rows": (_l("明细"), {"voucher_no": _l("凭证号"), "account": _l("会计科目"), "summary": _l("摘要")}),
    "subsidy_rows": (_l("名单"), {"program": _l("补贴项目"), "recipient": _l("姓名"), "household": _l("户主/户号")}),
    "compensation_rows": (_l("分配明细"), {"household": _l("户主"), "parcel": _l("地块")}),
}


def personal_data_problems(version: Any) -> list[str]:
    """Unmasked ID, phone or bank-card numbers anywhere in the version's free text."""
    problems = []
    for label, text in (
        (_("标题"), version.title),
        (_("正文"), version.body),
        (_("项目名称"), version.project_name),
        (_("更正理由"), getattr(version, "correction_reason", None)),  # a DraftContent has none
        (_("期初与上期期末不符的原因"), version.carry_over_reason),
    ):
        for finding in find_personal_data(text or ""):
            problems.append(finding.describe(label))
    for collection, (table, columns) in TEXT_COLUMNS.items():
        for number, row in enumerate(getattr(version, collection), start=1):
            for column, column_label in columns.items():
                for finding in find_personal_data(getattr(row, column) or ""):
                    problems.append(
                        _(
                            "%(table)s第 %(row)s 行“%(column)s”中有未遮盖的%(kind)s",
                            table=table,
                            row=number,
                            column=column_label,
                            kind=finding.kind,
                        )
                    )
    return problems


def problems_before_publication(category: Category, version: Any) -> list[str]:
    """Every reason this version may not yet be submitted or published (empty when it may)."""
    problems = []
    if not (version.title or "").strip():
        problems.append(_("请填写标题"))
    if category is Category.FINANCE:
        problems += ledger_problems(version.opening_balance, version.ledger_rows, version.closing_balance)
    elif category is Category.SUBSIDY:
        problems += subsidy_problems(version.subsidy_totals, version.subsidy_rows)
    elif category is Category.LAND_COMPENSATION:
        if not (version.project_name or "").strip():
            problems.append(_("请填写征地项目名称"))
        problems += compensation_problems(version)
    elif not (version.body or "").strip() and not version.attachments:
        problems.append(_("请填写正文或上传附件"))
    problems += personal_data_problems(version)
    return problems
