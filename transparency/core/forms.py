"""Form base class and field types shared by every capability.

Every text field is cleaned (control and zero-width characters dropped) and capped in
length; money, areas and dates parse into integers and dates with messages in Chinese.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import wtforms
from babel import support
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation

from transparency.core import clock, form_html
from transparency.core.integers import BadInteger, parse_int
from transparency.core.money import InvalidAmount, parse_hundredths, parse_yuan
from transparency.core.personal_data import InvalidIdNumber, PersonalDataFound, refuse_personal_data, validate_id_number
from transparency.core.text import clean_text
from transparency.core.translations import lazy_gettext as _l

EARLIEST_DATE = dt.date(1990, 1, 1)

form_html.install()  # every form of the site renders its attributes the faster way


@dataclass(frozen=True)
class FieldToFix:
    """One line of a form's error summary: the field's id (the link target), its label, the message."""

    field_id: str | None  # None: nothing on the page to point at (a hidden field, the whole form)
    label: str
    message: str


def fields_to_fix(form: Any) -> list[FieldToFix]:
    """Every field with an error, in the form's order, table rows and sub-forms included."""
    found: list[FieldToFix] = []

    def walk(field: Any, context: str) -> None:
        if isinstance(field, wtforms.FieldList):
            for number, entry in enumerate(field.entries, start=1):
                walk(entry, _("%(table)s第 %(n)s 行", table=field.label.text, n=number))
        elif isinstance(field, wtforms.FormField):
            for sub in field:
                walk(sub, context)
        elif field.errors:
            message = "；".join(str(error) for error in field.errors)
            hidden = isinstance(field, wtforms.HiddenField) or field.type == "CSRFTokenField"
            label = f"{context} {field.label.text}".strip()
            found.append(FieldToFix(None if hidden else field.id, "" if hidden else label, message))

    for field in form:
        walk(field, "")
    found.extend(FieldToFix(None, "", str(error)) for error in getattr(form, "form_errors", []))
    return found


def choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class _CleaningMeta:
    def bind_field(self, form: Any, unbound_field: UnboundField, options: dict[str, Any]) -> Field:
        field_class = unbound_field.field_class
        if issubclass(field_class, StringField) and not getattr(field_class, "cleans_itself", False):
            # A new tuple for this binding: the class-level unbound field is shared by every
            # instance, and adding to its kwargs would stack one more filter per form built.
            options = {**options, "filters": (clean_text, *unbound_field.kwargs.get("filters", ()))}
        return unbound_field.bind(form=form, **options)


@functools.cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    """A page's form: CSRF-protected, every text field cleaned."""

    class Meta(_CleaningMeta):
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the visitor's language, parsed once per process and language
            (Flask-WTF would read and parse wtforms.mo again in every request that builds a form)."""
            if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _wtforms_translations(str(get_locale()))


class SubForm(wtforms.Form):
    """A repeated part of a page's form (one table row): cleaned, no token of its own."""

    class Meta(_CleaningMeta):
        # WTForms' own messages (too long, not a valid choice) in Chinese, as on the page forms.
        locales = ("zh",)

    def is_blank(self) -> bool:
        """Nothing typed in any text input (a select always has a value, so it does not count)."""
        return all(
            not (field.raw_data and any(str(v).strip() for v in field.raw_data))
            for field in self
            if not isinstance(field, wtforms.SelectField)
        )


class _ParsedTextField(StringField):
    """A text input whose value parses into something else; keeps what was typed on error."""

    cleans_itself = True

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = clean_text(valuelist[0]) if valuelist else ""
        self.data = None
        self.parse_error = None  # a form processed again (one per imported row) starts clean
        if self.raw:
            try:
                self.data = self.parse(self.raw)
            except ValueError as error:
                self.data = None
                self.parse_error = str(error)

    def process_data(self, value: Any) -> None:
        self.data = value
        self.raw = None

    def pre_validate(self, form: Any) -> None:
        if getattr(self, "parse_error", None):
            # Stop here: DataRequired would otherwise replace the message with "please fill in".
            raise StopValidation(self.parse_error)

    def _value(self) -> str:
        if self.raw is not None:
            return self.raw
        return "" if self.data is None else self.display(self.data)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def display(self, value: Any) -> str:
        return str(value)


