"""failed logins counted per account and client

Revision ID: c41e7d2a9b10
Revises: 9c3e5a7b1d20
Create Date: 2026-12-01 13:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c41e7d2a9b10"
down_revision: str | Sequence[str] | None = "9c3e5a7b1d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_login_failure_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "client", name=op.f("pk_login_failure")),
    )
    # The old per-account lock held every client out; the new account-wide back-off starts clean.
    op.execute("UPDATE account SET failed_logins = 0, locked_until = NULL")


def downgrade() -> None:
    op.drop_table("login_failure")
