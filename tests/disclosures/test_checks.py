"""The numbers must add up before anything is published (property-based for the sums)."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from transparency.disclosures.checks import area_times_rate, compensation_problems, ledger_problems, subsidy_problems


@dataclass
class Row:
    income: int = 0
    expense: int = 0


@dataclass
class Payment:
    land_amount: int
    crop_amount: int = 0
    relocation_amount: int = 0
    area_hundredths: int = 100


@dataclass
class Project:
    """What compensation_problems reads of a version."""

    compensation_received: int | None
    retained_by_collective: int | None
    compensation_rows: list[Payment]
    land_rate: int | None = None
    crop_rate: int | None = None
    relocation_rate: int | None = None


@dataclass
class Recipient:
    program: str
    amount: int
    basis_hundredths: int = 100
    rate: int | None = None


@dataclass
class Total:
    program: str
    declared_total: int


amounts = st.integers(min_value=1, max_value=10**10)
ledger_rows = st.lists(
    st.one_of(amounts.map(lambda a: Row(income=a)), amounts.map(lambda a: Row(expense=a))), min_size=1, max_size=40
)


@given(opening=st.integers(-(10**10), 10**10), rows=ledger_rows)
def test_a_ledger_that_reconciles_passes(opening, rows):
    closing = opening + sum(r.income for r in rows) - sum(r.expense for r in rows)
    assert ledger_problems(opening, rows, closing) == []


@given(opening=st.integers(-(10**10), 10**10), rows=ledger_rows, error=st.integers(-(10**8), 10**8).filter(bool))
def test_any_difference_is_caught_and_named(opening, rows, error):
    closing = opening + sum(r.income for r in rows) - sum(r.expense for r in rows) + error
    problems = ledger_problems(opening, rows, closing)
    assert len(problems) == 1 and "账不平" in problems[0] and "相差" in problems[0]


def test_ledger_message_names_the_difference():
    (problem,) = ledger_problems(100_00, [Row(income=50_00), Row(expense=20_00)], 120_00)
    assert problem.endswith("相差 ¥10.00")


def test_rows_with_both_or_neither_amount_are_named():
    problems = ledger_problems(0, [Row(income=1, expense=1), Row()], 0)
    assert "明细第 1 行同时填写了收入和支出，请分成两行" in problems
    assert "明细第 2 行收入和支出都是 0" in problems


@given(st.lists(st.tuples(st.sampled_from(["耕地地力保护补贴", "低保", "种粮补贴"]), amounts), min_size=1, max_size=30))
def test_subsidy_totals_that_match_pass(entries):
    rows = [Recipient(program, amount) for program, amount in entries]
    totals = {}
    for row in rows:
        totals[row.program] = totals.get(row.program, 0) + row.amount
    assert subsidy_problems([Total(p, t) for p, t in totals.items()], rows) == []


def test_subsidy_total_off_by_a_fen_is_named():
    rows = [Recipient("低保", 1000), Recipient("低保", 2000)]
    (problem,) = subsidy_problems([Total("低保", 3001)], rows)
    assert "“低保”" in problem and "相差 -¥0.01" in problem


def test_subsidy_program_without_total_and_rate_mismatch():
    rows = [Recipient("耕地地力保护补贴", 10_600, basis_hundredths=1000, rate=1053)]
    problems = subsidy_problems([], rows)
    assert any("名单第 1 行" in p and "¥105.30" in p for p in problems)
    assert any("没有填写合计" in p for p in problems)


rates = st.integers(min_value=1, max_value=10**7)


@given(st.lists(st.integers(1, 10**5), min_size=1, max_size=40), st.tuples(rates, rates, rates), st.integers(0, 10**10))
def test_compensation_that_balances_at_its_rates_passes(areas, project_rates, retained):
    land, crop, relocation = project_rates
    rows = [
        Payment(
            area_hundredths=area,
            land_amount=area_times_rate(area, land),
            crop_amount=area_times_rate(area, crop),
            relocation_amount=area_times_rate(area, relocation),
        )
        for area in areas
    ]
    received = sum(r.land_amount + r.crop_amount + r.relocation_amount for r in rows) + retained
    assert compensation_problems(Project(received, retained, rows, land, crop, relocation)) == []
    assert len(compensation_problems(Project(received + 1, retained, rows, land, crop, relocation))) == 1


def test_a_household_paid_other_than_area_times_rate_is_named():
    rows = [Payment(area_hundredths=150, land_amount=5_700_000), Payment(area_hundredths=100, land_amount=3_900_000)]
    (problem,) = compensation_problems(Project(9_600_000, 0, rows, land_rate=3_800_000))
    assert "第 2 行土地补偿" in problem and "¥38,000.00" in problem and "相差 ¥1,000.00" in problem


def test_a_part_paid_without_its_rate_per_mu_is_refused():
    rows = [Payment(area_hundredths=100, land_amount=3_800_000, crop_amount=150_000)]
    (problem,) = compensation_problems(Project(3_950_000, 0, rows, land_rate=3_800_000))
    assert "青苗补偿标准（元/亩）" in problem
