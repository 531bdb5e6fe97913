"""search documents keep people's names apart, for one-village searches only

Revision ID: e5a1c3f7b2d8
Revises: c41e7d2a9b10
Create Date: 2026-12-01 14:40:00.000000

Documents indexed before this hold names in `content`, where any search finds them: they are
dropped and queued again, so `transparency search sync` (or `rebuild`) indexes them anew.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5a1c3f7b2d8"
down_revision: str | Sequence[str] | None = "c41e7d2a9b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names", sa.Text(), server_default="", nullable=False))
    op.execute("DELETE FROM search_document")
    op.execute(
        "INSERT INTO search_outbox (document_key, created_at) "
        "SELECT 'disclosure:' || id, CURRENT_TIMESTAMP FROM disclosure WHERE first_published_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("names")
