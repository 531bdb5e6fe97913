"""What a fresh process loads (issue 16, target 8): create_app() leaves the heavy libraries that
only some paths need to those paths, and a print rendered in the worker's child comes back
without bringing WeasyPrint into the web process. Each check runs in a new interpreter, since
this test process has long imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Loaded where they are used: spreadsheets, migrations and the readiness check, the word lists
# and the Whoosh index (gunicorn's master loads those before it forks), the holiday library's guessed years, PDF
# checks and image uploads, QR codes, and the print layout (only ever in the print worker's child process).
LOADED_ON_USE = ("openpyxl", "alembic", "jieba", "whoosh", "holidays", "pikepdf", "PIL", "segno", "weasyprint")


def _loaded_after(code: str, tmp_path: Path) -> dict:
    """Run `code` (which sets `result`) in a new interpreter; its result, and which of
    LOADED_ON_USE it left in sys.modules."""
    script = "\n".join(
        [
            "import json, sys",
            code,
            f"result['loaded'] = sorted(m for m in {LOADED_ON_USE!r} if m in sys.modules)",
            "print(json.dumps(result))",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "TRANSPARENCY_INSTANCE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_create_app_loads_none_of_the_libraries_only_some_paths_need(tmp_path):
    code = f"""
from transparency import create_app
app = create_app({{"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite:///{tmp_path}/db.sqlite3"}})
result = {{"blueprints": len(app.blueprints)}}
"""
    result = _loaded_after(code, tmp_path)
    assert result["blueprints"] > 10
    assert result["loaded"] == []


def test_a_print_made_in_the_worker_comes_back_without_weasyprint(tmp_path):
    code = """
from transparency.printing.worker import render_pdf
rendered = render_pdf(
    "<html><body><p>村务公开</p></body></html>",
    base_url="http://localhost/", static_root="static", time_limit=120, memory_limit=1536 * 2**20,
)
result = {"pages": rendered.pages, "pdf": rendered.pdf[:5].decode()}
"""
    result = _loaded_after(code, tmp_path)
    assert result["pages"] == 1 and result["pdf"] == "%PDF-"
    assert "weasyprint" not in result["loaded"]
