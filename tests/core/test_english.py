"""The English site (issue 15, point 10): every message translated, no Chinese UI text on an
English page, the language chosen by a link and remembered, Accept-Language as the default,
dates and money in the page's language, and the Chinese site unchanged by default.

The Chinese msgids are the source of truth: a new _() string without an English translation
fails `test_every_message_has_an_english_translation` until `make messages` has been run and
the string translated in transparency/translations/en/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import JSON, String, Text, select

from tests.conftest import TRANSLATIONS, Browser, login_as
from tests.core.helpers import access_of, rules, url_for_rule
from transparency.accounts.models import Role
from transparency.core.db import Base, db
from transparency.core.security import PUBLIC
from transparency.core.templating import page_date, page_time, page_yuan
from transparency.disclosures.models import Disclosure

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")
# Han ideographs, CJK punctuation (、。「」【】) and full-width forms (，：（）？).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
ROLE_ACCOUNTS = {Role.CLERK: "clerk-a", Role.REVIEWER: "reviewer-a", Role.INSPECTOR: "inspector", Role.ADMIN: "admin"}
# What a person reads besides text: these attributes are UI text too.
READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "data-label"}


def source_messages() -> set[tuple[str, str | None]]:
    """What `make messages` extracts, straight from the code and templates (not from the .pot):
    each msgid with its context (pgettext: one Chinese word that English says two ways)."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    method_map = [("transparency/**.py", "python"), ("templates/**.html", "jinja2")]
    return {
        (message if isinstance(message, str) else message[0], context)
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT, method_map=method_map, keywords=keywords
        )
    }


def english_catalogue() -> Any:
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale="en")


def test_every_message_has_an_english_translation() -> None:
    catalogue = english_catalogue()
    missing, fuzzy, broken = [], [], []
    for msgid, context in sorted(source_messages(), key=lambda pair: (pair[0], pair[1] or "")):
        message = catalogue.get(msgid, context=context)
        if message is None or not message.string:
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(message.string)):
            broken.append(msgid)
    assert not missing, f"untranslated (run `make messages`, then translate): {missing[:20]}"
    assert not fuzzy, f"fuzzy translations to check: {fuzzy[:20]}"
    assert not broken, f"placeholders differ from the Chinese: {broken[:20]}"


def test_english_translations_hold_no_chinese() -> None:
    """A translation that kept Chinese words would show them on every English page."""
    leftovers = {
        message.id: message.string for message in english_catalogue() if message.id and CJK.search(str(message.string))
    }
    # The period-type words a spreadsheet may carry are quoted as the user types them.
    leftovers.pop("%(where)s：周期应为 month/quarter/half_year/year/day（或 月度/季度/半年/年度/单日）", None)
    assert not leftovers


class _Reader(HTMLParser):
    """The text a person reads: text nodes and labelling attributes, outside <script>/<style>
    and outside elements marked as Chinese data with lang="zh…"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or ""
        skip = tag in ("script", "style") or (lang.startswith("zh") and tag != "html")
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            self.stack.append((tag, skip))
        if skip or self._skipping():
            return
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (name == "value" and values.get("type") in ("submit", "button"))):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def readable_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return "\n".join(part.strip() for part in reader.parts if part.strip())


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict | list):
            return [value, *_strings_in(parsed)]
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


def data_texts(app: Flask) -> list[str]:
    """Every text stored in the database (names of places and people, notices, matters, the log):
    data, which stays as it was written whatever the page's language. Longest first."""
    texts: set[str] = set()
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for column in columns:
                for value in db.session.execute(select(column).distinct()).scalars():
                    for text in _strings_in(value):
                        texts.update(piece.strip() for piece in re.split(r"[\r\n]+|[-*] ", text) if piece.strip())
        db.session.rollback()
    return sorted(texts, key=len, reverse=True)


def chinese_left(text: str, data: list[str]) -> list[str]:
    for piece in data:
        if CJK.search(piece):
            text = text.replace(piece, " ")
    return sorted({line.strip() for line in text.splitlines() if CJK.search(line)})


def english(browser: Browser) -> Browser:
    browser.client.set_cookie("lang", "en")
    return browser


def pages_for(app: Flask, role: Role | None) -> list[Any]:
    chosen = []
    for rule in rules(app, "GET"):
        access = access_of(app, rule.endpoint)
        if rule.endpoint == "language" or access is None:
            continue
        if access == PUBLIC or (role is not None and role in access):
            chosen.append(rule)
    return chosen


@pytest.mark.parametrize("role", [None, *ROLE_ACCOUNTS], ids=["public", *(str(r) for r in ROLE_ACCOUNTS)])
def test_no_chinese_ui_text_on_any_english_page(app, world, objects, role):
    data = data_texts(app)
    browser = english(Browser(app.test_client()))
    if role is not None:
        browser.login(ROLE_ACCOUNTS[role])
    seen, problems = 0, {}
    for rule in pages_for(app, role):
        url = url_for_rule(rule, objects)
        response = browser.get(url)
        if "text/html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        assert '<html lang="en"' in html, url
        seen += 1
        left = chinese_left(readable_text(html), data)
        if left:
            problems[url] = left[:5]
    assert seen >= 5
    assert not problems, "\n".join(f"{url}: {left}" for url, left in problems.items())


def test_the_walk_would_see_an_untranslated_string(app, world):
    """The check itself: a Chinese UI string that is not data is found, Chinese data is not."""
    data = data_texts(app)
    village = world.village_a.name
    page = f'<html lang="en"><p>{village}</p><p lang="zh-Hans">公开栏</p><button title="提交">Go</button></html>'
    assert chinese_left(readable_text(page), data) == ["提交"]


def test_chinese_pages_are_unchanged_by_default(app, world):
    """No cookie and no Accept-Language: the source language, as before English existed."""
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "我要反映" in page and "Raise a matter" not in page
    assert ">中文</span>" in page and ">English</a>" in page
    browser = login_as(app, "clerk-a")
    assert "工作台" in browser.get("/manage/").get_data(as_text=True)


def test_accept_language_chooses_when_no_cookie_is_set(app, world):
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Raise a matter" in page
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "我要反映" in page
    page = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page  # neither language: Chinese


def test_the_language_link_is_remembered_in_a_cookie(app, world):
    client = app.test_client()
    home = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    link = re.search(r'href="(/language/en)"', home)
    assert link, "no English link on the Chinese page"
    # The browser sends the page it came from; the link goes back there.
    response = client.get(link.group(1), headers={"Referer": "http://localhost/track"})
    assert response.status_code == 303 and response.headers["Location"] == "/track"
    assert "lang=en" in response.headers["Set-Cookie"] and "Max-Age" in response.headers["Set-Cookie"]
    # Remembered against the browser's own language, on every later page.
    page = client.get("/track", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Track the progress of a matter" in page
    assert 'href="/language/zh_Hans"' in page
    client.get("/language/zh_Hans", headers={"Referer": "http://localhost/track"})
    assert '<html lang="zh-Hans">' in client.get("/track").get_data(as_text=True)


def test_the_language_link_copies_no_address_into_the_page(app, world):
    """A matter's number or a search in the address is not repeated in the page's links."""
    page = app.test_client().get("/search?q=secret-words").get_data(as_text=True)
    assert 'href="/language/en"' in page and "secret-words" not in re.findall(r'href="/language/[^"]*"', page)[0]


@pytest.mark.parametrize("referrer", ["https://evil.example/track", "http://localhost//evil.example/", ""])
def test_the_language_link_goes_back_only_within_this_site(app, referrer):
    response = app.test_client().get("/language/en", headers={"Referer": referrer} if referrer else {})
    assert response.status_code == 303 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_the_language_link_only_goes_back_to_this_site(app, target):
    response = app.test_client().get("/language/en", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_an_unknown_language_sets_no_cookie(app):
    response = app.test_client().get("/language/xx?next=/track")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers


def test_pages_vary_on_the_language_inputs(app):
    vary = app.test_client().get("/").headers.get("Vary", "")
    assert "Cookie" in vary and "Accept-Language" in vary


def test_dates_and_money_follow_the_page_language(app):
    moment = dt.datetime(2025, 3, 1, 6, 5, tzinfo=dt.UTC)  # 14:05 in Beijing
    with app.test_request_context("/?lang=en"):
        assert page_date(dt.date(2025, 3, 1)) == "Mar 1, 2025"
        assert page_time(moment) == "Mar 1, 2025 14:05"
        assert page_yuan(123456) == "CN¥1,234.56"
        assert page_yuan(-123456) == "-CN¥1,234.56"
    with app.test_request_context("/"):
        assert page_date(dt.date(2025, 3, 1)) == "2025年3月1日"
        assert page_time(moment) == "2025年3月1日 14:05"
        assert page_yuan(123456) == "¥1,234.56"


def test_a_published_notice_reads_in_english(app, world, objects):
    browser = english(Browser(app.test_client()))
    page = browser.get(f"/d/{objects['disclosure_id']}").get_data(as_text=True)
    assert "Opening balance" in page and "CN¥" in page
    assert "Q2 2025" in page


def test_one_chinese_word_reads_as_the_right_english_word_in_each_place(app, world, objects):
    """起草 is the clerk's tool ("Draft") and, beside a name, who drafted it ("Drafted by");
    提交审核 is a button ("Submit for review") and, beside a time, when it was submitted."""
    browser = english(login_as(app, "clerk-a"))
    published = browser.get(f"/d/{objects['disclosure_id']}").get_data(as_text=True)
    assert re.search(r"<dt>Drafted by</dt><dd>王秀英", published), published
    with app.app_context():
        published_version = db.session.get(Disclosure, objects["disclosure_id"]).current.id
    staff = browser.get(f"/manage/versions/{published_version}").get_data(as_text=True)
    assert re.search(r"<dt>Drafted by</dt><dd>王秀英", staff)
    assert "<dt>Submitted for review</dt>" in staff
    assert re.search(r'class="tool"[^>]*>Draft</a>', staff), "the clerk's tool is still the verb"
    draft = browser.get(f"/manage/versions/{objects['version_id']}").get_data(as_text=True)
    assert re.search(r"<button[^>]*>Submit for review</button>", draft)


def test_a_feed_says_which_language_it_is_in(app, world, objects):
    client = app.test_client()
    url = f"/v/{world.village_a.code}/feed.atom"
    assert 'xml:lang="zh-CN"' in client.get(url).get_data(as_text=True)
    client.set_cookie("lang", "en")
    feed = client.get(url).get_data(as_text=True)
    assert 'xml:lang="en"' in feed and "Village affairs disclosure" in feed
