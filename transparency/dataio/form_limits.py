"""The limits an import applies, read from the web forms' own fields, so a file can never carry
what the web page would refuse (nor be refused what the page accepts).

The forms are read as classes (their unbound fields), so this works outside a request too.
Raises LookupError when a form has no such field or the field declares no such limit: a
programming error, caught by the tests, never a silent default.
"""

from __future__ import annotations

from typing import Any

from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from transparency.core.forms import MoneyField


def _field(form: type, name: str) -> UnboundField:
    field = getattr(form, name, None)
    if not isinstance(field, UnboundField):
        raise LookupError(f"{form.__name__} has no field {name!r}")
    return field


def _validators(field: UnboundField) -> list[Any]:
    if "validators" in field.kwargs:
        return list(field.kwargs["validators"] or ())
    return list(field.args[1]) if len(field.args) > 1 else []


def max_length(form: type, name: str) -> int:
    """The longest text the form's field `name` accepts (its Length validator's max)."""
    limits = [v.max for v in _validators(_field(form, name)) if isinstance(v, Length) and v.max >= 0]
    if not limits:
        raise LookupError(f"{form.__name__}.{name} has no maximum length")
    return min(limits)


def is_money(form: type, name: str) -> bool:
    """Whether the form's field `name` is an amount of money (yuan typed, fen stored)."""
    return issubclass(_field(form, name).field_class, MoneyField)


def allows_negative(form: type, name: str) -> bool:
    """Whether the form's money field `name` accepts a negative amount (an overdrawn balance)."""
    field = _field(form, name)
    if not issubclass(field.field_class, MoneyField):
        raise LookupError(f"{form.__name__}.{name} is not a money field")
    return bool(field.kwargs.get("allow_negative", False))


def choice_values(form: type, name: str) -> tuple[str, ...]:
    """The values the form's select field `name` offers."""
    offered = _field(form, name).kwargs["choices"]
    return tuple(str(c.value if isinstance(c, SelectChoice) else c[0]) for c in offered)
