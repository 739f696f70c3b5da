"""Notes and parties in the comparison workbook and CSV zip: the note status on Gaps, Summary
and Agreement, the Notes sheet (both texts, versions, citations), "note differences only" as
on the Gaps page, the Parties sheet with the party lists read, and every new sheet set to
print like the others."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis, parties_query
from harmonize.ingest import store
from harmonize.present import export
from harmonize.present.export.scope import ExportScope
from tests.export_helpers import MADE, empty_store_fixture, table_problems  # noqa: F401
from tests.notes_handmade import DEFINITION, SPOOFING, note_analysis
from tests.test_parties_match import NO_DECISIONS, POSITIVE, frame, pm, record

NOTES_COLUMNS = ["code", "list", "note", "note status", "reason", "note text",
                 "reference note text", "reference list", "list version", "reference version",
                 "citation", "reference citation", "place in the file read"]


@pytest.fixture(scope="module")
def result() -> analysis.Analysis:
    return note_analysis()


def frames_of(result: analysis.Analysis, **scope: object) -> dict[str, pd.DataFrame]:
    return export.comparison_frames(result, ExportScope(generated_at=MADE, **scope))  # type: ignore[arg-type]


def test_notes_table_lists_every_note_difference_with_both_texts(
        result: analysis.Analysis) -> None:
    notes = frames_of(result)["Notes"]
    assert list(notes.columns) == NOTES_COLUMNS
    got = notes[["code", "list", "note", "note status", "reason", "reference list"]]
    assert got.to_dict(orient="records") == [
        {"code": "4D004", "list": "eu-annex-i", "note": "Note 2", "note status": "changed",
         "reason": "parameter changed: system operating 300 MHz → 500 MHz",
         "reference list": "wassenaar"},
        {"code": "4D004", "list": "us-ccl", "note": "Note 2", "note status": "missing",
         "reason": "", "reference list": "wassenaar"},
        {"code": "4D004.a", "list": "us-ccl", "note": "Note 1",
         "note status": "not in the reference", "reason": "", "reference list": "us-ccl"},
    ]
    first = notes.iloc[0]
    assert first["note text"] == DEFINITION.replace("300", "500")
    assert first["reference note text"] == DEFINITION
    assert (first["citation"], first["reference citation"]) == ("eu-annex-i citation, 4D004",
                                                                "wassenaar citation, 4D004")
    assert (first["list version"], first["reference version"]) == ("2025-01-01", "2025-01-01")
    assert notes.iloc[1]["note text"] == "" and notes.iloc[1]["citation"] == ""
    assert notes.iloc[2]["note text"] == SPOOFING and notes.iloc[2]["reference note text"] == ""
    # Cut to the lists chosen.
    eu_only = frames_of(result, sources=("eu-annex-i",))["Notes"]
    assert list(eu_only["list"]) == ["eu-annex-i"]


def test_gaps_summary_and_agreement_carry_the_note_status(result: analysis.Analysis) -> None:
    frames = frames_of(result)
    assert frames["Gaps"].empty  # the paragraphs agree: nothing diverges
    only = frames_of(result, note_differences_only=True)
    gaps = only["Gaps"]
    assert list(zip(gaps["code"], gaps["list"], gaps["status"], gaps["notes"], strict=True)) == [
        ("4D004", "eu-annex-i", "identical", "differ"), ("4D004", "us-ccl", "identical", "differ"),
        ("4D004.a", "us-ccl", "identical", "differ")]
    assert list(gaps["note differences"]) == [
        "Note 2 changed (parameter changed: system operating 300 MHz → 500 MHz)",
        "Note 2 missing", "Note 1 not in the reference"]
    scope = dict(only["Scope"].itertuples(index=False, name=None))
    assert "only the rows whose notes differ" in scope["Gaps rows"]
    assert ("Gaps: rows", "note differences only") in ExportScope(
        note_differences_only=True).describe()
    summary = frames["Summary"].set_index(["lens name", "list"])["same, notes differ"]
    assert summary[("All codes in this export", "eu-annex-i")] == 1
    assert summary[("All codes in this export", "us-ccl")] == 2
    assert summary[("All codes in this export", "wassenaar")] == 0
    pairs = frames["Pairs"].set_index(["list a", "list b"])["agree, notes differ"].to_dict()
    assert pairs == {("eu-annex-i", "us-ccl"): 2, ("eu-annex-i", "wassenaar"): 1,
                     ("us-ccl", "wassenaar"): 2}
    meanings = frames["Dictionary"].set_index(["sheet", "column or value"])["meaning"]
    for sheet, column in (("Notes", "note status"), ("Gaps", "notes"),
                          ("Summary", "same, notes differ"),
                          ("Agreement", "agree, notes differ"),
                          ("Gaps, Notes", "note status: missing")):
        assert meanings[(sheet, column)], (sheet, column)


def _parties() -> tuple[parties_query.Parties, pd.DataFrame]:
    found = parties_query.assemble(pm.match(frame(
        *POSITIVE, record("us:x", "Only Here Ltd", "US", listed_on="2019-10-09")),
        NO_DECISIONS))
    return found, pd.DataFrame({"party_id": pd.Series(dtype=str),
                                "lens": pd.Series(dtype=str)})


def test_workbook_sheets_print_set_up(result: analysis.Analysis, tmp_path: Path) -> None:
    home = tmp_path / "store"
    store.write_manifest({"sources": {}, "parties": {"us-ear-744": {
        "id": "us-ear-744", "jurisdiction": "US", "publisher": "BIS", "format": "eCFR XML",
        "licence": "public domain", "files": [{"name": "a.xml"}], "records": 3,
        "imported_at": "2025-01-02T00:00:00Z", "url": "https://example.invalid/744"}}}, home)
    frames = export.comparison_frames(result, ExportScope(generated_at=MADE),
                                      parties=_parties(), root=home)
    path = tmp_path / "notes.xlsx"
    export.write_xlsx(frames, ExportScope(generated_at=MADE), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Cover", "About", "Dictionary", "Summary", "Agreement", "Matrix",
                             "Gaps", "Notes", "Texts", "Crosswalk", "Parties"]
    cover = [c.value for c in wb["Cover"]["A"]]
    assert "Notes" in cover and "Parties" in cover
    notes = wb["Notes"]
    assert [c.value for c in notes[1]] == NOTES_COLUMNS
    assert notes.print_title_rows == "$1:$1" and notes.freeze_panes == "B2"
    assert notes.print_area == "'Notes'!$A$1:$G$4"  # up to the reference note text
    assert notes.page_setup.orientation == "landscape" and notes.page_setup.paperSize == 9
    assert "Page &P of &N" in notes.oddFooter.right.text
    assert 82 <= (notes.page_setup.scale or 100) <= 100
    texts = wb["Texts"]
    assert texts.print_title_rows == "$2:$2" and texts.print_area.endswith("$1")  # its note
    assert [c.value for c in texts[2]][:3] == ["code", "reference list", "reference wording"]
    # A list's text the same as the reference wording reads so on paper; the cell keeps it.
    assert texts["D3"].value == texts["C3"].value == "Software specially designed for " \
        "intrusion, as follows:"
    assert "(same as the reference wording)" in texts["D3"].number_format
    assert "same as" not in texts["C3"].number_format
    parties = wb["Parties"]
    assert parties["A1"].value == "The party lists read"
    assert [c.value for c in parties[2]][:3] == ["source", "jurisdiction", "publisher"]
    assert parties["A3"].value == "us-ear-744" and parties["G3"].value == 3
    header = 6  # the parties' header row (under its heading), repeated on every page
    assert parties.cell(header, 1).value == "party"
    assert parties.print_title_rows == f"${header}:${header}"
    assert parties.print_area == f"'Parties'!$A$1:$H${header + len(frames['Parties'])}"
    assert parties.cell(header + 1, 4).value == "US + EU"  # both sides first
    for ws in wb.worksheets:
        assert table_problems(ws) == [], ws.title
    meanings = frames["Dictionary"]
    assert set(meanings.loc[meanings["sheet"] == "Parties", "column or value"]) >= {
        "party", "us_lists", "matched_by", "source", "files read"}


def test_csv_zip_carries_the_notes_and_parties(result: analysis.Analysis) -> None:
    frames = export.comparison_frames(result, ExportScope(generated_at=MADE),
                                      parties=_parties())
    with zipfile.ZipFile(io.BytesIO(export.write_csv(frames))) as archive:
        assert archive.namelist() == ["README.txt", "matrix.csv", "gaps.csv", "notes.csv",
                                      "parties.csv", "party-lists.csv"]
        notes = pd.read_csv(archive.open("notes.csv"), encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
        readme = archive.read("README.txt").decode("utf-8")
    assert list(notes.columns) == NOTES_COLUMNS and len(notes) == 3
    assert "notes.csv: 3 row(s)" in readme and "  note status: changed, missing" in readme
    # One table alone stays one CSV file.
    assert export.write_csv(frames, names=["Matrix"]).startswith(b"\xef\xbb\xbfcode")


def test_stored_parties_is_none_without_party_lists(tmp_path: Path) -> None:
    assert export.stored_parties(tmp_path) is None
