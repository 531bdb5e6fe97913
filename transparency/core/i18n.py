"""Flask-Babel. Source strings are written in Simplified Chinese and marked with _() where they
are built (gettext) or _l() where they are defined at import time (lazy_gettext: form labels,
validator messages, label tables); `make messages` extracts both. The Chinese msgids are the
source of truth; transparency/translations/en holds the English catalogue, compiled to .mo by
`make install` (`make translations`).

The visitor's language: ?lang= on one request, else the cookie set by the 中文 / English link in
every page's header (/language/<code>, no JavaScript needed), else the browser's Accept-Language,
else Chinese."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, redirect, request, url_for
from flask_babel import Babel, get_locale

from transparency.core import translations
from transparency.core.security import public, safe_next_url

babel = Babel()

# How each language names itself in the switcher, and its tag on the link (hreflang / lang).
LANGUAGE_NAMES = {"zh_Hans": "中文", "en": "English"}


def select_locale() -> str | None:
    """The visitor's language; None (the default locale) outside a request, e.g. in the CLI."""
    if not has_request_context():
        return None
    supported = current_languages()
    chosen = request.args.get("lang") or request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    if chosen in supported:
        return chosen
    return from_accept_language(supported) or supported[0]


def from_accept_language(supported: list[str]) -> str | None:
    """The first language the browser asks for, in its order of preference, that we have:
    'zh-CN, en;q=0.8' is Chinese. (werkzeug's best_match would pick en, since only en is an exact
    match for one of ours and zh-CN matches zh_Hans only by its primary subtag.)"""
    by_tag = {bcp47(code).lower(): code for code in supported}
    by_primary: dict[str, str] = {}
    for code in supported:
        by_primary.setdefault(bcp47(code).split("-")[0].lower(), code)
    for value, _quality in request.accept_languages:
        tag = bcp47(value).lower()
        if tag in by_tag:
            return by_tag[tag]
        if tag.split("-")[0] in by_primary:
            return by_primary[tag.split("-")[0]]
    return None


def current_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def bcp47(code: str) -> str:
    """Babel's zh_Hans is written zh-Hans in HTML."""
    return code.replace("_", "-")


def html_lang() -> str:
    """The page's BCP 47 language tag."""
    locale = get_locale()
    return bcp47(str(locale)) if locale is not None else "zh-Hans"


def is_chinese() -> bool:
    """True when the page is in Chinese (the source language), also outside a request."""
    locale = translations.current_locale()  # asked once per money cell
    return locale is None or locale.language == "zh"


def _back_to() -> str:
    """The page the link was on: ?next= if given, else the Referer when it is this site's own
    address (browsers send it for a same-site link; the policy is same-origin), else home."""
    if request.args.get("next"):
        return safe_next_url(request.args.get("next"), "/")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc == request.host and referrer.scheme in ("http", "https"):
        return safe_next_url(referrer.path + (f"?{referrer.query}" if referrer.query else ""), "/")
    return "/"


@public
def choose_language(code: str) -> Response:
    """Remember the language in a cookie and go back to the page the link was on."""
    response = redirect(_back_to(), code=303)
    if code in current_languages():
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE_NAME"],
            code,
            max_age=current_app.config["LANGUAGE_COOKIE_MAX_AGE"],
            samesite="Lax",
            secure=request.is_secure,
            httponly=True,
        )
    return response


def language_links() -> list[dict[str, object]]:
    """The header's switcher: each language, a link that sets it, and whether it is the current one."""
    current = str(get_locale())
    return [
        {
            "code": code,
            "tag": bcp47(code),
            "name": LANGUAGE_NAMES.get(code, code),
            # The same link on every page: the way back is the Referer, so no page's address
            # (a matter's number, a search) is copied into its links.
            "url": url_for("language", code=code),
            "current": code == current,
        }
        for code in current_languages()
    ]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    translations.init_app(app)  # the templates' gettext, one lookup per string
    app.add_url_rule("/language/<code>", "language", choose_language)

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        # The same address answers in either language: shared caches must keep them apart.
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def inject_html_lang() -> dict[str, object]:
        return {"html_lang": html_lang(), "language_links": language_links}
