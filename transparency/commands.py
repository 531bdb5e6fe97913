"""The database, area, account and demo commands, added to Flask's CLI by the factory."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _

from transparency.core.db import db


@click.group("db", cls=AppGroup, help="数据库结构（Alembic 迁移）。")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="把数据库升级到最新结构。")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    from transparency.core import migrations

    migrations.upgrade(revision)
    click.echo(_("数据库已是最新结构。"))


@db_group.command("downgrade", help="把数据库退回到指定版本。")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    from transparency.core import migrations

    migrations.downgrade(revision)


@db_group.command("current", help="显示数据库当前的结构版本。")
def db_current() -> None:
    from transparency.core import migrations

    migrations.current()


@db_group.command("revision", help="根据模型的变化生成新的迁移脚本（开发用）。")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    from transparency.core import migrations

    migrations.revision(message)


@click.command("create-area", help="添加地区：县、乡镇或村。")
@click.option("--code", required=True, help="12 位行政区划代码")
@click.option("--name", required=True)
@click.option("--level", type=click.Choice(["county", "township", "village"]), required=True)
@click.option("--parent", "parent_code", default=None, help="上级地区的代码")
@with_appcontext
def create_area_command(code: str, name: str, level: str, parent_code: str | None) -> None:
    from transparency.areas.models import AreaLevel
    from transparency.areas.services import InvalidArea, area_by_code, create_area

    parent = area_by_code(db.session, parent_code) if parent_code else None
    if parent_code and parent is None:
        raise click.ClickException(_("没有代码为 %(code)s 的地区", code=parent_code))
    try:
        create_area(db.session, actor=None, code=code, name=name, level=AreaLevel(level), parent=parent)
    except InvalidArea as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("已添加 %(name)s（%(code)s）", name=name, code=code))


@click.command("create-user", help="建立工作人员账户。")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="姓名（审核签名用）")
@click.option("--role", type=click.Choice(["clerk", "reviewer", "inspector", "admin"]), required=True)
@click.option("--area", "area_code", default=None, help="所属地区代码（管理员不填）")
@click.password_option("--password", prompt="密码", confirmation_prompt="再输一次")
@with_appcontext
def create_user_command(username: str, display_name: str, role: str, area_code: str | None, password: str) -> None:
    from transparency.accounts.models import Role
    from transparency.accounts.services import DuplicateUsername, InvalidBinding, create_account
    from transparency.areas.services import area_by_code

    area = area_by_code(db.session, area_code) if area_code else None
    if area_code and area is None:
        raise click.ClickException(_("没有代码为 %(code)s 的地区", code=area_code))
    try:
        create_account(
            db.session,
            actor=None,
            username=username,
            display_name=display_name,
            password=password,
            role=Role(role),
            area=area,
        )
    except (DuplicateUsername, InvalidBinding, ValueError) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("已建立账户 %(username)s", username=username))


@click.command("demo-data", help="载入示范县的演示数据（可重复运行，不会重复载入）。")
@with_appcontext
def demo_data_command() -> None:
    from transparency.demo.loader import load_demo_county

    load_demo_county(db.session, echo=click.echo)
    db.session.commit()


def init_app(app: Flask) -> None:
    for command in (db_group, create_area_command, create_user_command, demo_data_command):
        app.cli.add_command(command)

    from transparency.dataio import cli as dataio_cli

    dataio_cli.init_app(app)

    from transparency.complaints.cli import complaints_group
    from transparency.core.holidays_cli import holidays_group

    app.cli.add_command(holidays_group)

    app.cli.add_command(complaints_group)

    from transparency.audit.cli import audit_group
    from transparency.obligations.cli import obligations_group

    app.cli.add_command(audit_group)
    app.cli.add_command(obligations_group)
    from transparency.search.cli import search_group

    app.cli.add_command(search_group)
    from transparency.printing.cli import printing_group

    app.cli.add_command(printing_group)
    from transparency.backup import cli as backup_cli

    backup_cli.init_app(app)
