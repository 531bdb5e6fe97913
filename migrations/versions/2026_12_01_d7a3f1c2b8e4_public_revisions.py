"""public revisions: the tokens the public page cache is keyed by

One row per scope of the public site (every disclosure, the area tree, a village, a township …)
holding a random token that a publication or any other public change replaces in its own
transaction (core/page_revisions.py). No row means the scope never changed (token 0).

Revision ID: d7a3f1c2b8e4
Revises: d7a3f1c9e265
Create Date: 2026-12-01 14:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7a3f1c2b8e4"
down_revision: str | Sequence[str] | None = "d7a3f1c9e265"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_revision",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_public_revision")),
    )


def downgrade() -> None:
    op.drop_table("public_revision")
