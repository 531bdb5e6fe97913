"""Sessions: a fresh one at login, none from a forged cookie, and none that outlives its account."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.accounts.helpers import WRONG_PASSWORD_MESSAGE, try_login
from tests.conftest import PASSWORD, Browser, login_as
from tests.core.helpers import audit_actions


def test_login_starts_a_fresh_session(app, world):
    """The pre-login session (and any value planted in it) does not survive logging in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    Browser(client).login("clerk-a")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert isinstance(session.get("account_id"), int)


# --- sessions end with their account ----------------------------------------------------------


def test_a_deactivated_accounts_existing_session_stops_working(app, world, objects):
    clerk = login_as(app, "clerk-a")
    assert clerk.get("/manage/").status_code == 200
    admin = login_as(app, "admin")
    clerk_id = world.accounts["clerk_a"].id
    assert admin.post(f"/admin/accounts/{clerk_id}/active/0").status_code == 302

    response = clerk.get("/manage/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    before = audit_actions(app)
    response = clerk.post(f"/manage/versions/{objects['version_id']}/submit")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    assert audit_actions(app) == before
    # Nor can it log in again.
    assert WRONG_PASSWORD_MESSAGE in try_login(Browser(app.test_client()), "clerk-a", PASSWORD).get_data(as_text=True)

    # Reactivation does not bring the old session back: its epoch is gone for good.
    assert admin.post(f"/admin/accounts/{clerk_id}/active/1").status_code == 302
    assert clerk.get("/manage/").status_code == 302
    assert login_as(app, "clerk-a").get("/manage/").status_code == 200


def test_a_forged_session_cookie_is_not_a_login(app, world):
    """Without the secret key, a cookie claiming an account id is ignored."""
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "eyJhY2NvdW50X2lkIjoxLCJlcG9jaCI6MH0.Zz.forged")
    response = client.get("/manage/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
