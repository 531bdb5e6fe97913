"""`transparency import` (checked first, all or nothing, a report, audit entries) and `transparency export`."""

from __future__ import annotations

import copy
import json
import re

from sqlalchemy import func, select

from tests.dataio.helpers import GOOD_LEDGER_ROWS, ledger_sheet, workbook_bytes
from transparency import PROJECT_ROOT
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus

# The example in the documentation is the file these tests import: the docs cannot drift.
EXAMPLE = json.loads(
    re.search(r"```json\n(.*?)```", (PROJECT_ROOT / "docs" / "data-format.md").read_text(), re.S).group(1)
)


def _import(app, runner, tmp_path, document, name="history.json"):
    path = tmp_path / name
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode())
    return runner.invoke(args=["import", str(path), "--admin", "admin"])


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        s = db.session
        return (
            s.scalar(select(func.count(Disclosure.id))),
            s.scalar(select(func.count(DisclosureVersion.id))),
            s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action.like("%import%"))),
        )


def test_the_documented_example_imports_published_with_corrections_and_audit(app, runner, world, tmp_path):
    result = _import(app, runner, tmp_path, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "已导入并公开 3 项" in result.output
    assert "2 个版本，4 行" in result.output  # the finance disclosure: two versions of two rows
    assert _counts(app) == (3, 4, 5)  # 4 versions + 1 entry for the file
    with app.app_context():
        finance = db.session.scalars(select(Disclosure).where(Disclosure.category == "finance")).one()
        assert [v.status for v in finance.versions] == [VersionStatus.PUBLISHED] * 2
        assert finance.versions[1].correction_reason.startswith("第 2 笔支出")
        assert finance.versions[1].ledger_rows[1].expense == 13245
        assert finance.first_published_at.isoformat() == "2024-04-08T01:30:00+00:00"
        file_entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import.file")).one()
        assert json.loads(file_entry.payload)["rows"] == 5
        finance_id = finance.id
    page = app.test_client().get(f"/d/{finance_id}/v/1/diff").get_data(as_text=True)
    assert "132.45" in page


def test_one_bad_row_anywhere_loads_nothing_and_names_it(app, runner, world, tmp_path):
    document = copy.deepcopy(EXAMPLE)
    document["disclosures"][1]["versions"][0]["subsidies"][0]["id_number"] = "110105194912310021"
    document["disclosures"][0]["versions"][1]["closing_balance"] = "1367.56"
    result = _import(app, runner, tmp_path, document)
    assert result.exit_code == 1
    assert "没有导入任何内容" in result.output
    assert "第 2 项" in result.output and "身份证号最后一位校验码不对" in result.output
    assert "第 1 项" in result.output and "第 2 版" in result.output and "相差 -¥0.01" in result.output
    assert _counts(app) == (0, 0, 0)


def test_importing_the_same_file_twice_publishes_nothing_twice(app, runner, world, tmp_path):
    assert _import(app, runner, tmp_path, EXAMPLE).exit_code == 0
    again = _import(app, runner, tmp_path, EXAMPLE)
    assert again.exit_code == 1
    assert "已经存在" in again.output
    assert _counts(app)[0] == 3


def test_only_an_administrator_imports(app, runner, world, tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(EXAMPLE))
    result = runner.invoke(args=["import", str(path), "--admin", "clerk-a"])
    assert result.exit_code != 0
    assert "没有用户名为 clerk-a 的管理员" in result.output
    assert _counts(app) == (0, 0, 0)


def test_a_spreadsheet_with_its_place_and_period_imports_as_one_notice(app, runner, world, tmp_path):
    place = [
        ["村代码", world.village_a.code],
        ["公开类别", "财务收支"],
        ["周期", "季度"],
        ["期间开始", "2024-01-01"],
        ["期间结束", "2024-03-31"],
        ["公开时间", "2024-04-08 09:30"],
    ]
    data = workbook_bytes(("账", place + ledger_sheet(GOOD_LEDGER_ROWS)))
    result = _import(app, runner, tmp_path, data, name="ledger.xlsx")
    assert result.exit_code == 0, result.output
    assert "1 个版本，2 行" in result.output
    wrong_period = [row if row[0] != "期间结束" else ["期间结束", "2024-03-30"] for row in place]
    data = workbook_bytes(("账", wrong_period + ledger_sheet(GOOD_LEDGER_ROWS)))
    refused = _import(app, runner, tmp_path, data, name="ledger2.xlsx")
    assert refused.exit_code == 1
    assert "与周期不符，应为 2024-01-01—2024-03-31" in refused.output


def test_export_writes_the_public_dump_with_masked_ids(app, runner, world, tmp_path):
    assert _import(app, runner, tmp_path, EXAMPLE).exit_code == 0
    out = tmp_path / "dump"
    result = runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["villages"], manifest["disclosures"], manifest["versions"]) == (1, 3, 4)
    areas = json.loads((out / "areas.json").read_text())["areas"]
    assert areas[0]["children"][0]["children"][0]["code"] == world.village_a.code
    dumped = json.loads((out / "disclosures" / f"{world.village_a.code}.json").read_text())
    subsidy = next(d for d in dumped["disclosures"] if d["category"] == "subsidy")
    assert subsidy["versions"][0]["subsidies"][0]["id_number"] == "1101**********002X"
    assert "11010519491231002X" not in (out / "disclosures" / f"{world.village_a.code}.json").read_text()
    assert len(list((out / "tables").glob("*.csv"))) == 4
    with app.app_context():  # every export leaves its trace in the audit log
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.dump"))
        assert entry is not None and json.loads(entry.payload)["versions"] == 4


def test_imported_rows_are_stored_as_fingerprinted(app, runner, world, tmp_path):
    """The rows go in by bulk INSERT; the audit's fingerprint is that of the version as the site reads it."""
    from transparency.disclosures.services import content_fingerprint

    assert _import(app, runner, tmp_path, EXAMPLE).exit_code == 0
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure.import")).all()
        recorded = {
            (int(e.object_id), json.loads(e.payload)["version"]): json.loads(e.payload)["content_sha256"]
            for e in entries
        }
        versions = db.session.scalars(select(DisclosureVersion)).all()
        assert {(v.disclosure_id, v.number): content_fingerprint(v) for v in versions} == recorded
        rows = [v.ledger_rows or v.subsidy_rows or v.compensation_rows for v in versions]
        assert all([row.position for row in table] == list(range(1, len(table) + 1)) for table in rows)
        assert sum(len(table) for table in rows) == 5  # as the file entry counts them
