"""The rows of one imported table through the web form's row form, each field's verdict on a
text worked out once.

A ledger of 50 000 rows repeats its dates, accounts and amounts thousands of times. A row
form's field whose validators read nothing but the field itself (required, length, optional)
gives the same data and the same messages for the same text, whatever the rest of the row
says; so each (field, text) goes through the field once and the verdict is remembered for the
rest of the table. The result is exactly that of `content.validate_row`, which still checks
every row the shortcut cannot vouch for: a row blank in every text field (the row form's own
rule accepts it as a whole), and every row of a form with other validators, inline
`validate_<field>` or `filter_<field>` methods, choices computed from the form or its own
`post_process`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from transparency.dataio.content import validate_row
from transparency.dataio.form_limits import choice_values
from transparency.dataio.layouts import Layout

# Validators that look at their own field only.
FIELD_LOCAL_VALIDATORS = (DataRequired, InputRequired, Length, Optional)
# Verdicts remembered per field: the distinct dates, accounts and amounts of any real table,
# while a column of texts that never repeat (摘要) cannot grow the memory without bound.
MAX_VERDICTS_PER_FIELD = 5_000

Verdict = tuple[Any, list[str]]


def checks_fields_alone(form: Any) -> bool:
    """True when every field of the (bound) row form is processed and checked on its own value only."""
    return type(form).post_process is BaseForm.post_process and all(
        getattr(form, f"validate_{name}", None) is None
        and getattr(form, f"filter_{name}", None) is None
        and not callable(getattr(field, "choices", None))
        and all(isinstance(validator, FIELD_LOCAL_VALIDATORS) for validator in field.validators)
        for name, field in form._fields.items()
    )


class RowChecker:
    """`check(values)` gives what `validate_row(layout, values)` gives: (line, []) or (None, problems)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.form = layout.row_form()
        self.fields_alone = checks_fields_alone(self.form)
        self.units = choice_values(layout.row_form, "basis_unit") if "basis_unit" in self.form else ()
        self.verdicts: dict[str, dict[str | None, Verdict]] = {name: {} for name in self.form._fields}

    def check(self, values: dict[str, str]) -> tuple[Any | None, list[tuple[str, str]]]:
        if not self.fields_alone or self._blank(values):
            return validate_row(self.layout, values, self.form)
        data: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for name, field in self.form._fields.items():
            value, messages = self._verdict(name, field, values.get(name))
            data[name] = value
            errors.extend((name, message) for message in messages)
        if errors:
            return None, errors
        for name, field in self.form._fields.items():
            field.data = data[name]
        return self.layout.to_line(self.form), []

    def _blank(self, values: dict[str, str]) -> bool:
        """The row form's `is_blank`: no text in any field but the selects."""
        return all(
            not str(values.get(name) or "").strip()
            for name, field in self.form._fields.items()
            if not isinstance(field, SelectField)
        )

    def _verdict(self, name: str, field: Any, text: str | None) -> Verdict:
        known = self.verdicts[name]
        verdict = known.get(text)
        if verdict is not None:
            return verdict
        # What Form.process and Form.validate do for this one field (an absent column sends nothing).
        formdata = MultiDict({name: text}) if text is not None else MultiDict()
        field.process(formdata)
        field.post_process(formdata)
        field.validate(self.form)
        messages = [str(message) for message in field.errors]
        if name == "basis_unit" and (text or "") not in self.units:
            messages = [_("单位应为 亩、人 或 户")]  # as validate_row says it
        verdict = (field.data, messages)
        if len(known) < MAX_VERDICTS_PER_FIELD:
            known[text] = verdict
        return verdict
