"""`transparency holidays …`: look at a year's holiday schedule, and add one to the deployer's file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.core import workdays


class IsoDates(click.ParamType):
    """One ISO date (2027-10-01) or an inclusive run of them (2027-10-01..2027-10-07)."""

    name = "YYYY-MM-DD[..YYYY-MM-DD]"
    runs = True  # whether 日期..日期 is accepted

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> list[dt.date]:
        if isinstance(value, list):
            return value
        first, dots, last = str(value).partition("..")
        try:
            if dots and not self.runs:
                raise ValueError(value)
            start, end = iso_date(first), iso_date(last or first)
        except ValueError:
            self.fail(_("“%(value)s”不是 YYYY-MM-DD 格式的日期", value=value), param, ctx)
        if end < start:
            self.fail(_("“%(value)s”的结束日期早于开始日期", value=value), param, ctx)
        return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def iso_date(text: str) -> dt.date:
    """A date written exactly as YYYY-MM-DD. Raises ValueError otherwise."""
    text = text.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def deployer_file() -> Path:
    """The deployer's holiday file: HOLIDAYS_FILE (by default holidays.toml in the instance folder)."""
    return Path(current_app.config["HOLIDAYS_FILE"])


@click.group("holidays", cls=AppGroup, help="节假日安排（放假日和调休上班日）。")
def holidays_group() -> None:
    pass


@holidays_group.command("show", help="列出某年的放假日和调休上班日，并说明是否为国务院办公厅通知的正式安排。")
@click.argument("year", type=click.IntRange(1990, 2100))
def show_command(year: int) -> None:
    try:
        found = workdays.schedule(year)
    except workdays.InvalidHolidayFile as error:
        raise click.ClickException(_("节假日文件有误：%(error)s", error=error)) from error
    if found.official:
        click.echo(_("%(year)s 年：正式安排（%(notice)s）", year=year, notice=found.notice))
    else:
        click.echo(_("%(year)s 年：节假日安排未经核实（holidays 库的推算，没有调休上班日）", year=year))
    for day in sorted(found.rest_days):
        click.echo(_("放假 %(day)s", day=day.isoformat()))
    for day in sorted(found.makeup_days):
        click.echo(_("调休上班 %(day)s", day=day.isoformat()))


@holidays_group.command("add", help="把某年的节假日安排写入本站的节假日文件（替换该年原有的安排）。")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.option("--rest", "rest", multiple=True, type=IsoDates(), help="放假日，可写成 日期..日期，可重复。")
@click.option("--makeup", "makeup", multiple=True, type=IsoDates(), help="调休上班日，可重复。")
@click.option("--notice", help="国务院办公厅通知的文号，例如 国办发明电〔2026〕9号。")
@click.option("--from-file", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="从同格式的 TOML 文件读取该年的安排。")  # fmt: skip
@click.option("--unofficial", is_flag=True, help="尚未核对通知的临时安排（期限仍标“未经核实”）。")
def add_command(
    year: int, rest: tuple[list[dt.date], ...], makeup: tuple[list[dt.date], ...],
    notice: str | None, source: Path | None, unofficial: bool,
) -> None:  # fmt: skip
    rest_days = {day for run in rest for day in run}
    makeup_days = {day for run in makeup for day in run}
    official = not unofficial
    if source is not None:
        if rest_days or makeup_days:
            raise click.UsageError(_("--from-file 与 --rest/--makeup 只能选一种"))
        try:
            years = workdays.load_file(source)
        except workdays.InvalidHolidayFile as error:
            raise click.ClickException(_("节假日文件有误：%(error)s", error=error)) from error
        if year not in years:
            raise click.ClickException(_("%(file)s 里没有 %(year)s 年的安排", file=source, year=year))
        found = years[year]
        rest_days, makeup_days, notice, official = (
            set(found.rest_days),
            set(found.makeup_days),
            found.notice,
            found.official,
        )
    elif not rest_days:
        raise click.UsageError(_("请用 --rest 列出放假日，或用 --from-file 指定文件"))
    target = deployer_file()
    try:
        stored = workdays.add_year(target, year, rest_days, makeup_days, notice, official=official)
    except workdays.InvalidHolidayFile as error:
        raise click.ClickException(_("没有写入：%(error)s", error=error)) from error
    click.echo(
        _("已写入 %(file)s：%(year)s 年 %(rest)s 个放假日、%(makeup)s 个调休上班日。", file=target, year=year,
          rest=len(stored.rest_days), makeup=len(stored.makeup_days))
    )  # fmt: skip
