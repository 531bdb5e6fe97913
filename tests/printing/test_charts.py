"""Charts of the money: server-drawn SVG, readable without JavaScript, and their numbers are
the very totals the tables beside them show."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.disclosures.helpers import ledger_content
from tests.printing.helpers import publish, subsidy_content
from transparency.charts.figures import MIN_VISIBLE_BAR, VALUE_ROOM, WIDTH, BarChart, Row, Series
from transparency.disclosures.content import DraftContent, LedgerLine
from transparency.disclosures.models import Category, PeriodKind

VILLAGE = "/v/511399101201"


class ChartReader(HTMLParser):
    """The charts of a page: for each, its title and the amounts printed on its bars."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict] = {}
        self._chart: dict | None = None
        self._row: str | None = None
        self._capture: str | None = None
        self._text: list[str] = []
        self._bar: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in (attrs.get("class") or ""):
            self._chart = self.charts.setdefault(attrs["data-testid"], {"rows": [], "svg": attrs})
        elif self._chart is not None and tag == "svg":
            self._chart["svg"] = attrs
        elif self._chart is not None and tag == "g":
            self._chart["rows"].append({"label": None, "bars": {}})
        elif self._chart is not None and tag == "text" and "data-value" in attrs:
            self._bar = attrs
            self._capture, self._text = "bar", []
        elif self._chart is not None and tag == "text" and attrs.get("font-weight") == "bold":
            self._capture, self._text = "label", []
        elif self._chart is not None and tag in ("title", "desc") and "id" in attrs:
            self._capture, self._text = tag, []

    def handle_data(self, data):
        if self._capture:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._chart is None:
            return
        text = "".join(self._text).strip()
        if tag == "text" and self._capture == "bar":
            self._chart["rows"][-1]["bars"][self._bar["data-series"]] = (int(self._bar["data-value"]), text)
        elif tag == "text" and self._capture == "label":
            self._chart["rows"][-1]["label"] = text
        elif tag in ("title", "desc") and self._capture == tag:
            self._chart[tag] = text
        if tag in ("text", "title", "desc"):
            self._capture = None
        if tag == "figure":
            self._chart = None


def charts_on(html: str) -> dict[str, dict]:
    reader = ChartReader()
    reader.feed(html)
    return reader.charts


def shown(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]+)<', html)
    assert match, testid
    return match.group(1)


def _quarter(rows: int, seed: int, opening: int = 100_000) -> DraftContent:
    content = ledger_content(opening, rows=rows, title=f"第{seed}季度账")
    content.ledger_rows = [
        LedgerLine(
            line.entry_date,
            line.voucher_no,
            line.account if i % 4 != 3 else "公益支出",
            line.summary,
            line.income * seed,
            line.expense + (1_000 * seed if line.expense else 0),
        )
        for i, line in enumerate(content.ledger_rows)
    ]
    content.closing_balance = (
        content.opening_balance
        + sum(x.income for x in content.ledger_rows)
        - sum(x.expense for x in content.ledger_rows)
    )
    return content


@pytest.fixture
def two_quarters(app, world):
    with app.app_context():
        q1 = _quarter(5, 1)
        first = publish(world, Category.FINANCE, q1, number=1)
        # The second quarter carries the first one's closing balance over.
        second = publish(world, Category.FINANCE, _quarter(8, 2, opening=q1.closing_balance or 0), number=2)
        return first.disclosure_id, second.disclosure_id


def test_income_and_expense_per_period_equal_each_ledgers_totals(client, two_quarters):
    village = client.get(VILLAGE).get_data(as_text=True)
    chart = charts_on(village)["chart-income-expense"]
    assert [row["label"] for row in chart["rows"]] == ["2025年第1季度", "2025年第2季度"]
    for row, disclosure_id in zip(chart["rows"], two_quarters, strict=True):
        disclosure = client.get(f"/d/{disclosure_id}").get_data(as_text=True)
        assert row["bars"]["收入"][1] == shown(disclosure, "income-total")
        assert row["bars"]["支出"][1] == shown(disclosure, "expense-total")
    # The finance category page draws the same chart from the same totals.
    category = charts_on(client.get(f"{VILLAGE}/finance").get_data(as_text=True))
    assert category["chart-income-expense"]["rows"] == chart["rows"]


