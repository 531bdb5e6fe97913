"""Filing and following matters as a villager would, through the web forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.conftest import Browser

RECEIPT = re.compile(r'data-testid="tracking-number">([^<]+)<.*?data-testid="tracking-code">([^<]+)<', re.S)


@dataclass(frozen=True)
class Receipt:
    number: str
    code: str
    html: str


def matter_form(village_code: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "complaint",
        "village": village_code,
        "title": "村道路灯坏了三个月",
        "body": "村东头到小学门口的六盏路灯坏了三个月，晚上孩子放学很不安全。",
        "named_officials": "",
        "contact_name": "",
        "contact_phone": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_token(browser: Browser, page: str = "/complaints/new") -> tuple[str, str]:
    """(csrf token, one-time form token) from a freshly opened filing form."""
    html = browser.get(page).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    token = re.search(r'name="form_token" type="hidden" value="([^"]*)"', html) or re.search(
        r'name="form_token" value="([^"]*)"', html
    )
    assert csrf and token, "filing form without its tokens"
    return csrf.group(1), token.group(1)


def file_matter(browser: Browser, village_code: str, page: str = "/complaints/new", **overrides: Any) -> Receipt:
    csrf, token = form_token(browser, page)
    data = matter_form(village_code, **overrides)
    data.setdefault("csrf_token", csrf)
    data.setdefault("form_token", token)
    response = browser.client.post(page, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:2000]
    found = RECEIPT.search(html)
    assert found, html[:2000]
    return Receipt(number=found.group(1).strip(), code=found.group(2).strip(), html=html)


def track(browser: Browser, number: str, code: str) -> Any:
    return browser.post("/track", {"number": number, "code": code}, follow_redirects=False)
