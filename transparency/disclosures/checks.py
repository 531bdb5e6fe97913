"""What must hold before a version may be submitted or published.

The numbers must add up (DESIGN.md: a ledger that does not reconcile cannot be published)
and no unmasked personal number may hide in free text. Each problem names the row or
total and, for money, the difference.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from transparency.core.money import format_yuan
from transparency.core.personal_data import find_personal_data
from transparency.disclosures.models import Category


def ledger_problems(opening: int | None, rows: Sequence[Any], closing: int | None) -> list[str]:
    """Opening + income − expense must equal closing; each row is income or expense, not both."""
    problems = []
    if opening is None:
        problems.append("请填写期初余额")
    if closing is None:
        problems.append("请填写期末余额")
    if not rows:
        problems.append("明细账至少要有一行")
    for number, row in enumerate(rows, start=1):
        if row.income and row.expense:
            problems.append(f"明细第 {number} 行同时填写了收入和支出，请分成两行")
        elif not row.income and not row.expense:
            problems.append(f"明细第 {number} 行收入和支出都是 0")
    if opening is None or closing is None:
        return problems
    income = sum(row.income for row in rows)
    expense = sum(row.expense for row in rows)
    computed = opening + income - expense
    if computed != closing:
        problems.append(
            f"账不平：期初余额 {format_yuan(opening)} + 收入合计 {format_yuan(income)} − 支出合计 "
            f"{format_yuan(expense)} = {format_yuan(computed)}，与期末余额 {format_yuan(closing)} "
            f"相差 {format_yuan(computed - closing)}"
        )
    return problems


def subsidy_program_sums(rows: Iterable[Any]) -> OrderedDict[str, int]:
    sums: OrderedDict[str, int] = OrderedDict()
    for row in rows:
        sums[row.program] = sums.get(row.program, 0) + row.amount
    return sums


def subsidy_problems(totals: Sequence[Any], rows: Sequence[Any]) -> list[str]:
    """Every program's rows must add up to its declared total; amount = basis × rate where a rate is given."""
    problems = []
    if not rows:
        problems.append("补贴名单至少要有一行")
    for number, row in enumerate(rows, start=1):
        if row.rate is not None:
            expected = (row.basis_hundredths * row.rate + 50) // 100
            if expected != row.amount:
                problems.append(
                    f"名单第 {number} 行：数量 × 标准 = {format_yuan(expected)}，"
                    f"与发放金额 {format_yuan(row.amount)} 相差 {format_yuan(row.amount - expected)}"
                )
    sums = subsidy_program_sums(rows)
    declared = {total.program: total.declared_total for total in totals}
    for program, total in declared.items():
        actual = sums.get(program, 0)
        if actual != total:
            problems.append(
                f"“{program}”名单合计 {format_yuan(actual)}，申报合计 {format_yuan(total)}，"
                f"相差 {format_yuan(actual - total)}"
            )
    for program in sums:
        if program not in declared:
            problems.append(f"名单中的项目“{program}”没有填写合计")
    return problems


def compensation_problems(received: int | None, retained: int | None, rows: Sequence[Any]) -> list[str]:
    """Received must equal paid out to households plus retained by the collective."""
    problems = []
    if received is None:
        problems.append("请填写收到的补偿款总额")
    if retained is None:
        problems.append("请填写集体留存金额（没有留存填 0）")
    if not rows:
        problems.append("分配明细至少要有一户")
    if received is None or retained is None:
        return problems
    paid = sum(row.land_amount + row.crop_amount + row.relocation_amount for row in rows)
    if paid + retained != received:
        problems.append(
            f"账不平：发放到户 {format_yuan(paid)} + 集体留存 {format_yuan(retained)} = "
            f"{format_yuan(paid + retained)}，与收到补偿款 {format_yuan(received)} "
            f"相差 {format_yuan(paid + retained - received)}"
        )
    return problems


# Free-text columns of each table, with the name a clerk sees.
TEXT_COLUMNS = {
    "ledger_rows": ("明细", {"voucher_no": "凭证号", "account": "会计科目", "summary": "摘要"}),
    "subsidy_rows": ("名单", {"program": "补贴项目", "recipient": "姓名", "household": "户主/户号"}),
    "compensation_rows": ("分配明细", {"household": "户主", "parcel": "地块"}),
}


def personal_data_problems(version: Any) -> list[str]:
    """Unmasked ID, phone or bank-card numbers anywhere in the version's free text."""
    problems = []
    for label, text in (("标题", version.title), ("正文", version.body), ("项目名称", version.project_name)):
        for finding in find_personal_data(text or ""):
            problems.append(finding.describe(label))
    for collection, (table, columns) in TEXT_COLUMNS.items():
        for number, row in enumerate(getattr(version, collection), start=1):
            for column, column_label in columns.items():
                for finding in find_personal_data(getattr(row, column) or ""):
                    problems.append(f"{table}第 {number} 行“{column_label}”中有未遮盖的{finding.kind}")
    return problems


def problems_before_publication(category: Category, version: Any) -> list[str]:
    """Every reason this version may not yet be submitted or published (empty when it may)."""
    problems = []
    if not (version.title or "").strip():
        problems.append("请填写标题")
    if category is Category.FINANCE:
        problems += ledger_problems(version.opening_balance, version.ledger_rows, version.closing_balance)
    elif category is Category.SUBSIDY:
        problems += subsidy_problems(version.subsidy_totals, version.subsidy_rows)
    elif category is Category.LAND_COMPENSATION:
        if not (version.project_name or "").strip():
            problems.append("请填写征地项目名称")
        problems += compensation_problems(
            version.compensation_received, version.retained_by_collective, version.compensation_rows
        )
    elif not (version.body or "").strip() and not version.attachments:
        problems.append("请填写正文或上传附件")
    problems += personal_data_problems(version)
    return problems
