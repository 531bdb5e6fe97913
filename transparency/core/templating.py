"""Template filters and globals: money, masking, Markdown and local times."""

from __future__ import annotations

import datetime as dt

from flask import Flask, g
from flask_babel import gettext as _

from transparency.core import clock
from transparency.core.forms import fields_to_fix
from transparency.core.markdown import render_markdown
from transparency.core.money import format_hundredths, format_yuan
from transparency.core.personal_data import mask_id_number, mask_phone


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


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        yuan=format_yuan,
        hundredths=format_hundredths,
        mask_id=mask_id_number,
        mask_phone=mask_phone,
        markdown=render_markdown,
        local_time=local_time,
        chinese_date=chinese_date,
    )
    app.jinja_env.globals["fields_to_fix"] = fields_to_fix
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_account() -> dict[str, object]:
        return {"current_account": g.get("account"), "site_name": app.config["SITE_NAME"]}
