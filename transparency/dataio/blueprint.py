"""Spreadsheets on the web: the clerk's upload with its problem list, templates, public downloads."""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from transparency.accounts.models import Role
from transparency.core import clock
from transparency.core.db import db
from transparency.core.public_output import mask_strings
from transparency.core.security import public, requires
from transparency.dataio.forms import SpreadsheetUploadForm
from transparency.dataio.layouts import LAYOUTS
from transparency.dataio.parsing import read_table
from transparency.dataio.serialize import version_document
from transparency.dataio.table_reader import ParsedTable
from transparency.dataio.writing import XLSX_MEDIA_TYPE, template_xlsx, to_csv, version_rows, version_xlsx
from transparency.disclosures import services
from transparency.disclosures.access import NotYourVillage
from transparency.disclosures.drafting import period_from_form, suggest_period
from transparency.disclosures.forms import MAX_ROWS
from transparency.disclosures.models import Category
from transparency.disclosures.people import robots_headers
from transparency.disclosures.periods import InvalidPeriod
from transparency.disclosures.queries import published_version_or_404

bp = Blueprint("dataio", __name__)

UNPROCESSABLE = 422


def _layout(category: str):
    try:
        return LAYOUTS[Category(category)]
    except (ValueError, KeyError):
        abort(404)


@bp.route("/manage/import/<category>", methods=["GET", "POST"])
@requires(Role.CLERK)
def upload(category: str):
    """从表格导入: the accountant's spreadsheet becomes a draft of the clerk's village, or a problem list.

    Nothing is saved unless the whole file is valid; the draft then goes through the normal review.
    """
    layout = _layout(category)
    form = SpreadsheetUploadForm()
    if not form.is_submitted():
        suggest_period(form, layout.category, clock.today())
        return render_template("dataio/upload.html", form=form, layout=layout, parsed=None, **_limits())
    parsed: ParsedTable | None = None
    problems: list[str] = []
    if form.validate():
        with form.spreadsheet.data.stream as stream:  # a large upload is a temporary file: close it now
            data = stream.read(current_app.config["MAX_SPREADSHEET_BYTES"] + 1)
        if len(data) > current_app.config["MAX_SPREADSHEET_BYTES"]:
            problems.append(
                _(
                    "文件超过 %(size)s，没有读取。请删去无关的工作表或分成几个文件上传。",
                    size=size_text(current_app.config["MAX_SPREADSHEET_BYTES"]),
                )
            )
        else:
            parsed = read_table(layout, data, max_rows=MAX_ROWS, title=form.title.data)
            if parsed.ok:
                try:
                    kind, start, end = period_from_form(form)
                    version = services.start_disclosure(
                        db.session,
                        actor=g.account,
                        village=g.account.area,
                        category=layout.category,
                        period_kind=kind,
                        period_start=start,
                        period_end=end,
                        content=parsed.content,
                    )
                except InvalidPeriod as error:
                    problems.append(str(error))
                except NotYourVillage as error:
                    abort(403, str(error))
                else:
                    flash(_("已从表格读入 %(rows)s 行，保存为草稿。请核对后“提交审核”。", rows=parsed.rows_read))
                    for note in parsed.notes:
                        flash(note)
                    return redirect(url_for("manage.show", version_id=version.id))
    return render_template(
        "dataio/upload.html", form=form, layout=layout, parsed=parsed, problems=problems, **_limits()
    ), UNPROCESSABLE


def _limits() -> dict[str, object]:
    return {"max_rows": MAX_ROWS, "max_size": size_text(current_app.config["MAX_SPREADSHEET_BYTES"])}


@bp.get("/data/templates/<category>.xlsx")
@public
def template(category: str):
    """The blank XLSX for one table type: Chinese headers and an example row."""
    layout = _layout(category)
    return _download(template_xlsx(layout), XLSX_MEDIA_TYPE, _("%(name)s模板.xlsx", name=layout.name))


@bp.get("/d/<int:disclosure_id>/v/<int:number>.<any(csv, xlsx, json):fmt>")
@public
def download(disclosure_id: int, number: int, fmt: str):
    """Any published version as CSV, XLSX or JSON, with personal data masked as on the public page."""
    version = published_version_or_404(db.session, disclosure_id, number)
    disclosure = version.disclosure
    name = f"{disclosure.village.name}-{version.title}-v{number}.{fmt}"
    if fmt == "csv":
        response = _download(to_csv(version_rows(version)), "text/csv; charset=utf-8", name)
    elif fmt == "xlsx":
        response = _download(version_xlsx(version), XLSX_MEDIA_TYPE, name)
    else:
        body = json.dumps(mask_strings(version_document(version)), ensure_ascii=False, indent=2)
        response = _download(body.encode(), "application/json", name)
    response.headers.update(robots_headers(disclosure))
    return response


def size_text(size: int) -> str:
    """10485760 → '10 MB'; 2048 → '2 KB'."""
    return f"{size // 1048576} MB" if size >= 1048576 else f"{size // 1024} KB"


def _download(data: bytes, media_type: str, filename: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_context_processor
def spreadsheet_categories() -> dict[str, object]:
    """The categories a clerk can import from a spreadsheet (for the dashboard's links)."""
    return {"spreadsheet_categories": list(LAYOUTS)}
