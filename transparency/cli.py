"""The `transparency` command: Flask's CLI on the application the factory builds.

It stands above the factory (which adds the commands of `transparency.commands`), so the two
never import each other.
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from transparency import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="村务公开网站的管理命令。")()
