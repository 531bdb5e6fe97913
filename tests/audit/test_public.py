"""The public chain head, its JSON, the checkpoints, and the export verified offline by the script."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select, text

from tests.disclosures.helpers import publish_ledger
from transparency import PROJECT_ROOT
from transparency.audit.models import AuditEntry
from transparency.audit.services import hash_fields, record
from transparency.core.db import db

SCRIPT = PROJECT_ROOT / "scripts" / "verify_audit_export.py"


def _offline(tmp_path, text: str, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "audit-log.jsonl"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *args], capture_output=True, text=True)


def _head(app):
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        return entry.seq, entry.hash


def test_head_page_marks_the_current_head_and_lists_checkpoints(app, world, client):
    with app.app_context():
        publish_ledger(world)
    seq, digest = _head(app)
    html = client.get("/audit/head").get_data(as_text=True)
    assert 'data-testid="chain-head"' in html
    assert f'data-testid="chain-head-hash">{digest}<' in html
    assert f'data-testid="chain-head-seq">{seq}<' in html
    assert "公开发布" in html and "每日" in html  # both kinds of checkpoint
    data = client.get("/api/v1/audit/head").get_json()
    assert data["head"]["seq"] == seq and data["head"]["hash"] == digest
    assert data["checkpoints"][0] == {**data["checkpoints"][0], "seq": seq, "hash": digest, "reason": "publication"}


def test_head_page_of_an_empty_log_and_odd_page_numbers(client):
    assert "审计日志还是空的" in client.get("/audit/head").get_data(as_text=True)
    assert client.get("/api/v1/audit/head").get_json() == {
        "head": None,
        "checkpoints": [],
        "epoch": {"number": 1, "first_seq": 1, "restored_from": None},
    }
    assert client.get("/audit/head?page=999999999999").status_code == 200
    assert client.get("/audit/head?page=abc").status_code == 200


def test_export_verifies_offline_with_the_same_encoding(app, world, client, tmp_path):
    with app.app_context():
        publish_ledger(world)
        record(db.session, actor=None, action="test.unicode", object_type="thing", note='村务公开 \u2028 "引号"')
        db.session.commit()
    seq, digest = _head(app)
    response = client.get("/audit/export.jsonl")
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    text = response.get_data(as_text=True)
    lines = text.split("\n")[:-1]  # not splitlines(): U+2028 inside a payload is no line end
    assert len(lines) == seq
    first = json.loads(lines[0])
    assert first["hash"] == hash_fields({k: v for k, v in first.items() if k != "hash"})

    result = _offline(tmp_path, text, "--head", digest)
    assert result.returncode == 0, result.stdout
    assert f"OK: {seq} entries" in result.stdout

    tampered = json.loads(lines[4])
    tampered["payload"] = tampered["payload"].replace("}", ',"x":1}')
    lines[4] = json.dumps(tampered, ensure_ascii=False)
    result = _offline(tmp_path, "\n".join(lines) + "\n")
    assert result.returncode == 1 and "entry 5: content does not match" in result.stdout


def test_offline_script_catches_a_cut_export_and_a_gap(app, world, client, tmp_path):
    with app.app_context():
        publish_ledger(world)
    seq, digest = _head(app)
    lines = client.get("/audit/export.jsonl").get_data(as_text=True).split("\n")[:-1]
    result = _offline(tmp_path, "\n".join(lines[:-2]) + "\n", "--head", digest)
    assert result.returncode == 1 and "is not in this export" in result.stdout
    result = _offline(tmp_path, "\n".join(lines[:3] + lines[4:]) + "\n")
    assert result.returncode == 1 and "entry 4: missing" in result.stdout


def test_export_after_a_number_and_bad_numbers(app, world, client, tmp_path):
    with app.app_context():
        publish_ledger(world)
    seq, _digest = _head(app)
    text = client.get("/audit/export.jsonl?after=3").get_data(as_text=True)
    assert json.loads(text.split("\n")[:-1][0])["seq"] == 4 and len(text.split("\n")[:-1]) == seq - 3
    assert _offline(tmp_path, text).returncode == 0
    for bad in ("-1", "abc", "9" * 40):
        response = client.get(f"/audit/export.jsonl?after={bad}")
        assert response.status_code == 400 and "非负整数" in response.get_data(as_text=True)


def test_the_export_holds_no_contact_details(app, world, client):
    with app.app_context():
        publish_ledger(world)
    text = client.get("/audit/export.jsonl").get_data(as_text=True)
    lines = [json.loads(line) for line in text.split("\n")[:-1]]
    assert any("payload" in line for line in lines)
    for line in lines:
        payload = json.loads(line.get("payload", "{}"))
        assert not {"phone", "email", "address", "id_number", "contact"} & set(payload)


def test_private_matters_are_exported_as_digests_and_still_verify(app, world, client, tmp_path):
    from transparency.complaints import services as complaints
    from transparency.complaints.models import MatterKind

    with app.app_context():
        new = complaints.NewMatter(
            kind=MatterKind.REPORT, village=world.village_a, title="举报村干部", body="挪用补贴。", wants_public=False
        )
        number = complaints.register(db.session, new=new).matter.number
        db.session.commit()
    seq, digest = _head(app)
    text = client.get("/audit/export.jsonl").get_data(as_text=True)
    assert number not in text and "举报" not in text
    redacted = [json.loads(line) for line in text.split("\n")[:-1] if "body_sha256" in line]
    assert redacted[-1]["seq"] == seq and set(redacted[-1]) == {"seq", "prev_hash", "body_sha256", "hash"}
    result = _offline(tmp_path, text, "--head", digest)
    assert result.returncode == 0, result.stdout


def test_the_migration_marks_earlier_entries_of_private_matters_private(app, world):
    """Entries written before audit_entry.is_public existed are marked from their matters."""
    from transparency.complaints import services as complaints
    from transparency.complaints.models import MatterKind
    from transparency.core import migrations

    with app.app_context():
        new = complaints.NewMatter(
            kind=MatterKind.REPORT, village=world.village_a, title="举报村干部", body="挪用补贴。", wants_public=False
        )
        matter_id = complaints.register(db.session, new=new).matter.id
        db.session.commit()
        migrations.downgrade("82478bd02029")
        migrations.upgrade()
        flags = db.session.execute(text("SELECT object_type, object_id, is_public FROM audit_entry")).all()
    assert {bool(public) for kind, key, public in flags if (kind, key) == ("matter", str(matter_id))} == {False}
    assert all(public for kind, key, public in flags if kind == "matter" and key != str(matter_id))
