"""Free texts live outside the chain: stored once by digest, shown only once public, redactable."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from tests.conftest import Browser, login_as
from tests.disclosures.helpers import draft_ledger, publish_ledger
from transparency.accounts.models import Account
from transparency.audit.chain import verify_chain
from transparency.audit.models import AuditEntry, AuditText
from transparency.audit.services import GENESIS_HASH, link_hash, record
from transparency.audit.texts import RedactionRefused, redact
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.models import DisclosureVersion

SECRET = "退回：附件里第三行金额写错了"


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def _export(client) -> tuple[str, list[dict]]:
    body = client.get("/audit/export.jsonl").get_data(as_text=True)
    return body, [json.loads(line) for line in body.splitlines()]


def _returned(world) -> int:
    """A ledger submitted and returned with SECRET as the reasons: unpublished work."""
    version = draft_ledger(world)
    services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
    services.return_for_revision(db.session, actor=world.accounts["reviewer_a"], version=version, reasons=SECRET)
    db.session.commit()
    return version.id


def _publish(version_id: int) -> None:
    """Resubmit and approve a returned version (in a fresh app context: the world's objects are detached)."""
    by_name = {a.username: a for a in db.session.scalars(select(Account))}
    version = db.session.get(DisclosureVersion, version_id)
    services.submit(db.session, actor=by_name["clerk-a"], version=version)
    reviewer = by_name["reviewer-a"]
    services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    db.session.commit()


def test_a_text_is_stored_once_by_digest_and_the_entry_names_only_its_digest(app, world):
    with app.app_context():
        for _ in range(2):
            record(db.session, actor=None, action="test.note", object_type="thing", texts={"note": SECRET})
        db.session.commit()
        stored = db.session.scalars(select(AuditText.body).where(AuditText.digest == _digest(SECRET))).all()
        entries = db.session.execute(select(AuditEntry.payload, AuditEntry.v).where(AuditEntry.action == "test.note"))
        entries = entries.all()
    assert stored == [SECRET]
    assert len(entries) == 2
    for entry in entries:
        assert SECRET not in entry.payload and entry.v == 2
        assert json.loads(entry.payload) == {"texts": {"note": _digest(SECRET)}}


def test_the_database_allows_only_the_redaction_update_on_texts(app, world):
    with app.app_context():
        record(db.session, actor=None, action="test.note", object_type="thing", texts={"note": SECRET})
        db.session.commit()
        for statement in (
            "UPDATE audit_text SET body = 'rewritten'",
            "DELETE FROM audit_text",
            "UPDATE audit_entry SET payload = '{}'",
        ):
            with pytest.raises(DatabaseError):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.get(AuditText, _digest(SECRET)).body == SECRET


def test_an_unpublished_return_reason_is_a_digest_until_publication_then_shown(app, world, client, tmp_path):
    with app.app_context():
        version_id = _returned(world)
    body, lines = _export(client)
    assert SECRET not in body
    returned = [line for line in lines if line.get("action") == "disclosure.return"]
    assert returned == []  # neither its action nor its village: only a body digest
    with app.app_context():
        _publish(version_id)
    body, lines = _export(client)
    (returned,) = [line for line in lines if line.get("action") == "disclosure.return"]
    assert returned["texts"] == {"reasons": SECRET}
    assert json.loads(returned["payload"])["texts"] == {"reasons": _digest(SECRET)}
    assert {line["action"] for line in lines if "action" in line} >= {"disclosure.draft", "disclosure.submit"}


def test_a_correction_reason_awaiting_review_is_not_public(app, world, client):
    reason = "更正：补记一笔漏记的支出"
    with app.app_context():
        version = publish_ledger(world)
        services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason=reason
        )
        db.session.commit()
    body, lines = _export(client)
    assert reason not in body and not [line for line in lines if line.get("action") == "disclosure.correct"]
    assert [line for line in lines if line.get("action") == "disclosure.publish"]  # the publication is public


def test_failed_logins_and_usernames_are_not_in_the_public_export(app, world, client):
    Browser(client).post("/login", {"username": "clerk-a", "password": "wrong"})
    with app.app_context():
        failures = db.session.scalar(select(func.count()).where(AuditEntry.action == "login.failure"))
        usernames = [a.username for a in world.accounts.values()]
    assert failures >= 1  # recorded, for staff
    body, lines = _export(client)
    assert not [line for line in lines if line.get("action") in ("login.failure", "account.create")]
    for username in usernames:
        assert f'"{username}"' not in body and f'\\"{username}\\"' not in body


