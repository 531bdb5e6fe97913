"""The audit log browser's filters (a GET form: no CSRF token, nothing changes)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from transparency.core.forms import DateText, Form
from transparency.core.integers import BadInteger, parse_int

ACTION_PATTERN = re.compile(r"^[a-z_]+(\.[a-z_]+)?\.?$")
MAX_PAGE = 1_000_000


class AuditFilterForm(Form):
    actor = StringField(_l("操作人（用户名）"), validators=[Optional(), Length(max=40)])
    village = StringField(_l("村（名称或 12 位代码）"), validators=[Optional(), Length(max=40)])
    action = StringField(
        _l("操作（如 disclosure.publish，或 disclosure 表示全部公开操作）"), validators=[Optional(), Length(max=60)]
    )
    object_type = StringField(_l("对象类型（如 disclosure、account）"), validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("对象编号"), validators=[Optional(), Length(max=40)])
    date_from = DateText(_l("从（日期）"), validators=[Optional()])
    date_to = DateText(_l("到（日期）"), validators=[Optional()])
    page = StringField(_l("页码"), validators=[Optional(), Length(max=12)])

    def validate_action(self, field: Any) -> None:
        if field.data and not ACTION_PATTERN.match(field.data):
            raise ValidationError(_l("操作名称只能由小写字母、下划线和点组成，例如 disclosure.publish"))

    def validate_object_type(self, field: Any) -> None:
        if field.data and not re.fullmatch(r"[a-z_]+", field.data):
            raise ValidationError(_l("对象类型只能由小写字母和下划线组成，例如 disclosure"))

    def validate_date_to(self, field: Any) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("结束日期早于开始日期，请对调后再查"))

    def validate_page(self, field: Any) -> None:
        if field.data and not _page(field.data):
            raise ValidationError(_l("页码应是 1 以上的整数"))

    @property
    def page_number(self) -> int:
        return _page(self.page.data or "") or 1


class VerifyForm(Form):
    """The one-button chain verification: only the CSRF token."""


def _page(text: str) -> int | None:
    """The page number typed, or None when it is not one."""
    try:
        return parse_int(text, low=1, high=MAX_PAGE)
    except BadInteger:
        return None
