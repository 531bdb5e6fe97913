"""Files a browser asks for at the site's root, whatever page it is on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app

from transparency.core.security import public

FAVICON_MAX_AGE = 7 * 24 * 3600  # a week: the icon changes with a release, if ever


@cache
def _icon(static_folder: str) -> bytes:
    return (Path(static_folder) / "favicon.ico").read_bytes()


@public
def favicon() -> Response:
    """/favicon.ico: asked for by browsers that do not read the pages' SVG icon link. Sent from
    memory (a few hundred bytes), so no response holds a file open."""
    assert current_app.static_folder is not None
    response = Response(_icon(current_app.static_folder), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = FAVICON_MAX_AGE
    return response


def init_app(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", favicon)
