"""Template filters and globals: money, masking, Markdown and local times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_currency
from flask import Flask, g
from flask_babel import format_date, get_locale
from markupsafe import Markup, escape

from transparency.core import clock
from transparency.core.forms import fields_to_fix
from transparency.core.i18n import is_chinese
from transparency.core.markdown import render_markdown
from transparency.core.money import format_hundredths, format_yuan
from transparency.core.personal_data import mask_id_number, mask_phone
from transparency.core.translations import gettext as _  # Flask-Babel's, with fewer lookups per string


def local_time(value: dt.datetime | None) -> str:
    """'2025年3月1日 14:05' in the deployment's time zone (China Standard Time by default)."""
    if value is None:
        return ""
    local = value.astimezone(clock.zone())
    return _("%(date)s %(time)s", date=chinese_date(local.date()), time=f"{local:%H:%M}")


def chinese_date(value: dt.date | None) -> str:
    """'2025年3月1日'."""
    if value is None:
        return ""
    return _("%(year)s年%(month)s月%(day)s日", year=value.year, month=value.month, day=value.day)


def page_date(value: dt.date | None) -> str:
    """A date as the page's language writes it: '2025年3月1日', or 'Mar 1, 2025' in English.

    chinese_date stays the one used for data (search text, file names); pages use this."""
    if value is None:
        return ""
    if is_chinese():
        return chinese_date(value)
    return format_date(value, "medium")


def page_time(value: dt.datetime | None) -> str:
    """A moment in the deployment's time zone, in the page's language: 'Mar 1, 2025 14:05'."""
    if value is None:
        return ""
    if is_chinese():
        return local_time(value)
    local = value.astimezone(clock.zone())
    return f"{format_date(local.date(), 'medium')} {local:%H:%M}"


def page_yuan(fen: int | None, *, symbol: bool = True) -> str:
    """Money in the page's language: '¥1,234.56' in Chinese, 'CN¥1,234.56' in English (Babel's
    CLDR data), where a bare ¥ could be read as Japanese yen."""
    if fen is None or not symbol or is_chinese():
        return format_yuan(fen, symbol=symbol)
    return format_currency(Decimal(fen) / 100, "CNY", locale=get_locale())


class Punctuation:
    """Chinese punctuation written around data in templates (“名字（角色）”, “甲，乙”, “标题：”),
    in the page's language: {{ punct.comma }}, {{ name|paren }}."""

    @property
    def comma(self) -> str:
        return _("，")

    @property
    def colon(self) -> str:
        return _("：")

    @property
    def enum(self) -> str:
        return _("、")

    @property
    def semicolon(self) -> str:
        return _("；")

    @property
    def stop(self) -> str:
        return _("。")


def parenthesized(text: object) -> Markup:
    """'（村务公开员）', or ' (Village clerk)' in English; the text is escaped, unless already markup."""
    return Markup(escape(_("（%(text)s）"))) % {"text": text}


def chinese_data(text: object) -> object:
    """Chinese data (a regulation's name, say) on an English page, marked lang="zh-Hans" so that
    screen readers and the English page check know it is not untranslated UI text."""
    if is_chinese() or not text:
        return text
    return Markup('<span lang="zh-Hans">%s</span>') % text


# The units a subsidy row is counted in, stored as the Chinese word (the form's choices).
UNITS = ("亩", "人", "户")


def unit_label(unit: str | None) -> str:
    """'亩', or 'mu' in English: the stored unit through the catalogue, other text unchanged."""
    return _(unit) if unit in UNITS else (unit or "")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["punct"] = Punctuation()
    app.jinja_env.filters.update(
        yuan=page_yuan,
        hundredths=format_hundredths,
        mask_id=mask_id_number,
        mask_phone=mask_phone,
        markdown=render_markdown,
        local_time=page_time,
        chinese_date=page_date,
        paren=parenthesized,
        zh_data=chinese_data,
        unit=unit_label,
    )
    app.jinja_env.globals["fields_to_fix"] = fields_to_fix
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_account() -> dict[str, object]:
        # The default name "村务公开" is also a msgid, so it reads in English; a deployer's own
        # name is looked up too and stays as written when the catalogue does not have it.
        return {"current_account": g.get("account"), "site_name": _(app.config["SITE_NAME"])}
