"""Forms for the administrator's pages."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from transparency.areas.models import AreaLevel
from transparency.core.forms import Form, choices


class AreaForm(Form):
    code = StringField(
        "行政区划代码",
        validators=[DataRequired("请填写代码"), Regexp(r"^\d{12}$", message="代码是 12 位数字")],
    )
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=60)])
    level = SelectField("级别", choices=choices((level, level.label) for level in AreaLevel))
    parent_code = StringField(
        "上级地区代码",
        validators=[Length(max=12), Regexp(r"^(\d{12})?$", message="代码是 12 位数字")],
    )
