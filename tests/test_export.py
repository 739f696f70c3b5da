"""Comparison workbooks and CSV: structure, formatting, safety, and values equal to the core's."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis
from harmonize.present import export
from harmonize.present.export import CUT_MARKER, ExportScope
from tests.handmade import make_list, manifest_for, three_lists

HOSTILE = [
    '=HYPERLINK("https://evil.invalid","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\tTabbed start",
    "\rCarriage start",
    "Bell\x07 and null\x00 characters",
]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    frame, manifest = three_lists()
    result = analysis.analyse(frame, manifest)
    measures = pd.DataFrame({"id": ["m1"], "title": ["A measure"],
                             "url": ["https://example.invalid/m1"]})
    return export.comparison_frames(result, ExportScope(generated_at="2025-01-02T00:00:00Z"),
                                    measures)


@pytest.fixture(scope="module")
def workbook_path(frames: dict[str, pd.DataFrame],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "comparison.xlsx"
    export.write_xlsx(frames, ExportScope(generated_at="2025-01-02T00:00:00Z"), path)
    return path


def test_sheets_tables_and_layout(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["About", "Summary", "Matrix", "Gaps", "Texts", "Measures"]
    matrix = wb["Matrix"]
    assert matrix.freeze_panes == "B2"
    assert matrix.print_title_rows == "$1:$1"
    assert matrix.page_setup.orientation == "landscape"
    header = matrix["A1"]
    assert header.font.bold and header.fill.fgColor.rgb.endswith("1F4E79")
    assert list(matrix.tables) == ["Matrix"]
    assert matrix.auto_filter.ref is None  # filters come from the table, not the sheet
    assert matrix.tables["Matrix"].autoFilter is not None
    rules = {r.formula[0] for cf in matrix.conditional_formatting for r in cf.rules}
    assert {'"identical"', '"substantive"', '"not-detailed"'} <= rules
    assert set(wb["About"].tables) == {"Scope", "Sources", "Legend"}
    assert set(wb["Summary"].tables) == {"LensScores", "Agreement"}
    about = wb["About"]
    links = [c.hyperlink.target for row in about.iter_rows() for c in row if c.hyperlink]
    assert "https://example.invalid/wassenaar" in links
    assert wb["Gaps"]["A2"].alignment.wrap_text is not True
    text_col = [c.value for c in wb["Gaps"][1]].index("text") + 1
    assert wb["Gaps"].cell(2, text_col).alignment.wrap_text


def test_no_cell_is_a_formula(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"


@pytest.mark.parametrize("sheet", ["Matrix", "Gaps", "Texts", "Summary", "Measures"])
def test_values_match_the_core_frames(frames: dict[str, pd.DataFrame], workbook_path: Path,
                                      sheet: str) -> None:
    expected = frames[sheet]
    read = pd.read_excel(workbook_path, sheet_name=sheet, nrows=len(expected), dtype=object,
                         keep_default_na=False)
    assert list(read.columns) == [str(c) for c in expected.columns]
    for (_, got), (_, want) in zip(read.iterrows(), expected.iterrows(), strict=True):
        assert [_norm(v) for v in got] == [_norm(v) for v in want]


def _norm(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int | bool):
        return float(value)
    return "" if value is None else value


def test_hostile_text_is_inert(tmp_path: Path) -> None:
    rows = [("5A001", "Heading")] + [(f"5A001.{chr(97 + i)}", t) for i, t in enumerate(HOSTILE)]
    frame = make_list("wassenaar", "WA", rows)
    manifest = manifest_for(("wassenaar", "WA", None))
    frames = export.comparison_frames(analysis.analyse(frame, manifest), ExportScope())
    path = tmp_path / "hostile.xlsx"
    export.write_xlsx(frames, ExportScope(), path)
    ws = load_workbook(path)["Texts"]
    values = [ws.cell(r, 2).value for r in range(3, 3 + len(HOSTILE))]
    assert values[0] == HOSTILE[0]
    assert values[-1] == "Bell and null characters"
    for r in range(3, 3 + len(HOSTILE)):
        cell = ws.cell(r, 2)
        assert cell.data_type == "s" and cell.value is not None
        if str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r")):
            assert cell.quotePrefix
    csv_text = export.write_csv(frames, names=["Matrix"]).decode("utf-8-sig")
    assert "=HYPERLINK" not in csv_text.replace("'=HYPERLINK", "")
    texts_csv = export._csv_bytes(frames["Texts"]).decode("utf-8-sig")
    assert "'=HYPERLINK" in texts_csv and "'@SUM" in texts_csv and "'+1+1" in texts_csv


def test_long_cell_is_cut_and_kept_whole(tmp_path: Path) -> None:
    long_text = "widget " * 6000  # 42,000 characters
    frame = make_list("wassenaar", "WA", [("5A001", long_text.strip())])
    manifest = manifest_for(("wassenaar", "WA", None))
    frames = export.comparison_frames(analysis.analyse(frame, manifest), ExportScope())
    path = tmp_path / "long.xlsx"
    export.write_xlsx(frames, ExportScope(), path)
    wb = load_workbook(path)
    cut = wb["Texts"]["B2"].value
    assert len(cut) <= 32_767 and cut.endswith(CUT_MARKER.format(row=2))
    parts = [r[3] for r in wb["Long texts"].iter_rows(min_row=2, values_only=True)]
    assert "".join(parts) == long_text.strip()


def test_csv_zip_holds_matrix_and_gaps(frames: dict[str, pd.DataFrame]) -> None:
    data = export.write_csv(frames)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["gaps.csv", "matrix.csv"]
        matrix = pd.read_csv(archive.open("matrix.csv"), encoding="utf-8-sig")
    assert list(matrix["canonical"]) == list(frames["Matrix"]["canonical"])


def test_csv_zip_of_the_overview_tables(frames: dict[str, pd.DataFrame]) -> None:
    names = ("Summary", "Agreement", "Sources", "Matrix", "Gaps")  # what the Overview offers
    with zipfile.ZipFile(io.BytesIO(export.write_csv(frames, names=names))) as archive:
        assert sorted(archive.namelist()) == sorted(f"{n.lower()}.csv" for n in names)
        agreement = pd.read_csv(archive.open("agreement.csv"), encoding="utf-8-sig")
    assert list(agreement["source"]) == list(frames["Agreement"]["source"])
    assert list(agreement.columns[1:]) == list(agreement["source"])  # a square, named both ways


def test_scope_filters(frames: dict[str, pd.DataFrame]) -> None:
    frame, manifest = three_lists()
    result = analysis.analyse(frame, manifest)
    scoped = export.comparison_frames(result, ExportScope(codes=("5A001.b",),
                                                          sources=("eu-annex-i",)))
    assert list(scoped["Matrix"]["canonical"]) == ["5A001.b"]
    assert set(scoped["Gaps"]["source"]) == {"eu-annex-i"}


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (.ci/run installs it)")
def test_libreoffice_converts_to_pdf(workbook_path: Path, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office
    done = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook_path)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "comparison.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:4] == b"%PDF"
