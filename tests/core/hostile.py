"""Hostile input shared by the batteries in each package: payloads, and a page parser that finds active markup."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from tests.disclosures.samples import COMPENSATION_FORM, LEDGER_FORM, SUBSIDY_FORM
from transparency.core.db import db

MEETING_DAY = dt.date(2025, 3, 1)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
BREAKOUT = '"><svg onload=alert(3)>'
PAYLOADS = (SCRIPT, IMG, BREAKOUT)

FINANCE_FORM = {k: v for k, v in LEDGER_FORM.items() if not k.startswith("rows-2-")}

FORMS = {"finance": FINANCE_FORM, "subsidy": SUBSIDY_FORM, "land_compensation": COMPENSATION_FORM}

# Every free-text field of each category, each given one of the payloads (within its length cap).
HOSTILE_FIELDS = {
    "finance": {
        "title": SCRIPT + "财务", "body": IMG + "\n\n" + SCRIPT, "rows-0-voucher_no": SCRIPT,
        "rows-0-account": IMG, "rows-0-summary": BREAKOUT + SCRIPT, "rows-1-voucher_no": BREAKOUT,
        "rows-1-account": SCRIPT, "rows-1-summary": IMG,
    },
    "subsidy": {
        "title": BREAKOUT + "补贴", "body": SCRIPT, "totals-0-program": SCRIPT, "rows-0-program": SCRIPT,
        "rows-0-recipient": IMG, "rows-0-household": BREAKOUT,
    },
    "land_compensation": {
        "title": IMG + "征地", "body": BREAKOUT, "project_name": SCRIPT, "rows-0-household": IMG,
        "rows-0-parcel": BREAKOUT,
    },
}  # fmt: skip


class PageParser(HTMLParser):
    """Every tag with its attributes, and the page's text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def assert_no_active_markup(page: str, where: str = "") -> PageParser:
    """No script, no event handler, no javascript: URL, no image from anywhere but our attachments."""
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        own_chart = tag == "svg" and attrs.get("class") == "chart-svg"  # templates/charts/_bars.html
        assert own_chart or tag not in ("script", "svg", "iframe", "object", "embed", "style", "math"), (where, tag)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction") and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), (where, value)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("/attachments/"), (where, attrs)
    return parsed


def shown_as_text(parsed: PageParser, payload: str) -> bool:
    return payload in "".join(parsed.text)


def version_id_from(response: Any) -> int:
    return int(re.search(r"/manage/versions/(\d+)", response.headers["Location"]).group(1))


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (20, 120, 40)).save(out, "PNG")
    return out.getvalue()


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def error_messages(page: str) -> str:
    return " ".join(re.findall(r'class="error"[^>]*>([^<]*)<', page))
