"""pending renders: published prints laid out in the background

Revision ID: f3b8d2a6c914
Revises: b3d8f2a6c1e9
Create Date: 2026-12-01 17:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3b8d2a6c914"
down_revision: str | Sequence[str] | None = "b3d8f2a6c1e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_renders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.String(length=2), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["disclosure_version.id"],
            name=op.f("fk_pending_renders_version_id_disclosure_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_renders")),
        sa.UniqueConstraint("version_id", "size", name=op.f("uq_pending_renders_version_id_size")),
    )
    op.create_index("ix_pending_renders_due", "pending_renders", ["next_attempt_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pending_renders_due", table_name="pending_renders")
    op.drop_table("pending_renders")
