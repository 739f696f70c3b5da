"""UK Strategic Export Control List loader: a hand-built PDF in the official layout, then the
real consolidated list (integration)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from harmonize.codes import canonical_code
from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError
from loaders.uk_sel import pages as uk_pages
from loaders.uk_sel import parse as uk_sel

from .conftest import shared_file

# -- fixture PDF ---------------------------------------------------------------------------------
# Invented wording; layout as in the official file: code at the left margin (x 56.6) beside its
# heading (x 114), labels indented per level, regime marks in the margin, notes in italic,
# headings in bold, footers "<file>.docx | <list title> (Page n of m) | <date>", page tops
# restating the entry and the paragraph path, footnotes in small type above the footer.

M, L1, L2, L3, L4 = 56.6, 114.2, 135.8, 157.4, 179.0
REG, BOLD, ITALIC = "helv", "hebo", "heit"
Item = tuple[float, str, str] | tuple[float, str, str, float]  # x, font, text[, size]
Row = Item | list[Item]  # a list: pieces sharing one baseline


def _page(doc: pymupdf.Document, footer: tuple[str, str, str], rows: list[Row],
          footnote: str | None = None) -> None:
    page = doc.new_page(width=595.32, height=841.92)
    y = 70.0
    for row in rows:
        end = 0.0
        for item in row if isinstance(row, list) else [row]:
            x, font, text, *size = item
            if x < 0:  # a superscript right after the piece before it, raised 4 pt
                page.insert_text((end, y - 4), text, fontname=font, fontsize=8)
                continue
            fontsize = size[0] if size else 12
            page.insert_text((x, y), text, fontname=font, fontsize=fontsize)
            end = x + pymupdf.get_text_length(text, fontname=font, fontsize=fontsize)
        y += 14.0
    if footnote:
        page.insert_text((M, 775), footnote[0], fontname=REG, fontsize=6.5)
        page.insert_text((M + 6, 778), footnote[1:], fontname=REG, fontsize=10)
    file_name, title, printed_date = footer
    page.insert_text((M, 803), file_name, fontname=REG, fontsize=10)
    page.insert_text((213.4, 803), title, fontname=REG, fontsize=10)
    page.insert_text((495.9, 803), printed_date, fontname=REG, fontsize=10)


def build_fixture(path: Path, *, stray_code: bool = False) -> Path:
    doc = pymupdf.open()
    _page(doc, ("INTR_U99.docx", "Strategic Export Control Lists: Contents and Introduction",
                "16 December 2025"), [
        (M, BOLD, "Introduction"),
        (M, REG, "These lists summarise the widget rules that was in force on the 16 December"),
        (M, REG, "2025 for exports of widgets."),
    ])
    _page(doc, ("MLST_U99.docx", "UK Military List (Page 1 of 1)", "16 Dec 2025"), [
        (M, REG, '"gadget" means a thing with a handle;'),
        [(M, BOLD, "ML1"), (L1, REG, "Smooth gadgets for parades, as follows:")],
        (L1, REG, "a. Gadgets with a handle longer than 2 m;"),
        (L1, REG, "b. Gadgets with two handles;"),
        [(M, BOLD, "PL5001"), (L1, REG, "Other parade goods as follows:")],
        (L1, REG, "a. Banners of more than 10 m2;"),
    ])
    _page(doc, ("UKDU_U99.docx", "UK Dual-Use List (Page 1 of 1)", "16 Dec 2025"), [
        (M, BOLD, "Definitions"),
        (M, REG, '"widget" means any small device;'),
        (M, BOLD, "Widget-related goods"),
        [(M, BOLD, "PL9002"), (L1, REG, "The export of the following widgets is prohibited:")],
        (L1, REG, "a. Blue widgets;"),
        (L1, REG, "b. Green widgets weighing more than 3 kg;"),
        [(L1, ITALIC, "Note:"), (L3, ITALIC, "PL9002 does not control toy widgets.")],
    ])
    _page(doc, ("EUFR_R99.docx", "Non-military Firearms List (Page 1 of 1)", "31 December 2020"),
          [(M, REG, "1. Some other list that the loader leaves out;")])
    _page(doc, ("DEFS_R99.docx", "Dual-Use List - Definitions [Page 1 of 1]", "16 Dec 2025"), [
        (M, BOLD, "DEFINITIONS OF TERMS USED IN THIS ANNEX"),
        (M, REG, '"Gizmo" means a widget with a lamp.'),
    ])
    _page(doc, ("CAT5_R99.docx", "Dual-Use List - Category 5 [Page 1 of 2]", "16 Dec 2025"), [
        (M, BOLD, 'CATEGORY 5 - WIDGETS AND "GIZMOS"'),
        [(L1, ITALIC, "Note 1: The control status of widget parts is determined in"),],
        (L3, ITALIC, "this Category."),
        [(M, BOLD, "5A1"), (L1, BOLD, "Systems, Equipment and Components")],
        [(M, REG, "5A001"), (L1, REG, "Widget systems and accessories as")],
        [(M, REG, "[W]"), (L1, REG, "follows:")],
        (L1, REG, "a. Any widget having any of the following:"),
        (L2, REG, "1. Rated for operation above 400 K;"),
        (L2, REG, "2. Hardened against gizmo radiation;"),
        [(L2, ITALIC, "Note:"), (L4, ITALIC, "5A001.a.2. does not control widgets for:")],
        (L4, ITALIC, "1. Toy use, being any of the following:"),
        (L4 + 21.6, ITALIC, "a. Dolls' houses; or"),
        (L4 + 21.6, ITALIC, "b. Model railways;"),
        (L4, ITALIC, "2. Museum display."),
        [(M, REG, "[WS]"), (L1, REG, "b. Widget receivers having all of the following:")],
        (L2, REG, "1. More than 1 000 channels;"),
        (L2, REG, "2. A switching time of less than 1 ms;"),
        (L1, REG, "c. Widget network surveillance systems, as follows:"),
        (L2, REG, "1. Performing all of the following on a carrier class widget"),
        (L3, REG, "network:"),
        (L3, REG, "a. Analysis at the application layer;"),
    ], footnote="1 Text applies to Northern Ireland only")
    stray = [(L3, REG, "5A003")] if stray_code else []
    _page(doc, ("CAT5_R99.docx", "Dual-Use List - Category 5 [Page 2 of 2]", "16 Dec 2025"), [
        # a partial restatement: the path is c.1, the page top prints only "c."
        [(M, REG, "5A001"), (L1, REG, "c.")],
        (L3, REG, "b. Extraction of selected widget metadata, other than that in"),
        (L4, REG, "5A001 or 5A002 of this Category;"),
        *stray,
        [(M, REG, "5A002"), (L1, REG, "Gizmo systems having a lamp brighter than 10 cd/m"),
         (-1, REG, "2")],
        (L1, REG, "and a battery, as follows:"),
        (L1, REG, "a. Gizmos for a lighthouse;"),
        (L1, REG, "b. Gizmos for a stage, having all of the following:"),
        (L2, REG, "1. A dimmer;"),
        (L2, REG, "2. A remote control."),
        [(M, BOLD, "5B1"), (L1, BOLD, "Test, Inspection and Production Equipment")],
        (L1, ITALIC, "Note: Widget testers are listed in this group only."),
        [(M, REG, "5B501"), (L1, REG, "Widget items, as follows:")],
        (L1, REG, "a. General purpose widgets, as follows:"),
        (L2, REG, "15. Cryogenic widgets operating below 4.5 K;"),
        (L2, REG, "16. Widgets having a total performance of 6 000 or more."),
    ])
    _page(doc, ("ANX4_R99.docx", "Dual-Use List - Annex IV [Page 1 of 1]", "16 Dec 2025"), [
        (M, BOLD, "Items of widget technology"),
        [(M, REG, "1E201"), (L1, REG, '"Technology" for the "use" of goods in 1C239.')],
        [(M, REG, "5A001.c.1."), (L1, REG, "Widget network surveillance systems:")],
        (L1, ITALIC, "N.B. SEE ALSO 5A001.c."),
        (L2, REG, "a. Analysis at the application layer;"),
        (L2, REG, "c. Indexing of extracted data;"),
        [(M, REG, "5A002.b."), (L1, REG, "Gizmo systems, as follows:")],
        [(L1, ITALIC, "Note:"), (L3, ITALIC, "5A002.b. includes stage gizmos.")],
        (L1, REG, "b. Gizmos for a stage, having all of the following:"),
        (L2, REG, "2. A remote control."),
        [(M, REG, "1E201"), (L1, REG, '"Technology" for the "use" of goods in 1B226.')],
    ])
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def fixture_lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedList]:
    path = build_fixture(tmp_path_factory.mktemp("uk") / "uk_fixture.pdf")
    return {parsed.info.source_id: parsed for parsed in uk_sel.parse(path, check_counts=False)}


def rows(parsed: ParsedList) -> dict[str, pd.Series]:
    frame = parsed.frame
    keyed = frame[frame["kind"].isin(["entry", "paragraph"])]
    return {str(r["canonical"]): r for _, r in keyed.iterrows()}


def test_lists_ids_version_and_provenance(fixture_lists: dict[str, ParsedList]) -> None:
    assert set(fixture_lists) == {"uk-sel", "uk-sel-annex-iv", "uk-sel-ml"}
    main = fixture_lists["uk-sel"]
    assert main.info.version == "2025-12-16"
    assert main.info.jurisdiction == "GB"
    assert main.info.list_name == "UK Dual-Use List"
    assert main.info.citation == "UK Strategic Export Control List (16 December 2025)"
    assert fixture_lists["uk-sel-annex-iv"].info.list_name == "UK Dual-Use List, Annex IV"
    assert set(main.frame["version"]) == {"2025-12-16"}


def test_paragraph_tree_and_page_top_restatement(fixture_lists: dict[str, ParsedList]) -> None:
    main = fixture_lists["uk-sel"]
    paragraphs = main.frame[main.frame["kind"] == "paragraph"]["canonical"].tolist()
    assert [p for p in paragraphs if p.startswith("5A001")] == [
        "5A001.a", "5A001.a.1", "5A001.a.2", "5A001.b", "5A001.b.1", "5A001.b.2",
        "5A001.c", "5A001.c.1", "5A001.c.1.a", "5A001.c.1.b",
    ]
    by_code = rows(main)
    # the wrapped line and the partial page-top restatement ("5A001 | c.") land in the right rows
    assert by_code["5A001.c.1"]["text"].endswith("carrier class widget network:")
    assert by_code["5A001.c.1.b"]["text"] == (
        "Extraction of selected widget metadata, other than that in 5A001 or 5A002 of this "
        "Category;"
    )
    assert by_code["5A001.c.1.a"]["parent"] == "5A001.c.1"
    assert by_code["5A001"]["text"] == "Widget systems and accessories as follows:"


def test_wrapped_line_starting_with_a_code_is_not_a_heading(
    fixture_lists: dict[str, ParsedList],
) -> None:
    entries = fixture_lists["uk-sel"].frame.query("kind == 'entry'")["canonical"].tolist()
    assert entries == ["PL9002", "5A001", "5A002", "5B501"]


def test_notes_are_italic_blocks_with_their_own_lists(fixture_lists: dict[str, ParsedList]) -> None:
    frame = fixture_lists["uk-sel"].frame
    notes = frame[frame["kind"] == "note"]
    note = notes[notes["canonical"] == "5A001.a.2"].iloc[0]
    assert note["text"] == (
        "5A001.a.2. does not control widgets for: 1. Toy use, being any of the following: "
        "a. Dolls' houses; or b. Model railways; 2. Museum display."
    )
    assert "5A001.a.2.a" not in set(frame["canonical"])
    assert rows(fixture_lists["uk-sel"])["5A001.b"]["text"].startswith("Widget receivers")
    # the next non-italic label closes the note and continues the tree
    assert rows(fixture_lists["uk-sel"])["5A001.b"]["parent"] == "5A001"


def test_national_pl_entries_and_500_series(fixture_lists: dict[str, ParsedList]) -> None:
    by_code = rows(fixture_lists["uk-sel"])
    assert canonical_code("PL9002") == "PL9002"
    assert by_code["PL9002"]["national"]
    assert by_code["PL9002.b"]["national"]
    assert by_code["PL9002.b"]["text"] == "Green widgets weighing more than 3 kg;"
    assert by_code["PL9002"]["text"] == "The export of the following widgets is prohibited:"
    # shared 500-series entry: not national; its list opens at 15 like the entry it extends
    assert not by_code["5B501"]["national"]
    assert by_code["5B501.a.15"]["parent"] == "5B501.a"
    assert "5B501.a.16" in by_code
    assert not by_code["5A001"]["national"]


def test_margin_marks_and_sensitivity(fixture_lists: dict[str, ParsedList]) -> None:
    by_code = rows(fixture_lists["uk-sel"])
    assert '"regime_marks": ["W"]' in by_code["5A001"]["details"]
    assert by_code["5A001.b"]["sensitivity"] == "sensitive"
    assert by_code["5A001.a"]["sensitivity"] == ""
    texts = " ".join(fixture_lists["uk-sel"].frame["text"])
    assert "[W]" not in texts and "[WS]" not in texts


def test_superscript_glued_and_footers_gone(fixture_lists: dict[str, ParsedList]) -> None:
    by_code = rows(fixture_lists["uk-sel"])
    assert by_code["5A002"]["text"] == (
        "Gizmo systems having a lamp brighter than 10 cd/m² and a battery, as follows:"
    )
    for parsed in fixture_lists.values():
        texts = " ".join(parsed.frame["text"])
        for footer in (".docx", "Page 1 of", "16 Dec 2025", "Dual-Use List - Category"):
            assert footer not in texts, (parsed.info.source_id, footer)


def test_unplaced_text_is_reported_with_reasons(fixture_lists: dict[str, ParsedList]) -> None:
    unplaced = fixture_lists["uk-sel"].unplaced
    reasons = {(u.text, u.reason) for u in unplaced}
    assert ('"widget" means any small device;', "before the first entry") in reasons
    assert ('"Gizmo" means a widget with a lamp.', "before the first entry") in reasons
    assert ("Note 1: The control status of widget parts is determined in",
            "before the first entry") in reasons
    assert ("Note: Widget testers are listed in this group only.",
            "category or group note (belongs to no entry)") in reasons
    assert ("5A1 Systems, Equipment and Components",
            "category, group or section heading") in reasons
    assert ("1 Text applies to Northern Ireland only", "footnote") in reasons
    assert not [u for u in unplaced if u.reason.startswith("label")]


def test_left_out_lists_are_named(fixture_lists: dict[str, ParsedList]) -> None:
    notes = " ".join(fixture_lists["uk-sel"].notes)
    assert "Non-military Firearms List" in notes and "left out" in notes
    assert "Human Rights List" not in notes  # not in this file


def test_annex_iv_quotes_and_repeats(fixture_lists: dict[str, ParsedList]) -> None:
    annex = fixture_lists["uk-sel-annex-iv"]
    by_code = rows(annex)
    assert list(annex.frame.query("kind == 'entry'")["canonical"]) == [
        "1E201", "5A001.c.1", "5A002.b",
    ]
    assert by_code["5A001.c.1"]["entry"] == "5A001"
    # sparse quotation: a. then c. under 5A001.c.1
    assert [c for c in by_code if c.startswith("5A001.c.1.")] == ["5A001.c.1.a", "5A001.c.1.c"]
    assert by_code["5A001.c.1.c"]["parent"] == "5A001.c.1"
    # "5A002.b. <heading of 5A002>", a note, then "b. <the item>": the item is 5A002.b's text
    assert by_code["5A002.b"]["text"] == (
        "Gizmo systems, as follows: b. Gizmos for a stage, having all of the following:"
    )
    assert list(by_code)[-1] == "5A002.b.2"
    # quoted twice: one row, both texts
    assert "1B226" in by_code["1E201"]["text"] and "1C239" in by_code["1E201"]["text"]
    assert annex.frame.query("kind == 'nb'")["canonical"].tolist() == ["5A001.c.1"]


def test_military_list_with_national_pl5001(fixture_lists: dict[str, ParsedList]) -> None:
    military = fixture_lists["uk-sel-ml"]
    by_code = rows(military)
    assert list(military.frame.query("kind == 'entry'")["canonical"]) == ["ML1", "PL5001"]
    assert by_code["PL5001"]["national"] and not by_code["ML1"]["national"]
    assert by_code["ML1.b"]["text"] == "Gadgets with two handles;"


def test_count_headings_reads_codes_set_apart() -> None:
    raw = "5A001 \nTelecoms, as follows:\n5A001 or 5A002 in this Category;\n5A002\nPL9002\n"
    assert uk_sel.count_headings([(7, raw)]) == {"5A001": "p. 7", "5A002": "p. 7",
                                                 "PL9002": "p. 7"}
    annex = "6A001.a.2.f. \nProcessing equipment\n6A001.a.1.b. Object detection systems\n" \
            "5A004.a. includes systems\n"
    assert set(uk_sel.count_headings([(1, annex)], annex_iv=True)) == {"6A001.a.2.f",
                                                                      "6A001.a.1.b"}


def test_stray_code_line_fails_reconciliation_loudly(tmp_path: Path) -> None:
    # a code alone on an indented line is counted as a heading in the raw text but is not an
    # entry heading in the layout: the parse must fail, naming the code and the page
    path = build_fixture(tmp_path / "stray.pdf", stray_code=True)
    with pytest.raises(ReconciliationError, match=r"5A003 \(p\. 7\)"):
        uk_sel.parse(path, check_counts=False)


def test_version_falls_back_to_footers(tmp_path: Path) -> None:
    pages = uk_pages.read_pages(build_fixture(tmp_path / "v.pdf"))
    without_intro = [p for p in pages if not p.title.startswith("Strategic")]
    assert uk_pages.parse_version(tmp_path / "v.pdf", without_intro) == "2025-12-16"


def test_bad_input_raises_loader_error(tmp_path: Path) -> None:
    text_file = tmp_path / "list.pdf"
    text_file.write_text("not a pdf at all")
    with pytest.raises(LoaderError):
        uk_sel.parse(text_file, check_counts=False)
    good = build_fixture(tmp_path / "good.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) // 3])
    with pytest.raises(LoaderError):
        uk_sel.parse(truncated, check_counts=False)
    other = pymupdf.open()
    other.new_page().insert_text((72, 72), "An unrelated document")
    other.save(tmp_path / "other.pdf")
    with pytest.raises(LoaderError, match="component list"):
        uk_sel.parse(tmp_path / "other.pdf", check_counts=False)


# -- the real list -------------------------------------------------------------------------------

REAL_NAME = "uk_export_control_list_2025.pdf"


@pytest.fixture(scope="module")
def real(shared_sources: Path) -> dict[str, ParsedList]:
    path = shared_file(shared_sources, "uk-sel", REAL_NAME)
    return {parsed.info.source_id: parsed for parsed in uk_sel.parse(path)}


@pytest.mark.integration
def test_real_lists_and_counts(real: dict[str, ParsedList]) -> None:
    main, annex, military = real["uk-sel"], real["uk-sel-annex-iv"], real["uk-sel-ml"]
    assert main.info.version == annex.info.version == "2025-12-16"
    assert 380 <= main.entries <= 420
    assert main.headings_seen == main.entries
    assert 2800 <= main.paragraphs <= 3600
    assert 60 <= annex.entries <= 80 and 30 <= annex.paragraphs <= 90
    assert military.entries == 23 and 350 <= military.paragraphs <= 550
    notes = main.frame["kind"].isin(["note", "technical-note", "nb"]).sum()
    assert 700 <= notes <= 1000


@pytest.mark.integration
def test_real_surveillance_and_intrusion_entries(real: dict[str, ParsedList]) -> None:
    by_code = rows(real["uk-sel"])
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004", "4E001.c", "5A001.f", "5D001.e"):
        assert code in by_code, code
        assert by_code[code]["canonical"] == canonical_code(code)
    assert "surveillance" in by_code["5A001.j"]["text"]
    assert "intrusion software" in by_code["4A005"]["text"]
    assert "intrusion software" in by_code["4D004"]["text"]
    assert by_code["5A001.j.1.a"]["parent"] == "5A001.j.1"


@pytest.mark.integration
def test_real_national_entries(real: dict[str, ParsedList]) -> None:
    frame = real["uk-sel"].frame
    national = frame[frame["national"] & (frame["kind"] == "entry")]["canonical"].tolist()
    expected = ["PL8001", *[f"PL90{n:02d}" for n in range(2, 13) if n != 7]]
    assert national == expected  # PL9007 is not in the 2025 Schedule 3
    by_code = rows(real["uk-sel"])
    assert "prohibited" in by_code["PL9002"]["text"]
    assert by_code["PL9002.c"]["national"] and "PETN" in by_code["PL9002.c"]["text"]
    assert "PL9012.a.3.v" in by_code and "PL8001.a.4" in by_code
    for code in ("3A501", "4A506", "4A507", "3A501.a.15"):
        assert code in by_code and not by_code[code]["national"], code


@pytest.mark.integration
def test_real_texts_are_clean(real: dict[str, ParsedList]) -> None:
    for parsed in real.values():
        texts = parsed.frame["text"]
        for footer in (".docx", "[Page ", "16 Dec 2025", "UK Military List (Page"):
            assert not texts.str.contains(footer, regex=False).any(), (parsed.info.source_id,
                                                                       footer)
        assert not texts.str.contains(r"\[(?:W|WS|WVS|IV|T\d[\d.]*|M\d+[A-E]\w*)\*?\]").any()


@pytest.mark.integration
def test_real_unplaced_reasons(real: dict[str, ParsedList]) -> None:
    reasons = {u.reason for u in real["uk-sel"].unplaced}
    assert reasons <= {
        "before the first entry", "category, group or section heading",
        "category or group note (belongs to no entry)", "table (columns not parsed)", "footnote",
    }
    notes = " ".join(real["uk-sel"].notes)
    for left_out in ("Non-military Firearms List", "Human Rights List",
                     "UK Security and Human Rights List", "UK Radioactive Sources List"):
        assert left_out in notes


@pytest.mark.integration
def test_real_annex_iv_and_military(real: dict[str, ParsedList]) -> None:
    annex = rows(real["uk-sel-annex-iv"])
    for code in ("1C001", "5A004", "6A001.a.2.f", "5D002.a.3.a", "9A008.d.1"):
        assert code in annex, code
    assert annex["6A001.a.2.f"]["entry"] == "6A001"
    military = rows(real["uk-sel-ml"])
    assert {f"ML{n}" for n in range(1, 23)} <= set(military)
    assert military["PL5001"]["national"]
    assert "ML21.b.5" in military and "cyber" in military["ML21.b.5"]["text"]


@pytest.mark.integration
def test_real_parse_speed(shared_sources: Path) -> None:
    path = shared_file(shared_sources, "uk-sel", REAL_NAME)
    started = time.perf_counter()
    uk_sel.parse(path)
    assert time.perf_counter() - started < 30  # a few seconds on an idle machine
