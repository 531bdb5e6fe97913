"""A PDF loads the project's own static files and nothing else: no file: URL, no remote URL,
even when a disclosure's Markdown (or raw HTML that slipped past cleaning) points at one."""

from __future__ import annotations

import datetime as dt
import socket
import urllib.request
from pathlib import Path

import pytest

from tests.printing.helpers import decision_content, publish
from transparency import PROJECT_ROOT
from transparency.disclosures.models import Category, PeriodKind
from transparency.printing import blueprint as printing_blueprint
from transparency.printing.fetcher import FetchRefused, StaticOnlyFetcher
from transparency.printing.pdf import html_to_pdf

BASE = "https://cwgk.example.cn/"
STATIC = PROJECT_ROOT / "static"
HOSTILE = [
    "file:///etc/passwd",
    "https://tracker.example.com/pixel.png",
    "http://169.254.169.254/latest/meta-data/",
    "https://evil.example.com/static/site.css",  # a static path on someone else's host
    "http://cwgk.example.cn/static/site.css",  # the right host, the wrong scheme
    BASE + "static/../../../../etc/passwd",
    BASE + "static/%2e%2e/%2e%2e/etc/passwd",
    BASE + "static/..%2f..%2fpyproject.toml",
    BASE + "attachments/1",
    BASE + "static/missing.css",
    BASE + "static/%00site.css",
    "data:text/css,body{background:url(file:///etc/passwd)}",
]


@pytest.fixture
def no_network_or_files(monkeypatch):
    """Any socket connection or urllib fetch during the test is a failure."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"the PDF renderer tried to reach out: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


@pytest.mark.parametrize("url", HOSTILE)
def test_fetcher_refuses_anything_but_a_static_file(url, no_network_or_files):
    fetcher = StaticOnlyFetcher(BASE, STATIC)
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.asked == [(url, False)]
    assert no_network_or_files == []


def test_fetcher_serves_the_projects_stylesheet_from_disk(no_network_or_files):
    fetcher = StaticOnlyFetcher(BASE, STATIC)
    response = fetcher.fetch(BASE + "static/printing/bulletin.css")
    assert response.read() == (STATIC / "printing" / "bulletin.css").read_bytes()
    assert response.content_type == "text/css"
    assert no_network_or_files == []


def test_raw_html_pointing_outside_is_rendered_without_fetching_it(no_network_or_files):
    html = """<!doctype html><html lang="zh-Hans"><head>
      <link rel="stylesheet" href="/static/printing/bulletin.css">
      <link rel="stylesheet" href="https://evil.example.com/x.css">
    </head><body><p>村务公开</p>
      <img src="file:///etc/passwd" alt="密码文件">
      <img src="https://tracker.example.com/pixel.png" alt="远程图片">
      <object data="file:///etc/hostname"></object>
      <p style="background: url(file:///etc/shadow)">背景</p>
    </body></html>"""
    rendered = html_to_pdf(html, base_url=BASE, static_root=STATIC)
    assert rendered.pdf.startswith(b"%PDF-")
    assert (BASE + "static/printing/bulletin.css", True) in rendered.asked
    assert set(rendered.refused) >= {
        "https://evil.example.com/x.css",
        "file:///etc/passwd",
        "https://tracker.example.com/pixel.png",
    }
    assert b"root:x:0:0" not in rendered.pdf
    assert no_network_or_files == []


@pytest.mark.pdf_tools
def test_a_notice_whose_markdown_points_at_files_and_remote_images_fetches_neither(
    app, world, client, monkeypatch, read_pdf
):
    content = decision_content()
    content.body = (
        "详见[附件](file:///etc/passwd)。\n\n"
        "![现场照片](https://tracker.example.com/pixel.png)\n\n"
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="https://evil.example.com/x.css">\n\n'
        "[本村网站](https://cun.example.cn/)"
    )
    with app.app_context():
        version = publish(world, Category.DECISIONS, content, kind=PeriodKind.DAY, day=dt.date(2026, 6, 1))

    renderings = []
    real_render = printing_blueprint.render_pdf

    def recording_render(*args, **kwargs):
        rendered = real_render(*args, **kwargs)
        renderings.append(rendered)
        return rendered

    monkeypatch.setattr(printing_blueprint, "render_pdf", recording_render)
    response = client.get(f"/d/{version.disclosure_id}/v/1/print.pdf")
    assert response.status_code == 200
    [rendered] = renderings
    asked = [url for url, _served in rendered.asked]
    assert asked == ["http://localhost/static/printing/bulletin.css"]  # the stylesheet, and nothing else
    text = read_pdf(response.data).text()
    assert "root:x" not in text
    # Markdown refuses the file: link, so it stays visible as text — on paper as online.
    assert "详见[附件](file:///etc/passwd)。" in text.replace("\n", "")


def test_static_root_is_the_only_folder_served(tmp_path: Path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.css").write_text("body{}")
    fetcher = StaticOnlyFetcher(BASE, tmp_path / "static")
    with pytest.raises(FetchRefused):
        fetcher.fetch(BASE + "static/../secret.css")
