"""The 查我家 lookup form on a village's pages."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from transparency.core.forms import Form
from transparency.core.translations import lazy_gettext as _l


class HouseholdLookupForm(Form):
    """A household head's name and the last four characters of their ID number (never stored)."""

    name = StringField(
        _l("户主姓名"),
        validators=[DataRequired(_l("请填写户主姓名")), Length(max=40, message=_l("姓名最多 40 字"))],
        render_kw={"autocomplete": "off"},
    )
    last4 = StringField(
        _l("户主身份证号后四位"),
        validators=[
            DataRequired(_l("请填写身份证号的后四位")),
            Regexp(r"^\s*[0-9]{3}[0-9Xx]\s*$", message=_l("请填写身份证号的最后四位：数字，最后一位也可以是 X")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "text", "maxlength": 4},
    )
