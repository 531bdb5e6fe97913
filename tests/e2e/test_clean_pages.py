"""Clean pages (issue 15, point 11): every page each role reaches, in Chinese and in English, passes
axe-core and the Nu HTML Checker with nothing found, and names its favicon and a description.

The browser context has JavaScript on: axe-core runs in the page (see tests/e2e/page_checks.py).
The site ships no script of its own, so what is checked is what a phone without JavaScript shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.crawling import crawl
from tests.e2e.conftest import LiveSite, choose_language, log_in
from tests.e2e.page_checks import NuBatch, axe_violations, favicon_href, head_problems, java_executable

pytestmark = [pytest.mark.browser, pytest.mark.page_sweep]

ROLES = ["public", "clerk", "reviewer", "inspector", "admin"]
# One worker per language (each loads the demo county once): the two crawls run side by side.
LANGUAGES = [pytest.param(code, marks=pytest.mark.xdist_group(f"e2e_clean_{code}")) for code in ("zh_Hans", "en")]
# One page of each shape: pages of one shape come from one template.
PER_SHAPE = 1


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}\n    " + "\n    ".join(problems) for page, problems in found.items())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_passes_axe_and_the_nu_checker(
    phone: Page, live_site: LiveSite, tmp_path: Path, role: str, language: str
):
    java = java_executable()
    page = phone
    choose_language(page, live_site, language)
    start = "/" if role == "public" else log_in(page, live_site, role)
    nu = NuBatch(tmp_path)
    found: dict[str, list[str]] = {}
    icons: set[str] = set()

    def visit(path: str) -> list[Any] | None:
        response = page.goto(live_site(path))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return None
        served = response.body()
        nu.add(path, served)
        html = served.decode()
        icons.add(favicon_href(html) or "")
        problems = [f"head: {problem}" for problem in head_problems(html)]
        problems += [f"axe: {violation}" for violation in axe_violations(page)]
        if problems:
            found[path] = problems
        return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")

    visited = crawl(start, visit, per_shape_limit=PER_SHAPE)
    for path, errors in nu.errors(java).items():
        found.setdefault(path, []).extend(f"nu: {error}" for error in errors)
    for icon in sorted(icons - {""}):
        answer = page.request.get(live_site(icon))
        if not (answer.ok and answer.headers["content-type"].startswith("image/")):
            found.setdefault(icon, []).append(f"favicon: {answer.status} {answer.headers.get('content-type')}")
    assert len(visited) > 10, visited
    assert not found, f"{role}, {language}, {len(visited)} pages, {len(found)} with problems:\n{_report(found)}"
