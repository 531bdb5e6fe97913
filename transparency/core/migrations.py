"""Alembic, driven from inside the application so the database URL comes from its config.

Alembic is imported where it is used: with Mako and Pygments it takes most of a second and
about 12 MB, which only commands and a process's first readiness check need (issue 16).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from transparency.core.db import db

if TYPE_CHECKING:
    from alembic.config import Config

# The project root, found from here: core may not import the factory's PROJECT_ROOT.
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["engine"] = db.engine.execution_options(write=True)
    return config


def upgrade(revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(), revision)


def current() -> None:
    from alembic import command

    command.current(alembic_config(), verbose=True)


def revision(message: str, autogenerate: bool = True) -> None:
    from alembic import command

    command.revision(alembic_config(), message=message, autogenerate=autogenerate)


def head_revision() -> str:
    """The newest revision this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def knows(revision: str) -> bool:
    """Whether this code's migrations contain `revision` (a backup from a newer version does not)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
