"""The second line of defence for personal data: what a public view outputs is masked.

The gate (personal_data.refuse_personal_data) keeps ID, mobile and card numbers out of texts that
can become public. Texts stored before it, or written around it, are masked here, at the two
places every public response is made: Jinja's `finalize` and `markdown` filter (HTML pages, Atom
feeds, the print PDF, all rendered by templates) and the JSON provider (every API response). Search documents,
downloads and the audit export mask in their own builders.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from transparency.core.markdown import render_markdown
from transparency.core.personal_data import mask_personal_data, may_need_masking
from transparency.core.security import PUBLIC


def is_public_output() -> bool:
    """Whether this request's view is on the public list (`@public`): anyone may read what it makes."""
    if not has_request_context() or request.endpoint is None:
        return False
    known = g.get("_public_output")
    if known is None:  # asked for each string a page prints: looked up once per request
        known = g._public_output = getattr(current_app.view_functions.get(request.endpoint), "access", None) == PUBLIC
    return known


def mask_strings(value: Any) -> Any:
    """`value` with every string in it (through dicts, lists and tuples) masked."""
    if isinstance(value, Markup):
        masked = mask_personal_data(str(value))
        return value if masked == value else Markup(masked)
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: mask_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_strings(item) for item in value]
    return value


def finalize(value: Any) -> Any:
    """Jinja's `finalize`: each plain string a public view prints is masked.

    Markup is left alone: it is a rendered form field (which must give back what was typed),
    a macro whose own expressions were masked already, or Markdown (masked by `markdown` below).
    A page prints hundreds of short texts without a long run of digits: those are let through
    before asking which view is answering (several context lookups each).
    """
    if isinstance(value, str) and not isinstance(value, Markup) and may_need_masking(value) and is_public_output():
        return mask_personal_data(value)
    return value


def markdown(text: str | None) -> Markup:
    """The `markdown` filter, masking the source first on public views."""
    return render_markdown(mask_personal_data(text or "") if is_public_output() else text)


class MaskingJSONProvider(DefaultJSONProvider):
    """`jsonify` for public views masks every string of the response."""

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if is_public_output():
            args = tuple(mask_strings(arg) for arg in args)
            kwargs = {key: mask_strings(item) for key, item in kwargs.items()}
        return super().response(*args, **kwargs)


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = finalize
    app.jinja_env.filters["markdown"] = markdown
    app.json = MaskingJSONProvider(app)
