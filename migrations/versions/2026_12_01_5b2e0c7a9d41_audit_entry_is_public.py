"""audit entries say themselves whether they are public

The export used to find private matters by importing the complaints model; now the caller of
`audit.record` says whether the entry is public and the entry keeps it. Existing entries about a
matter that is not public (the complainant kept it private, or it names officials) are marked
private here, the only time the append-only triggers are lifted. The flag is not part of the
hashed body, so every chain verifies as before; the triggers keep it from changing afterwards.

Revision ID: 5b2e0c7a9d41
Revises: 82478bd02029
Create Date: 2026-12-01 11:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b2e0c7a9d41"
down_revision: str | Sequence[str] | None = "82478bd02029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIVATE_MATTER_ENTRIES = (
    "UPDATE audit_entry SET is_public = :false WHERE object_type = 'matter' AND object_id IN "
    "(SELECT CAST(id AS VARCHAR(40)) FROM matter WHERE wants_public = :false OR conflict_of_interest = :true)"
)


def upgrade() -> None:
    # Plain ALTER TABLE, not batch: a batch copy of the table would drop its append-only triggers.
    op.add_column("audit_entry", sa.Column("is_public", sa.Boolean(), server_default=sa.true(), nullable=False))
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
    op.get_bind().execute(sa.text(PRIVATE_MATTER_ENTRIES), {"false": False, "true": True})
    if postgresql:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
            "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END"
        )


def downgrade() -> None:
    op.drop_column("audit_entry", "is_public")  # SQLite ≥ 3.35 drops a column in place, triggers kept
