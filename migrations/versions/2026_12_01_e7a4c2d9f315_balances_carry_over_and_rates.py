"""ledgers carry over, land-compensation rates per mu, household lookup keys

Revision ID: e7a4c2d9f315
Revises: e5b9c4d1a7f3
Create Date: 2026-12-01 14:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a4c2d9f315"
down_revision: str | Sequence[str] | None = "e5b9c4d1a7f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carry_over_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("land_rate", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("crop_rate", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("relocation_rate", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("compensation_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_compensation_row_household_key"), ["household_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("compensation_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compensation_row_household_key"))
        batch_op.drop_column("household_key")
    with op.batch_alter_table("disclosure_version", schema=None) as batch_op:
        batch_op.drop_column("relocation_rate")
        batch_op.drop_column("crop_rate")
        batch_op.drop_column("land_rate")
        batch_op.drop_column("carry_over_reason")
