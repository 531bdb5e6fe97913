"""procedures by track: 复核 and final matters, 实名 举报, reports about the township, stepping aside

Revision ID: d7a3f1c9e265
Revises: c41e7d2a9b10
Create Date: 2026-12-01 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7a3f1c9e265"
down_revision: str | Sequence[str] | None = "c41e7d2a9b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matter") as batch:
        batch.add_column(sa.Column("concerns_township", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("real_name", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("re_review_requested_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("re_review_answered_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("acceptance_notified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("result_notified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("final_matter_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_matter_final_matter_id_matter"), "matter", ["final_matter_id"], ["id"])
    with op.batch_alter_table("matter") as batch:
        batch.alter_column("concerns_township", server_default=None)
        batch.alter_column("real_name", server_default=None)
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
    with op.batch_alter_table("matter") as batch:
        batch.drop_constraint(op.f("fk_matter_final_matter_id_matter"), type_="foreignkey")
        for column in ("final_matter_id", "result_notified_at", "acceptance_notified_at", "re_review_answered_at"):
            batch.drop_column(column)
        for column in ("re_review_requested_at", "real_name"):
            batch.drop_column(column)
        batch.drop_column("concerns_township")
