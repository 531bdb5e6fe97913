"""Files a browser asks for at the site's root, whatever page it is on."""

from __future__ import annotations

from flask import Flask, Response, current_app

from transparency.core.security import public


@public
def favicon() -> Response:
    """/favicon.ico: asked for by browsers that do not read the pages' SVG icon link."""
    return current_app.send_static_file("favicon.ico")


def init_app(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", favicon)
