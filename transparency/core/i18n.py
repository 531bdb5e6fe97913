"""Flask-Babel. Source strings are written in Simplified Chinese and marked with _() where they
are built (gettext) or _l() where they are defined at import time (lazy_gettext: form labels,
validator messages, label tables); `make messages` extracts both. An English catalogue in
transparency/translations/ can follow without touching code."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale

babel = Babel()


def select_locale() -> str | None:
    """The visitor's language; None (the default locale) outside a request, e.g. in the CLI."""
    if not has_request_context():
        return None
    supported = current_languages()
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or supported[0]


def current_languages() -> list[str]:
    from flask import current_app

    return list(current_app.config["LANGUAGES"])


def html_lang() -> str:
    """The page's BCP 47 language tag: Babel's zh_Hans is written zh-Hans in HTML."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else "zh-Hans"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def inject_html_lang() -> dict[str, str]:
        return {"html_lang": html_lang()}
