"""Forms for filing, following and handling matters."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from transparency.complaints.models import LABELS, Channel, MatterKind, Rating
from transparency.complaints.services.reissue import IDENTITY_CHECKS
from transparency.core.forms import Form, IntegerText, NoPersonalData, choices
from transparency.core.translations import lazy_gettext as _l

# What a villager reads when a public text holds a phone, ID or card number.
NUMBERS_GO_IN_CONTACT = _l(
    "同意公开的事项里不能写电话、身份证号或银行卡号。电话请填在下面的“电话”栏，只有办理人能看到；"
    "其他号码请删去或只写后四位。"
)

PHONE = Regexp(r"^[0-9+\-\s]{7,20}$", message=_l("电话号码只能包含数字，7 到 20 位"))


class MatterForm(Form):
    """What a villager files (online), and what staff register for them."""

    kind = RadioField(
        _l("您要反映的是"),
        # Lazy labels, read in the page's language when the form is shown.
        choices=choices((k.value, LABELS[MatterKind][k]) for k in MatterKind),
        default=MatterKind.SUGGESTION.value,
        validators=[InputRequired(_l("请选择反映的类别"))],
    )
    village = SelectField(_l("哪个村的事"), validators=[DataRequired(_l("请选择村"))])
    title = StringField(
        _l("一句话说明"),
        validators=[
            DataRequired(_l("请用一句话说明是什么事")),
            Length(max=60, message=_l("一句话说明最多 60 字")),
            NoPersonalData(NUMBERS_GO_IN_CONTACT, only_if="wants_public"),
        ],
    )
    body = TextAreaField(
        _l("详细情况"),
        validators=[
            DataRequired(_l("请写下具体情况")),
            Length(max=5000, message=_l("详细情况最多 5000 字")),
            NoPersonalData(NUMBERS_GO_IN_CONTACT, only_if="wants_public"),
        ],
        render_kw={"rows": 8},
    )
    photos = MultipleFileField(_l("照片（可不传，最多 6 张，JPG 或 PNG）"))
    named_officials = StringField(
        _l("涉及的村干部姓名或职务（可不填）"), validators=[Length(max=100, message=_l("最多 100 字"))]
    )
    concerns_officials = BooleanField(_l("这件事涉及村干部"))
    concerns_township = BooleanField(_l("举报的是乡镇干部或乡镇纪检监察人员（由县纪检监察办理）"))
    identity = RadioField(
        _l("举报时是否留下真实姓名（只在选“举报”时需要）"),
        choices=choices([("anonymous", _l("匿名：不留姓名电话")), ("real_name", _l("实名：填写姓名和电话"))]),
        default="anonymous",
        validators=[Optional()],
    )
    wants_public = BooleanField(_l("同意在网上公开这件事和答复（不公开姓名、电话和照片）"))
    contact_name = StringField(_l("姓名（可不填）"), validators=[Length(max=20, message=_l("姓名最多 20 字"))])
    contact_phone = StringField(_l("电话（可不填）"), validators=[Optional(), PHONE])
    disclosure = HiddenField()
    form_token = HiddenField()
    # A honeypot: hidden from people by the style sheet; simple bots fill in every field.
    website = StringField(_l("请勿填写此栏"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    @property
    def real_name(self) -> bool:
        return self.kind.data == MatterKind.REPORT.value and self.identity.data == "real_name"

    def validate(self, extra_validators=None) -> bool:
        """A 实名 举报 needs name and phone (the phone field is otherwise optional)."""
        valid = super().validate(extra_validators)
        if self.real_name:
            for field, message in (
                (self.contact_name, _l("实名举报请填写姓名（只有办理人能看到）")),
                (self.contact_phone, _l("实名举报请填写电话（只有办理人能看到）")),
            ):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, str(message)]
                    valid = False
        return valid


class StaffMatterForm(MatterForm):
    channel = SelectField(
        _l("收到的方式"),
        # An empty first choice: who registers says how the matter came in, nothing is assumed.
        choices=choices(
            [("", _l("请选择收到的方式")), *((c.value, LABELS[Channel][c]) for c in Channel if c is not Channel.ONLINE)]
        ),
        validators=[DataRequired(_l("请选择收到的方式"))],
    )


class TrackForm(Form):
    number = StringField(
        _l("受理编号"),
        validators=[DataRequired(_l("请输入受理编号")), Length(max=40, message=_l("受理编号或查询码不对"))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},  # 2026-B-000495 after a restore
    )
    code = StringField(
        _l("查询码"),
        validators=[DataRequired(_l("请输入查询码")), Length(max=40, message=_l("受理编号或查询码不对"))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


class AddInformationForm(TrackForm):
    text = TextAreaField(
        _l("补充的情况"), validators=[Length(max=5000, message=_l("最多 5000 字"))], render_kw={"rows": 4}
    )
    photos = MultipleFileField(_l("补充照片（可不传）"))


class RateForm(TrackForm):
    rating = RadioField(
        _l("您对答复满意吗"),
        choices=choices((r.value, LABELS[Rating][r]) for r in Rating),
        validators=[InputRequired(_l("请选择满意、基本满意或不满意"))],
    )


class ReReviewRequestForm(TrackForm):
    reason = TextAreaField(
        _l("为什么申请复核"),
        validators=[
            DataRequired(_l("请写下申请复核的理由")),
            Length(max=3000, message=_l("最多 3000 字")),
        ],
        render_kw={"rows": 4},
    )


class ReviewRequestForm(TrackForm):
    reason = TextAreaField(
        _l("为什么申请复查"),
        validators=[
            DataRequired(_l("请写下申请复查的理由")),
            Length(max=3000, message=_l("最多 3000 字")),
        ],
        render_kw={"rows": 4},
    )


class StepForm(Form):
    """One handler step with an optional or required text (decline, reply, review answer, close)."""

    text = TextAreaField(
        _l("内容"),
        validators=[Length(max=5000, message=_l("最多 5000 字"))],
        render_kw={"rows": 5},
    )


class FinalMatterForm(Form):
    """Decline a new filing as the same facts as a matter already final."""

    final_number = StringField(
        _l("已终结事项的受理编号"),
        validators=[DataRequired(_l("请填写已终结事项的受理编号")), Length(max=20, message=_l("受理编号不对"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ConflictForm(Form):
    """回避: the reason stays with staff and the audit log, never on a public page."""

    reason = TextAreaField(
        _l("回避的理由（不公开）"),
        validators=[DataRequired(_l("请填写回避的理由")), Length(max=2000, message=_l("最多 2000 字"))],
        render_kw={"rows": 3},
    )


class ExtensionForm(Form):
    days = IntegerText(_l("延期天数"), validators=[InputRequired(_l("请填写延期天数"))], low=1, high=365)
    reason = TextAreaField(
        _l("延期理由（反映人能看到）"),
        validators=[DataRequired(_l("请填写延期理由")), Length(max=2000, message=_l("最多 2000 字"))],
        render_kw={"rows": 3},
    )


class ExtensionDecisionForm(Form):
    decision = RadioField(
        _l("审批意见"),
        choices=choices([("approve", _l("批准延期")), ("refuse", _l("不批准"))]),
        validators=[InputRequired(_l("请选择是否批准"))],
    )
    note = TextAreaField(_l("说明（不批准时必填）"), validators=[Length(max=2000)], render_kw={"rows": 3})


class ReissueCodeForm(Form):
    """Re-issue a lost code to the villager standing at the counter."""

    identity = RadioField(
        _l("怎样核实的身份"),
        choices=choices(IDENTITY_CHECKS.items()),
        validators=[InputRequired(_l("请选择怎样核实了反映人的身份"))],
    )
    knows_matter = BooleanField(
        _l("来人说得出反映的内容和大约的提交时间"),
        validators=[DataRequired(_l("来人须说得出反映的内容，才能重新发放查询码"))],
    )
