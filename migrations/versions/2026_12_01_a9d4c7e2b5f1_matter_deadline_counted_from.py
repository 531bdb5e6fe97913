"""matter deadlines keep the local day they are counted from (the dashboard's days to accept and reply)

The stored status is dropped (its build row): the pages compute live until `transparency
obligations rebuild-status` fills the new column, as after every upgrade (README).

Revision ID: a9d4c7e2b5f1
Revises: f3b8d2a6c914
Create Date: 2026-12-01 22:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a9d4c7e2b5f1"
down_revision: str | Sequence[str] | None = "f3b8d2a6c914"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matter_deadline") as batch:
        batch.add_column(sa.Column("counted_from", sa.Date(), nullable=True))
    op.execute("DELETE FROM obligation_status_build")


def downgrade() -> None:
    with op.batch_alter_table("matter_deadline") as batch:
        batch.drop_column("counted_from")
