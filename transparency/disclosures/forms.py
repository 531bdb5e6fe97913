"""Forms for drafting and reviewing disclosures. Tables are lists of row sub-forms; blank rows are ignored."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import (
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from transparency.core.forms import (
    DateText,
    Form,
    HundredthsField,
    IdNumberField,
    IntegerText,
    MoneyField,
    NoPersonalData,
    SubForm,
    ascii_int,
    choices,
)
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.chart_of_accounts import DATALIST_ID as ACCOUNTS_LIST
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
    entry_date = DateText(_l("日期"), validators=[DataRequired(_l("请填日期"))])
    voucher_no = StringField(_l("凭证号"), validators=[DataRequired(_l("请填凭证号")), Length(max=30)])
    account = StringField(
        _l("会计科目"),
        validators=[DataRequired(_l("请填会计科目")), Length(max=60)],
        render_kw={"list": ACCOUNTS_LIST, "autocomplete": "off"},  # the standard accounts; others may be typed
    )
    summary = StringField(_l("摘要"), validators=[DataRequired(_l("请填摘要")), Length(max=500)])
    income = MoneyField(_l("收入"))
    expense = MoneyField(_l("支出"))


class ProgramTotalForm(RowForm):
    program = StringField(_l("补贴项目"), validators=[DataRequired(_l("请填项目名称")), Length(max=60)])
    declared_total = MoneyField(_l("合计金额"), validators=[InputRequired(_l("请填合计金额"))])


class SubsidyRowForm(RowForm):
    program = StringField(_l("补贴项目"), validators=[DataRequired(_l("请填补贴项目")), Length(max=60)])
    recipient = StringField(_l("姓名"), validators=[DataRequired(_l("请填姓名")), Length(max=40)])
    id_number = IdNumberField(_l("身份证号"), validators=[Optional()])
    household = StringField(_l("户主/户号"), validators=[DataRequired(_l("请填户主或户号")), Length(max=60)])
    basis_hundredths = HundredthsField(_l("数量"), validators=[InputRequired(_l("请填数量"))])
    basis_unit = SelectField(_l("单位"), choices=choices([("亩", _l("亩")), ("人", _l("人")), ("户", _l("户"))]))
    rate = MoneyField(_l("标准（元/单位）"), validators=[Optional()])
    amount = MoneyField(_l("金额"), validators=[InputRequired(_l("请填金额"))])


class CompensationRowForm(RowForm):
    household = StringField(_l("户主"), validators=[DataRequired(_l("请填户主")), Length(max=60)])
    parcel = StringField(_l("地块"), validators=[DataRequired(_l("请填地块")), Length(max=60)])
    area_hundredths = HundredthsField(_l("面积（亩）"), validators=[InputRequired(_l("请填面积"))])
    land_amount = MoneyField(_l("土地补偿"))
    crop_amount = MoneyField(_l("青苗补偿"))
    relocation_amount = MoneyField(_l("安置补助"))
    paid_on = DateText(_l("发放日期"), validators=[Optional()])
    # Kept only as a keyed hash with the household head's name (查我家), never as a number.
    id_number = IdNumberField(_l("户主身份证号"), validators=[Optional()])


class DisclosureForm(Form):
    """Fields every category has; the period fields exist only when a disclosure is created."""

    period_kind = SelectField(_l("公开周期"), choices=choices(PERIOD_KIND_LABELS.items()))
    year = IntegerText(_l("年份"), validators=[Optional()], low=1990, high=2100)
    number = IntegerText(_l("第几期（月份或季度）"), validators=[Optional()], low=1, high=12)
    day = DateText(_l("事项日期"), validators=[Optional()])
    title = StringField(
        _l("标题"), validators=[DataRequired(_l("请填写标题")), Length(max=120, message=_l("标题最多 120 字"))]
    )
    body = TextAreaField(
        _l("正文"),
        validators=[Length(max=MAX_BODY, message=_l("正文最多 %(max)s 字"))],  # Length fills in %(max)s
        render_kw={"rows": 8},
    )
    attachments = MultipleFileField(_l("附件（JPEG、PNG 图片或 PDF，每个不超过 10 MB）"))
    # Choices are the version's own attachments, set by the view; anything else is refused.
    remove_attachments = SelectMultipleField(
        _l("勾选要删除的附件"),
        coerce=ascii_int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    # "再加 5 行": re-show the form with more blank rows, saving nothing.
    add_rows = SubmitField(_l("再加 5 行"))

    def validate_number(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data not in ("day", "year") and field.data is None:
            raise ValidationError(_l("请填写第几月或第几季度"))

    def validate_year(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data != "day" and field.data is None:
            raise ValidationError(_l("请填写年份"))

    def validate_day(self, field: Any) -> None:
        if "period_kind" in self and self.period_kind.data == "day" and field.data is None:
            raise ValidationError(_l("请填写事项发生的日期"))


class FinanceForm(DisclosureForm):
    opening_balance = MoneyField(_l("期初余额"), allow_negative=True, validators=[Optional()])
    closing_balance = MoneyField(_l("期末余额"), allow_negative=True, validators=[Optional()])
    carry_over_reason = TextAreaField(
        _l("期初与上期期末不符的原因（会向村民公开）"),
        validators=[
            Length(max=1000, message=_l("原因最多 1000 字")),
            NoPersonalData(where=_l("期初与上期期末不符的原因")),
        ],
        render_kw={"rows": 3},
    )
    # Re-show the form with 期末余额 = 期初余额 + 收入 − 支出 filled in, saving nothing.
    compute_closing = SubmitField(_l("按下面的明细计算期末余额"))
    rows = FieldList(FormField(LedgerRowForm), _l("明细账"), min_entries=0, max_entries=MAX_ROWS)


class SubsidyForm(DisclosureForm):
    totals = FieldList(FormField(ProgramTotalForm), _l("项目合计"), min_entries=0, max_entries=50)
    rows = FieldList(FormField(SubsidyRowForm), _l("发放名单"), min_entries=0, max_entries=MAX_ROWS)


class CompensationForm(DisclosureForm):
    project_name = StringField(_l("征地项目名称"), validators=[Optional(), Length(max=120)])
    compensation_received = MoneyField(_l("收到补偿款总额"), validators=[Optional()])
    retained_by_collective = MoneyField(_l("集体留存金额"), validators=[Optional()])
    land_rate = MoneyField(_l("土地补偿标准（元/亩）"), validators=[Optional()])
    crop_rate = MoneyField(_l("青苗补偿标准（元/亩）"), validators=[Optional()])
    relocation_rate = MoneyField(_l("安置补助标准（元/亩）"), validators=[Optional()])
    rows = FieldList(FormField(CompensationRowForm), _l("分配明细"), min_entries=0, max_entries=MAX_ROWS)


class ReviewForm(Form):
    signed_name = StringField(_l("签名（请输入您的姓名）"), validators=[DataRequired(_l("请签名")), Length(max=40)])
    note = TextAreaField(
        _l("审核意见（可不填）"),
        validators=[Length(max=2000), NoPersonalData(where=_l("审核意见"))],
        render_kw={"rows": 3},
    )


class ReturnForm(Form):
    reasons = TextAreaField(
        _l("退回理由"),
        validators=[
            DataRequired(_l("请写明退回理由，公开员会看到")),
            Length(max=2000),
            NoPersonalData(where=_l("退回理由")),
        ],
        render_kw={"rows": 4},
    )


class CorrectionForm(Form):
    reason = TextAreaField(
        _l("更正理由（会向村民公开）"),
        validators=[
            DataRequired(_l("请写明更正理由")),
            Length(min=4, max=1000, message=_l("更正理由 4 到 1000 字")),
            NoPersonalData(where=_l("更正理由")),
        ],
        render_kw={"rows": 4},
    )


class DiscardForm(Form):
    """Confirms throwing away an unpublished draft; the confirmation is the token itself."""
