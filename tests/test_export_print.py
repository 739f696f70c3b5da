"""Comparison workbooks on paper: set-up, widths and heights, and LibreOffice's PDF of them
(page size, text of 8 pt or more, page numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis
from harmonize.present import export
from harmonize.present.export import layout
from harmonize.present.export.scope import ExportScope
from tests.export_helpers import (  # fixtures (by the names they give pytest)
    MADE,
    OFFICE,
    empty_store_fixture,
    everything_fixture,
    result_fixture,
    smallest_text,
    to_pdf,
    workbook_path_fixture,
)
from tests.handmade import make_list, manifest_for

# -- print --------------------------------------------------------------------------------------


def test_print_setup(workbook_path: Path, everything: dict[str, pd.DataFrame],
                     tmp_path: Path) -> None:
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert "Page &P of &N" in ws.oddFooter.right.text
        assert "Made 2025-01-02" in ws.oddHeader.right.text
        assert ws.oddHeader.left.text.startswith("Export control lists compared")
    for name in ("Cover", "Summary", "Matrix"):
        assert wb[name].print_area, name
    for name in ("Summary", "Matrix", "Gaps", "Notes", "Dictionary", "Measures"):
        ws = wb[name]
        assert ws.print_title_rows == "$1:$1", name
    for ws in wb.worksheets:  # a scale that fits the width, the text at 8 pt or more
        assert 82 <= (ws.page_setup.scale or 100) <= 100, ws.title  # (100 is not written)
    assert wb["Matrix"].page_setup.orientation == "landscape"
    assert wb["Cover"].page_setup.orientation == "portrait"
    # Gaps on paper up to its notes column (H); the Texts sheet prints its note only (it is
    # for the screen: on paper the Matrix and Gaps say what it holds).
    assert wb["Gaps"].print_area == "'Gaps'!$A$1:$H$" + str(len(everything["Gaps"]) + 1)
    assert wb["Texts"].print_title_rows == "$2:$2"
    assert wb["Texts"].print_area.endswith("$1")
    letter = tmp_path / "letter.xlsx"
    export.write_xlsx(everything, ExportScope(generated_at=MADE), letter, paper="letter")
    assert {ws.page_setup.paperSize for ws in load_workbook(letter).worksheets} == {1}
    with pytest.raises(ValueError, match="paper"):
        export.write_xlsx(everything, ExportScope(), tmp_path / "x.xlsx", paper="a3")


def test_wrapped_rows_get_heights_that_fit(tmp_path: Path) -> None:
    text = "Widgets " + "designed for interception of telecommunications " * 8
    frame = make_list("wassenaar", "WA", [("5A001", "Widgets."), ("5A001.a", text)])
    frames = export.comparison_frames(
        analysis.analyse(frame, manifest_for(("wassenaar", "WA", None))), ExportScope())
    path = tmp_path / "tall.xlsx"
    export.write_xlsx(frames, ExportScope(), path)
    ws = load_workbook(path)["Dictionary"]
    heights = [ws.row_dimensions[r].height or 13.2 for r in range(2, ws.max_row + 1)]
    assert max(heights) > 13.2  # long meanings wrap onto several lines
    # The estimate holds a line's worth of words, in either program's font.
    assert layout.text_lines("a " * 40, layout.chars_per_line(20)) == 4
    assert layout.text_lines("x" * 45, 20) == 3  # a word longer than a line breaks inside
    assert layout.row_height(1000) == layout.MAX_ROW_PT


def test_widths_fit_the_paper_at_8_pt_or_more() -> None:
    specs = [layout.Col(13), layout.Col(11), layout.Col(80, "wrap"), layout.Col(80, "wrap")]
    for paper in ("a4", "letter"):
        fitted = layout.fit_widths(specs, 4, paper, True)
        assert layout.fits(fitted, 4, paper, True)
        assert not layout.fits(specs, 4, paper, True)
        assert fitted[0].width == 13 and fitted[2].width < 80
        filled = layout.fit_widths(specs[:3], 3, paper, True, fill=True)
        assert filled[2].width > 80 and layout.fits(filled, 3, paper, True)


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)")
@pytest.mark.parametrize("paper,size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_libreoffice_prints_readable_pages(everything: dict[str, pd.DataFrame], tmp_path: Path,
                                           paper: str, size: tuple[int, int]) -> None:
    import pymupdf

    path = tmp_path / f"comparison-{paper}.xlsx"
    export.write_xlsx(everything, ExportScope(generated_at=MADE), path, paper=paper)
    with pymupdf.open(to_pdf(path, tmp_path)) as pdf:
        cover = pdf[0]
        assert (round(cover.rect.width), round(cover.rect.height)) == size  # portrait cover
        text = cover.get_text()
        assert "Export control lists compared" in text and "Disclaimer" in text
        assert "Classification" in text
        for page in pdf:
            assert smallest_text(page) >= 7.95, page.number
            assert re.search(r"Page \d+ of \d+", page.get_text())
        gaps = next(p for p in pdf if "Widgets operating above 12 GHz" in p.get_text())
        assert round(gaps.rect.width) == size[1]  # landscape
        assert "Widgets operating above 10 GHz" in gaps.get_text()  # the reference beside it



@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_libreoffice_prints_a_one_table_download(tmp_path: Path) -> None:
    import pymupdf

    frame = pd.DataFrame({"code": [f"5A001.{c}" for c in "abcdefgh"] * 20,
                          "text": ["Widgets operating above 10 GHz; " * 6] * 160})
    path = tmp_path / "gaps.xlsx"
    path.write_bytes(export.write_table_xlsx(frame, "Gaps", [("Lens", "surveillance")]))
    with pymupdf.open(to_pdf(path, tmp_path)) as pdf:
        assert len(pdf) > 1
        for page in pdf:
            assert smallest_text(page) >= 7.95
            assert "code" in page.get_text()  # the header row on every page

__all__ = ["empty_store_fixture", "everything_fixture", "result_fixture",
           "workbook_path_fixture"]  # used by pytest, by name
