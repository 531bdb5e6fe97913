"""Tried as a new user would: the demo's 东岭村 skipped 2025Q3, and everyone can see it."""

from __future__ import annotations

import re

from tests.conftest import Browser


def test_the_skipped_quarter_shows_everywhere(app, client, runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    village, township = "511399201201", "511399201000"  # 东山乡 东岭村

    page = client.get(f"/v/{village}").get_data(as_text=True)
    block = page[page.index('id="calendar-heading"') :]
    assert re.search(r"财务收支 2025年第3季度：<span class=\"due due-missing\">.*?逾期没有公开", block, re.S)

    calendar = client.get(f"/v/{village}/calendar?year=2025").get_data(as_text=True)
    assert re.search(r'<tr class="problem">\s*<td[^>]*>2025年第3季度</td>', calendar)

    town = client.get(f"/t/{township}/calendar").get_data(as_text=True)
    section = town[town.index("东岭村") : town.index("李家沟村")]
    assert "2025年第3季度" in section and "逾期没有公开" in section
    neighbour = town[town.index("李家沟村") :]
    assert "2025年第3季度" not in neighbour.split("</section>")[0]  # the others published theirs

    inspector = Browser(app.test_client())
    inspector.login("county-inspector", "county-demo-2026")
    dashboard = inspector.get("/inspect/?year=2025").get_data(as_text=True)
    row = dashboard[dashboard.index("东岭村") :].split("</tr>")[0]
    assert 'due-missing" data-label="逾期没有公开">1<' in row

    result = runner.invoke(args=["audit", "verify", "--quiet"])
    assert result.exit_code == 0, result.output
