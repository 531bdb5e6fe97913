"""Forms for drafting and reviewing disclosures. Tables are lists of row sub-forms; blank rows are ignored."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from transparency.core.forms import DateText, Form, choices, HundredthsField, IdNumberField, MoneyField, SubForm
from transparency.disclosures.periods import PERIOD_KIND_LABELS

MAX_BODY = 20_000
MAX_ROWS = 1_000



class RowForm(SubForm):
    """A table row: skipped entirely when left blank, fully validated otherwise."""

    def validate(self, extra_validators: Any = None) -> bool:
        if self.is_blank():
            return True
        return super().validate(extra_validators)


class LedgerRowForm(RowForm):
    entry_date = DateText("日期", validators=[DataRequired("请填日期")])
    voucher_no = StringField("凭证号", validators=[DataRequired("请填凭证号"), Length(max=30)])
    account = StringField("会计科目", validators=[DataRequired("请填会计科目"), Length(max=60)])
    summary = StringField("摘要", validators=[DataRequired("请填摘要"), Length(max=500)])
    income = MoneyField("收入")
    expense = MoneyField("支出")


class ProgramTotalForm(RowForm):
    program = StringField("补贴项目", validators=[DataRequired("请填项目名称"), Length(max=60)])
    declared_total = MoneyField("合计金额", validators=[InputRequired("请填合计金额")])


class SubsidyRowForm(RowForm):
    program = StringField("补贴项目", validators=[DataRequired("请填补贴项目"), Length(max=60)])
    recipient = StringField("姓名", validators=[DataRequired("请填姓名"), Length(max=40)])
    id_number = IdNumberField("身份证号", validators=[Optional()])
    household = StringField("户主/户号", validators=[DataRequired("请填户主或户号"), Length(max=60)])
    basis_hundredths = HundredthsField("数量", validators=[InputRequired("请填数量")])
    basis_unit = SelectField("单位", choices=choices((unit, unit) for unit in ("亩", "人", "户")))
    rate = MoneyField("标准（元/单位）", validators=[Optional()])
    amount = MoneyField("金额", validators=[InputRequired("请填金额")])


class CompensationRowForm(RowForm):
    household = StringField("户主", validators=[DataRequired("请填户主"), Length(max=60)])
    parcel = StringField("地块", validators=[DataRequired("请填地块"), Length(max=60)])
    area_hundredths = HundredthsField("面积（亩）", validators=[InputRequired("请填面积")])
    land_amount = MoneyField("土地补偿")
    crop_amount = MoneyField("青苗补偿")
    relocation_amount = MoneyField("安置补助")
    paid_on = DateText("发放日期", validators=[Optional()])


class DisclosureForm(Form):
    """Fields every category has; the period fields exist only when a notice is created."""

    period_kind = SelectField("公开周期", choices=choices(PERIOD_KIND_LABELS.items()))
    year = IntegerField(
        "年份", validators=[Optional(), NumberRange(1990, 2100, "年份应在 1990 到 2100 之间")]
    )
    number = IntegerField("第几期（月份或季度）", validators=[Optional(), NumberRange(1, 12, "应在 1 到 12 之间")])
    day = DateText("事项日期", validators=[Optional()])
    title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=120, message="标题最多 120 字")])
    body = TextAreaField(
        "正文（可用 Markdown）",
        validators=[Length(max=MAX_BODY, message=f"正文最多 {MAX_BODY} 字")],
        render_kw={"rows": 8},
    )
    attachments = MultipleFileField("附件（JPEG、PNG 图片或 PDF，每个不超过 10 MB）")

    def validate_number(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data not in ("day", "year") and field.data is None:
            raise ValidationError("请填写第几月或第几季度")

    def validate_year(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data != "day" and field.data is None:
            raise ValidationError("请填写年份")

    def validate_day(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data == "day" and field.data is None:
            raise ValidationError("请填写事项发生的日期")


class FinanceForm(DisclosureForm):
    opening_balance = MoneyField("期初余额", allow_negative=True, validators=[Optional()])
    closing_balance = MoneyField("期末余额", allow_negative=True, validators=[Optional()])
    rows = FieldList(FormField(LedgerRowForm), min_entries=0, max_entries=MAX_ROWS)


class SubsidyForm(DisclosureForm):
    totals = FieldList(FormField(ProgramTotalForm), min_entries=0, max_entries=50)
    rows = FieldList(FormField(SubsidyRowForm), min_entries=0, max_entries=MAX_ROWS)


class CompensationForm(DisclosureForm):
    project_name = StringField("征地项目名称", validators=[Optional(), Length(max=120)])
    compensation_received = MoneyField("收到补偿款总额", validators=[Optional()])
    retained_by_collective = MoneyField("集体留存金额", validators=[Optional()])
    rows = FieldList(FormField(CompensationRowForm), min_entries=0, max_entries=MAX_ROWS)


class ReviewForm(Form):
    signed_name = StringField("签名（请输入您的姓名）", validators=[DataRequired("请签名"), Length(max=40)])
    note = TextAreaField("审核意见（可不填）", validators=[Length(max=2000)], render_kw={"rows": 3})


class ReturnForm(Form):
    reasons = TextAreaField(
        "退回理由",
        validators=[DataRequired("请写明退回理由，公开员会看到"), Length(max=2000)],
        render_kw={"rows": 4},
    )


class CorrectionForm(Form):
    reason = TextAreaField(
        "更正理由（会向村民公开）",
        validators=[DataRequired("请写明更正理由"), Length(min=4, max=1000, message="更正理由 4 到 1000 字")],
        render_kw={"rows": 4},
    )
