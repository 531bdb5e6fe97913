"""Templates find the visitor's catalogue once per request, and still follow force_locale()."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from transparency.core.personal_data import mask_personal_data, may_need_masking
from transparency.core.translations import current_locale, gettext, lazy_gettext
from transparency.disclosures.models import Category
from transparency.obligations.calendar import DueStatus


def test_a_template_follows_a_forced_locale_within_one_request(app):
    template = "{{ _('首页') }}|{{ _('%(n)s 个村', n=3) }}"
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert render_template_string(template) == "首页|3 个村"
        with force_locale("en"):
            assert render_template_string(template) == "Home|3 villages"
            assert gettext("首页") == "Home" and str(current_locale()) == "en"
        assert render_template_string(template) == "首页|3 个村"
        assert gettext("%(n)s 个村", n=2) == "2 个村"


def test_a_lazy_text_is_read_in_the_language_of_the_moment_it_is_shown(app):
    label, counted = lazy_gettext("请选择村"), lazy_gettext("%(n)s 个村", n=3)
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert (str(label), str(counted)) == ("请选择村", "3 个村")
        with force_locale("en"):
            assert (str(label), str(counted)) == ("Please choose a village", "3 villages")
            assert render_template_string("{{ label }}", label=label) == "Please choose a village"
            assert Category.FINANCE.label == "Finances" and DueStatus.OPEN.label == "Not yet due"
        assert str(label) == "请选择村" and DueStatus.OPEN.label == "未到期"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert str(label) == "Please choose a village"
    assert str(label) == "请选择村"  # outside a request: the source text


def test_outside_a_request_the_source_text_is_given():
    assert gettext("首页") == "首页" and current_locale() is None
    assert str(lazy_gettext("首页")) == "首页"


def test_a_text_said_not_to_need_masking_is_left_as_it_is():
    samples = [
        "",
        "石桥村",
        "2025年第1季度",
        "凭证 2501-001",
        "1380013",
        "0.68999999999999",
        "３２０１０２１９９００３０７１２３４",
    ]
    samples += ["13800138000", "320102199003071234", "6222 0212 3456 7890 123"]
    for text in samples:
        if not may_need_masking(text):
            assert mask_personal_data(text) is text, text
    assert may_need_masking("手机 13800138000") and mask_personal_data("手机 13800138000") == "手机 138****8000"
