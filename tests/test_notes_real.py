"""Notes on the real lists (../shared/sources): codes whose paragraph agrees with the reference
wording while a note differs are found by querying the comparison (never named here), and the
Compare and Gaps views and the workbook show them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis
from harmonize.present import export
from harmonize.present.export.scope import ExportScope
from harmonize.present.views import compare as compare_view
from harmonize.present.views import gaps as gap_views
from harmonize.present.views import notes as note_views
from tests.export_helpers import MADE, empty_store_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def real(real_store: Path) -> analysis.Analysis:
    return analysis.load_analysis(root=real_store)


def agreeing_paragraphs_with_note_differences(result: analysis.Analysis) -> pd.DataFrame:
    """Cells whose paragraph is the same as the reference wording but whose notes differ, a
    few spread over the lists (the first of each list in code order)."""
    cells = note_views.differing_cells(result.aligned)
    cells = cells[cells["status"].isin(["identical", "editorial"])]
    return gap_views.select_gaps(cells).drop_duplicates("source").head(4)


def test_real_note_differences_on_compare_and_gaps(real: analysis.Analysis) -> None:
    picked = agreeing_paragraphs_with_note_differences(real)
    assert len(picked) >= 2, "the real lists have notes that differ where paragraphs agree"
    list_of = {s.id: list(s.lists) for s in real.specs}
    labels = {s.id: s.id for s in real.specs}
    every_note_gap = gap_views.note_gaps(real.aligned)
    for code, source in zip(picked["canonical"], picked["source"], strict=True):
        notes = compare_view.code_notes(real.notes, real.aligned, real.frame, [code],
                                        list_of)[code]
        cell = notes.cells[(code, source)]
        assert cell.status in note_views.DIFFERING, (code, source)
        rows = compare_view.compare_rows(real.aligned, code)
        page = compare_view.compare_html(code, rows, compare_view.notes_for(
            real.frame, code, [x for s in real.specs for x in s.lists]), {}, list_of, labels,
            {}, "wassenaar", compared_notes=notes)
        card = next(c for c in page.split('class="hz-card"')[1:]
                    if c.split("</span>")[0].endswith(f">{source}"))
        assert f"{cell.words()}</div>" in card, (code, source)
        assert '<div class="hz-nsbs">' in page
        row = every_note_gap[(every_note_gap["canonical"] == code)
                             & (every_note_gap["source"] == source)]
        (words,) = gap_views.note_words(row, real.notes, real.aligned)
        assert words not in ("", "same", "differs"), (code, source)


def test_real_note_differences_in_the_workbook(real: analysis.Analysis,
                                               tmp_path: Path) -> None:
    picked = agreeing_paragraphs_with_note_differences(real)
    codes = tuple(picked["canonical"])
    scope = ExportScope(codes=codes, note_differences_only=True, generated_at=MADE)
    frames = export.comparison_frames(real, scope)
    gaps = frames["Gaps"]
    shown = set(zip(gaps["code"], gaps["list"], strict=True))
    for code, source in zip(picked["canonical"], picked["source"], strict=True):
        assert (code, source) in shown
        row = gaps[(gaps["code"] == code) & (gaps["list"] == source)].iloc[0]
        assert row["notes"] == "differ" and row["note differences"]
    assert set(gaps["notes"]) == {"differ"}
    notes = frames["Notes"]
    assert set(zip(picked["canonical"], picked["source"], strict=True)) <= set(
        zip(notes["code"], notes["list"], strict=True))
    printed = notes[notes["note text"] != ""]
    assert (printed["citation"] != "").all() and (printed["list version"] != "").all()
    path = tmp_path / "notes.xlsx"
    export.write_xlsx(frames, scope, path)
    ws = load_workbook(path, read_only=True)["Notes"]
    read = {(r[0], r[1]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(zip(picked["canonical"], picked["source"], strict=True)) <= read
