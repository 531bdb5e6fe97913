"""期限规则: the administrator sees the deadlines in force, with their basis, and cannot edit them here."""

from __future__ import annotations

from tests.conftest import login_as


def test_the_administrator_reads_the_deadlines_in_force(app, world):
    html = login_as(app, "admin").get("/admin/deadline-rules").get_data(as_text=True)
    assert "决定是否受理" in html and "15 日" in html and "《信访工作条例》第二十三条" in html
    assert "财务收支" in html and "每季度" in html and "期满后次月 15 日前" in html
    assert "<form" not in html.split("<main")[1]  # read-only: the rules are the deployer's data


def test_only_the_administrator_opens_it(app, world):
    assert login_as(app, "clerk-a").get("/admin/deadline-rules").status_code == 403
