"""The schema comes only from Alembic, and it matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from transparency.core.db import db
from transparency.models import metadata


def test_alembic_head_matches_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_migrations_run_down_and_up_again(app):
    from sqlalchemy import inspect

    from transparency.core import migrations

    with app.app_context():
        migrations.downgrade("base")
        assert "disclosure" not in inspect(db.engine).get_table_names()
        migrations.upgrade()
        assert "disclosure" in inspect(db.engine).get_table_names()
