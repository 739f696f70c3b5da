"""Comparison workbooks and CSV: tables that sit on their data, the scope and nothing else, the
screen's rows, reference wording, live links, definitions, print set-up, file properties, CSV
zips with a README and an unambiguous formula guard, and values equal to the core's."""

from __future__ import annotations

import io
import re
import shutil
import stat
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from harmonize.compare import analysis, lenses
from harmonize.ingest.history import ListVersion
from harmonize.present import export, views
from harmonize.present.export import changes, layout, provenance
from harmonize.present.export.cells import CUT_MARKER
from harmonize.present.export.scope import ExportScope
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


@pytest.fixture(autouse=True)
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No kept versions unless a test makes them (the Changes table reads the store)."""
    monkeypatch.setenv("HARMONIZE_HOME", str(tmp_path / "store"))


@pytest.fixture(scope="module")
def result() -> analysis.Analysis:
    frame, manifest = three_lists()
    return analysis.analyse(frame, manifest, book=BOOK)


def frames_for(result: analysis.Analysis, **scope: Any) -> dict[str, pd.DataFrame]:
    return export.comparison_frames(result, ExportScope(generated_at=MADE, **scope), MEASURES)


@pytest.fixture(scope="module")
def everything(result: analysis.Analysis) -> dict[str, pd.DataFrame]:
    return frames_for(result, hide_national_absent=False)


@pytest.fixture(scope="module")
def workbook_path(everything: dict[str, pd.DataFrame],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "comparison.xlsx"
    export.write_xlsx(everything, ExportScope(generated_at=MADE), path)
    return path


# -- structure ----------------------------------------------------------------------------------


def test_sheets_properties_and_layout(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["Cover", "About", "Dictionary", "Summary", "Agreement", "Matrix",
                             "Gaps", "Texts", "Measures", "Crosswalk"]
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
    rows = views.select_gaps(analysis.gaps(result, sources=["eu-annex-i", "us-ccl"]),
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
    for name in ("Summary", "Matrix", "Gaps", "Dictionary", "Measures"):
        ws = wb[name]
        assert ws.print_title_rows == "$1:$1", name
    for ws in wb.worksheets:  # a scale that fits the width, the text at 8 pt or more
        assert 82 <= (ws.page_setup.scale or 100) <= 100, ws.title  # (100 is not written)
    assert wb["Matrix"].page_setup.orientation == "landscape"
    assert wb["Cover"].page_setup.orientation == "portrait"
    assert wb["Gaps"].print_area == "'Gaps'!$A$1:$G$" + str(len(everything["Gaps"]) + 1)
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


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_zip_holds_a_readme_and_readable_members(everything: dict[str, pd.DataFrame]) -> None:
    data = export.write_csv(everything)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["README.txt", "matrix.csv", "gaps.csv"]
        for info in archive.infolist():
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644, info.filename
        readme = archive.read("README.txt").decode("utf-8")
        matrix = pd.read_csv(archive.open("matrix.csv"), encoding="utf-8-sig")
    assert list(matrix["code"]) == list(everything["Matrix"]["code"])
    for line in ("Scope", "Sources", "wassenaar (WA)", "version 2025-01-01", "matrix.csv",
                 "gaps.csv: ", "  reference wording: ", "status: absent: ",
                 "remove exactly one leading apostrophe"):
        assert line in readme, line


def test_csv_zip_of_the_overview_tables(everything: dict[str, pd.DataFrame]) -> None:
    names = ("Summary", "Agreement", "Sources", "Matrix", "Gaps")  # what the Overview offers
    with zipfile.ZipFile(io.BytesIO(export.write_csv(everything, names=names))) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["README.txt", *(f"{n.lower()}.csv" for n in names)])
        agreement = pd.read_csv(archive.open("agreement.csv"), encoding="utf-8-sig")
    assert list(agreement["list"]) == list(everything["Agreement"]["list"])
    assert list(agreement.columns[1:]) == list(agreement["list"])  # a square, named both ways


def test_semicolon_csv_for_semicolon_locales(everything: dict[str, pd.DataFrame]) -> None:
    text = export.csv_bytes(everything["Summary"], delimiter=";").decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("lens name;list;identical;")
    assert ";0,5;" in text or ";0,6667;" in text or ";1;" in text
    assert not re.search(r";0\.\d", text)  # decimals take a comma
    with pytest.raises(ValueError, match="delimiter"):
        export.write_csv(everything, delimiter="\t")


def test_csv_guard_is_told_from_real_apostrophes() -> None:
    assert export.csv_safe("=1+1") == "'=1+1"
    assert export.csv_safe("'quoted' term") == "''quoted' term"
    assert export.csv_safe("plain") == "plain" and export.csv_safe(3) == 3
    frame = pd.DataFrame({"text": ["'quoted' term", "=1+1", "plain"]})
    read = pd.read_csv(io.BytesIO(export.csv_bytes(frame)), encoding="utf-8-sig")
    assert [export.csv_unguard(v) for v in read["text"]] == ["'quoted' term", "=1+1", "plain"]


@given(st.text(max_size=40))
def test_csv_guard_round_trips(value: str) -> None:
    guarded = export.csv_safe(value)
    assert not export.is_formula_like(guarded)
    assert export.csv_unguard(guarded) == export.clean_text(value)


# -- LibreOffice ----------------------------------------------------------------------------------

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


# -- on the real lists --------------------------------------------------------------------------

SURVEILLANCE = ("us-ccl", "eu-annex-i", "uk-sel")


@pytest.fixture(scope="module")
def real_surveillance(real_store: Path) -> tuple[analysis.Analysis, dict[str, pd.DataFrame]]:
    from harmonize.compare.measures import as_table, load_measures

    result = analysis.load_analysis(root=real_store)
    frames = export.comparison_frames(
        result, ExportScope(lens="surveillance", sources=SURVEILLANCE, generated_at=MADE),
        as_table(load_measures()), root=real_store)
    return result, frames


@pytest.mark.integration
def test_real_surveillance_export_holds_its_scope_and_the_screen_rows(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]]) -> None:
    result, frames = real_surveillance
    assert set(frames["Summary"]["lens"]) - {""} <= {x.id for x in result.book.family(
        "surveillance")}
    assert set(frames["Summary"]["list"]) == set(SURVEILLANCE)
    lenses_of = frames["Measures"]["lenses"].str.split(r";\s*")
    assert len(frames["Measures"]) and all(any(x.startswith("surveillance") for x in ids)
                                           for ids in lenses_of)
    assert set(frames["Measures"]["jurisdiction"]) <= {"US", "EU", "GB", "multilateral"}
    assert {"us-ccl", "eu-annex-i", "uk-sel", "wassenaar"} <= set(frames["Sources"]["list"])
    assert not {"no-list-ii", "ca-ecl"} & set(frames["Sources"]["list"])
    screen = views.select_gaps(analysis.gaps(result, lens="surveillance",
                                             sources=list(SURVEILLANCE)),
                               hide_national_absent=True)  # the Gaps page's defaults
    assert list(zip(frames["Gaps"]["code"], frames["Gaps"]["list"], strict=True)) == list(
        zip(screen["canonical"], screen["source"], strict=True))
    substantive = frames["Gaps"][frames["Gaps"]["status"] == "substantive"]
    assert len(substantive) and (substantive["reference wording"] != "").all()
    assert (substantive["reference list"] == "wassenaar").any()


@pytest.mark.integration
def test_real_links_open_the_versions_compared(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]]) -> None:
    _, frames = real_surveillance
    versions = dict(zip(frames["Sources"]["list"], frames["Sources"]["version"], strict=True))
    links = frames["Gaps"].groupby("list")["link"].agg(set)
    us = versions["us-ccl"]
    assert links["us-ccl"] == {"https://www.ecfr.gov/on/" + us + "/title-15/subtitle-B/"
                               "chapter-VII/subchapter-C/part-774/appendix-Supplement%20No.%20"
                               "1%20to%20Part%20774"}
    eu = versions["eu-annex-i"].replace("-", "")
    assert links["eu-annex-i"] == {"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
                                   f"02021R0821-{eu}"}
    every = {str(v) for f in frames.values() for c in f.columns if c in ("link", "url")
             for v in f[c] if v}
    assert every and all(v.startswith("https://") and "{" not in v for v in every)
    about = frames["Sources"].set_index("list")
    assert about.loc["us-ccl", "copy"].startswith("derived")
    assert about.loc["eu-annex-i", "copy"].startswith("derived")
    assert about.loc["wassenaar", "copy"].startswith("official")


@pytest.mark.integration
@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_real_surveillance_workbook_prints_on_40_readable_pages(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]],
        tmp_path: Path) -> None:
    import pymupdf

    _, frames = real_surveillance
    path = tmp_path / "surveillance.xlsx"
    export.write_xlsx(frames, ExportScope(generated_at=MADE), path)
    with pymupdf.open(to_pdf(path, tmp_path)) as pdf:
        assert len(pdf) <= 40
        for page in pdf:
            assert smallest_text(page) >= 7.95, page.number
            assert sorted((round(page.rect.width), round(page.rect.height))) == [595, 842]
        printed = " ".join(" ".join(page.get_text().split()) for page in pdf)
    # Row heights fit their text: the last words of every text on paper are printed.
    gaps = frames["Gaps"]
    for column in ("text", "reference wording", "parameters"):
        previous = None
        for value in gaps[column]:
            if value and value != previous:
                tail = " ".join(str(value).split()[-2:])
                assert tail in printed, (column, value)
            previous = value


@pytest.mark.integration
def test_real_changes_since_the_previous_kept_version(shared_sources: Path,
                                                      tmp_path: Path) -> None:
    from harmonize.cli import main

    history = shared_sources.parent / "sources-history" / "ca-ecl"
    if not history.is_dir():
        pytest.skip(f"{history} is absent")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "ca-ecl").symlink_to(history)
    (tmp_path / "now").mkdir()
    (tmp_path / "now" / "ca-ecl").symlink_to(shared_sources / "ca-ecl")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONIZE_HOME", str(tmp_path / "store"))
        assert main(["import", str(tmp_path / "old")]) == 0
        assert main(["import", str(tmp_path / "now")]) == 0
        out = tmp_path / "ca.xlsx"
        assert main(["export", "--out", str(out), "--codes", "5506"]) == 0
    wb = load_workbook(out)
    rows = list(wb["Changes"].iter_rows(min_row=2, values_only=True))
    assert rows and all(str(r[3]).startswith("5506") for r in rows)
    assert {r[0] for r in rows} == {"ca-ecl"}
    assert table_problems(wb["Changes"]) == []
