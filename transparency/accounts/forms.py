"""Login and account forms."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from transparency.accounts.models import ROLE_LABELS
from transparency.accounts.services import MIN_PASSWORD_LENGTH
from transparency.core.forms import Form, choices


class LoginForm(Form):
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=40)])
    password = PasswordField("密码", validators=[DataRequired("请填写密码"), Length(max=200)])


class AccountForm(Form):
    username = StringField(
        "用户名",
        validators=[
            DataRequired("请填写用户名"),
            Length(min=3, max=40, message="用户名 3 到 40 个字符"),
            Regexp(r"^[a-z0-9_.-]+$", message="用户名只能用小写字母、数字和 _ . -"),
        ],
    )
    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=40)])
    role = SelectField("角色", choices=choices(ROLE_LABELS.items()))
    area_code = StringField(
        "所属地区代码",
        description="12 位行政区划代码；系统管理员不填",
        validators=[Length(max=12), Regexp(r"^(\d{12})?$", message="地区代码是 12 位数字")],
    )
    password = PasswordField(
        "初始密码",
        validators=[
            DataRequired("请设置初始密码"),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=f"密码至少 {MIN_PASSWORD_LENGTH} 位"),
        ],
    )
