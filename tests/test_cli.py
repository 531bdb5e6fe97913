"""The `transparency` command line: areas and accounts for administrators."""

from sqlalchemy import select

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area
from transparency.core.db import db


def test_create_areas_and_user_from_the_command_line(app, runner):
    for args in (
        ["create-area", "--code", "511399000000", "--name", "临江县", "--level", "county"],
        [
            "create-area",
            "--code",
            "511399101000",
            "--name",
            "石桥镇",
            "--level",
            "township",
            "--parent",
            "511399000000",
        ],
        ["create-area", "--code", "511399101201", "--name", "石桥村", "--level", "village", "--parent", "511399101000"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["create-user", "--username", "wang", "--name", "王秀英", "--role", "clerk", "--area", "511399101201"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = db.session.scalars(select(Account).where(Account.username == "wang")).one()
        assert account.role is Role.CLERK and account.area.name == "石桥村"
        assert account.password_hash.startswith("$argon2id$")
        assert "a-long-password" not in account.password_hash


def test_command_line_refuses_inconsistent_input_with_a_message(app, runner):
    runner.invoke(args=["create-area", "--code", "511399000000", "--name", "临江县", "--level", "county"])
    bad_village = runner.invoke(
        args=[
            "create-area",
            "--code",
            "511399101201",
            "--name",
            "石桥村",
            "--level",
            "village",
            "--parent",
            "511399000000",
        ]
    )
    assert bad_village.exit_code != 0 and "上级必须是乡镇" in bad_village.output
    wrong_prefix = runner.invoke(
        args=[
            "create-area",
            "--code",
            "520399101000",
            "--name",
            "x镇",
            "--level",
            "township",
            "--parent",
            "511399000000",
        ]
    )
    assert wrong_prefix.exit_code != 0 and "前 6 位" in wrong_prefix.output
    clerk_on_county = runner.invoke(
        args=["create-user", "--username", "x", "--name", "x", "--role", "clerk", "--area", "511399000000"],
        input="a-long-password\na-long-password\n",
    )
    assert clerk_on_county.exit_code != 0 and "必须绑定到村" in clerk_on_county.output
    with app.app_context():
        assert len(db.session.scalars(select(Area)).all()) == 1
        assert db.session.scalars(select(Account)).all() == []


def test_db_upgrade_is_idempotent(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "最新" in result.output
