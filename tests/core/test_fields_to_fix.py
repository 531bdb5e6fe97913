"""The error summary's lines: each field to fix with its id for the link, none for hidden fields."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from transparency.core.forms import DateText, FieldToFix, Form, fields_to_fix


class _Example(Form):
    name = StringField("姓名", validators=[DataRequired("请填姓名")])
    note = StringField("备注", validators=[Length(max=3, message="最多 3 字")])
    day = DateText("日期")
    token = HiddenField(validators=[DataRequired("页面已过期")])


def test_each_field_with_an_error_is_listed_in_order_and_blank_optional_ones_are_not(app):
    with app.test_request_context(method="POST"):
        form = _Example(MultiDict({"note": "太长的备注", "day": ""}), meta={"csrf": False})
        assert not form.validate()
        assert fields_to_fix(form) == [
            FieldToFix("name", "姓名", "请填姓名"),
            FieldToFix("note", "备注", "最多 3 字"),
            FieldToFix(None, "", "页面已过期"),  # nothing on the page to point at
        ]
