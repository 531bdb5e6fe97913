"""The audit log browser's filters (a GET form: no CSRF token, nothing changes)."""

from __future__ import annotations

import re
from typing import Any

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from transparency.core.forms import DateText, Form
from transparency.core.integers import BadInteger, parse_int
from transparency.core.translations import lazy_gettext as _l
from transparency.inspection.audit_labels import ACTION_GROUPS, ACTION_LABELS, OBJECT_LABELS

ACTION_PATTERN = re.compile(r"^[a-z_]+(\.[a-z_]+)?\.?$")
MAX_PAGE = 1_000_000


class AuditFilterForm(Form):
    actor = StringField(_l("操作人（用户名）"), validators=[Optional(), Length(max=40)])
    village = StringField(_l("村（名称或 12 位代码）"), validators=[Optional(), Length(max=40)])
    # Chosen from the labelled list; any well-formed code still filters (a link from elsewhere may carry one).
    action = SelectField(_l("操作"), validators=[Optional(), Length(max=60)], validate_choice=False)
    object_type = SelectField(_l("对象类型"), validators=[Optional(), Length(max=40)], validate_choice=False)
    object_id = StringField(_l("对象编号"), validators=[Optional(), Length(max=40)])
    date_from = DateText(_l("从哪天起"), validators=[Optional()], picker=True)
    date_to = DateText(_l("到哪天止"), validators=[Optional()], picker=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = SelectChoice("", _l("全部"))
        self.action.choices = [
            everything,
            *(SelectChoice(code, label, optgroup=_l("一类操作")) for code, label in ACTION_GROUPS.items()),
            *(SelectChoice(code, label, optgroup=_l("单项操作")) for code, label in ACTION_LABELS.items()),
        ]
        self.object_type.choices = [everything, *(SelectChoice(code, label) for code, label in OBJECT_LABELS.items())]

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
