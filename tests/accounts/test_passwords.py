"""Passwords are stored as salted argon2id hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from tests.conftest import PASSWORD
from transparency.accounts.models import Account
from transparency.core.db import db

# --- password hashes --------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes(app, world):
    with app.app_context():
        hashes = db.session.scalars(select(Account.password_hash)).all()
    assert len(hashes) == len(world.accounts)
    for stored in hashes:
        assert stored.startswith("$argon2id$")
        assert PASSWORD not in stored
        assert PasswordHasher().verify(stored, PASSWORD)
    assert len(set(hashes)) == len(hashes)  # salted: the same password never hashes alike
