"""Markdown bodies: what survives rendering and cleaning."""

from __future__ import annotations

from transparency.core.markdown import render_markdown


def test_a_table_column_keeps_its_alignment_as_a_class_not_an_obsolete_attribute():
    html = str(render_markdown("| 项目 | 金额 |\n|:--|--:|\n| 修路 | 1200 |\n"))
    assert '<th class="align-right">金额</th>' in html and '<td class="align-right">1200</td>' in html
    assert "align=" not in html and "style=" not in html
