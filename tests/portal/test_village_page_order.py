"""The village page leads with what people came for (issue 15, point 6): the latest notice of
each category, then the calendar, then the charts; the feed explained in plain words."""

from __future__ import annotations

import re

from tests.disclosures.helpers import ledger_content, publish_ledger
from transparency.core.db import db


def test_latest_of_each_category_then_calendar_then_charts(app, world):
    with app.app_context():
        publish_ledger(world, ledger_content(title="2025年第1季度财务收支明细"))
        db.session.commit()
    html = app.test_client().get(f"/v/{world.village_a.code}").get_data(as_text=True)
    latest = html.index('data-testid="latest-by-category"')
    calendar = html.index('id="calendar-heading"')
    charts = html.index('class="charts"')
    assert latest < calendar < charts
    first = re.search(r'data-testid="latest-by-category".*?</section>', html, re.S).group(0)
    assert "2025年第1季度财务收支明细" in first and "财务收支 · " in first and 'data-testid="latest-finance"' in first


def test_the_feed_is_explained_in_plain_words_below_the_notices(app, world):
    html = app.test_client().get(f"/v/{world.village_a.code}").get_data(as_text=True)
    assert "订阅：有新公开时自动提醒（需要阅读器）" in html
    assert "Atom 订阅源" not in html
    assert html.index("订阅：有新公开时自动提醒") > html.index('id="calendar-heading"')
