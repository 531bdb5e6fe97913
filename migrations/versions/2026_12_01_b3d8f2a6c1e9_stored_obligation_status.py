"""stored obligation status and matter deadlines for the dashboard and the public calendars

Revision ID: b3d8f2a6c1e9
Revises: e7a4c2d9f315
Create Date: 2026-12-01 18:00:00.000000

The tables start empty: until `transparency obligations rebuild-status` has run once (the demo
loader runs it), the pages compute the calendars live as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d8f2a6c1e9"
down_revision: str | Sequence[str] | None = "e7a4c2d9f315"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "obligation_status_build",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first", sa.Date(), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_status_build")),
    )
    op.create_table(
        "obligation_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("period_kind", sa.String(length=30), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("disclosure_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["disclosure_id"], ["disclosure.id"], name=op.f("fk_obligation_status_disclosure_id_disclosure")
        ),
        sa.ForeignKeyConstraint(["village_id"], ["area.id"], name=op.f("fk_obligation_status_village_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_status")),
    )
    op.create_index("ix_obligation_status_village_start", "obligation_status", ["village_id", "period_start"])
    op.create_table(
        "matter_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("met_at", sa.DateTime(), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("for_handler", sa.Boolean(), nullable=False),
        sa.Column("unverified", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["matter_id"], ["matter.id"], name=op.f("fk_matter_deadline_matter_id_matter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_deadline")),
    )
    op.create_index(op.f("ix_matter_deadline_matter_id"), "matter_deadline", ["matter_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_matter_deadline_matter_id"), table_name="matter_deadline")
    op.drop_table("matter_deadline")
    op.drop_index("ix_obligation_status_village_start", table_name="obligation_status")
    op.drop_table("obligation_status")
    op.drop_table("obligation_status_build")