class MoneyField(_ParsedTextField):
    """Yuan as typed ('1,234.50'), fen as data (123450)."""

    def __init__(self, *args: Any, allow_negative: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.allow_negative = allow_negative

    def parse(self, text: str) -> int:
        try:
            return parse_yuan(text, allow_negative=self.allow_negative)
        except InvalidAmount as error:
            raise ValueError(str(error)) from None

    def display(self, value: int) -> str:
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


class HundredthsField(_ParsedTextField):
    """Areas in mu or headcounts ('12.5'), integer hundredths as data (1250)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def parse(self, text: str) -> int:
        try:
            return parse_hundredths(text, what=str(self.label.text))
        except InvalidAmount as error:
            raise ValueError(str(error)) from None

    def display(self, value: int) -> str:
        whole, part = divmod(value, 100)
        return str(whole) if part == 0 else f"{whole}.{part:02d}"


def parse_date(text: str) -> dt.date:
    """2025-03-01, 2025/3/1, 2025.3.1 or 2025年3月1日, within a sane range. Raises ValueError with a message."""
    normalised = text.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    try:
        year, month, day = (int(part) for part in normalised.split("-"))
        value = dt.date(year, month, day)
    except (ValueError, OverflowError):  # OverflowError: a year with twenty digits
        raise ValueError(_("日期格式不对，应写成 2025-03-01")) from None
    latest = clock.today() + dt.timedelta(days=366)
    if not EARLIEST_DATE <= value <= latest:
        raise ValueError(_("日期应在 %(first)s 年到 %(last)s 年之间", first=EARLIEST_DATE.year, last=latest.year))
    return value


class DateText(_ParsedTextField):
    """A date typed as 2025-03-01 (or 2025/3/1, 2025.3.1, 2025年3月1日), within a sane range.

    The example is a hint under the label (the field's description), never a placeholder: a grey
    date in the box looks like a date already filled in. `picker=True` renders `<input type=date>`
    (the browser's calendar, which sends 2025-03-01)."""

    def __init__(self, *args: Any, picker: bool = False, **kwargs: Any) -> None:
        # No numeric keypad for typed dates: on many phones it has no "-".
        attributes = {"type": "date", "min": EARLIEST_DATE.isoformat()} if picker else {}
        kwargs.setdefault("render_kw", {**attributes, "autocomplete": "off"})
        kwargs.setdefault("description", "" if picker else _l("按 2025-03-01 的样子填写"))
        super().__init__(*args, **kwargs)

    def parse(self, text: str) -> dt.date:
        return parse_date(text)

    def display(self, value: dt.date) -> str:
        return value.isoformat()


class IntegerText(_ParsedTextField):
    """A whole number typed in ASCII digits within low..high (core/integers.py), as data an int."""

    def __init__(self, *args: Any, low: int, high: int, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.low, self.high = low, high

    def parse(self, text: str) -> int:
        try:
            return parse_int(text, low=self.low, high=self.high)
        except BadInteger as error:
            raise ValueError(str(error)) from None


def ascii_int(value: Any) -> int:
    """`coerce=` for selects whose values are ids: ASCII digits only. Raises ValueError."""
    return value if isinstance(value, int) else parse_int(str(value), low=0, high=2**63 - 1)


class IdNumberField(_ParsedTextField):
    """An 18-digit resident ID number, checked (check digit, birth date)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"autocomplete": "off", "maxlength": "18"})
        super().__init__(*args, **kwargs)

    def parse(self, text: str) -> str:
        try:
            return validate_id_number(text)
        except InvalidIdNumber as error:
            raise ValueError(str(error)) from None


class NoPersonalData:
    """Validator: the personal-data gate on a text that can be shown publicly.

    Staff see where the number is (`where`, else the field's label; line and column); a villager's form passes
    `message` to say plainly where such numbers belong instead. `only_if` names a boolean field
    of the form: the text is checked only when it is set (a matter the villager wants public).
    """

    def __init__(self, message: Any = None, *, where: Any = None, only_if: str | None = None) -> None:
        self.message = message
        self.where = where
        self.only_if = only_if

    def __call__(self, form: Any, field: Field) -> None:
        if self.only_if is not None and not form[self.only_if].data:
            return
        try:
            refuse_personal_data(
                field.data if isinstance(field.data, str) else "", where=str(self.where or field.label.text)
            )
        except PersonalDataFound as found:
            raise StopValidation(str(self.message) if self.message is not None else str(found)) from None
