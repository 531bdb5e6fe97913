"""A publication whose index write failed is found once the index can be written again, without
anyone running `search sync` (issue 14, point 4)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import login_as, running_app
from tests.search.helpers import publish_disclosure
from transparency.core.db import db
from transparency.search import backends, indexer

# A folder on a read-only file system: what the index folder points at while it "cannot be written".
# Needed because permission bits do not stop root, who runs the suite in some set-ups.
READ_ONLY_FOLDER = Path("/sys")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` (the index) cannot be written inside the block, then is as it was."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    if not READ_ONLY_FOLDER.is_dir() or os.access(READ_ONLY_FOLDER, os.W_OK) and _writable(READ_ONLY_FOLDER):
        pytest.skip("no read-only folder to point the index at")
    aside = folder.with_name(folder.name + ".aside")
    folder.rename(aside)
    folder.symlink_to(READ_ONLY_FOLDER)
    try:
        yield
    finally:
        folder.unlink()
        aside.rename(folder)


def _writable(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@pytest.fixture
def retrying_app(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, SEARCH_BACKEND="whoosh", SEARCH_RETRY_SECONDS=0) as application:
        yield application


def found(app, word: str) -> bool:
    return "维修公告" in app.test_client().get("/search", query_string={"q": word}).get_data(as_text=True)


def test_a_publication_missed_by_a_read_only_index_is_found_after_it_is_writable(retrying_app, world):
    app = retrying_app
    with app.app_context():
        publish_disclosure(world, "村道维修公告", commit=True)  # creates the index folder
        folder = backends.index_path(app)
    assert found(app, "村道")
    shutil.rmtree(folder)
    with app.app_context():
        backends.backend(app).rebuild([], lambda _n: None)  # an empty but existing index

    with read_only(folder):
        with app.app_context():
            publish_disclosure(world, "村道维修公告", commit=True)  # the index write fails after the commit
            assert indexer.pending_count(db.session) == 1  # published, committed, not yet indexed
        app.test_client().get("/")  # a retry while it still cannot be written changes nothing
        with app.app_context():
            assert indexer.pending_count(db.session) == 1
        admin_page = login_as(app, "admin").get("/admin/accounts").get_data(as_text=True)
        assert "有 1 条公开内容尚未写入搜索索引" in admin_page

    app.test_client().get("/")  # any later request; the retry runs after it was answered
    assert found(app, "村道")
    with app.app_context():
        assert indexer.pending_count(db.session) == 0
    assert "搜索索引：已是最新" in login_as(app, "admin").get("/admin/accounts").get_data(as_text=True)
