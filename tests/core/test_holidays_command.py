"""`transparency holidays show/add`: a year's schedule as ISO dates, and the deployer's additions."""

from __future__ import annotations

import datetime as dt

from transparency.core import counting


def test_show_prints_an_official_year_with_its_notice(runner):
    lines = runner.invoke(args=["holidays", "show", "2026"]).output.splitlines()
    assert lines[0] == "2026 年：正式安排（国办发明电〔2025〕7号）"
    assert "放假 2026-10-01" in lines and "调休上班 2026-10-10" in lines
    assert "放假 2026-10-10" not in lines


def test_show_says_a_year_without_a_notice_is_unverified(runner):
    lines = runner.invoke(args=["holidays", "show", "2027"]).output.splitlines()
    assert "节假日安排未经核实" in lines[0]
    assert "放假 2027-01-01" in lines
    assert not any(line.startswith("调休上班") for line in lines)


def test_add_writes_the_deployers_file_and_deadlines_follow(app, runner, tmp_path):
    app.config["HOLIDAYS_FILE"] = str(tmp_path / "holidays.toml")
    result = runner.invoke(
        args=["holidays", "add", "2027", "--notice", "国办发明电〔2026〕9号",
              "--rest", "2027-10-01..2027-10-07", "--rest", "2027-01-01", "--makeup", "2027-10-09"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 个放假日、1 个调休上班日" in result.output
    lines = runner.invoke(args=["holidays", "show", "2027"]).output.splitlines()
    assert lines[0] == "2027 年：正式安排（国办发明电〔2026〕9号）"
    assert "调休上班 2027-10-09" in lines and "放假 2027-10-07" in lines
    with app.app_context():
        due = counting.due_date(dt.date(2027, 9, 1), 30, "calendar")  # 10-01 is now a holiday
        assert due.date == dt.date(2027, 10, 8) and not due.depends_on_unofficial_year


def test_add_from_a_file(app, runner, tmp_path):
    app.config["HOLIDAYS_FILE"] = str(tmp_path / "holidays.toml")
    source = tmp_path / "notice.toml"
    source.write_text(
        '[2027]\nnotice = "国办发明电〔2026〕9号"\nofficial = true\nrest_days = [2027-05-03]\nmakeup_days = []\n'
    )
    result = runner.invoke(args=["holidays", "add", "2027", "--from-file", str(source)])
    assert result.exit_code == 0, result.output
    assert "放假 2027-05-03" in runner.invoke(args=["holidays", "show", "2027"]).output


def test_add_refuses_bad_input_and_writes_nothing(app, runner, tmp_path):
    target = tmp_path / "holidays.toml"
    app.config["HOLIDAYS_FILE"] = str(target)
    weekday_makeup = ["holidays", "add", "2027", "--notice", "x", "--rest", "2027-10-01", "--makeup", "2027-10-04"]
    result = runner.invoke(args=weekday_makeup)
    assert result.exit_code == 1 and "没有写入" in result.output and "not weekend days" in result.output
    result = runner.invoke(args=["holidays", "add", "2027", "--rest", "2027-10-01"])  # official, no notice
    assert result.exit_code == 1 and "notice" in result.output
    result = runner.invoke(args=["holidays", "add", "2027", "--rest", "2027-10-07..2027-10-01"])
    assert result.exit_code == 2 and "结束日期早于开始日期" in result.output
    assert runner.invoke(args=["holidays", "add", "2027"]).exit_code == 2
    assert not target.exists()
