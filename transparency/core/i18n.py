"""Flask-Babel. Source strings are written in Simplified Chinese and marked with _();
an English catalogue in transparency/translations/ can follow without touching code."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

babel = Babel()


def select_locale() -> str:
    supported = current_languages()
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or supported[0]


def current_languages() -> list[str]:
    from flask import current_app

    return list(current_app.config["LANGUAGES"])


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
