"""WTForms' attribute rendering, the same markup for a tenth of the cost (issue 16, filing).

Every widget WTForms renders (inputs, options, labels, text areas) writes its attributes with
`wtforms.widgets.core.html_params`, which formats each attribute through `Markup.format`, a
`string.Formatter` written in Python: about half of the time of rendering 我要反映 went there
(44 calls per page). `html_params` below returns the very same `Markup` (keys escaped, values
escaped with `"` as `&quot;`, `True` as the bare name, `False` left out, sorted by key) with one
f-string per attribute; `install()` puts it where WTForms looks it up. The tests compare the two
on every kind of value.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields import core as fields_core
from wtforms.widgets import core as widgets_core
from wtforms.widgets.core import clean_key

_QUOTE, _ESCAPED_QUOTE = Markup('"'), Markup("&quot;")
original_html_params = widgets_core.html_params


def html_params(**kwargs: Any) -> Markup:
    """`wtforms.widgets.html_params`, without `Markup.format`."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(clean_key(key))
        if value is True:
            params.append(name)
        elif value is not False:
            params.append(f'{name}="{escape(value).replace(_QUOTE, _ESCAPED_QUOTE)}"')
    return Markup(" ".join(params))


def install() -> None:
    """Make WTForms' widgets and labels use `html_params` (idempotent).

    The module function serves Select, TextArea, the option and list widgets; Input and Button
    hold it as a static method of their own; Label reads it from the `wtforms.widgets` package.
    """
    widgets_core.html_params = html_params
    widgets.html_params = html_params
    widgets_core.Input.html_params = staticmethod(html_params)
    widgets_core.Button.html_params = staticmethod(html_params)
    assert fields_core.widgets is widgets  # Label's lookup goes through the package
