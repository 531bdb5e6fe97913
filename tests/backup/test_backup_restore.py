"""`transparency backup` while villagers file, `transparency restore` into an empty site, a new epoch.

Issue 14: a `cp` of the SQLite file missed matters still in the WAL; a restored copy handed out
numbers already given after the backup and forked the log without a word; a backup without the
key restored "fine" and every tracking code stopped working.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading

from sqlalchemy import func, select

from tests.backup.helpers import backup, empty_target, invoke, restored, site
from tests.complaints.helpers import file_matter, track
from tests.conftest import Browser
from transparency import PROJECT_ROOT
from transparency.audit.models import AuditEntry
from transparency.audit.services import head
from transparency.complaints import codes
from transparency.complaints.models import Matter
from transparency.complaints.services import find_by_tracking
from transparency.core.db import db

FILERS = 4
BEFORE_BACKUP = 12  # acknowledged matters before the backup starts


def _numbers(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Matter.number)))


def _head(app) -> tuple[int, str]:
    with app.app_context():
        entry = head(db.session)
        return entry.seq, entry.hash


def test_a_backup_taken_while_villagers_file_restores_every_acknowledged_matter(world, database_url, tmp_path):
    """Threads file through the real form before and during the backup; every matter whose receipt
    was shown before the backup started comes back, with its code, in a log that verifies."""
    with site(database_url, tmp_path / "old" / "instance") as app:
        acknowledged: list[tuple[float, str, str]] = []  # (order, number, code)
        lock, stop, started = threading.Lock(), threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def file_until_stopped(filer: int) -> None:
            browser = Browser(app.test_client())
            try:
                count = 0
                while not stop.is_set():
                    receipt = file_matter(browser, world.village_a.code, title=f"备份期间的反映 {filer}-{count}")
                    count += 1
                    with lock:
                        acknowledged.append((started.is_set(), receipt.number, receipt.code))
            except BaseException as error:  # noqa: BLE001 (reported by the main thread)
                errors.append(error)

        threads = [threading.Thread(target=file_until_stopped, args=(f,)) for f in range(FILERS)]
        for thread in threads:
            thread.start()
        try:
            while len(acknowledged) < BEFORE_BACKUP and not errors:
                threading.Event().wait(0.05)
            with lock:
                before = [(number, code) for during, number, code in acknowledged if not during]
                started.set()
            backup(app, tmp_path / "backup")
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        assert not errors, errors
        during = len(acknowledged) - len(before)

    assert len(before) >= BEFORE_BACKUP
    with restored(database_url, tmp_path / "backup", tmp_path) as copy, copy.app_context():
        for number, code in before:
            assert find_by_tracking(db.session, number, code, viewer=None) is not None, number
        # Consistent: every matter in the copy has its registration in the copy's log, and no more.
        matters = db.session.scalar(select(func.count()).select_from(Matter))
        registered = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "complaint.registered")
        )
        assert matters == registered >= len(before)
    print(f"{len(before)} matters before the backup, {during} filed while it ran")


def test_the_backup_folder_keeps_keys_private_and_lists_every_file_with_its_checksum(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
        seq, digest = _head(app)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["head_seq"], manifest["head_hash"]) == (seq, digest)
    assert codes.NUMBER_PATTERN.match(manifest["highest_matter_number"])
    assert manifest["matters"] == 1 and manifest["schema_revision"]
    assert "keys/environment" in manifest["files"]
    for name in manifest["files"]:
        path = tmp_path / "backup" / name
        if name.startswith("keys/") or name.startswith("database."):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    assert "SECRET_KEY=test-secret-key" in (tmp_path / "backup" / "keys" / "environment").read_text()


def test_a_restore_opens_an_epoch_and_numbers_no_matter_as_before(world, database_url, tmp_path):
    """Numbers given after the backup by the lost run are never given again by the restored site."""
    with site(database_url, tmp_path / "old" / "instance") as app:
        browser = Browser(app.test_client())
        kept = file_matter(browser, world.village_a.code, title="备份前的反映")
        backup(app, tmp_path / "backup")
        lost = [file_matter(browser, world.village_a.code, title=f"备份后的反映 {n}") for n in range(3)]
        given = _numbers(app)
        backup_head = json.loads((tmp_path / "backup" / "manifest.json").read_text())["head_seq"]

    with restored(database_url, tmp_path / "backup", tmp_path) as copy:
        browser = Browser(copy.test_client())
        new = file_matter(browser, world.village_a.code, title="恢复后的反映")
        assert new.number not in given
        assert "-B-" in new.number
        assert lost[0].number.replace("-", "-B-", 1) == new.number  # same serial, new series
        # Old and new numbers both track, in their own forms.
        assert 'data-testid="status"' in track(browser, kept.number, kept.code).get_data(as_text=True)
        assert 'data-testid="status"' in track(browser, new.number.lower(), new.code).get_data(as_text=True)
        api = copy.test_client().get("/api/v1/audit/head").get_json()
        assert api["epoch"] == {
            "number": 2,
            "first_seq": backup_head + 1,
            "restored_from": {"seq": backup_head, "hash": api["epoch"]["restored_from"]["hash"]},
        }
        page = copy.test_client().get("/audit/head").get_data(as_text=True)
        assert 'data-testid="chain-epoch">第 2 个时期' in page
        assert f"从链头为第 {backup_head} 条" in page


def test_restoring_the_same_backup_twice_opens_a_later_epoch_each_time(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
    numbers = []
    for name in ("first", "second"):
        with restored(database_url, tmp_path / "backup", tmp_path, name) as copy:
            numbers.append(file_matter(Browser(copy.test_client()), world.village_a.code).number)
    assert "-B-" in numbers[0] and "-C-" in numbers[1]


def test_audit_verify_on_a_restored_copy_names_the_epoch_boundary(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
        seq, digest = _head(app)
        before = invoke(app, "audit", "verify", "--quiet")
    assert before.exit_code == 0 and "时期分界" not in before.output
    with restored(database_url, tmp_path / "backup", tmp_path) as copy:
        result = invoke(copy, "audit", "verify", "--quiet")
        (tmp_path / "export.jsonl").write_bytes(copy.test_client().get("/audit/export.jsonl").data)
    offline = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "verify_audit_export.py"), str(tmp_path / "export.jsonl")],
        capture_output=True,
        text=True,
    )
    assert offline.returncode == 0, offline.stdout
    assert f"epoch 2 from entry {seq + 1}: restored from a backup with head {seq} / {digest}" in offline.stdout
    assert result.exit_code == 0, result.output
    assert f"时期分界：第 2 个时期自第 {seq + 1} 条起：从链头为第 {seq} 条（哈希 {digest}）的备份恢复" in result.output
    assert "上一次运行中在这之后的记录均已丢失" in result.output


def test_audit_compare_names_the_entries_a_restore_lost(world, database_url, tmp_path):
    """The old site went on after the backup; a head (or export) saved from it is not in the copy."""
    with site(database_url, tmp_path / "old" / "instance") as app:
        browser = Browser(app.test_client())
        file_matter(browser, world.village_a.code)
        backup(app, tmp_path / "backup")
        backup_seq, backup_hash = _head(app)
        file_matter(browser, world.village_a.code, title="备份之后的反映")
        lost_seq, lost_hash = _head(app)
        (tmp_path / "head.json").write_bytes(app.test_client().get("/api/v1/audit/head").data)
        (tmp_path / "export.jsonl").write_bytes(app.test_client().get("/audit/export.jsonl").data)

    with restored(database_url, tmp_path / "backup", tmp_path) as copy:
        by_head = invoke(copy, "audit", "compare", f"{lost_seq}:{lost_hash}")
        by_file = invoke(copy, "audit", "compare", str(tmp_path / "head.json"))
        by_export = invoke(copy, "audit", "compare", str(tmp_path / "export.jsonl"))
        kept = invoke(copy, "audit", "compare", f"{backup_seq}:{backup_hash}")
    missing = f"缺少的记录：第 {backup_seq + 1} 条至第 {lost_seq} 条（共 {lost_seq - backup_seq} 条）"
    for result in (by_head, by_file, by_export):
        assert result.exit_code == 1, result.output
        assert "本站日志不包含这个链头" in result.output and missing in result.output
        assert f"从链头为第 {backup_seq} 条" in result.output
    for seq in range(backup_seq + 1, lost_seq + 1):
        assert f"  {seq} " in by_export.output  # each lost entry, by number
    assert "（未公开的记录，只有摘要）" in by_export.output  # a matter not shown publicly: its digest only
    assert kept.exit_code == 0 and "本站日志包含这个链头" in kept.output


def test_audit_compare_without_a_restore_says_the_log_was_cut_or_rewritten(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        seq, _digest = _head(app)
        result = invoke(app, "audit", "compare", f"{seq + 5}:{'a' * 64}")
        rewritten = invoke(app, "audit", "compare", f"{seq}:{'b' * 64}")
        unreadable = invoke(app, "audit", "compare", "not-a-head")
    assert result.exit_code == 1 and f"缺少的记录：第 {seq + 1} 条至第 {seq + 5} 条" in result.output
    assert rewritten.exit_code == 1 and "日志在这里被改写过" in rewritten.output
    assert unreadable.exit_code == 2 and "既不是“序号:哈希”形式的链头" in unreadable.output


def test_a_restore_into_a_site_that_holds_data_is_refused_and_changes_nothing(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
        before = _head(app)
        result = invoke(app, "restore", str(tmp_path / "backup"))
        assert _head(app) == before
    assert result.exit_code == 1
    assert "没有恢复：目标数据库不是空的" in result.output


def test_a_restore_into_an_instance_folder_that_holds_files_is_refused(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        backup(app, tmp_path / "backup")
    with empty_target(database_url, tmp_path) as url, site(url, tmp_path / "restore" / "instance") as copy:
        (tmp_path / "restore" / "instance").mkdir(parents=True, exist_ok=True)
        (tmp_path / "restore" / "instance" / "search-index").mkdir()
        result = invoke(copy, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 1 and "实例目录" in result.output and "search-index" in result.output


def test_a_restore_under_other_keys_is_refused_before_the_codes_break(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        backup(app, tmp_path / "backup")
    with (
        empty_target(database_url, tmp_path) as url,
        site(url, tmp_path / "restore" / "instance", SECRET_KEY="another-key") as copy,
    ):
        result = invoke(copy, "restore", str(tmp_path / "backup"))
        assert result.exit_code == 1 and "查询码都会失效" in result.output
        # Told the key, it restores, and the codes work.
        copy.config["SECRET_KEY"] = "test-secret-key"
        assert invoke(copy, "restore", str(tmp_path / "backup")).exit_code == 0


def test_a_damaged_backup_is_refused(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        backup(app, tmp_path / "backup")
    database = next(p for p in (tmp_path / "backup").iterdir() if p.name.startswith("database."))
    with database.open("r+b") as stream:
        stream.seek(200)
        stream.write(b"\x00tampered")
    with empty_target(database_url, tmp_path) as url, site(url, tmp_path / "restore" / "instance") as copy:
        result = invoke(copy, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 1 and "与 manifest.json 记下的校验和不符" in result.output


def test_the_demo_secret_key_file_travels_with_the_backup(world, database_url, tmp_path):
    """The demo keeps its key in instance/secret_key: the restored site must read the same one."""
    old_instance = tmp_path / "old" / "instance"
    old_instance.mkdir(parents=True)
    (old_instance / "secret_key").write_text("demo-key-kept-in-the-instance")
    keyed = {"SECRET_KEY": "demo-key-kept-in-the-instance", "SECRET_KEY_FILE": str(old_instance / "secret_key")}
    with site(database_url, old_instance, **keyed) as app:
        receipt = file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
    assert not (tmp_path / "backup" / "keys" / "environment").exists()
    new_instance = tmp_path / "restore" / "instance"
    new_instance.mkdir(parents=True)
    (new_instance / "secret_key").write_text("a-fresh-random-key")  # what config.load writes
    fresh = {"SECRET_KEY": "a-fresh-random-key", "SECRET_KEY_FILE": str(new_instance / "secret_key")}
    with empty_target(database_url, tmp_path) as url, site(url, new_instance, **fresh) as copy:
        result = invoke(copy, "restore", str(tmp_path / "backup"))
        assert result.exit_code == 0, result.output
        assert (new_instance / "secret_key").read_text() == "demo-key-kept-in-the-instance"
        assert stat.S_IMODE((new_instance / "secret_key").stat().st_mode) == 0o600
        with copy.app_context():
            assert find_by_tracking(db.session, receipt.number, receipt.code, viewer=None) is not None
