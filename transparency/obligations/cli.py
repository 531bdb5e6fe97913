"""`transparency obligations …`: show and change what villages must disclose, and by when."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.core.db import db

obligations_group = AppGroup("obligations", help="村务公开的期限规则（公开日历依据）。")


@obligations_group.command("show", help="列出正在执行的规则（法定默认值加上本地修改）。")
def show_command() -> None:
    from transparency.obligations.rules import obligations_start, rules_in_force

    click.echo(_("自 %(date)s 起计算（配置项 OBLIGATIONS_START）", date=obligations_start().isoformat()))
    for (category, flag), rule in sorted(rules_in_force(db.session).items()):
        term = (
            _("次月 %(day)s 日前", day=rule.cutoff_day)
            if rule.periodic
            else _("%(n)s 日内", n=rule.within_days)
            if rule.within_days is not None
            else ""
        )
        click.echo(f"{category.value:<18} {flag or '*':<18} {rule.cadence.value:<12} {term}")


@obligations_group.command("set", help="设定一类事项的规则，例如：set finance --cadence quarterly --cutoff-day 15")
@click.argument("category")
@click.option(
    "--cadence",
    required=True,
    type=click.Choice(["monthly", "quarterly", "half_yearly", "yearly", "after_event", "none"]),
)
@click.option("--flag", "village_flag", default="", help="只适用于有此标记的村，例如 many_transactions")
@click.option("--cutoff-day", type=int, default=None, help="期满后次月的第几日前公开")
@click.option("--within-days", type=int, default=None, help="事项发生后几日内公开")
def set_command(
    category: str, cadence: str, village_flag: str, cutoff_day: int | None, within_days: int | None
) -> None:
    from transparency.disclosures.models import Category
    from transparency.obligations.models import Cadence
    from transparency.obligations.services import InvalidRule, set_rule

    try:
        chosen = Category(category)
    except ValueError:
        raise click.ClickException(_("没有这个类别：%(name)s", name=category)) from None
    try:
        set_rule(
            db.session,
            actor=None,
            category=chosen,
            cadence=Cadence(cadence),
            village_flag=village_flag,
            cutoff_day=cutoff_day,
            within_days=within_days,
        )
    except InvalidRule as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("规则已保存。"))


@obligations_group.command("flag", help="给村加上或去掉标记，例如：flag 511399101201 many_transactions")
@click.argument("village_code")
@click.argument("flag", type=click.Choice(["many_transactions"]))
@click.option("--off", is_flag=True, help="去掉标记")
def flag_command(village_code: str, flag: str, off: bool) -> None:
    from transparency.areas.models import AreaLevel
    from transparency.areas.services import area_by_code
    from transparency.obligations.models import VillageFlag
    from transparency.obligations.services import set_flag

    village = area_by_code(db.session, village_code, AreaLevel.VILLAGE)
    if village is None:
        raise click.ClickException(_("没有代码为 %(code)s 的村", code=village_code))
    set_flag(db.session, actor=None, village=village, flag=VillageFlag(flag), on=not off)
    db.session.commit()
    click.echo(_("已更新 %(name)s 的标记。", name=village.name))


@obligations_group.command(
    "rebuild-status", help="从头重建看板和公开日历读取的状态表（升级后、每年初或改了节假日、办理期限文件后运行）。"
)
def rebuild_status_command() -> None:
    from transparency.obligations.status import rebuild

    labels = {"villages": _("各村应公开事项"), "matters": _("群众反映的办理期限")}

    def progress(what: str, done: int, total: int) -> None:
        click.echo(f"{labels[what]} {done}/{total}", err=True)

    build = rebuild(db.session, progress)
    db.session.commit()
    click.echo(_("状态表已重建，存到 %(date)s。", date=build.through.isoformat()))
