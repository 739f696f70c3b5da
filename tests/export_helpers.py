"""Shared by the export tests: hand-made lists with lenses and measures, the frames and the
workbook of them, a check that tables sit on their data, and a LibreOffice conversion."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from harmonize.compare import analysis, lenses
from harmonize.present import export
from harmonize.present.export.scope import ExportScope
from tests.handmade import three_lists

HOSTILE = [
    '=HYPERLINK("https://evil.invalid","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\tTabbed start",
    "\rCarriage start",
    "Bell\x07 and null\x00 characters",
]
MADE = "2025-01-02T00:00:00Z"
BOOK = lenses.LensBook((
    lenses.Lens("widgets", "Telecommunication widgets of every kind", "", "", ("5A001",), ()),
    lenses.Lens("widgets.fast", "Fast widgets", "widgets", "", ("5A001.b",), ()),
    lenses.Lens("gadgets", "Gadgets", "", "", ("9A001.a",), ()),
), ())
MEASURES = pd.DataFrame({
    "id": ["m-us", "m-eu", "m-multi", "m-nl"],
    "jurisdiction": ["US", "EU", "multilateral", "NL"],
    "title": ["US widget rule", "EU gadget rule", "A plenary on fast widgets", "Dutch decree"],
    "status": ["in-force", "in-force", "in-force", "proposed"],
    "date_effective": ["2024-01-02", "", "", ""],
    "lenses": ["widgets", "gadgets", "widgets.fast", "widgets"],
    "codes": ["5A001.b", "9A001.a", "", "5A001"],
    "url": ["https://example.invalid/m1"] * 4,
})


# Fixtures are named apart from their functions, so that test modules can import them without
# their parameters shadowing the import.
@pytest.fixture(autouse=True, name="empty_store")
def empty_store_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No kept versions unless a test makes them (the Changes table reads the store)."""
    monkeypatch.setenv("HARMONIZE_HOME", str(tmp_path / "store"))


@pytest.fixture(scope="module", name="result")
def result_fixture() -> analysis.Analysis:
    frame, manifest = three_lists()
    return analysis.analyse(frame, manifest, book=BOOK)


def frames_for(result: analysis.Analysis, **scope: Any) -> dict[str, pd.DataFrame]:
    return export.comparison_frames(result, ExportScope(generated_at=MADE, **scope), MEASURES)


@pytest.fixture(scope="module", name="everything")
def everything_fixture(result: analysis.Analysis) -> dict[str, pd.DataFrame]:
    return frames_for(result, hide_national_absent=False)


@pytest.fixture(scope="module", name="workbook_path")
def workbook_path_fixture(everything: dict[str, pd.DataFrame],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "comparison.xlsx"
    export.write_xlsx(everything, ExportScope(generated_at=MADE), path)
    return path



def table_problems(ws: Worksheet) -> list[str]:
    """Where a table's range does not cover exactly its header and its rows."""
    problems = []
    for table in ws.tables.values():
        name = table.displayName
        first, last = table.ref.split(":")
        col1, row1 = re.match(r"([A-Z]+)(\d+)", first).groups()  # type: ignore[union-attr]
        col2, row2 = re.match(r"([A-Z]+)(\d+)", last).groups()  # type: ignore[union-attr]
        cols = range(ws[f"{col1}1"].column, ws[f"{col2}1"].column + 1)
        header = [ws.cell(int(row1), c).value for c in cols]
        names = [c.name for c in table.tableColumns]
        if header != names:
            problems.append(f"{name}: header {header} is not the columns {names}")
        above = int(row1) - 1
        if above and any(ws.cell(above, c).value not in (None, "") and c > cols[0] for c in cols):
            problems.append(f"{name}: row {above} above the header holds data")
        if all(ws.cell(int(row2), c).value in (None, "") for c in cols):
            problems.append(f"{name}: last row {row2} is empty")
        if any(ws.cell(int(row2) + 1, c).value not in (None, "") for c in cols):
            problems.append(f"{name}: row {int(row2) + 1} below the range holds data")
    return problems


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: Path, tmp_path: Path) -> Path:
    assert OFFICE
    done = subprocess.run(
        [OFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.is_file() and pdf.read_bytes()[:4] == b"%PDF"
    return pdf


def smallest_text(page: Any) -> float:
    sizes = [span["size"] for block in page.get_text("dict")["blocks"]
             for line in block.get("lines", []) for span in line["spans"] if span["text"].strip()]
    return min(sizes)


