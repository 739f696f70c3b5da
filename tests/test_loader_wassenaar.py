"""Wassenaar loader: a small PDF built here in the layout of WA-LIST (invented wording), and
the real list when ../shared/sources is present."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from harmonize.ingest.segmenter import Line
from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError, ShapeError
from loaders.wassenaar import pages as wa_pages
from loaders.wassenaar import parse as wassenaar
from loaders.wassenaar import sensitive as wa_sensitive
from loaders.wassenaar import structure as wa_structure
from tests.conftest import shared_file

# -- a fixture PDF in the official layout ------------------------------------------------------

Cell = tuple[float, str, str]  # x, text, font ("ro" upright, "it" italic, "bo" bold, "sm" 10 pt)


def r(*cells: tuple[float, str] | Cell) -> list[Cell]:
    """One printed line: its tab cells, each at its own x (as the real PDF sets them)."""
    return [(c[0], c[1], c[2] if len(c) > 2 else "ro") for c in cells]


FONTS = {"ro": "tiro", "it": "tiit", "bo": "tibo", "sm": "tiro"}

COVER = [r((160, "Wassenaar Arrangement")), r((200, "TABLE OF CONTENTS", "bo")),
         r((90, "- Category 4 Widgetry ......"), (480, "3"))]

GENERAL = [
    r((90, "DUAL-USE LIST", "bo")),
    r((90, "Note 1", "it"), (132, "Terms in \"quotations\" are defined terms.", "it")),
    r((90, "GENERAL TECHNOLOGY NOTE")),
    r((90, "Controls apply to widget \"technology\" as set out in each Category.")),
]

CATEGORY_4 = [
    r((90, "4. WIDGETRY")),
    r((90, "Note 1", "it"), (132, "Widgets performing gizmo functions are also evaluated", "it")),
    r((132, "against Category 5.", "it")),
    r((90, "4. A. SYSTEMS, EQUIPMENT AND COMPONENTS")),
    r((124.7, "1."), (146, "Widget computers having any of the following:")),
    r((148.8, "a."), (169, "Rated for operation below 100 K; or")),
    r((148.8, "b."), (169, "Having a gizmo throughput exceeding 5 units, as follows:")),
    r((169, "1."), (193, "Sealed gizmos;")),
    r((193, "Note", "it"), (232, "4.A.1.b.1. does not apply to toy gizmos as follows:", "it")),
    r((232, "a. Plastic toys;", "it")),
    r((232, "b. Wooden toys.", "it")),
    r((169, "2."), (193, "Open gizmos.")),
    r((90, "4. A. 2."), (146, "Not used since 2003")),
    r((90, "4. A. 3."), (146, "Widget assemblies, as follows:")),
    r((146, "N.B.", "it"), (186, "For gizmo widgets, see 5.A.1.", "it")),
    r((148.8, "a."), (169, "Assemblies rated above 3 GHz, as follows:")),
    r((169, "1."), (193, "Sealed;")),
    r((169, "2."), (193, "Vented;")),
    r((169, "Note", "it"), (209, "4.A.3.a. does not apply to:", "it")),
    r((209, "a. Toy assemblies;", "it")),
    r((209, "b. Assemblies using any of the following:", "it")),
    r((228, "1. Cork;", "it")),
    r((228, "2. Felt; or", "it")),
    r((228, "3. Paper;", "it")),
    r((209, "c. Museum pieces.", "it")),
    r((148.8, "b."), (169, "Assemblies referred to in 5.A.1.b.3.")),
    r((90, "4. D. SOFTWARE")),
    r((124, "Note", "it"), (163, "This note belongs to the group, not to any entry.", "it")),
    r((90, "4. D. 1."), (146, "\"Software\" specially designed for widgets specified in 4.A.1.")),
    r((124.7, "2."), (146, "\"Software\" for the generation of \"gizmo payloads\".")),
    r((90, "* One participating state views this list as a reference list.", "sm")),
]

CATEGORY_5_P1 = [
    r((90, "Part 1 - GIZMOS")),
    r((90, "5. A. Part  1. SYSTEMS, EQUIPMENT AND COMPONENTS")),
    r((90, "5. A. 1."), (146, "Gizmo systems, as follows:")),
    r((148.8, "a."), (169, "Gizmos rated for use below 218 K;")),
    r((148.8, "b."), (169, "Gizmo network monitoring systems having all of the following:")),
    r((169, "1."), (193, "Performing any of the following on a carrier-class network:")),
    r((193, "a."), (217, "Inspection at the session layer; or")),
    r((193, "b."), (217, "Extraction of gizmo metadata;")),
    r((169, "2."), (193, "Having any of the following:")),
    r((193, "a."), (217, "A gizmo index;")),
    r((193, "b."), (217, "A gizmo catalogue; or")),
    r((193, "c."), (217, "A gizmo archive having any of the following:")),
    r((217, "1."), (237, "More than 10 shelves;")),
]
CATEGORY_5_P1_CONTINUED = [  # page top: the path is restated before the next paragraph
    r((90, "5. A. 1."), (148.8, "b."), (169, "2."), (193, "c."), (217, "2. Fewer than 2 doors.")),
    r((90, "5. A. 1."), (148.8, "c."), (169, "Gizmo jamming equipment.")),
    r((90, "5. E. Part 1. TECHNOLOGY")),
    r((90, "5. E. 1."), (146, "\"Technology\" for gizmos specified in 5.A.1.")),
    r((200, "TABLE - GIZMO TECHNIQUES - NOTES")),
    r((123.9, "1."), (148, "The term 'gizmo coating' includes repair coatings.")),
    r((123.9, "2."), (148, "The term 'gizmo alloy' refers to alloys of gizmonium.")),
]
CATEGORY_5_P2 = [
    r((90, "Part 2 - \"GIZMO SECURITY\"")),
    r((90, "Note 1", "it"), (139, "Gizmo security items for personal use are not covered.", "it")),
    r((90, "5. A. Part 2. SYSTEMS, EQUIPMENT AND COMPONENTS")),
    r((90, "CRYPTOGRAPHIC \"GIZMO SECURITY\"")),
    r((90, "5. A. 2."), (150, "\"Gizmo security\" systems, as follows:")),
    r((142, "a. Designed to use gizmo cryptography;")),
    r((90, "5. A. 2. b. Being a 'gizmo activation token'.")),
]
SENSITIVE = [
    r((118, "THE SENSITIVE LIST OF DUAL-USE GOODS AND TECHNOLOGIES")),
    r((90, "Category 4")),
    r((90, "4.A.1.b."), (193, "Widget computers having a gizmo throughput...")),
    r((90, "4.A.3.a. & 4.D.2."), (193, "Widget assemblies...")),
    r((90, "Category 5 - Part 1")),
    r((90, "5.A.1.b.2.a. to"), (193, "Gizmo monitoring...")),
    r((90, "5.A.1.b.2.c.")),
    r((90, "9.A.9."), (193, "Widget engines...")),
]
VERY_SENSITIVE = [
    r((118, "VERY SENSITIVE LIST OF DUAL-USE GOODS AND TECHNOLOGIES")),
    r((90, "Category 5 - Part 1")),
    r((90, "5.A.1.b.2.a."), (193, "A gizmo index...")),
]
MUNITIONS = [
    r((90, "Note 1", "it"), (175, "Terms in \"quotations\" are defined terms.", "it")),
    r((86, "ML1. Gadget launchers with a calibre below 20 mm, as follows:")),
    r((122, "Note ML1. does not apply to:", "it")),
    r((154, "a. Toy launchers;", "it")),
    r((122, "a."), (144, "Launchers specially designed for military use;")),
    r((122, "b."), (144, "Gadget accessories; for gadget mounts see")),
    r((144, "ML2. and 1.A.6. on the Dual-Use List.")),
    r((86, "ML2. \"Gadget\" propellants as follows:")),
    r((122, "a."), (144, "Propellants having a burn rate above 5 m/s;")),
]
DEFINITIONS = [r((90, "\"Gizmo\" means a small device that gizmos."))]

PAGES: list[tuple[str, list[list[Cell]]]] = [
    ("", COVER),
    ("", GENERAL),
    ("DUAL-USE LIST - CATEGORY 4 - WIDGETRY", CATEGORY_4),
    ("DUAL-USE LIST - CATEGORY 5 – PART 1 – GIZMOS", CATEGORY_5_P1),
    ("DUAL-USE LIST - CATEGORY 5 – PART 1 – GIZMOS", CATEGORY_5_P1_CONTINUED),
    ("DUAL-USE LIST - CATEGORY 5 – PART 2 – \"GIZMO SECURITY\"", CATEGORY_5_P2),
    ("Sensitive List", SENSITIVE),
    ("Very Sensitive List", VERY_SENSITIVE),
    ("MUNITIONS  LIST", MUNITIONS),
    ("DEFINITIONS", DEFINITIONS),
]


def build_pdf(path: Path, pages: list[tuple[str, list[list[Cell]]]] = PAGES,
              date: str = "15-01-2026", list_id: str = "WA-LIST (25) 1 Corr.") -> Path:
    """Write the pages: running header, body rows 12.6 pt apart, footer with the list id,
    page number and date (as on every page of the real list after the cover)."""
    doc = pymupdf.open()
    for number, (header, rows) in enumerate(pages, start=1):
        page = doc.new_page(width=595, height=842)
        if number > 1:
            page.insert_text((91, 40), "_" * 68, fontname="tiro", fontsize=12)
            if header:
                page.insert_text((150, 66), header, fontname="tibo", fontsize=10)
            page.insert_text((91, 78), "_" * 68, fontname="tiro", fontsize=12)
            page.insert_text((414, 792), list_id, fontname="tiro", fontsize=10)
            page.insert_text((90, 805), f"- {number} -", fontname="tiro", fontsize=10)
            page.insert_text((457, 805), date, fontname="tiro", fontsize=10)
        y = 112.0
        for row in rows:
            for x, text, font in row:
                size = 10 if font == "sm" else 11
                page.insert_text((x, y), text, fontname=FONTS[font], fontsize=size)
            y += 12.6
    doc.save(path)
    doc.close()
    return path


@pytest.fixture(scope="module")
def fixture_lists(tmp_path_factory: pytest.TempPathFactory) -> list[ParsedList]:
    path = build_pdf(tmp_path_factory.mktemp("wa") / "wa.pdf")
    return wassenaar.parse(path, check_counts=False)


def by_code(parsed: ParsedList) -> dict[str, dict[str, Any]]:
    """Entries and paragraphs by canonical code."""
    keyed = parsed.frame[parsed.frame["kind"].isin(["entry", "paragraph"])]
    return {str(row["canonical"]): {str(k): v for k, v in row.items()}
            for row in keyed.to_dict("records")}


# -- unit tests on the fixture --------------------------------------------------------------------

def test_two_lists_with_provenance(fixture_lists: list[ParsedList]) -> None:
    dual, munitions = fixture_lists
    assert dual.info.source_id == "wassenaar" and munitions.info.source_id == "wassenaar-ml"
    assert dual.info.list_name == "Wassenaar Dual-Use List"
    assert dual.info.version == munitions.info.version == "2026-01-15"
    assert dual.info.jurisdiction == "WA"
    assert dual.frame["citation"].iloc[0].startswith("Wassenaar Arrangement, WA-LIST (25) 1 Corr.")


def test_entries_and_canonical_codes(fixture_lists: list[ParsedList]) -> None:
    dual = fixture_lists[0]
    entries = list(dual.frame.loc[dual.frame["kind"] == "entry", "canonical"])
    assert entries == ["4A001", "4A002", "4A003", "4D001", "4D002", "5A001", "5E001", "5A002"]
    assert dual.headings_seen == len(entries)
    rows = by_code(dual)
    assert rows["5A001.b.1.a"]["parent"] == "5A001.b.1"
    assert rows["5A001.b.1.a"]["text"] == "Inspection at the session layer; or"
    assert rows["4A002"]["text"] == "Not used since 2003"  # deleted entries stay entries
    assert rows["5A002.b"]["text"] == "Being a 'gizmo activation token'."


def test_first_entry_after_group_heading_and_bare_numbers(fixture_lists: list[ParsedList]) -> None:
    rows = by_code(fixture_lists[0])
    assert rows["4A001"]["text"] == "Widget computers having any of the following:"
    assert rows["4A001.a"]["parent"] == "4A001"
    assert rows["4D002"]["text"] == "\"Software\" for the generation of \"gizmo payloads\"."
    assert rows["4D002"]["kind"] == "entry"


def test_page_top_restatement_moves_the_cursor(fixture_lists: list[ParsedList]) -> None:
    rows = by_code(fixture_lists[0])
    # "5. A. 1." "b." "2." "c." restate the path; "c." must not become a new 5A001.c there
    assert rows["5A001.b.2.c.2"]["parent"] == "5A001.b.2.c"
    assert rows["5A001.b.2.c.2"]["text"] == "Fewer than 2 doors."
    assert rows["5A001.c"]["text"] == "Gizmo jamming equipment."


def test_notes_keep_their_lists_and_upright_labels_close_them(
    fixture_lists: list[ParsedList],
) -> None:
    frame = fixture_lists[0].frame
    rows = by_code(fixture_lists[0])
    note = frame[(frame["kind"] == "note") & (frame["canonical"] == "4A001.b.1")]
    assert len(note) == 1 and "a. Plastic toys; b. Wooden toys." in note["text"].iloc[0]
    assert "4A001.b.1.a" not in rows  # the note's own list is not a paragraph
    assert rows["4A001.b.2"]["parent"] == "4A001.b"  # upright "2." after the note
    assert rows["4A003.a"]["parent"] == "4A003"  # upright "a." right after an entry's N.B.
    # a note's nested list: its "3." is not the next paragraph 4A003.a.3
    assert "4A003.a.3" not in rows
    assert rows["4A003.b"]["parent"] == "4A003"
    # printed after 4A003.a.2 at the column of a.'s sub-labels, naming 4.A.3.a.: hung there
    nested = frame[(frame["kind"] == "note") & (frame["canonical"] == "4A003.a")]
    assert nested["text"].iloc[0].endswith("1. Cork; 2. Felt; or 3. Paper; c. Museum pieces.")
    nb = frame[(frame["kind"] == "nb") & (frame["canonical"] == "4A003")]
    assert nb["text"].tolist() == ["For gizmo widgets, see 5.A.1."]


def test_running_headers_never_reach_texts(fixture_lists: list[ParsedList]) -> None:
    for parsed in fixture_lists:
        text = " ".join(parsed.frame["text"])
        for noise in ("WA-LIST", "15-01-2026", "DUAL-USE LIST - CATEGORY", "- 3 -", "____"):
            assert noise not in text


def test_text_outside_entries_is_reported(fixture_lists: list[ParsedList]) -> None:
    dual = fixture_lists[0]
    reasons: dict[str, list[str]] = {}
    for item in dual.unplaced:
        reasons.setdefault(item.reason, []).append(item.text)
    before = " ".join(reasons["before the first entry"])
    assert "Terms in \"quotations\"" in before  # general notes
    assert "This note belongs to the group" in before  # a group's note is no entry's note
    assert "This note belongs" not in " ".join(dual.frame["text"])
    assert any("gizmo coating" in t for t in reasons["table (not an entry)"])
    assert "CRYPTOGRAPHIC \"GIZMO SECURITY\"" in reasons["sub-group title (not an entry)"]
    assert any("reference list" in t for t in reasons["footnote"])
    assert any("small device" in t for t in reasons["definitions of terms (not entries)"])
    assert not [u for u in dual.unplaced if u.reason.startswith("label")]


def test_sensitivity_from_the_annexes(fixture_lists: list[ParsedList]) -> None:
    dual = fixture_lists[0]
    frame = dual.frame
    level = dict(zip(frame["canonical"], frame["sensitivity"], strict=False))
    assert level["4A001"] == ""  # a listed paragraph does not mark its entry
    assert level["4A001.b"] == level["4A001.b.1"] == "sensitive"
    assert level["4A003.a"] == level["4D002"] == "sensitive"
    assert level["5A001.b.2.b"] == "sensitive"  # inside the range b.2.a to b.2.c
    assert level["5A001.b.2.a"] == "very-sensitive"
    assert level["5A001.b.1"] == ""
    note = frame[(frame["kind"] == "note") & (frame["canonical"] == "4A001.b.1")]
    assert note["sensitivity"].iloc[0] == "sensitive"
    assert any("9A009" in n for n in dual.notes)  # listed, but no such entry: said, not hidden


def test_munitions_list(fixture_lists: list[ParsedList]) -> None:
    munitions = fixture_lists[1]
    rows = by_code(munitions)
    assert [c for c, row in rows.items() if row["kind"] == "entry"] == ["ML1", "ML2"]
    assert rows["ML1.b"]["parent"] == "ML1"
    # a wrapped reference starting a line ("ML2. and ...") does not open ML2 early
    assert "ML2. and 1.A.6." in str(rows["ML1.b"]["text"])
    assert rows["ML2"]["location"] == "p. 9"
    assert rows["ML2.a"]["text"] == "Propellants having a burn rate above 5 m/s;"
    notes = munitions.frame[munitions.frame["kind"] == "note"]
    assert "a. Toy launchers;" in notes["text"].iloc[0]


def test_shape_check_is_on_by_default(tmp_path: Path) -> None:
    with pytest.raises(ShapeError, match="expected 150-300"):
        wassenaar.parse(build_pdf(tmp_path / "wa.pdf"))


def test_reconciliation_names_missing_headings(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = wa_structure.count_headings

    def one_more(pages: object) -> dict[str, str]:
        return {**real(pages), "4A009": "p. 3"}  # type: ignore[arg-type]

    monkeypatch.setattr(wassenaar, "count_headings", one_more)
    with pytest.raises(ReconciliationError, match=r"4A009 \(p\. 3\)"):
        wassenaar.parse(build_pdf(tmp_path / "wa.pdf"), check_counts=False)


def test_bad_files_raise_loader_errors(tmp_path: Path) -> None:
    text = tmp_path / "text.pdf"
    text.write_text("not a pdf at all", encoding="utf-8")
    with pytest.raises(LoaderError, match="not a readable PDF"):
        wassenaar.parse(text)
    whole = build_pdf(tmp_path / "whole.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(LoaderError):
        wassenaar.parse(truncated, check_counts=False)
    other = build_pdf(tmp_path / "other.pdf", PAGES, list_id="OTHER DOCUMENT")
    with pytest.raises(LoaderError, match="WA-LIST"):
        wassenaar.parse(other, check_counts=False)
    undated = build_pdf(tmp_path / "undated.pdf", PAGES, date="January 2026")
    with pytest.raises(LoaderError, match="dd-mm-yyyy"):
        wassenaar.parse(undated, check_counts=False)


# -- the small functions ---------------------------------------------------------------------------

def seg(x: float, text: str, italic: bool = False, size: float = 11.0) -> wa_pages.Segment:
    return wa_pages.Segment(x0=x, x1=x + 5.5 * len(text), y=100.0, text=text, italic=italic,
                             size=size)


def test_row_pieces_cut_codes_and_labels() -> None:
    row = wa_pages.Row(5, 100.0, [seg(90, "5. A. 1."), seg(148.8, "b."), seg(169, "2."),
                                   seg(193, "b. Fitted with a gauge")])
    pieces = wa_pages.row_pieces(row)
    assert [p.text for p in pieces] == ["5. A. 1.", "b.", "2.", "b. Fitted with a gauge"]
    assert [p.line.indent for p in pieces] == [90, 148.8, 169, 193]
    assert [p.line.location for p in pieces] == ["p. 5"] * 4
    one_run = wa_pages.Row(5, 100.0, [seg(90, "5. A. 4. b. Items as follows:")])
    assert [p.text for p in wa_pages.row_pieces(one_run)] == ["5. A. 4.", "b. Items as follows:"]
    heading = wa_pages.Row(5, 100.0, [seg(90, "5. A. 1."), seg(146, "Gizmo systems:")])
    assert [p.text for p in wa_pages.row_pieces(heading)] == ["5. A. 1. Gizmo systems:"]
    footer = wa_pages.Row(5, 800.0, [seg(90, "- 5 -"), seg(457, "15-01-2026")])
    assert [p.text for p in wa_pages.row_pieces(footer)] == ["- 5 -", "15-01-2026"]


def test_count_headings_sees_spaced_codes_and_group_first_entries() -> None:
    page = [
        seg(90, "4. A. SYSTEMS, EQUIPMENT AND COMPONENTS"),
        seg(124.7, "1."), seg(146, "Widget computers:"),
        seg(148.8, "a."), seg(169, "Having a gizmo, see 5.A.1.b.3."),
        seg(90, "4. A. 2."), seg(146, "Widget parts."),
        seg(124, "3.", italic=True), seg(146, "A note's third item, not an entry.", italic=True),
        seg(200, "5. A. 7. is never printed spaced in text, but at the margin only"),
        seg(90, "4. E. TECHNOLOGY"),
        seg(90, "4. E. 1."), seg(146, "\"Technology\" for widgets."),
        seg(200, "TABLE - WIDGET TECHNIQUES - NOTES"),
        seg(123.9, "2."), seg(148, "A numbered note of the table."),
    ]
    assert wa_structure.count_headings([(7, page)]) == {
        "4A001": "p. 7", "4A002": "p. 7", "4E001": "p. 7",
    }


def test_annex_codes_expand_ranges() -> None:
    rows = [wa_pages.Row(1, 100.0 + i, [seg(90, text)]) for i, text in enumerate(
        ["Category 9", "9.E.3.a.1. to", "9.E.3.a.4. &", "9.E.3.a.8.", "7.D.4.a. to 7.D.4.c.",
         "8.D.2", "1.C.10.c. & 1.C.10.d."])]
    assert wa_sensitive.annex_codes(rows) == [
        "9E003.a.1", "9E003.a.2", "9E003.a.3", "9E003.a.4", "9E003.a.8",
        "7D004.a", "7D004.b", "7D004.c", "8D002", "1C010.c", "1C010.d",
    ]


def test_drop_restatements_keeps_new_paragraphs() -> None:
    lines = [Line(t, "p. 1") for t in [
        "5. A. 1. Gizmos:", "a. One;", "1. Deep;",
        "5. A. 1.", "a.", "2. Deeper",  # restated "a." dropped, new "2." kept
        "5. A. 1.", "b.", "Text of b printed below its label",  # "b." is new: kept
        "1. First of b;",
        "b.", "2. Second of b;",  # a restated "b." within the page, no code before it
        "5. A. 2. Next entry",
    ]]
    kept, dropped = wa_structure.drop_restatements(lines, wassenaar.STYLE)
    assert [line.text for line in kept] == [
        "5. A. 1. Gizmos:", "a. One;", "1. Deep;", "2. Deeper", "b.",
        "Text of b printed below its label", "1. First of b;", "2. Second of b;",
        "5. A. 2. Next entry",
    ]
    assert dropped == 4


# -- the real list ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_lists(shared_sources: Path) -> tuple[list[ParsedList], float]:
    path = shared_file(shared_sources, "wassenaar", "wassenaar_2025.pdf")
    started = time.perf_counter()
    lists = wassenaar.parse(path)
    return lists, time.perf_counter() - started


@pytest.mark.integration
def test_real_counts_and_reconciliation(real_lists: tuple[list[ParsedList], float]) -> None:
    (dual, munitions), _ = real_lists
    assert 150 <= dual.entries <= 300
    assert dual.entries == dual.headings_seen
    assert 1500 <= dual.paragraphs <= 2500
    assert munitions.entries == 22
    assert 350 <= munitions.paragraphs <= 600
    assert dual.info.version == "2026-01-15"
    labels = [u for parsed in (dual, munitions) for u in parsed.unplaced
              if u.reason.startswith("label")]
    assert len(labels) <= 5, labels[:5]


@pytest.mark.integration
def test_real_codes_and_texts(real_lists: tuple[list[ParsedList], float]) -> None:
    (dual, munitions), _ = real_lists
    rows = by_code(dual)
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004", "5A002", "4E001.c", "5D001.e"):
        assert code in rows, code
    assert rows["4A001"]["kind"] == "entry"  # the first entry of group 4.A (a bare "1.")
    assert str(rows["4A001"]["text"]).startswith("Electronic computers")
    assert "application layer" in str(rows["5A001.j.1.a"]["text"])
    assert "intrusion software" in str(rows["4D004"]["text"])
    assert str(rows["4A002"]["text"]).startswith("Not used since")
    assert "ML21.b.5" in by_code(munitions)


@pytest.mark.integration
def test_real_sensitivity_and_clean_texts(real_lists: tuple[list[ParsedList], float]) -> None:
    (dual, munitions), _ = real_lists
    counts = dual.frame["sensitivity"].value_counts()
    assert counts.get("sensitive", 0) > 100 and counts.get("very-sensitive", 0) > 50
    level = dict(zip(dual.frame["canonical"], dual.frame["sensitivity"], strict=False))
    assert level["5A001.h"] == "very-sensitive"
    assert level["4A003.b"] == "sensitive"
    for parsed in (dual, munitions):
        text = parsed.frame["text"]
        assert not text.str.contains("WA-LIST").any()
        assert not text.str.contains("15-01-2026").any()
        assert not text.str.contains("DUAL-USE LIST - CATEGORY").any()


@pytest.mark.integration
def test_real_parse_time(real_lists: tuple[list[ParsedList], float]) -> None:
    _, seconds = real_lists
    assert seconds < 15  # a few seconds on 2 cores; generous for loaded CI machines
