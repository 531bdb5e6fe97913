"""Forms for the administrator's pages."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from transparency.areas.models import AREA_LEVEL_LABELS
from transparency.core.forms import Form, choices
from transparency.core.translations import lazy_gettext as _l


class AreaForm(Form):
    code = StringField(
        _l("行政区划代码"),
        validators=[DataRequired(_l("请填写代码")), Regexp(r"^\d{12}$", message=_l("代码是 12 位数字"))],
    )
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称")), Length(max=60)])
    level = SelectField(_l("级别"), choices=choices(AREA_LEVEL_LABELS.items()))
    parent_code = StringField(
        _l("上级地区代码"),
        validators=[Length(max=12), Regexp(r"^(\d{12})?$", message=_l("代码是 12 位数字"))],
    )


class RedactionForm(Form):
    digest = StringField(
        _l("文字摘要（SHA-256）"),
        validators=[
            DataRequired(_l("请填写要删除的文字的摘要")),
            Regexp(r"^\s*[0-9a-fA-F]{64}\s*$", message=_l("摘要应是 64 位十六进制数字（SHA-256）。")),
        ],
    )
    reason = TextAreaField(
        _l("删除原因（公开显示）"),
        validators=[DataRequired(_l("请写明删除的原因。")), Length(max=500, message=_l("原因最多 500 个字。"))],
    )
