"""The audit log in plain Chinese (issue 15, point 7): every action the code records has a label,
payloads are labelled fields, dates are date inputs, a verification says what it covered, and
every public page links to the chain head."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import login_as
from transparency.complaints.models import EventKind
from transparency.inspection.audit_labels import ACTION_LABELS

SOURCE = Path(__file__).resolve().parents[2] / "transparency"


def _strings(node: ast.AST, function: ast.AST) -> set[str]:
    """The action codes an `action=` argument can take: literals, both arms of a conditional,
    a variable assigned in the same function, and `complaint.{kind}` for every kind of event."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, function) | _strings(node.orelse, function)
    if isinstance(node, ast.JoinedStr):
        prefix = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        assert prefix == "complaint.", f"an action code built in a new way: {ast.unparse(node)}"
        return {f"complaint.{kind}" for kind in EventKind}
    if isinstance(node, ast.Name):
        assigned = [
            a.value
            for a in ast.walk(function)
            if isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
        ]
        if assigned:
            return set().union(*(_strings(value, function) for value in assigned))
        return set()  # a parameter passed through (audit's own `record`)
    raise AssertionError(f"an action code the test cannot read: {ast.unparse(node)}")


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) == "record":
                    for keyword in call.keywords:
                        if keyword.arg == "action":
                            found |= _strings(keyword.value, function)
    return found


def test_every_action_recorded_anywhere_has_a_chinese_label():
    actions = recorded_actions()
    assert {"login.success", "disclosure.publish", "complaint.extension_requested", "audit.verify"} <= actions
    unlabelled = sorted(actions - set(ACTION_LABELS))
    assert not unlabelled, f"actions without a label in inspection/audit_labels.py: {unlabelled}"
    assert all(re.search(r"[\u4e00-\u9fff]", str(label)) for label in ACTION_LABELS.values())


def test_the_log_shows_labels_and_fields_never_codes_or_json(app, world):
    from tests.disclosures.helpers import publish_ledger
    from transparency.core.db import db

    with app.app_context():
        publish_ledger(world)
        db.session.commit()
    html = login_as(app, "inspector").get("/inspect/audit").get_data(as_text=True)
    table = re.search(r"<tbody>.*</tbody>", html, re.S).group(0)
    shown = re.sub(r"<[^>]+>|data-action=\"[^\"]*\"", " ", table)
    assert "审核通过并公开" in shown and "登录成功" in shown
    assert "disclosure.publish" not in shown and "login.success" not in shown
    assert "{" not in shown and '"version"' not in shown
    assert re.search(r"<dt>版本</dt><dd>1</dd>", table)
    assert re.search(r"<dt>类别</dt><dd>财务收支</dd>", table)


def test_date_filters_are_date_inputs_and_a_typed_date_still_filters(app, world):
    inspector = login_as(app, "inspector")
    html = inspector.get("/inspect/audit").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="date_from"[^>]*type="date"', html)
    assert re.search(r'<input[^>]*id="date_to"[^>]*type="date"', html)
    filtered = inspector.get("/inspect/audit?date_from=2001-01-01&date_to=2001-12-31").get_data(as_text=True)
    assert "没有符合条件的记录" in filtered


def test_a_verification_says_what_it_covered(app, world):
    inspector = login_as(app, "inspector")
    html = inspector.post("/inspect/audit/verify", {"csrf_token": inspector.token("/inspect/audit")})
    text = html.get_data(as_text=True)
    found = re.search(r"整条日志共 (\d+) 条，其中本辖区 (\d+) 条", text)
    assert found and int(found.group(2)) < int(found.group(1))
    log = inspector.get("/inspect/audit").get_data(as_text=True)
    assert re.search(r"本辖区共 \d+ 条，整条日志共 \d+ 条", log)


def test_every_public_page_links_to_the_chain_head_and_says_what_it_proves(client, world):
    for path in ("/", f"/t/{world.township.code}", f"/v/{world.village_a.code}", "/complaints/new", "/search?q=补贴"):
        html = client.get(path).get_data(as_text=True)
        footer = re.search(r'<footer class="site-footer">.*</footer>', html, re.S).group(0)
        assert 'href="/audit/head"' in footer and "没有被人悄悄改写" in footer, path
