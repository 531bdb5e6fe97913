"""Markdown bodies: rendered by markdown-it with raw HTML off, then cleaned by nh3."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# markdown-it aligns table columns with a style attribute, which the CSP and nh3 drop, and HTML
# no longer has an `align` attribute: a class of site.css carries the alignment instead.
_ALIGN_STYLE = re.compile(r'<(t[hd]) style="text-align:(left|right|center)">')
_ALIGN_CLASSES = {f"align-{side}" for side in ("left", "right", "center")}


def render_markdown(source: str | None) -> Markup:
    """Safe HTML for a Markdown body. Headings are shifted down so the page keeps one h1."""
    if not source:
        return Markup("")
    html = _renderer.render(source).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    html = _ALIGN_STYLE.sub(r'<\1 class="align-\2">', html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"th": _ALIGN_CLASSES, "td": _ALIGN_CLASSES},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)
