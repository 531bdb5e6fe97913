"""Reading the PDFs back the way a person would: text (pdftotext), fonts (pdffonts), pages as
images (pdftoppm) and the QR code on them (zbarimg). Tests that need these are marked
`pdf_tools`; a missing tool fails them with the package to install, it never skips them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "zbarimg": "zbar-tools",
}


@pytest.fixture(autouse=True)
def _require_pdf_tools(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("pdf_tools") is None:
        return
    missing = [f"{tool} ({package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            "these tests read PDFs with system tools that are missing: "
            + ", ".join(missing)
            + " — install them with `make system-test` (apt-get install poppler-utils zbar-tools)",
            pytrace=False,
        )


class PdfReader:
    """One PDF on disk, read with poppler and zbar."""

    def __init__(self, data: bytes, workdir: Path) -> None:
        assert data.startswith(b"%PDF-"), data[:200]
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.path = workdir / "disclosure.pdf"
        self.path.write_bytes(data)

    def _run(self, *args: str) -> str:
        result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
        return result.stdout

    def text(self, page: int | None = None, *, layout: bool = False) -> str:
        """The text in reading order, or with `layout` kept as on the page (a table row on one line)."""
        options = ["-f", str(page), "-l", str(page)] if page else []
        if layout:
            options.append("-layout")
        return self._run("pdftotext", "-enc", "UTF-8", *options, str(self.path), "-")

    def fonts(self) -> list[dict[str, str]]:
        lines = self._run("pdffonts", str(self.path)).splitlines()[2:]
        fonts = []
        for line in lines:
            fields = line.split()
            # name, type…, encoding, emb, sub, uni, object, id: the three flags sit 5th–3rd from the end
            fonts.append({"name": fields[0], "embedded": fields[-5], "unicode": fields[-3]})
        return fonts

    def info(self) -> dict[str, str]:
        pairs = (line.split(":", 1) for line in self._run("pdfinfo", str(self.path)).splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in pairs}

    @property
    def pages(self) -> int:
        return int(self.info()["Pages"])

    def qr_codes(self, page: int = 1, dpi: int = 150) -> list[str]:
        prefix = self.workdir / f"page{page}"
        self._run("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                  str(self.path), str(prefix))  # fmt: skip
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", f"{prefix}.png"], capture_output=True, text=True, timeout=60
        )
        return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def read_pdf(tmp_path: Path):
    counter = iter(range(1000))

    def read(data: bytes) -> PdfReader:
        return PdfReader(data, tmp_path / f"pdf{next(counter)}")

    return read


@pytest.fixture
def view_renders(monkeypatch):
    """The layouts the print view itself had to make while a visitor waited."""
    from transparency.printing import blueprint as printing_blueprint

    calls = []
    real = printing_blueprint.render_pdf

    def counting(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(printing_blueprint, "render_pdf", counting)
    return calls
