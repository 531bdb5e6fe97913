"""The clerk's spreadsheet upload: the period of the new disclosure, an optional title, the file."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from transparency.core.translations import lazy_gettext as _l
from transparency.dataio.form_limits import max_length
from transparency.disclosures.forms import DisclosureForm


class SpreadsheetUploadForm(DisclosureForm):
    """The period fields and their checks come from the drafting form; the rows from the file."""

    title = StringField(
        _l("标题（不填则用表格里“标题”一行）"),
        validators=[Optional(), Length(max=max_length(DisclosureForm, "title"), message=_l("标题最多 %(max)s 字"))],
    )
    spreadsheet = FileField(
        _l("表格文件（.xlsx 或 .csv）"),
        validators=[FileRequired(_l("请选择要上传的表格文件"))],
        render_kw={"accept": ".xlsx,.csv"},
    )
    # Not used here: the body comes from the file's 说明 line, attachments are added afterwards.
    body = None
    attachments = None
    remove_attachments = None
    add_rows = None
