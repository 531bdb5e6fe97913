"""Shared by the security and account tests: real ids for every URL, the app's rules, headers, the log."""

from __future__ import annotations

import io
import os
import re
import tempfile
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from tests.disclosures.helpers import draft_ledger, ledger_content
from transparency.audit.models import AuditEntry
from transparency.complaints import services as complaints
from transparency.complaints.models import MatterKind
from transparency.core.db import db
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.models import Category, PeriodKind
from transparency.disclosures.periods import period_bounds


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def real_ids(app: Flask, world: Any) -> dict[str, Any]:
    """Real ids to put in URL parameters: a draft, a published disclosure with an attachment."""
    with app.app_context():
        draft = draft_ledger(world)
        start, end = period_bounds(PeriodKind.QUARTER, 2025, 2)
        with_attachment = services.start_disclosure(
            db.session,
            actor=world.accounts["clerk_a"],
            village=world.village_a,
            category=Category.FINANCE,
            period_kind=PeriodKind.QUARTER,
            period_start=start,
            period_end=end,
            content=ledger_content(title="2025年第2季度财务收支明细"),
            files=[UploadedFile(filename="收据.png", data=png_bytes())],
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=with_attachment)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=with_attachment, signed_name="李德华")
        matter = complaints.register(
            db.session,
            new=complaints.NewMatter(kind=MatterKind.COMPLAINT, village=world.village_a, title="路灯", body="路灯坏了"),
            photos=[UploadedFile(filename="路灯.png", data=png_bytes())],
        ).matter
        db.session.commit()
        return {
            "matter_id": matter.id,
            "photo_id": matter.photos[0].id,
            "version_id": draft.id,
            "disclosure_id": with_attachment.disclosure_id,
            "attachment_id": with_attachment.attachments[0].id,
            "number": 1,
            "code": world.village_a.code,
            "category": "finance",
            "account_id": world.accounts["clerk_b"].id,
            "active": 0,
            "fmt": "json",
        }


def url_for_rule(rule: Any, values: dict[str, Any]) -> str:
    """The rule's path with every parameter replaced by a real object's id from `values`."""
    missing = rule.arguments - set(values)
    if missing:
        pytest.fail(f"{rule.rule}: give the test a real value for {sorted(missing)}")
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(values[name]), path)
    return path


def rules(app: Flask, method: str) -> list[Any]:
    return sorted(
        (r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def access_of(app: Flask, endpoint: str) -> Any:
    return getattr(app.view_functions[endpoint], "access", None)


def csp_directives(response: Any) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response: Any) -> None:
    directives = csp_directives(response)
    assert directives, "no Content-Security-Policy"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for kind in ("script-src", "style-src"):
        effective = directives.get(kind, directives.get("default-src"))
        assert effective is not None and "*" not in effective and "data:" not in effective, kind
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("object-src", directives.get("default-src")) == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin")
    assert response.headers.get("X-Frame-Options") == "DENY"


def session_cookie_attributes(response: Any, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    pytest.fail(f"no {name} cookie set")


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def route_table() -> Flask:
    """An application built only to read its URL rules when tests are collected; it opens no database."""
    from unittest import mock

    from tests.conftest import BASE_CONFIG
    from transparency import create_app

    with tempfile.TemporaryDirectory() as instance, mock.patch.dict(os.environ, TRANSPARENCY_INSTANCE_PATH=instance):
        return create_app({**BASE_CONFIG, "DATABASE_URL": "sqlite://"})


def rule_id(rule: Any) -> str:
    return f"{rule.endpoint}:{rule.rule}"