def test_expense_by_account_adds_up_to_the_ledgers_expense_total(app, client, two_quarters):
    _, latest = two_quarters
    disclosure = client.get(f"/d/{latest}").get_data(as_text=True)
    [(key, chart)] = [(k, c) for k, c in charts_on(disclosure).items() if k.startswith("chart-expense-accounts")]
    amounts = {row["label"]: row["bars"]["支出"][0] for row in chart["rows"]}
    assert set(amounts) == {"管理费用", "公益支出"}
    assert list(amounts.values()) == sorted(amounts.values(), reverse=True)
    assert f"¥{sum(amounts.values()) / 100:,.2f}" == shown(disclosure, "expense-total")
    # The village page shows the latest ledger's breakdown, the same numbers.
    assert charts_on(client.get(VILLAGE).get_data(as_text=True))[key]["rows"] == chart["rows"]


def test_subsidy_chart_equals_the_programme_totals_of_the_list(app, world, client):
    with app.app_context():
        version = publish(world, Category.SUBSIDY, subsidy_content(), kind=PeriodKind.YEAR)
    disclosure = client.get(f"/d/{version.disclosure_id}").get_data(as_text=True)
    chart = charts_on(disclosure)[f"chart-subsidy-programs-{version.id}"]
    footer_row = r'<td colspan="7" class="label">(\S+) 合计</td><td class="num amount">([^<]+)</td>'
    footer = dict(re.findall(footer_row, disclosure))
    assert footer == {"耕地地力保护补贴": "¥2,422.36", "最低生活保障金": "¥3,060.00"}
    assert {row["label"]: row["bars"]["发放金额"][1] for row in chart["rows"]} == footer
    village = charts_on(client.get(VILLAGE).get_data(as_text=True))
    assert village[f"chart-subsidy-programs-{version.id}"]["rows"] == chart["rows"]


def test_charts_are_accessible_svg_without_script_or_inline_style(client, two_quarters):
    village = client.get(VILLAGE).get_data(as_text=True)
    charts = charts_on(village)
    assert len(charts) == 2  # income/expense per period, and the latest ledger's accounts
    for key, chart in charts.items():
        svg = chart["svg"]
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] == f"{key}-title {key}-desc"
        assert chart["title"] and chart["desc"]
    start = village.index('<section class="charts"')
    section = village[start : village.index("</section>", start)]
    assert "<script" not in section and "style=" not in section
    # The numbers are also a table, for readers who cannot see the picture.
    assert section.count('<details class="chart-data">') == 2
    assert '<th scope="row">2025年第2季度</th>' in section


def test_village_without_published_money_has_no_charts(client, world):
    page = client.get(VILLAGE).get_data(as_text=True)
    assert 'class="charts"' not in page


def test_bars_scale_to_the_largest_amount():
    chart = BarChart(
        key="k",
        title="t",
        description="d",
        series=(Series("收入", "#000"), Series("支出", "#111")),
        rows=(Row("一季度", (1_000_000, 1)), Row("二季度" * 10, (500_000, 0))),
    )
    first, second = chart.placed_rows
    assert first.bars[0].width == WIDTH - VALUE_ROOM  # the largest bar leaves room for its amount
    assert first.bars[1].width == MIN_VISIBLE_BAR  # one fen still shows
    assert second.bars[0].width == (WIDTH - VALUE_ROOM) // 2
    assert second.bars[1].width == 0
    assert len(second.short_label) == chart.max_label_chars and second.short_label.endswith("…")
    assert second.label == "二季度" * 10
    assert chart.height > second.bars[-1].y
    empty = BarChart("e", "t", "d", (Series("支出", "#000"),), (Row("无", (0,)),))
    assert [bar.width for row in empty.placed_rows for bar in row.bars] == [0]


@pytest.mark.pdf_tools
def test_the_pdf_embeds_the_same_chart(app, client, two_quarters, read_pdf):
    _, latest = two_quarters
    disclosure = client.get(f"/d/{latest}").get_data(as_text=True)
    [chart] = [c for k, c in charts_on(disclosure).items() if k.startswith("chart-expense-accounts")]
    pdf = read_pdf(client.get(f"/d/{latest}/v/1/print.pdf").data)
    flat = re.sub(r"\s+", "", pdf.text())
    assert "2025年第2季度支出按会计科目" in flat
    chart_text = flat[flat.index("2025年第2季度支出按会计科目") :]
    for row in chart["rows"]:
        assert row["label"] in chart_text and row["bars"]["支出"][1] in chart_text
