"""The import rule of STYLE.md, checked: arrows run downhill and close no cycle (scripts/import_graph.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_graph.py"
_spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
assert _spec is not None and _spec.loader is not None
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)


def _report(bad: list) -> str:
    return "\n".join(f"{arrow.importer}:{arrow.line} imports {arrow.imported}  [{why}]" for arrow, why in bad)


def test_imports_run_downhill_and_close_no_cycle() -> None:
    bad = import_graph.violations(import_graph.arrows(import_graph.module_names()))
    assert not bad, "imports break the layering:\n" + _report(bad)


def _arrow(importer: str, imported: str) -> object:
    return import_graph.Arrow(f"transparency.{importer}", f"transparency.{imported}", 1)


def test_a_planted_upward_import_is_caught() -> None:
    planted = [_arrow("disclosures.models", "core.db"), _arrow("core.security", "accounts.services")]
    assert [(arrow.importer, arrow.imported) for arrow, _ in import_graph.violations(planted)] == [
        ("transparency.core.security", "transparency.accounts.services")
    ]


def test_places_and_people_stand_side_by_side_and_the_log_imports_only_core() -> None:
    planted = [_arrow("accounts.models", "areas.models"), _arrow("audit.export", "accounts.models")]
    assert len(import_graph.violations(planted)) == 2


def test_a_cycle_between_outputs_and_between_modules_is_caught() -> None:
    planted = [
        _arrow("printing.services", "charts.figures"),
        _arrow("charts.figures", "printing.services"),
        _arrow("search.indexer", "search.service"),
        _arrow("search.service", "search.indexer"),
        _arrow("feeds.queries", "disclosures.models"),
    ]
    reasons = [why.split(":")[0] for _, why in import_graph.violations(planted)]
    assert reasons == ["package cycle", "package cycle", "module cycle", "module cycle"]


def test_function_local_imports_count(tmp_path: Path) -> None:
    package = tmp_path / "transparency"
    (package / "core").mkdir(parents=True)
    (package / "accounts").mkdir()
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "accounts" / "__init__.py").write_text("")
    (package / "accounts" / "services.py").write_text("")
    (package / "core" / "security.py").write_text("def load():\n    from ..accounts import services\n")
    found = import_graph.arrows(import_graph.module_names(package))
    assert [(arrow.importer, arrow.imported, arrow.line) for arrow in found] == [
        ("transparency.core.security", "transparency.accounts.services", 2)
    ]
