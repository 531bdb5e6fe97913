"""procedures by track: 复核 and final matters, 实名 举报, reports about the township, stepping aside

Revision ID: d7a3f1c9e265
Revises: e5a1c3f7b2d8
Create Date: 2026-12-01 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7a3f1c9e265"
down_revision: str | Sequence[str] | None = "e5a1c3f7b2d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not batch: a batch copy of the matter table cannot be dropped on SQLite
# while events, photos and contacts refer to it.
NEW_COLUMNS = (
    ("concerns_township", sa.Boolean(), sa.false(), False),
    ("real_name", sa.Boolean(), sa.false(), False),
    ("re_review_requested_at", sa.DateTime(), None, True),
    ("re_review_answered_at", sa.DateTime(), None, True),
    ("acceptance_notified_at", sa.DateTime(), None, True),
    ("result_notified_at", sa.DateTime(), None, True),
    ("final_matter_number", sa.String(length=20), None, True),
)


def upgrade() -> None:
    for name, type_, default, nullable in NEW_COLUMNS:
        op.add_column("matter", sa.Column(name, type_, server_default=default, nullable=nullable))
    op.create_table(
        "matter_recusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_matter_recusal_account_id_account")),
        sa.ForeignKeyConstraint(["matter_id"], ["matter.id"], name=op.f("fk_matter_recusal_matter_id_matter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_recusal")),
        sa.UniqueConstraint("matter_id", "account_id", name=op.f("uq_matter_recusal_matter_id_account_id")),
    )
    op.create_index(op.f("ix_matter_recusal_matter_id"), "matter_recusal", ["matter_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_matter_recusal_matter_id"), table_name="matter_recusal")
    op.drop_table("matter_recusal")
    for name, *_ in reversed(NEW_COLUMNS):
        op.drop_column("matter", name)  # SQLite ≥ 3.35 drops a column in place
