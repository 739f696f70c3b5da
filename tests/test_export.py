"""Comparison workbooks: tables that sit on their data, the scope and nothing else, the
screen's rows, reference wording, live links, definitions, file properties, changes since the
previous kept version, and values equal to the core's."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis
from harmonize.ingest.history import ListVersion
from harmonize.present import export
from harmonize.present.export import changes, provenance
from harmonize.present.export.cells import CUT_MARKER
from harmonize.present.export.scope import ExportScope
from harmonize.present.views import gaps as gap_views
from tests.export_helpers import (  # fixtures (by the names they give pytest)
    BOOK,
    HOSTILE,
    MADE,
    MEASURES,
    empty_store_fixture,
    everything_fixture,
    frames_for,
    result_fixture,
    table_problems,
    workbook_path_fixture,
)
from tests.handmade import make_list, manifest_for, three_lists

# -- structure ----------------------------------------------------------------------------------


def test_sheets_properties_and_layout(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["Cover", "About", "Dictionary", "Summary", "Agreement", "Matrix",
                             "Gaps", "Notes", "Texts", "Measures", "Crosswalk"]
    assert wb.properties.creator == "Export Control Harmonization Dashboard"
    assert wb.properties.title.startswith("Export control lists compared")
    assert wb.properties.created == datetime(2025, 1, 2)
    matrix = wb["Matrix"]
    assert matrix.freeze_panes == "B2"
    header = matrix["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("1F4E79")
    assert list(matrix.tables) == ["Matrix"]
    assert matrix.auto_filter.ref is None  # filters come from the table, not the sheet
    assert matrix.tables["Matrix"].autoFilter is not None
    status = {c.value: c.fill.fgColor.rgb for c in matrix["F"][1:] if c.value}
    assert status["identical"].endswith(export.STATUS_FILLS["identical"])
    assert set(wb["About"].tables) == {"Sources"}
    assert set(wb["Agreement"].tables) == {"Agreement", "AgreementPairs"}
    gaps = wb["Gaps"]
    text_col = [c.value for c in gaps[1]].index("text") + 1
    assert gaps.cell(2, text_col).alignment.wrap_text
    assert gaps["A2"].alignment.wrap_text is not True


def test_every_table_range_covers_exactly_its_header_and_rows(
        workbook_path: Path, everything: dict[str, pd.DataFrame]) -> None:
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        assert table_problems(ws) == [], ws.title
    sizes = {"Matrix": "Matrix", "Gaps": "Gaps", "Summary": "Summary", "Sources": "Sources",
             "Agreement": "Agreement", "AgreementPairs": "Pairs", "Measures": "Measures"}
    found = {t.displayName: t for ws in wb.worksheets for t in ws.tables.values()}
    for table_name, frame_name in sizes.items():
        first, last = found[table_name].ref.split(":")
        rows = int(re.sub(r"\D", "", last)) - int(re.sub(r"\D", "", first))
        assert rows == len(everything[frame_name]), table_name


def test_one_table_download_ranges_sit_on_their_data() -> None:
    frame = pd.DataFrame({"code": ["5A001.j", "5A001.k"], "text": ["x" * 90, "=1+1"]})
    data = export.write_table_xlsx(frame, "Gaps", [("Lens", "surveillance"),
                                                    ("Generated at (UTC)", MADE)])
    ws = load_workbook(io.BytesIO(data))["Gaps"]
    assert set(ws.tables) == {"Filters", "Gaps_2"} or set(ws.tables) == {"Filters", "Gaps"}
    assert table_problems(ws) == []
    assert ws["A5"].value == "code" and ws["B7"].value == "=1+1" and ws["B7"].data_type == "s"


def test_no_cell_is_a_formula(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"


@pytest.mark.parametrize("sheet", ["Matrix", "Gaps", "Texts", "Summary", "Measures"])
def test_values_match_the_core_frames(everything: dict[str, pd.DataFrame], workbook_path: Path,
                                      sheet: str) -> None:
    expected = everything[sheet]
    skip = 1 if sheet == "Texts" else 0  # the Texts sheet opens with its note
    read = pd.read_excel(workbook_path, sheet_name=sheet, nrows=len(expected), dtype=object,
                         keep_default_na=False, skiprows=skip)
    assert list(read.columns) == [str(c) for c in expected.columns]
    for (_, got), (_, want) in zip(read.iterrows(), expected.iterrows(), strict=True):
        assert [_norm(v) for v in got] == [_norm(v) for v in want]


def _norm(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.hour == value.minute == 0 else value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int | bool):
        return float(value)
    return "" if value is None else value


def test_ratios_dates_and_counts_are_number_formatted(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    summary = wb["Summary"]
    header = [c.value for c in summary[1]]
    share = header.index("share same") + 1
    cells = [summary.cell(r, share) for r in range(2, summary.max_row + 1)]
    numbers = [c for c in cells if isinstance(c.value, float)]
    assert numbers and all(c.number_format == "0.0%" for c in numbers)
    assert summary.cell(2, header.index("total") + 1).number_format == "#,##0"
    gaps = wb["Gaps"]
    version = [c.value for c in gaps[1]].index("list version") + 1
    assert isinstance(gaps.cell(2, version).value, datetime)
    assert gaps.cell(2, version).number_format == "yyyy-mm-dd"
    lens_names = {summary.cell(r, 1).value for r in range(2, summary.max_row + 1)}
    assert "Telecommunication widgets of every kind" in lens_names  # whole, not cut


def test_hostile_text_is_inert(tmp_path: Path) -> None:
    rows = [("5A001", "Heading")] + [(f"5A001.{chr(97 + i)}", t) for i, t in enumerate(HOSTILE)]
    frame = make_list("wassenaar", "WA", rows)
    manifest = manifest_for(("wassenaar", "WA", None))
    frames = export.comparison_frames(analysis.analyse(frame, manifest), ExportScope())
    path = tmp_path / "hostile.xlsx"
    export.write_xlsx(frames, ExportScope(), path)
    ws = load_workbook(path)["Texts"]
    column = [c.value for c in ws[2]].index("wassenaar") + 1
    values = {ws.cell(r, 1).value: ws.cell(r, column) for r in range(3, ws.max_row + 1)}
    assert values["5A001.a"].value == HOSTILE[0]
    assert values["5A001.g"].value == "Bell and null characters"
    for cell in values.values():
        assert cell.data_type == "s" and cell.value is not None
        if str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r")):
            assert cell.quotePrefix
    texts_csv = export.csv_bytes(frames["Texts"]).decode("utf-8-sig")
    assert "'=HYPERLINK" in texts_csv and "'@SUM" in texts_csv and "'+1+1" in texts_csv


def test_long_cell_is_cut_and_kept_whole(tmp_path: Path) -> None:
    long_text = "widget " * 6000  # 42,000 characters
    frame = make_list("wassenaar", "WA", [("5A001", long_text.strip())])
    manifest = manifest_for(("wassenaar", "WA", None))
    frames = export.comparison_frames(analysis.analyse(frame, manifest), ExportScope())
    path = tmp_path / "long.xlsx"
    export.write_xlsx(frames, ExportScope(), path)
    wb = load_workbook(path)
    ws = wb["Texts"]
    cut = next(c.value for c in ws[3] if isinstance(c.value, str) and len(c.value) > 30_000)
    assert len(cut) <= 32_767 and cut.endswith(CUT_MARKER.format(row=2))
    rows = list(wb["Long texts"].iter_rows(min_row=2, values_only=True))
    first = rows[0][1]  # the cell that was cut first
    assert "".join(r[3] for r in rows if r[1] == first) == long_text.strip()
    assert table_problems(wb["Long texts"]) == []


# -- scope ----------------------------------------------------------------------------------------


def test_a_lens_scoped_workbook_holds_only_its_scope(result: analysis.Analysis,
                                                     tmp_path: Path) -> None:
    frames = frames_for(result, lens="widgets", sources=("eu-annex-i", "us-ccl"))
    assert set(frames["Summary"]["lens"]) == {"", "widgets", "widgets.fast"}
    assert set(frames["Summary"]["list"]) == {"eu-annex-i", "us-ccl"}
    assert list(frames["Matrix"]["code"]) == ["5A001", "5A001.a", "5A001.b", "5A001.c",
                                              "5A001.d"]
    assert set(frames["Gaps"]["code"]) <= set(frames["Matrix"]["code"])
    assert list(frames["Measures"]["id"]) == ["m-us", "m-multi"]  # lens and jurisdictions
    roles = dict(zip(frames["Sources"]["list"], frames["Sources"]["role"], strict=True))
    assert roles == {"eu-annex-i": "compared", "us-ccl": "compared", "wassenaar": "reference"}
    # Agreement over the lens's five codes only: both hold 5A001, .a, .b, .c; the EU lacks .d;
    # they differ on .b (the EU's 12 GHz): 3 of 5 (over every code it would be 4 of 10).
    pair = frames["Pairs"].iloc[0]
    assert (pair["agree"], pair["both hold"], pair["considered"]) == (3, 4, 5)
    assert pair["agreement"] == pytest.approx(0.6)
    cover = dict(frames["Scope"].itertuples(index=False, name=None))
    assert cover["Lens"].startswith("Telecommunication widgets of every kind (widgets)")
    assert "Fast widgets" in cover["Lens"]
    assert "not among the jurisdictions chosen" in cover["Reference list"]
    path = tmp_path / "widgets.xlsx"
    export.write_xlsx(frames, ExportScope(lens="widgets", generated_at=MADE), path)
    wb = load_workbook(path)
    cover_text = " ".join(str(c.value) for row in wb["Cover"].iter_rows() for c in row if c.value)
    assert "Telecommunication widgets of every kind (widgets)" in cover_text
    assert "Gadgets" not in cover_text
    assert wb["About"]["A1"].value == ("The lists in this export (lens: Telecommunication "
                                       "widgets of every kind (widgets))")


def test_summary_counts_behind_every_share_and_not_comparable(
        result: analysis.Analysis) -> None:
    frames = frames_for(result, lens="gadgets")
    rows = frames["Summary"].set_index(["lens", "list"])
    us = rows.loc[("gadgets", "us-ccl")]  # 9A001.a: not detailed in the US copy
    assert (us["comparable"], us["not detailed"]) == (0, 1)
    assert us["share same"] == "not comparable"
    eu = rows.loc[("gadgets", "eu-annex-i")]
    assert (eu["same"], eu["comparable"], eu["share same"]) == (1, 1, 1.0)
    pairs = frames_for(result, lens="gadgets", sources=("us-ccl", "wassenaar"))["Pairs"]
    assert pairs.iloc[0]["agreement"] == "not comparable" and pairs.iloc[0]["considered"] == 0


def test_gaps_hold_the_rows_the_screen_shows(result: analysis.Analysis) -> None:
    screen = {"statuses": ("absent", "substantive"), "origins": ("wassenaar", "national"),
              "query": "", "hide_national_absent": True}
    frames = frames_for(result, sources=("eu-annex-i", "us-ccl"), **screen)
    rows = gap_views.select_gaps(analysis.gaps(result, sources=["eu-annex-i", "us-ccl"]),
                             statuses=screen["statuses"], origins=screen["origins"],
                             hide_national_absent=True)
    assert list(zip(frames["Gaps"]["code"], frames["Gaps"]["list"], strict=True)) == list(
        zip(rows["canonical"], rows["source"], strict=True))
    assert ("5A001.d", "eu-annex-i") in set(zip(frames["Gaps"]["code"], frames["Gaps"]["list"],
                                                strict=True))
    shown = frames_for(result, hide_national_absent=False)["Gaps"]
    hidden = frames_for(result)["Gaps"]
    assert len(shown) - len(hidden) == 6  # 5A501, 5A901, 5A980: absent from two lists each
    cover = dict(frames_for(result)["Scope"].itertuples(index=False, name=None))
    assert "absences of national codes hidden (6 row(s) left out" in cover["Gaps rows"]
    query = frames_for(result, query="GHz")["Gaps"]
    assert set(query["code"]) == {"5A001.b"}


def test_reference_wording_beside_each_gap_without_the_reference_chosen(
        result: analysis.Analysis) -> None:
    gaps = frames_for(result, sources=("eu-annex-i",))["Gaps"].set_index("code")
    assert gaps.loc["5A001.b", "reference wording"] == "Widgets operating above 10 GHz;"
    assert gaps.loc["5A001.b", "reference list"] == "wassenaar"
    assert gaps.loc["5A001.d", "reference wording"] == "Widgets with 1 000 channels;"
    assert gaps.loc["5A001.b", "item heading"] == "Telecommunication widgets, as follows:"
    assert gaps.loc["5A501", "reference wording"] == ""  # a national code: its own text


def test_per_row_reasons_marks_and_version(tmp_path: Path) -> None:
    frame, manifest = three_lists()
    frame = frame.copy()
    frame.loc[(frame["source_id"] == "us-ccl") & (frame["canonical"] == "5A001"),
              "reasons"] = "NS, AT"
    frame.loc[(frame["source_id"] == "wassenaar") & (frame["canonical"] == "5A001.b"),
              "sensitivity"] = "very-sensitive"
    frames = export.comparison_frames(analysis.analyse(frame, manifest, book=BOOK),
                                      ExportScope(), MEASURES)
    gaps = frames["Gaps"].set_index(["code", "list"])
    row = gaps.loc[("5A001.b", "eu-annex-i")]
    assert row["reasons for control"] == "US: NS, AT"
    assert row["Wassenaar mark"] == "Very Sensitive"
    assert row["list version"] == "2025-01-01"
    matrix = frames["Matrix"].set_index("code")
    assert matrix.loc["5A001.b", "Wassenaar mark"] == "Very Sensitive"
    assert matrix.loc["9A001", "reasons for control"] == ""


# -- links and provenance -----------------------------------------------------------------------


US_RECORD = {"id": "us-ccl", "version": "2026-07-23", "list_name": "Commerce Control List",
             "url": "https://www.ecfr.gov/api/versioner/v1/full/2026-07-23/title-15.xml?part=774"}
US_SOURCE = {"id": "us-ccl", "raw_file": "raw/us-ccl/abc/ccl.json",
             "url": "https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=774"}


def test_links_open_the_version_compared() -> None:
    facts = provenance.load_facts()
    us = provenance.version_link(US_RECORD, US_SOURCE, facts)
    assert us is not None and us.url.startswith("https://www.ecfr.gov/on/2026-07-23/title-15/")
    assert us.url.endswith("/part-774/appendix-Supplement%20No.%201%20to%20Part%20774")
    eu = provenance.version_link(
        {"id": "eu-annex-i", "version": "2026-09-21", "list_name": "Annex I",
         "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-"
                "20260921"}, {"id": "eu-annex-i"}, facts)
    assert eu is not None
    assert eu.url == ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02021R0821-"
                      "20260921")
    ca = provenance.version_link(
        {"id": "ca-ecl", "version": "2025-04-25", "list_name": "ECL",
         "url": "https://laws-lois.justice.gc.ca/eng/XML/SOR-89-202.xml"}, {"id": "ca-ecl"}, facts)
    assert ca is not None
    assert ca.url == ("https://laws-lois.justice.gc.ca/eng/regulations/SOR-89-202/20250425/"
                      "P1TT3xt3.html")
    # No rule, an API address, a placeholder: no link rather than a dead one.
    bare = {"id": "x", "version": "2026-01-01", "list_name": "X",
            "url": "https://example.invalid/api/list.xml"}
    assert provenance.version_link(bare, {"id": "x", "url": "https://a.invalid/{date}"},
                                   facts) is None
    wa = provenance.version_link({"id": "wassenaar", "version": "2026-01-15", "list_name": "WA",
                                  "url": "https://example.invalid/list.pdf"}, {}, facts)
    page = provenance.row_link(wa, "p. 102")
    assert page is not None and page.url == "https://example.invalid/list.pdf#page=102"
    as_of = provenance.version_link({"id": "wassenaar", "version": "2013-12-04",
                                     "list_name": "WA", "url": "https://example.invalid/l.pdf"},
                                    {}, facts, as_of=True)
    assert as_of is not None and "may show a version later than 2013-12-04" in as_of.label
    assert provenance.row_link(as_of, "p. 3", as_of=True).url.endswith("l.pdf")  # type: ignore


def test_no_link_holds_a_placeholder(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    targets = [c.hyperlink.target for ws in wb.worksheets for row in ws.iter_rows()
               for c in row if c.hyperlink]
    about = wb["About"]
    header = [c.value for c in about[2]]
    label = about.cell(3, header.index("where to read it") + 1)
    assert label.hyperlink.target == about.cell(3, header.index("link") + 1).value
    assert targets and all(t.startswith("https://") and "{" not in t and "}" not in t
                           for t in targets)
    gaps = wb["Gaps"]
    header = [c.value for c in gaps[1]]
    for row in range(2, gaps.max_row + 1):
        cell = gaps.cell(row, header.index("link") + 1)
        listed = gaps.cell(row, header.index("list") + 1).value
        assert cell.hyperlink.target == f"https://example.invalid/{listed}"


def test_about_says_which_copies_are_derived_and_defines_terms(
        result: analysis.Analysis) -> None:
    frame, manifest = three_lists()
    manifest["sources"]["us-ccl"]["raw_file"] = "raw/us-ccl/0/ccl.json"
    manifest["sources"]["wassenaar"]["lists"][0]["version"] = "2021-01-01"
    frames = export.comparison_frames(analysis.analyse(frame, manifest, book=BOOK),
                                      ExportScope(), MEASURES)
    about = frames["Sources"].set_index("list")
    assert about.loc["us-ccl", "copy"].startswith("derived: a third party's JSON conversion")
    assert "categories 1, 3, 4, 5" in about.loc["us-ccl", "caveats"]
    assert "4.0 years older than the newest list compared" in about.loc["wassenaar", "caveats"]
    assert about.loc["eu-annex-i", "copy"] == "not stated"
    terms = dict(frames["Terms"].itertuples(index=False, name=None))
    assert {"origin", "share same", "agreement", "reference wording"} <= set(terms)
    assert "most of the compared lists share" in terms["reference wording"]  # the fallback


def test_the_dictionary_defines_every_column_and_status(
        everything: dict[str, pd.DataFrame], workbook_path: Path) -> None:
    dictionary = everything["Dictionary"]
    defined = set(zip(dictionary["sheet"], dictionary["column or value"], strict=True))
    wb = load_workbook(workbook_path)
    lists = set(everything["Agreement"].columns[1:])
    for ws in wb.worksheets:
        for table in ws.tables.values():
            for column in table.tableColumns:
                name = "<list id>" if column.name in lists else column.name
                assert (ws.title, name) in defined, (ws.title, column.name)
    assert {f"status: {s}" for s in export.STATUS_FILLS} <= {v for _, v in defined}


# -- changes since the previous kept version ------------------------------------------------


def test_changes_since_the_previous_kept_version(tmp_path: Path) -> None:
    old = make_list("wassenaar", "WA", [("5A001", "Widgets, as follows:"),
                                        ("5A001.a", "Widgets above 10 GHz;"),
                                        ("5A001.b", "Old widgets;"), ("5A001.d", "Widgets."),
                                        ("9A001", "Gadgets.")])
    new = make_list("wassenaar", "WA", [("5A001", "Widgets, as follows:"),
                                        ("5A001.a", "Widgets above 12 GHz;"),
                                        ("5A001.c", "New widgets;"), ("5A001.d", "Widgets!"),
                                        ("9A001", "Gadgets of 5 kg.")])
    versions = []
    for version, rows in (("2024-01-01", old), ("2025-01-01", new)):
        path = tmp_path / f"{version}.parquet"
        rows.to_parquet(path)
        versions.append(ListVersion("wassenaar", "wassenaar", version, version, path))
    table, notes = changes.changes_frame([("wassenaar", "2025-01-01")], [BOOK.lenses[0]], (),
                                         BOOK, versions=versions)
    assert sorted(zip(table["code"], table["change"], strict=True)) == [
        ("5A001.a", "modified"), ("5A001.b", "removed"), ("5A001.c", "added")]
    assert "12" in table.set_index("code").loc["5A001.a", "difference"]
    assert notes == ["wassenaar: 2024-01-01 → 2025-01-01, 1 added, 1 removed, 1 modified in "
                     "scope (1 editorial-only edit(s) in the whole list left out)"]
    every, _ = changes.changes_frame([("wassenaar", "2025-01-01")], None, (), BOOK,
                                     versions=versions)
    assert "9A001" in set(every["code"])  # outside the lens, inside "every code"
    earliest, notes = changes.changes_frame([("wassenaar", "2024-01-01")], None, (), BOOK,
                                            versions=versions)
    assert earliest.empty and notes == []


__all__ = ["empty_store_fixture", "everything_fixture", "result_fixture",
           "workbook_path_fixture"]  # used by pytest, by name
