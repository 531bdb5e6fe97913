"""WTForms' own messages: in Chinese, from one catalogue parsed once per process and language."""

from __future__ import annotations

import wtforms

from transparency.core.forms import Form, choices


class Picker(Form):
    choice = wtforms.SelectField("选项", choices=choices([("1", "一")]))


def test_wtforms_messages_are_chinese_and_parsed_once(app):
    seen = []
    for _ in range(2):
        with app.test_request_context("/", method="POST", data={"choice": "9"}):
            form = Picker(meta={"csrf": False})
            assert not form.validate()
            assert form.errors == {"choice": ["不是有效的选择。"]}
            seen.append(form.meta.get_translations(form))
    assert seen[0] is seen[1]  # the second request did not load wtforms.mo again
