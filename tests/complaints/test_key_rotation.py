"""Rotating keys breaks no tracking code and logs nobody out (issue 14, point 5)."""

from __future__ import annotations

from tests.complaints.helpers import file_matter, track
from tests.conftest import Browser, running_app
from transparency.complaints.codes import tracking_keys

VILLAGE_A = "511399101201"
SESSION_COOKIE = "cwgk_session"


def tracks(application, receipt) -> bool:
    response = track(Browser(application.test_client()), receipt.number, receipt.code)
    return response.status_code == 200 and receipt.number in response.get_data(as_text=True)


def test_codes_issued_under_an_old_tracking_key_work_after_rotation(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, TRACKING_CODE_KEY="key-of-2025") as before:
        old = file_matter(Browser(before.test_client()), VILLAGE_A)

    rotated = {"TRACKING_CODE_KEYS": ["key-of-2026", "key-of-2025"]}
    with running_app(database_url, tmp_path, **rotated) as after:
        assert tracks(after, old)
        new = file_matter(Browser(after.test_client()), VILLAGE_A)
        assert tracks(after, new)

    # New codes are under the first key: they work once the old key is retired, the old ones not.
    with running_app(database_url, tmp_path, TRACKING_CODE_KEYS=["key-of-2026"]) as retired:
        assert tracks(retired, new)
        assert not tracks(retired, old)


def test_codes_keyed_by_the_session_secret_survive_its_rotation(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, SECRET_KEY="secret-of-2025") as before:
        old = file_matter(Browser(before.test_client()), VILLAGE_A)

    with running_app(database_url, tmp_path, SECRET_KEY="secret-of-2026") as forgotten:
        assert not tracks(forgotten, old)  # what a rotation without fallbacks did before
    with running_app(
        database_url, tmp_path, SECRET_KEY="secret-of-2026", SECRET_KEY_FALLBACKS=["secret-of-2025"]
    ) as after:
        assert tracks(after, old)


def test_sessions_signed_with_the_old_secret_still_work(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, SECRET_KEY="secret-of-2025") as before:
        browser = Browser(before.test_client())
        browser.login("clerk-a")
        cookie = browser.client.get_cookie(SESSION_COOKIE).value

    def dashboard_status(**config) -> int:
        with running_app(database_url, tmp_path, **config) as application:
            client = application.test_client()
            client.set_cookie(SESSION_COOKIE, cookie)
            return client.get("/manage/").status_code

    assert dashboard_status(SECRET_KEY="secret-of-2026", SECRET_KEY_FALLBACKS=["secret-of-2025"]) == 200
    assert dashboard_status(SECRET_KEY="secret-of-2026") == 302  # to the login page: the old cookie is refused


def test_a_single_tracking_code_key_is_a_list_of_one():
    assert tracking_keys({"TRACKING_CODE_KEY": "only", "SECRET_KEY": "s"}) == [b"only"]
    assert tracking_keys({"SECRET_KEY": "s", "SECRET_KEY_FALLBACKS": ["old"]}) == [
        b"s:tracking-code",
        b"old:tracking-code",
    ]
