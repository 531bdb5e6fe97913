"""The free texts entries name by digest: how each is shown, and their redaction.

A redaction empties the stored text once and for all and is itself an audit entry; the entries
that name the text keep its digest, so their hashes, and `transparency audit verify`, are unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.audit.models import AuditText
from transparency.audit.services import STAFF_TEXTS, TEXTS, record, text_digests
from transparency.core import clock, signals

DIGEST = re.compile(r"[0-9a-f]{64}")
REASON_MAX = 500


class RedactionRefused(ValueError):
    """The text cannot be redacted as asked; the message says why, in Chinese."""


def shown(stored: Any | None) -> str:
    """A stored text as every page and export shows it: the body, or a redaction notice."""
    if stored is None:
        return _("［未找到原文］")
    if stored.redacted_at is not None:
        return _("［已删除：%(reason)s］", reason=stored.redaction_reason)
    return stored.body


def redact(session: Session, *, actor: Any, digest: str, reason: str) -> AuditText:
    """Empty the stored text `digest` for `reason`, recorded as an `audit.redact` entry.

    Features holding the same text replace it on `signals.audit_text_redacted`.
    Raises RedactionRefused for a malformed or unknown digest, a text already redacted, or a
    missing or overlong reason. Does not commit.
    """
    digest, reason = digest.strip().lower(), reason.strip()
    if not DIGEST.fullmatch(digest):
        raise RedactionRefused(_("摘要应是 64 位十六进制数字（SHA-256）。"))
    if not reason:
        raise RedactionRefused(_("请写明删除的原因。"))
    if len(reason) > REASON_MAX:
        raise RedactionRefused(_("原因最多 %(n)s 个字。", n=REASON_MAX))
    stored = session.get(AuditText, digest, with_for_update=True)
    if stored is None:
        raise RedactionRefused(_("审计日志中没有摘要为这个值的文字，请核对后再填。"))
    if stored.redacted_at is not None:
        raise RedactionRefused(_("这段文字已于早先删除。"))
    entry = record(
        session,
        actor=actor,
        action="audit.redact",
        object_type="audit_text",
        object_id=digest[:40],
        digest=digest,
        texts={"reason": reason},
    )
    body = stored.body
    stored.body = None
    stored.redacted_at = clock.now()
    stored.redaction_reason = reason
    stored.redaction_entry_seq = entry.seq
    session.flush()
    signals.audit_text_redacted.send(session, body=body, notice=shown(stored))
    return stored


def texts_for_staff(session: Session, entries: list[Any]) -> dict[int, dict[str, str]]:
    """Every text (public and staff-only) of each v2 entry, by seq then payload key, as shown."""
    named = {entry.seq: _digests(entry) for entry in entries}
    wanted = {digest for digests in named.values() for digest in digests.values()}
    stored = {t.digest: t for t in session.scalars(select(AuditText).where(AuditText.digest.in_(wanted)))}
    return {seq: {key: shown(stored.get(d)) for key, d in digests.items()} for seq, digests in named.items() if digests}


def _digests(entry: Any) -> dict[str, str]:
    if (entry.v or 1) < 2:
        return {}
    kinds = text_digests(json.loads(entry.payload))
    return {**kinds[TEXTS], **kinds[STAFF_TEXTS]}
