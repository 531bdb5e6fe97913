"""The search form: a GET form (no CSRF token, it changes nothing), every field optional."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Optional

from transparency.core import clock
from transparency.core.forms import Form, IntegerText, choices
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.models import CATEGORY_LABELS
from transparency.search.documents import KINDS

KIND_LABELS = {"disclosure": _l("公开内容"), "matter": _l("群众反映")}
FIRST_YEAR = 2000


class SearchForm(Form):
    class Meta(Form.Meta):
        csrf = False

    q = StringField(_l("搜索"))
    township = SelectField(_l("乡镇"), validators=[Optional()], validate_choice=True, coerce=str)
    village = SelectField(_l("村"), validators=[Optional()], validate_choice=True, coerce=str)
    category = SelectField(_l("类别"), validators=[Optional()], coerce=str)
    year = SelectField(_l("年份"), validators=[Optional()], coerce=str)
    kind = SelectField(_l("类型"), validators=[Optional()], coerce=str)
    sort = SelectField(
        _l("排序"), choices=choices([("relevance", _l("最相关")), ("date", _l("最新"))]), default="relevance"
    )
    page = IntegerText(low=1, high=10_000, default=1)

    def offer(self, townships: list, villages: list) -> None:
        """Fill the select options from the county's areas and the known categories and years."""
        anything = [("", _l("全部"))]
        self.township.choices = choices(anything + [(a.id, a.name) for a in townships])
        self.village.choices = choices(anything + [(a.id, a.parent.name + a.name) for a in villages])
        self.category.choices = choices(anything + list(CATEGORY_LABELS.items()))
        years = range(clock.today().year + 1, FIRST_YEAR - 1, -1)
        self.year.choices = choices(anything + [(y, str(y)) for y in years])
        self.kind.choices = choices(anything + [(k, KIND_LABELS[k]) for k in KINDS])
