"""Quarterly finance ledgers that look like a real village's books, and reconcile; two of
them later corrected.

Each ledger opens with the previous one's closing balance (期初余额 = 上期期末余额). The one
exception is 东岭村, whose ledger after its skipped quarter states why its opening balance is
not the last published closing balance. A correction that changes a closing balance is followed
by corrections of the later ledgers, so that every balance still carries over.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.core import clock
from transparency.core.db import clock_at
from transparency.demo.publishing import publish
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent, LedgerLine
from transparency.disclosures.models import Category, Disclosure, LedgerRow, PeriodKind
from transparency.disclosures.periods import period_bounds, period_label
from transparency.disclosures.queries import published_in_village

QUARTERS = [(2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
# One village skipped a quarter: the disclosure calendar must show the gap.
SKIPPED = ("东岭村", 2025, 3)
# What its clerk writes beside the next ledger's balance box (期初与上期期末不符).
SKIPPED_REASON = (
    "{year}年第{quarter}季度的账目没有按时公开。本期期初余额是第{quarter}季度末的账面余额，"
    "与已公开的上一期期末余额不同；第{quarter}季度的明细将补充公开。"
)
CARRIED_REASON = "上期（{period}）账目更正后期末余额变动，本期期初余额和期末余额相应调整，明细不变。"

INCOME = [
    ("发包及上交收入", "收到{who}鱼塘承包费", 300_000, 1_200_000),
    ("发包及上交收入", "收到土地流转费（{who}合作社）", 800_000, 3_000_000),
    ("补助收入", "上级拨付村级组织运转经费", 1_500_000, 2_500_000),
    ("补助收入", "收到镇财政转付人居环境整治奖补资金", 500_000, 1_500_000),
    ("经营收入", "收到集体厂房租金（{who}）", 600_000, 1_800_000),
    ("其他收入", "收到银行存款利息", 1_000, 30_000),
]
EXPENSE = [
    ("管理费用", "支付村干部误工补贴（{month}月）", 200_000, 600_000),
    ("管理费用", "购买办公用品（打印纸、墨盒）", 20_000, 120_000),
    ("管理费用", "支付村委会电费", 30_000, 150_000),
    ("公益支出", "支付保洁员工资（{month}月）", 150_000, 300_000),
    ("公益支出", "支付村道路灯维修材料费", 50_000, 400_000),
    ("公益支出", "支付水渠清淤人工费", 100_000, 800_000),
    ("公益支出", "慰问困难群众（{who}等）", 50_000, 200_000),
    ("其他支出", "支付银行手续费", 500, 5_000),
    ("经营支出", "支付集体厂房维修费", 100_000, 900_000),
]


def quarter_ledger(
    rng: random.Random, village: str, year: int, quarter: int, opening: int, names: list[str], rows: int
) -> DraftContent:
    """A ledger of `rows` lines; the closing balance is what the rows make of `opening`."""
    first_month = (quarter - 1) * 3 + 1
    lines = []
    for index in range(rows):
        income = index % 3 == 0 or (index % 3 == 1 and rng.random() < 0.3)
        account, summary, low, high = rng.choice(INCOME if income else EXPENSE)
        month = first_month + min(index * 3 // rows, 2)
        day = rng.randint(1, 28)
        amount = rng.randint(low // 100, high // 100) * 100
        lines.append(
            LedgerLine(
                entry_date=dt.date(year, month, day),
                voucher_no=f"{year % 100:02d}{month:02d}-{index + 1:03d}",
                account=account,
                summary=summary.format(who=rng.choice(names), month=month),
                income=amount if income else 0,
                expense=0 if income else amount,
            )
        )
    lines.sort(key=lambda line: (line.entry_date, line.voucher_no))
    closing = opening + sum(line.income for line in lines) - sum(line.expense for line in lines)
    return DraftContent(
        title=f"{village}{year}年第{quarter}季度财务收支明细",
        body="本期财务收支已经村务监督委员会审核。对账目有疑问的，可在网上或到村委会反映。",
        opening_balance=opening,
        closing_balance=closing,
        ledger_rows=lines,
    )


def ledger_line_of(row: LedgerRow) -> LedgerLine:
    return LedgerLine(
        entry_date=row.entry_date,
        voucher_no=row.voucher_no,
        account=row.account,
        summary=row.summary,
        income=row.income,
        expense=row.expense,
    )


def publish_ledgers(
    session: Session, rng: random.Random, village: Area, clerk: Account, reviewer: Account, names: list[str]
) -> None:
    """A ledger for every quarter in QUARTERS (but the SKIPPED one), published days after it ends."""
    opening = rng.randint(150_000, 600_000) * 100
    skipped = None
    for year, quarter in QUARTERS:
        content = quarter_ledger(rng, village.name, year, quarter, opening, names, rng.randint(22, 28))
        opening = content.closing_balance or 0
        if (village.name, year, quarter) == SKIPPED:
            skipped = (year, quarter)
            continue
        if skipped is not None:
            content.carry_over_reason = SKIPPED_REASON.format(year=skipped[0], quarter=skipped[1])
            skipped = None
        start, end = period_bounds(PeriodKind.QUARTER, year, quarter)
        publish(
            session,
            clerk=clerk,
            reviewer=reviewer,
            village=village,
            category=Category.FINANCE,
            kind=PeriodKind.QUARTER,
            start=start,
            end=end,
            content=content,
            published_on=end + dt.timedelta(days=rng.randint(5, 14)),
        )


def correct_ledgers(session: Session, village: Area, clerk: Account, reviewer: Account) -> None:
    """Two published ledgers get corrected: a mistyped amount, then a wrong account."""
    ledgers = published_in_village(session, village, Category.FINANCE)
    fixes = [
        (ledgers[2], "第 3 行凭证金额录入错误（多录了一个 0），按原始凭证更正。"),
        (ledgers[4], "第 5 行会计科目应为“公益支出”，更正科目，金额不变。"),
    ]
    for disclosure, reason in fixes:
        current = disclosure.current
        assert current is not None
        published = current.published_at or clock.now()
        with clock_at(published + dt.timedelta(days=9)):
            version = services.start_correction(session, actor=clerk, disclosure=disclosure, reason=reason)
            lines = [ledger_line_of(r) for r in version.ledger_rows]
            target = lines[2] if "第 3 行" in reason else lines[4]
            if "第 3 行" in reason:
                fixed = LedgerLine(**{**vars(target), "income": target.income // 10, "expense": target.expense // 10})
            else:
                fixed = LedgerLine(**{**vars(target), "account": "公益支出"})
            lines[lines.index(target)] = fixed
            delta = (fixed.income - target.income) - (fixed.expense - target.expense)
            content = DraftContent(
                title=version.title,
                body=version.body,
                opening_balance=version.opening_balance,
                closing_balance=(version.closing_balance or 0) + delta,
                ledger_rows=lines,
            )
            services.save_draft(session, actor=clerk, version=version, content=content)
            services.submit(session, actor=clerk, version=version)
        with clock_at(published + dt.timedelta(days=10)):
            services.approve(
                session,
                actor=reviewer,
                version=version,
                signed_name=reviewer.display_name,
                note="核对原始凭证无误，同意更正。",
            )
        if delta:
            later = [d for d in ledgers if d.period_start > disclosure.period_end]
            carry_forward(session, disclosure, sorted(later, key=lambda d: d.period_start), delta, clerk, reviewer)


def carry_forward(
    session: Session,
    corrected: Disclosure,
    later: list[Disclosure],
    delta: int,
    clerk: Account,
    reviewer: Account,
) -> None:
    """Correct each later ledger by the change of the corrected one's closing balance."""
    previous = corrected
    corrected_on = (corrected.current.published_at if corrected.current else None) or clock.now()
    for disclosure in later:
        current = disclosure.current
        assert current is not None
        when = max(corrected_on, current.published_at or corrected_on)
        with clock_at(when + dt.timedelta(days=1)):
            reason = CARRIED_REASON.format(period=period_label(previous.period_kind, previous.period_start))
            version = services.start_correction(session, actor=clerk, disclosure=disclosure, reason=reason)
            content = DraftContent(
                title=version.title,
                body=version.body,
                opening_balance=(version.opening_balance or 0) + delta,
                closing_balance=(version.closing_balance or 0) + delta,
                ledger_rows=[ledger_line_of(r) for r in version.ledger_rows],
            )
            services.save_draft(session, actor=clerk, version=version, content=content)
            services.submit(session, actor=clerk, version=version)
        with clock_at(when + dt.timedelta(days=2)):
            services.approve(
                session, actor=reviewer, version=version, signed_name=reviewer.display_name, note="同意随上期更正。"
            )
        previous = disclosure
