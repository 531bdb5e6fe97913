"""The faster attribute rendering writes exactly what WTForms' own would (core/form_html.py)."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import widgets
from wtforms.widgets import core as widgets_core

import transparency.core.forms  # noqa: F401  (installs the faster rendering, as the site does)
from transparency.core import form_html

CASES = [
    {},
    {"name": "title", "id": "title", "value": "村道路灯坏了"},
    {"value": "<script>alert(\"x\")</script> & 'quoted'"},
    {"value": Markup('already <b>"safe"</b>')},
    {"checked": True, "readonly": False, "name": "wants_public"},
    {"class_": "wide", "for_": "body", "data_testid": "x_y", "aria_describedby": "body-hint body-error"},
    {"rows": 8, "maxlength": 60, "value": None},
    {"label": _l("请选择村"), "value": ""},
    {"z": "last", "a": "first", "m": True},
    {"title": "中文 “引号” 和 <尖括号>"},
    {'on"x<y': "v", "b&c": True},
]


@pytest.mark.parametrize("attributes", CASES)
def test_the_same_markup_as_wtforms(app, attributes):
    with app.test_request_context():
        ours = form_html.html_params(**attributes)
        theirs = form_html.original_html_params(**attributes)
    assert isinstance(ours, Markup)
    assert ours == theirs


def test_installed_where_wtforms_looks():
    assert widgets_core.html_params is form_html.html_params
    assert widgets.html_params is form_html.html_params
    assert widgets_core.Input.html_params is form_html.html_params
    assert widgets_core.Button.html_params is form_html.html_params