def test_a_redacted_text_is_gone_and_the_chain_still_verifies(app, world, client, runner):
    with app.app_context():
        version_id = _returned(world)
        before = {e.seq: e.hash for e in db.session.scalars(select(AuditEntry))}
    result = runner.invoke(args=["audit", "redact", _digest(SECRET), "--reason", "含有个人信息"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.get(AuditText, _digest(SECRET))
        assert stored.body is None and stored.redaction_reason == "含有个人信息"
        after = {e.seq: e.hash for e in db.session.scalars(select(AuditEntry))}
        redaction = db.session.get(AuditEntry, stored.redaction_entry_seq)
        assert verify_chain(db.engine).ok
        _publish(version_id)
    assert {seq: after[seq] for seq in before} == before  # no entry's hash changed
    assert redaction.action == "audit.redact"
    assert json.loads(redaction.payload) == {"digest": _digest(SECRET), "texts": {"reason": _digest("含有个人信息")}}
    body, lines = _export(client)
    assert SECRET not in body
    (returned,) = [line for line in lines if line.get("action") == "disclosure.return"]
    assert returned["texts"] == {"reasons": "［已删除：含有个人信息］"}
    assert runner.invoke(args=["audit", "verify", "--quiet"]).exit_code == 0
    again = runner.invoke(args=["audit", "redact", _digest(SECRET), "--reason", "再删一次"])
    assert again.exit_code == 1 and "已于早先删除" in again.output


def test_redaction_refuses_bad_digests_and_missing_reasons(app, world):
    with app.app_context():
        for digest, reason, message in (
            ("abc", "原因", "64 位"),
            ("0" * 64, "原因", "没有摘要为"),
            (_digest(SECRET), "  ", "请写明"),
        ):
            with pytest.raises(RedactionRefused, match=message):
                redact(db.session, actor=None, digest=digest, reason=reason)


def test_redaction_through_the_admin_page_needs_csrf_and_shows_the_notice_to_inspectors(app, world):
    with app.app_context():
        _returned(world)
    admin = login_as(app, "admin")
    data = {"digest": _digest(SECRET), "reason": "含有个人信息"}
    assert admin.client.post("/admin/audit-texts", data=data).status_code == 400  # no CSRF token
    refused = admin.post("/admin/audit-texts", {"digest": "1" * 64, "reason": "试试"})
    assert refused.status_code == 422 and "没有摘要为这个值" in refused.get_data(as_text=True)
    assert "1" * 64 in refused.get_data(as_text=True)  # what was typed is kept
    done = admin.post("/admin/audit-texts", data)
    assert done.status_code == 302
    page = admin.get("/admin/audit-texts").get_data(as_text=True)
    assert "已删除这段文字" in page and _digest(SECRET) in page
    inspector = login_as(app, "county-inspector")
    log = inspector.get("/inspect/audit?action=disclosure.return").get_data(as_text=True)
    assert "［已删除：含有个人信息］" in log and SECRET not in log
    with app.app_context():
        assert verify_chain(db.engine).ok


def test_inspectors_still_read_the_texts_of_their_jurisdiction(app, world):
    with app.app_context():
        _returned(world)
    log = login_as(app, "county-inspector").get("/inspect/audit?action=disclosure.return").get_data(as_text=True)
    assert SECRET in log


def test_a_v1_entry_still_verifies_next_to_new_ones(app, world):
    """An entry written in format 1 (the text inside its payload, `v` not hashed) keeps verifying."""
    with app.app_context():
        record(db.session, actor=None, action="test.before", object_type="thing")
        db.session.commit()
        last = db.session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        seq, at = last.seq + 1, last.at
        payload = json.dumps({"reason": "旧格式的理由"}, ensure_ascii=False, separators=(",", ":"))
        fields = {
            "at": at.isoformat(),
            "actor_id": None,
            "actor_role": "public",
            "action": "test.v1",
            "object_type": "thing",
            "object_id": None,
            "payload": payload,
        }
        from transparency.audit.services import canonical_json

        v1_hash = link_hash(seq, last.hash, hashlib.sha256(canonical_json(fields).encode()).hexdigest())
        db.session.add(
            AuditEntry(
                seq=seq,
                v=1,
                prev_hash=last.hash,
                hash=v1_hash,
                area_code=None,
                is_public=True,
                **{k: v for k, v in fields.items() if k != "at"},
                at=at,
            )
        )
        db.session.commit()
        record(db.session, actor=None, action="test.after", object_type="thing", texts={"note": "新格式"})
        db.session.commit()
        assert db.session.get(AuditEntry, seq).v == 1 and db.session.get(AuditEntry, seq + 1).v == 2
        assert verify_chain(db.engine).ok
        assert GENESIS_HASH != v1_hash


def test_a_redacted_correction_reason_is_gone_from_the_public_pages_and_feeds(app, world, client, runner):
    reason = "更正：第 3 行金额多录了一个 0"
    with app.app_context():
        version = publish_ledger(world)
        correction = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason=reason
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=correction)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=correction, signed_name="李德华")
        db.session.commit()
        disclosure_id, code = version.disclosure_id, world.village_a.code
    pages = (f"/d/{disclosure_id}", f"/v/{code}/feed.atom", "/audit/export.jsonl")
    assert all(reason in client.get(url).get_data(as_text=True) for url in pages)
    result = runner.invoke(args=["audit", "redact", _digest(reason), "--reason", "金额涉及个人"])
    assert result.exit_code == 0, result.output
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert reason not in body and "［已删除：金额涉及个人］" in body
    with app.app_context():
        assert verify_chain(db.engine).ok
