"""The demo county, swept as a stranger would: every page, feed, API answer, download, a sample of
the PDFs, the audit export and the search index on disk hold no unmasked ID, mobile or card number.

Where test_personal_data_sweep plants numbers to prove the masking, this walks what the demo
really publishes by following its links from the home page, so a new page or field is covered
the day it is linked."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from transparency.core.personal_data import mask_personal_data
from transparency.search.backends import index_path

pytestmark = pytest.mark.pdf_tools

SEEDS = ["/", "/api/v1/disclosures", "/api/v1/matters", "/audit/export.jsonl", "/audit/head", "/api/v1/audit/head"]
NOT_PUBLIC = ("/static/", "/login", "/logout", "/manage", "/admin", "/inspect", "/complaints/new", "/track")
MAX_PAGES = 1000
MAX_PDFS = 6  # a print takes seconds; a sample of each kind is enough for the walk
_LINK = re.compile(r'(?:href|src)="([^"#]+)', re.I)
_JSON_PATH = re.compile(r'"(/(?:d|m|v|t|api)/[^"\s]*)"')


def _text(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def _unmasked(text: str) -> list[str]:
    """Where masking would change the text: a number the public must not see, in its context."""
    found = []
    for line in text.splitlines():
        masked = mask_personal_data(line)
        if masked != line:
            at = next(i for i, (a, b) in enumerate(zip(line, masked, strict=False)) if a != b)
            found.append(line[max(0, at - 40) : at + 40])
    return found


def _links(url: str, body: str) -> list[str]:
    found = [urljoin(url, link.replace("&amp;", "&")) for link in _LINK.findall(body)]
    found += _JSON_PATH.findall(body)
    return [link for link in found if not urlsplit(link).netloc]


def _walk(client) -> tuple[dict[str, list[str]], int, int]:
    queue, seen, leaks, pdfs, read = deque(SEEDS), set(SEEDS), {}, 0, 0
    while queue and read < MAX_PAGES:
        url = queue.popleft()
        if url.endswith(".pdf") or "print.pdf" in url:
            if pdfs >= MAX_PDFS:
                continue
            pdfs += 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        read += 1
        text = _text(response.get_data())
        if found := _unmasked(text):
            leaks[url] = found
        if response.mimetype in ("text/html", "application/json", "application/atom+xml"):
            for link in _links(url, text):
                if link not in seen and not link.startswith(NOT_PUBLIC):
                    seen.add(link)
                    queue.append(link)
    return leaks, read, pdfs


def test_the_demo_publishes_no_unmasked_personal_number(app, runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    leaks, read, pdfs = _walk(app.test_client())
    assert read > 300 and pdfs >= 1  # the walk really read the demo county, PDFs included
    for path in Path(index_path(app)).rglob("*"):
        if path.is_file() and (found := _unmasked(path.read_bytes().decode("utf-8", "replace"))):
            leaks[str(path)] = found
    assert leaks == {}, json.dumps(leaks, ensure_ascii=False, indent=1)[:3000]
