"""The index follows the database: outbox in the publishing transaction, applied after commit,
caught up by `search sync`, rebuilt and checked by the CLI; never a hidden digit indexed."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from tests.disclosures.samples import ID_A
from tests.search.helpers import correct, publish_disclosure, subsidy_list, titles
from transparency.core.db import db, normalise_url
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, Disclosure, PeriodKind
from transparency.disclosures.periods import period_bounds
from transparency.search import backends
from transparency.search.base import Filters, IndexBusy
from transparency.search.documents import DISCLOSURE, document_key
from transparency.search.models import SearchOutbox


def outbox_rows_seen_from_another_connection(url: str) -> int:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(SearchOutbox.__table__))
    finally:
        engine.dispose()


def test_publishing_writes_its_outbox_row_in_the_same_transaction(app_without_indexer, world, database_url):
    app = app_without_indexer
    with app.app_context():
        disclosure = publish_disclosure(world, "村道维修公告", commit=False)
        assert db.session.scalars(select(SearchOutbox.document_key)).all() == [document_key(DISCLOSURE, disclosure.id)]
        assert outbox_rows_seen_from_another_connection(database_url) == 0  # not before the commit
        db.session.rollback()
        assert outbox_rows_seen_from_another_connection(database_url) == 0  # gone with the publish
        publish_disclosure(world, "村道维修公告")
        assert outbox_rows_seen_from_another_connection(database_url) == 1  # committed together


def test_a_published_notice_is_found_right_after_its_commit(app, world):
    with app.app_context():
        publish_disclosure(world, "关于村务公開栏搬迁的通知", body="公开栏搬到村委会门口。")
        assert titles(app, "村务公开") == ["关于村务公開栏搬迁的通知"]
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_killed_between_publish_and_index_update_loses_nothing_once_sync_has_run(app_without_indexer, world):
    app = app_without_indexer
    with app.app_context():
        publish_disclosure(world, "关于征地补偿款发放的说明")
        assert titles(app, "征地补偿") == []  # the server "died" before indexing
    runner = app.test_cli_runner()
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 1 and "缺少 disclosure:" in check.output
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    assert "1 条变更" in synced.output
    with app.app_context():
        assert titles(app, "徵地補償") == ["关于征地补偿款发放的说明"]
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_a_busy_index_does_not_break_the_publish_and_the_row_stays_pending(app, world, monkeypatch):
    with app.app_context():
        backend = backends.backend(app)

        def busy(*_args, **_kwargs):
            raise IndexBusy("locked by another process")

        monkeypatch.setattr(backend, "update", busy)
        publish_disclosure(world, "低保评议结果公示")  # commits: the publish stands
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 1
        monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert titles(app, "最低生活保障") == ["低保评议结果公示"]


@pytest.mark.parametrize("backend_name", ["whoosh"])
def test_a_writer_waits_for_the_lock_only_as_long_as_the_timeout(app, world):
    app.config["SEARCH_WRITER_TIMEOUT"] = 0.2
    with app.app_context():
        publish_disclosure(world, "第一条公告")
        holder = backends.backend(app)._writer()  # another process is writing
        try:
            publish_disclosure(world, "第二条公告", year=2026)
            assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 1
        finally:
            holder.cancel()
    assert app.test_cli_runner().invoke(args=["search", "sync"]).exit_code == 0
    with app.app_context():
        assert titles(app, "公告", by_date=True) == ["第二条公告", "第一条公告"]


def test_a_correction_replaces_the_old_text_in_the_index(app, world):
    with app.app_context():
        disclosure = publish_disclosure(world, "关于修建水渠的决议", body="预算二十万元，由张老三承包。")
        assert titles(app, "张老三") == ["关于修建水渠的决议"]
        correct(world, disclosure, DraftContent(title="关于修建水渠的决议（更正）", body="预算二十万元，公开招标。"))
        assert titles(app, "张老三") == []
        assert titles(app, "公开招标") == ["关于修建水渠的决议（更正）"]


def test_drafts_and_notices_awaiting_review_are_not_searchable(app, world):
    with app.app_context():
        start, end = period_bounds(PeriodKind.YEAR, 2025, 1)
        version = services.start_disclosure(
            db.session,
            actor=world.accounts["clerk_a"],
            village=world.village_a,
            category=Category.OTHER,
            period_kind=PeriodKind.YEAR,
            period_start=start,
            period_end=end,
            content=DraftContent(title="尚未审核的鱼塘承包方案", body="三组鱼塘承包给个人。"),
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
        db.session.commit()
        assert titles(app, "鱼塘承包") == []


def test_id_numbers_are_never_indexed_but_names_are(app, world):
    with app.app_context():
        subsidy_list(world, recipient="钱多多", id_number=ID_A, program="耕地地力保护补贴", title="耕地地力补贴名单")
        village = Filters(village_id=world.village_a.id)
        assert titles(app, "钱多多", village, names=True) == ["耕地地力补贴名单"]  # in its own village
        for fragment in (ID_A, ID_A[-4:], ID_A[6:14], "110105"):
            assert titles(app, fragment, village, names=True) == [], fragment


def test_rebuild_and_check_commands(app_without_indexer, world):
    app = app_without_indexer
    with app.app_context():
        first = publish_disclosure(world, "集体林地流转公告")
        publish_disclosure(world, "村集体经济收益分配方案")
    runner = app.test_cli_runner()
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "索引已重建：2 篇" in rebuilt.output
    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 0 and "缺少 0，过期 0，多余 0" in checked.output, checked.output
    with app.app_context():
        assert titles(app, "林地流转") == ["集体林地流转公告"]
        # A correction the indexer missed makes the entry stale; a stray entry is extra.
        first = db.session.get(Disclosure, first.id)
        correct(world, first, DraftContent(title="集体林地流转公告（更正）", body="流转期限改为十年。"))
        stray = backends.backend(app)
        from transparency.search.documents import disclosure_document

        fake = disclosure_document(first)
        stray.update([fake.__class__(**{**vars(fake), "key": "disclosure:999999", "object_id": 999999})], [])
    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 1
    assert f"过期 disclosure:{first.id}" in checked.output
    assert "多余 disclosure:999999" in checked.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_the_backend_is_chosen_by_configuration(database_url, tmp_path, monkeypatch):
    from tests.conftest import PG_URL, running_app
    from transparency.search.backends import UnknownBackend

    monkeypatch.setenv("SEARCH_BACKEND", "postgres")
    with running_app(database_url, tmp_path) as app, app.app_context():
        assert app.config["SEARCH_BACKEND"] == "postgres"
        if PG_URL:
            assert type(backends.backend(app)).__name__ == "PostgresBackend"
        else:
            with pytest.raises(UnknownBackend):
                backends.backend(app)
    with running_app(database_url, tmp_path, SEARCH_BACKEND="elastic") as app, app.app_context():
        with pytest.raises(UnknownBackend):
            backends.backend(app)
