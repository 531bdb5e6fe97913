"""audit entries name free texts by digest; texts in their own, redactable table

Entries get a format version `v` (1 for every existing entry, which keeps verifying as before) and
`releases` (the entry publishes its object, so the object's earlier private entries become
public). Free texts go to `audit_text`, keyed by SHA-256: the database allows no DELETE there and
only the redaction UPDATE (body emptied once, with a time, a reason and the redaction's entry).
Existing entries that tell of unpublished work, failed logins or account names are marked private
here (the only time the append-only triggers are lifted); publications are marked as releases.

Revision ID: 9c3e5a7b1d20
Revises: 5b2e0c7a9d41
Create Date: 2026-12-01 13:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c3e5a7b1d20"
down_revision: str | Sequence[str] | None = "5b2e0c7a9d41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = (
    "disclosure.draft",
    "disclosure.save",
    "disclosure.submit",
    "disclosure.return",
    "disclosure.correct",
    "disclosure.discard",
    "login.failure",
    "account.create",
)
RELEASES = ("disclosure.publish", "disclosure.import")
REDACTION_ONLY = (
    "OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.body IS NULL "
    "AND NEW.digest = OLD.digest AND NEW.redaction_reason IS NOT NULL"
)


def _names(actions: tuple[str, ...]) -> str:
    return ", ".join(f"'{action}'" for action in actions)


def upgrade() -> None:
    # Plain ALTER TABLE, not batch: a batch copy of the table would drop its append-only triggers.
    op.add_column("audit_entry", sa.Column("releases", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("audit_entry", sa.Column("v", sa.SmallInteger(), server_default="1", nullable=False))
    op.create_table(
        "audit_text",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("redacted_at", sa.DateTime(), nullable=True),
        sa.Column("redaction_reason", sa.Text(), nullable=True),
        sa.Column("redaction_entry_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_audit_text")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
    op.execute(f"UPDATE audit_entry SET is_public = {_bool(postgresql, False)} WHERE action IN ({_names(PENDING)})")
    op.execute(f"UPDATE audit_entry SET releases = {_bool(postgresql, True)} WHERE action IN ({_names(RELEASES)})")
    if postgresql:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        op.execute(
            f"""
            CREATE FUNCTION audit_text_redaction_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND {REDACTION_ONLY} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit_text allows only redaction: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_text_redaction_only BEFORE UPDATE OR DELETE ON audit_text "
            "FOR EACH ROW EXECUTE FUNCTION audit_text_redaction_only()"
        )
        return
    op.execute(
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
        "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END"
    )
    op.execute(
        f"CREATE TRIGGER audit_text_no_update BEFORE UPDATE ON audit_text WHEN NOT ({REDACTION_ONLY}) "
        "BEGIN SELECT RAISE(ABORT, 'audit_text allows only redaction: UPDATE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_text_no_delete BEFORE DELETE ON audit_text "
        "BEGIN SELECT RAISE(ABORT, 'audit_text allows only redaction: DELETE refused'); END"
    )


def _bool(postgresql: bool, value: bool) -> str:
    if postgresql:
        return "true" if value else "false"
    return "1" if value else "0"


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_text_redaction_only ON audit_text")
        op.execute("DROP FUNCTION IF EXISTS audit_text_redaction_only()")
    op.drop_table("audit_text")
    op.drop_column("audit_entry", "v")  # SQLite ≥ 3.35 drops a column in place, triggers kept
    op.drop_column("audit_entry", "releases")
