"""Login and account forms."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from transparency.accounts.models import ROLE_LABELS
from transparency.accounts.services import MIN_PASSWORD_LENGTH
from transparency.core.forms import Form, choices
from transparency.core.translations import lazy_gettext as _l


class LoginForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名")), Length(max=40)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码")), Length(max=200)])


class AccountForm(Form):
    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(_l("请填写用户名")),
            Length(min=3, max=40, message=_l("用户名 3 到 40 个字符")),
            Regexp(r"^[a-z0-9_.-]+$", message=_l("用户名只能用小写字母、数字和 _ . -")),
        ],
    )
    display_name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名")), Length(max=40)])
    role = SelectField(_l("角色"), choices=choices(ROLE_LABELS.items()))
    area_code = StringField(
        _l("所属地区代码"),
        description=_l("12 位行政区划代码；系统管理员不填"),
        validators=[Length(max=12), Regexp(r"^(\d{12})?$", message=_l("地区代码是 12 位数字"))],
    )
    password = PasswordField(
        _l("初始密码"),
        validators=[
            DataRequired(_l("请设置初始密码")),
            # Length fills in %(min)s itself.
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("密码至少 %(min)s 位")),
        ],
    )
