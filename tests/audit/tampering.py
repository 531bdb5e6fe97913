"""Changing the log behind the triggers' back, as an intruder with the database file would."""

from __future__ import annotations

from sqlalchemy import Engine, text

TABLES = ("audit_entry", "audit_checkpoint")


def _drop(conn, dialect: str) -> None:
    for table in TABLES:
        if dialect == "postgresql":
            conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
        else:
            conn.execute(text(f"DROP TRIGGER {table}_no_update"))
            conn.execute(text(f"DROP TRIGGER {table}_no_delete"))


def _recreate(conn, dialect: str) -> None:
    for table in TABLES:
        if dialect == "postgresql":
            conn.execute(
                text(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()"
                )
            )
        else:
            for operation in ("UPDATE", "DELETE"):
                conn.execute(
                    text(
                        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                    )
                )


def behind_the_triggers_back(engine: Engine, *statements: str, **params: object) -> None:
    """Drop the triggers, run `statements`, put the triggers back."""
    dialect = engine.dialect.name
    with engine.connect().execution_options(write=True) as conn:
        _drop(conn, dialect)
        for statement in statements:
            conn.execute(text(statement), params)
        _recreate(conn, dialect)
        conn.commit()
