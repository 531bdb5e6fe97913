"""The visitor's locale and catalogue, found with one lookup per string instead of nine.

Flask-Babel's `get_locale()` and `get_translations()` each walk the application context several
times (a proxy lookup costs microseconds), and the gettext it installs in Jinja does both for
every `_()` of a template: a public page asks for about a hundred strings, and `page_yuan` asks
for the locale once per money cell. Here the catalogue is kept on Flask-Babel's own per-request
namespace together with the locale (and domain) it was found for, so that `force_locale()` or
`refresh()`, which replace the locale there, are still obeyed: a catalogue is reused only while
the very locale and domain it was loaded for are the current ones.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, has_app_context
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString


def current_locale() -> Locale | None:
    """`flask_babel.get_locale()`: the request's locale, None outside an application context."""
    if not has_app_context():
        return None
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    return locale if locale is not None else get_locale()


def current_translations() -> NullTranslations:
    """`flask_babel.get_translations()`, remembered for the locale and domain it was loaded for."""
    if not has_app_context():
        return get_translations()
    context = g.get("_flask_babel")
    key = (getattr(context, "babel_locale", None), getattr(context, "babel_domain", None))
    kept = getattr(context, "template_translations", None)
    if kept is not None and key[0] is not None and kept[0] is key[0] and kept[1] is key[1]:
        return kept[2]
    translations = get_translations()  # sets babel_locale and babel_domain on the namespace
    context = g.get("_flask_babel")
    if context is not None:
        locale, domain = getattr(context, "babel_locale", None), getattr(context, "babel_domain", None)
        context.template_translations = (locale, domain, translations)
    return translations


def _gettext(string: str) -> str:
    return current_translations().ugettext(string)


def _ngettext(singular: str, plural: str, number: int) -> str:
    return current_translations().ungettext(singular, plural, number)


def _pgettext(context: str, string: str) -> str:
    return current_translations().upgettext(context, string)


def _npgettext(context: str, singular: str, plural: str, number: int) -> Any:
    return current_translations().unpgettext(context, singular, plural, number)


def init_app(app: Flask) -> None:
    """Jinja's `_()`, `gettext`, `ngettext`, … through `current_translations` (after Babel's init_app)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )


def gettext(string: str, **variables: Any) -> str:
    """`flask_babel.gettext` through `current_translations`, for helpers called once per cell."""
    translated = current_translations().ugettext(string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """`flask_babel.lazy_gettext` read through `current_translations` each time it is shown.

    A form's labels, choices and messages are lazy: the filing form reads about twenty-five of
    them per page, and Flask-Babel's own lazy string walks the context for locale and catalogue
    on each."""
    return LazyString(gettext, string, **variables)
