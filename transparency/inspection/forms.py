"""The CSV export's choices."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField

from transparency.core.forms import Form, choices
from transparency.core.translations import lazy_gettext as _l
from transparency.obligations.years import year_choices

TABLES = [("summary", _l("各村公开汇总")), ("periods", _l("逐期公开明细")), ("complaints", _l("各村群众反映"))]


class ExportForm(Form):
    table = SelectField(_l("表格"), choices=choices(TABLES), default="summary")
    year = SelectField(_l("年份"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year.choices = choices([("all", _l("全部年份")), *((str(y), str(y)) for y in year_choices())])
