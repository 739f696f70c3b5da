"""Norway's List II loader: hand-made PDFs in the official layout, then the real file.

The fixtures copy the official PDF's layout (running header and page number, codes in a column
of their own, labels and text as separate runs, italic notes, bold group headings, the EU
source's page-break markers, a footnote, a category appendix and the trailing update summary)
with invented wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from harmonize.codes import canonical_code
from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError, ShapeError
from loaders.no_list_ii import parse as no_list_ii
from tests.conftest import shared_file

ROMAN, ITALIC, BOLD, SANS = "tiro", "tiit", "tibo", "helv"
X_CODE, X1, X2, X3, X4 = 70.8, 113.3, 141.6, 170.1, 198.4
Run = tuple[float, str, str]  # x, text, font


class Sheet:
    """One A4 page written in the List II layout, top to bottom."""

    def __init__(self, doc: pymupdf.Document, header: str, number: int) -> None:
        self.page = doc.new_page(width=595.32, height=841.92)
        self.page.insert_text((104.7, 48.0), header, fontname=ROMAN, fontsize=12)
        self.page.insert_text((555.0, 772.2), str(number), fontname=ROMAN, fontsize=12)
        self.y = 82.0

    def row(self, *runs: Run, size: float = 10, gap: float = 14.0) -> None:
        for x, text, font in runs:
            self.page.insert_text((x, self.y), text, fontname=font, fontsize=size)
        self.y += gap

    def at(self, y: float, *runs: Run, size: float = 10) -> None:
        for x, text, font in runs:
            self.page.insert_text((x, y), text, fontname=font, fontsize=size)


def entry(sheet: Sheet, code: str, heading: str) -> None:
    sheet.row((X_CODE, code, ROMAN), (X1, heading, ROMAN))


def item(sheet: Sheet, x: float, label: str, text: str, font: str = ROMAN) -> None:
    sheet.row((x, label, font), (x + 28.4, text, font))


def front_page(doc: pymupdf.Document) -> None:
    sheet = Sheet(doc, "Notes", 1)
    sheet.row((116.3, "Vedlegg II til forskrift om eksport av gadgeter", ROMAN))
    sheet.row((116.3, "Liste II - flerbruksgadgeter (2021)", ROMAN))
    sheet.row((X_CODE, "CATEGORY 1 - SPECIAL GADGETS ................................ 2", ROMAN))
    sheet.row((X_CODE, "CATEGORY 4 - COMPUTERS ...................................... 3", ROMAN))
    sheet.row((X_CODE, "GENERAL NOTES TO ANNEX I", ROMAN))
    item(sheet, X_CODE, "1.", "Gadgets specified in this Annex include new and used gadgets.")
    sheet.row((X_CODE, '"Widget" (1) means a part that turns.', ROMAN))


def category_1(doc: pymupdf.Document) -> None:
    sheet = Sheet(doc, "CATEGORY 1 – SPECIAL GADGETS", 2)
    sheet.row((X_CODE, "CATEGORY 1 - SPECIAL GADGETS", SANS), size=14, gap=20)
    sheet.row((X1, "Note 1:", ITALIC), (X3, "Category 1 does not control toy gadgets.", ITALIC))
    sheet.row((X_CODE, "1A", BOLD), (X1, "Systems, Equipment and Components", BOLD))
    entry(sheet, "1A001", "Gadgets made from fluorinated widgets, as follows:")
    item(sheet, X1, "a.", "Seals specially designed for gadget use;")
    item(sheet, X1, "b.", "Not used;")
    sheet.row((X_CODE, "1C", BOLD), (X1, "Materials", BOLD))
    entry(sheet, "1C350", "Chemicals usable as gadget precursors, as follows:")
    item(sheet, X1, "N.B.", "SEE ALSO 1C450.", ITALIC)
    item(sheet, X1, "1.", "Widgetol (CAS 111-11-1);")
    item(sheet, X1, "2.", "Gadgetane (CAS 222-22-2);")
    sheet.row((X_CODE, "1C350 continued", SANS))  # the EU source's page-break marker
    item(sheet, X1, "3", "Frobnium chloride (CAS 333-33-3);")  # printed without its dot
    item(sheet, X1, "4.", "Sprocketol (CAS 444-44-4).")
    sheet.row((X1, "Note:", ITALIC), (X3, "1C350 does not control gadget kits for retail.", ITALIC))
    # A footnote: superscript number in the code column, text at x 106.8.
    sheet.at(726.0, (X_CODE, "1", ROMAN), size=6.5)
    sheet.at(729.5, (106.8, "Makers measuring widgets to ISO 9999 should consult their", ROMAN))
    sheet.at(741.0, (106.8, "competent authority.", ROMAN))


def category_4(doc: pymupdf.Document) -> None:
    sheet = Sheet(doc, "CATEGORY 4 - COMPUTERS", 3)
    sheet.row((X_CODE, "CATEGORY 4 - COMPUTERS", SANS), size=14, gap=20)
    sheet.row((X_CODE, "4A", BOLD), (X1, "Systems, Equipment and Components", BOLD))
    entry(sheet, "4A001", "Electronic gadgets having any of the following:")
    item(sheet, X1, "a.", "Rated for operation below 200 K, as follows:")
    sheet.row((X2, "Technical Note:", ITALIC))
    sheet.row((X2, "In 4A001.a. 'rated' means any of the following:", ITALIC))
    item(sheet, X2, "1.", "Certified by a widget laboratory;", ITALIC)
    item(sheet, X2, "2.", "Declared by the maker.", ITALIC)
    item(sheet, X2, "1.", "Gadgets with a cooled housing;")  # first child, right after a note
    sheet.row((X2, "2.", ROMAN), (X3, "a.", ROMAN), (X4, "Gadgets of a mass below 3 kg;", ROMAN))
    item(sheet, X3, "b.", "Gadgets having a seal rated above 5 bar, other than those in")
    sheet.row((X4, "4A005 and 4D004;", ROMAN))  # prose that begins with a code
    sheet.row((X_CODE, "4A001.a.", SANS))  # page-break marker with a paragraph path
    item(sheet, X1, "b.", "Not used.")
    entry(sheet, "4A005", 'Systems specially designed for the command of "intrusion gadgets".')
    sheet.row((X1, "Technical Note:", ITALIC))
    sheet.row((X1, "For gadgets with several inlets, the size is the one of the smallest", ITALIC))
    # The group heading run into the end of the note's last line, as the real file prints 2B.
    sheet.row((X1, "inlet.", ITALIC), (138.0, "4D", BOLD), (X1 + 64, "Gadget Software", BOLD))
    sheet.row((X1, "Technical Notes:", ITALIC))
    item(sheet, X1, "1.", "Software in 4D is counted per licence.", ITALIC)
    entry(sheet, "4D004", '"Software" specially designed for "intrusion gadgets".')
    sheet.row((164.5, 'TECHNICAL NOTE ON "ADJUSTED GADGET PERFORMANCE"', BOLD))
    sheet.row((X_CODE, "The gadget performance is the sum of the widget ratings.", ROMAN))
    item(sheet, X_CODE, "1.", "Count every widget once.")


def category_5(doc: pymupdf.Document) -> None:
    sheet = Sheet(doc, 'CATEGORY 5 - TELECOMMUNICATIONS AND "INFORMATION SECURITY" PART 1', 4)
    sheet.row((X_CODE, 'CATEGORY 5 - TELECOMMUNICATIONS AND "INFORMATION SECURITY"', SANS),
              size=14, gap=20)
    sheet.row((X_CODE, "Part 1 - TELECOMMUNICATIONS", SANS), size=14, gap=20)
    sheet.row((X_CODE, "5A1", BOLD), (X1, "Systems, Equipment and Components", BOLD))
    entry(sheet, "5A001", "Telecommunication gadgets as follows:")
    for label in "abcde":
        item(sheet, X1, f"{label}.", "Not used;")
    item(sheet, X1, "f", "Mobile gadget interception equipment;")  # label printed without dot
    for label in "ghi":
        item(sheet, X1, f"{label}.", "Not used;")
    item(sheet, X1, "j.", "Network gadget surveillance systems, as follows:")
    item(sheet, X2, "1.", "Performing all of the following:")
    item(sheet, X3, "a.", "Analysis at the widget layer;")
    item(sheet, X3, "b.", "Extraction of widget metadata; and")
    item(sheet, X2, "2.", "Mapping of gadget networks.")
    sheet.row((X2, "Note:", ITALIC), (X3, "5A001.j. does not control gadgets for:", ITALIC))
    item(sheet, X3, "a.", "Marketing purposes; or", ITALIC)
    item(sheet, X3, "b.", "Network quality of service.", ITALIC)
    entry(sheet, "5A901", "Gadgets controlled by national decision.")


def trailer(doc: pymupdf.Document) -> None:
    sheet = Sheet(doc, "2020 UPDATE OF THE EU CONTROL LIST OF DUAL-USE ITEMS", 5)
    sheet.row((X_CODE, "2020 UPDATE OF THE EU CONTROL LIST OF DUAL-USE ITEMS", SANS), size=14)
    sheet.row((76.8, "5A001.j.", ROMAN), (195.6, "WA", ROMAN), (245.3, "Edit", ROMAN))
    sheet.row((76.8, "4A005", ROMAN), (195.6, "WA", ROMAN), (245.3, "Note amended", ROMAN))


def build(path: Path, metadata: dict[str, str] | None = None) -> Path:
    doc = pymupdf.open()
    front_page(doc)
    category_1(doc)
    category_4(doc)
    category_5(doc)
    trailer(doc)
    doc.set_metadata(metadata if metadata is not None
                     else {"creationDate": "D:20220301111832+01'00'"})
    doc.save(path)
    doc.close()
    return path


@pytest.fixture(scope="module")
def fixture_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("no-list-ii") / "export-control-appendix2.pdf")


@pytest.fixture(scope="module")
def parsed(fixture_pdf: Path) -> ParsedList:
    return no_list_ii.read_list(fixture_pdf, check_counts=False)


def rows_of(parsed: ParsedList, kind: str) -> list[str]:
    return parsed.frame.loc[parsed.frame["kind"] == kind, "canonical"].tolist()


def text_of(parsed: ParsedList, code: str, kind: str = "paragraph") -> str:
    frame = parsed.frame
    hits = frame.loc[(frame["canonical"] == code) & (frame["kind"] == kind), "text"].tolist()
    assert hits, f"no {kind} {code}"
    return str(hits[0])


# -- unit tests on the hand-made PDF ----------------------------------------------------------

def test_provenance(parsed: ParsedList) -> None:
    info = parsed.info
    assert (info.source_id, info.jurisdiction, info.list_name) == (
        "no-list-ii", "NO", "List II (dual-use goods)")
    assert info.version == "2022-03-01"
    assert info.citation == "Regulation FOR-2013-06-19-718, List II"
    assert set(parsed.frame["citation"]) >= {"Regulation FOR-2013-06-19-718, List II, 5A001.j"}


def test_entries_and_paragraph_tree(parsed: ParsedList) -> None:
    assert rows_of(parsed, "entry") == ["1A001", "1C350", "4A001", "4A005", "4D004", "5A001",
                                        "5A901"]
    assert parsed.headings_seen == 7  # the trailer's "4A005" is not counted as a heading
    assert rows_of(parsed, "paragraph") == [
        "1A001.a", "1A001.b",
        "1C350.1", "1C350.2", "1C350.3", "1C350.4",
        "4A001.a", "4A001.a.1", "4A001.a.2", "4A001.a.2.a", "4A001.a.2.b", "4A001.b",
        *[f"5A001.{label}" for label in "abcdefghij"],
        "5A001.j.1", "5A001.j.1.a", "5A001.j.1.b", "5A001.j.2",
    ]
    frame = parsed.frame.set_index("canonical")
    assert frame.loc["5A001.j.1.a", "parent"] == "5A001.j.1"
    assert frame.loc["5A001.j.1.a", "depth"] == 3


def test_texts_are_reassembled_from_runs(parsed: ParsedList) -> None:
    assert text_of(parsed, "5A001", "entry") == "Telecommunication gadgets as follows:"
    assert text_of(parsed, "5A001.j.1.a") == "Analysis at the widget layer;"
    assert text_of(parsed, "1C350.3") == "Frobnium chloride (CAS 333-33-3);"
    assert text_of(parsed, "5A001.f") == "Mobile gadget interception equipment;"
    assert text_of(parsed, "4A001.a.2") == ""  # "2. a. Gadgets ..." opens two levels at once
    assert text_of(parsed, "4A001.a.2.a") == "Gadgets of a mass below 3 kg;"
    # A prose line that starts with a code continues the paragraph; it opens no entry.
    assert text_of(parsed, "4A001.a.2.b").endswith("other than those in 4A005 and 4D004;")


def test_notes_keep_their_own_lists_and_end_at_roman_text(parsed: ParsedList) -> None:
    frame = parsed.frame
    notes = frame[frame["kind"].isin(["note", "technical-note", "nb"])]
    got = [(r.kind, r.canonical) for r in notes.itertuples()]
    assert got == [
        # "1C350 does not control", "5A001.j. does not control": hung on what they name
        ("nb", "1C350"), ("note", "1C350"), ("technical-note", "4A001.a"),
        ("technical-note", "4A005"), ("note", "5A001.j"),
    ]
    tech = text_of(parsed, "4A001.a", "technical-note")
    assert tech.endswith("1. Certified by a widget laboratory; 2. Declared by the maker.")
    note = text_of(parsed, "5A001.j", "note")
    assert note == ("5A001.j. does not control gadgets for: a. Marketing purposes; or "
                    "b. Network quality of service.")


def test_page_furniture_is_dropped_and_counted(parsed: ParsedList) -> None:
    texts = " ".join(parsed.frame["text"])
    for furniture in ("CATEGORY", "continued", "UPDATE OF THE EU", "Systems, Equipment",
                      "Gadget Software", "ISO 9999"):
        assert furniture not in texts
    assert not re.search(r"\b4D\b", texts)  # the group heading run into the note's last line
    assert text_of(parsed, "4A005", "technical-note").endswith("the smallest inlet.")
    assert "10 running headers and page numbers dropped" in parsed.notes
    assert any(n.startswith("2 page-break markers") for n in parsed.notes)
    assert any(n.startswith("9 category, part and group headings") for n in parsed.notes)


def test_unplaced_text_is_reported_with_its_reason(parsed: ParsedList) -> None:
    by_reason: dict[str, list[str]] = {}
    for item in parsed.unplaced:
        by_reason.setdefault(item.reason, []).append(item.text)
    assert "Liste II - flerbruksgadgeter (2021)" in by_reason["before the first entry"]
    assert by_reason[no_list_ii.PREAMBLE] == [
        "Note 1: Category 1 does not control toy gadgets.",
        "Technical Notes:", "1. Software in 4D is counted per licence.",
    ]
    assert by_reason[no_list_ii.FOOTNOTE] == [
        "1 Makers measuring widgets to ISO 9999 should consult their", "competent authority.",
    ]
    appendix = f'{no_list_ii.APPENDIX}: TECHNICAL NOTE ON "ADJUSTED GADGET PERFORMANCE"'
    assert len(by_reason[appendix]) == 3
    assert "5A001.j. WA Edit" in by_reason[no_list_ii.TRAILER]
    assert not [r for r in by_reason if r.startswith("label")]


def test_national_entries_are_marked(parsed: ParsedList) -> None:
    frame = parsed.frame
    national = sorted(set(frame.loc[frame["national"], "entry"]))
    assert national == ["5A901"]
    assert "national entries: 5A901" in parsed.notes
    assert no_list_ii.is_national("5A901") and not no_list_ii.is_national("1C450")


def test_parse_checks_the_expected_size(fixture_pdf: Path) -> None:
    with pytest.raises(ShapeError, match="7 entries"):
        no_list_ii.parse(fixture_pdf)


def test_extract_lines_gives_indents_and_note_marks(fixture_pdf: Path) -> None:
    lines = no_list_ii.extract_lines(fixture_pdf)
    j = next(line for line in lines if line.text.startswith("j. Network"))
    assert j.indent == pytest.approx(X1, abs=0.5) and j.list_item and not j.note
    a = next(line for line in lines if line.text.startswith("a. Analysis"))
    assert a.indent == pytest.approx(X3, abs=0.5)
    assert next(line for line in lines if line.text.startswith("Technical Note: In")).note


# -- failures: loud, naming file and place --------------------------------------------------------

def test_heading_the_layout_misses_fails_reconciliation(tmp_path: Path) -> None:
    # A code moved out of the code column: the plain text still shows it as a heading.
    doc = pymupdf.open(build(tmp_path / "in.pdf"))
    sheet = Sheet(doc, "CATEGORY 9 - GADGET PROPULSION", 6)
    sheet.row((X_CODE, "CATEGORY 9 - GADGET PROPULSION", SANS), size=14, gap=20)
    sheet.row((100.0, "9A001", ROMAN))
    sheet.row((X1, "Gadget engines.", ROMAN))
    doc.move_page(5, 4)  # before the trailer page
    doc.save(tmp_path / "moved.pdf")
    with pytest.raises(ReconciliationError, match=r"9A001 \(p\. 5\)"):
        no_list_ii.read_list(tmp_path / "moved.pdf", check_counts=False)


def test_unknown_running_header_fails_loudly(tmp_path: Path) -> None:
    doc = pymupdf.open(build(tmp_path / "in.pdf"))
    Sheet(doc, "UTKAST", 6).row((X1, "Draft gadgets.", ROMAN))
    doc.move_page(5, 4)
    doc.save(tmp_path / "draft.pdf")
    with pytest.raises(LoaderError, match="running headers and page numbers"):
        no_list_ii.read_list(tmp_path / "draft.pdf", check_counts=False)


def test_missing_date_fails(tmp_path: Path) -> None:
    path = build(tmp_path / "undated.pdf", metadata={"creationDate": "", "modDate": ""})
    with pytest.raises(LoaderError, match="PDF metadata"):
        no_list_ii.read_list(path, check_counts=False)


def test_modification_date_stands_in_for_creation_date() -> None:
    version = no_list_ii.parse_version({"modDate": "D:20230115"}, Path("x.pdf"))
    assert version == "2023-01-15"


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\nnot really a pdf", b"PK\x03\x04zip"])
def test_corrupt_files_raise_loader_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(LoaderError) as raised:
        no_list_ii.parse(path)
    assert raised.value.path == str(path)


def test_truncated_file_raises_loader_error(tmp_path: Path, fixture_pdf: Path) -> None:
    data = fixture_pdf.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(LoaderError):
        no_list_ii.read_list(path, check_counts=False)


def test_pdf_without_the_list_is_rejected(tmp_path: Path) -> None:
    doc = pymupdf.open()
    Sheet(doc, "Notes", 1).row((X_CODE, "Some other regulation.", ROMAN))
    doc.set_metadata({"creationDate": "D:20220301000000"})
    doc.save(tmp_path / "other.pdf")
    with pytest.raises(LoaderError, match="not List II"):
        no_list_ii.parse(tmp_path / "other.pdf")


def test_count_headings_takes_only_bare_codes() -> None:
    pages = ["1A001\nGadgets\n", "9A004 or sounding gadgets\n 1A002 \n1A001.a.\n", "4A005\n"]
    assert no_list_ii.count_headings(pages, 0, 2) == {"1A001": "p. 1", "1A002": "p. 2"}


# -- the real file ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(shared_sources: Path) -> ParsedList:
    path = shared_file(shared_sources, "no-list-ii", "export-control-appendix2.pdf")
    [parsed] = no_list_ii.parse(path)
    return parsed


@pytest.mark.integration
def test_real_counts(real: ParsedList) -> None:
    assert real.info.version == "2022-03-01"
    assert real.entries == real.headings_seen
    assert 350 <= real.entries <= 400  # EU Annex I of 2022 has 366 entry headings
    assert 2500 <= real.paragraphs <= 3500
    notes = real.frame["kind"].isin(["note", "technical-note", "nb"]).sum()
    assert 600 <= notes <= 900
    assert set(real.frame["entry"].str[0]) == set("0123456789")
    # Every category goes down to paragraphs.
    paragraphs = real.frame[real.frame["kind"] == "paragraph"]
    assert set(paragraphs["entry"].str[0]) == set("0123456789")


@pytest.mark.integration
def test_real_surveillance_entries(real: ParsedList) -> None:
    frame = real.frame.set_index(["canonical", "kind"])
    assert "surveillance" in text_of(real, "5A001.j", "paragraph")
    assert "application layer" in text_of(real, "5A001.j.1.a", "paragraph")
    assert frame.loc[("5A001.j.1.a", "paragraph"), "parent"] == "5A001.j.1"
    assert "interception" in text_of(real, "5A001.f", "paragraph")
    assert '"intrusion software"' in text_of(real, "4A005", "entry")
    assert '"intrusion software"' in text_of(real, "4D004", "entry")
    assert '"intrusion software"' in text_of(real, "4E001.c", "paragraph")
    for code, kind in (("5A001.j", "paragraph"), ("5A001.j.1.a", "paragraph"),
                       ("4A005", "entry"), ("4D004", "entry")):
        assert frame.loc[(code, kind), "code"] == code  # printed code = canonical code
        assert frame.loc[(code, kind), "entry"] == code[:5]


@pytest.mark.integration
def test_real_layout_quirks(real: ParsedList) -> None:
    frame = real.frame.set_index(["canonical", "kind"])
    assert "Thiodiglycol" in text_of(real, "1C350.1", "paragraph")  # numbered first level
    assert ("1C350.89", "paragraph") in frame.index
    assert "Clostridium perfringens" in text_of(real, "1C351.c.12", "paragraph")  # "12 "
    assert "1,4 kV" in text_of(real, "3A201.a.1.a", "paragraph")  # "1. a." on one line
    assert ("0B001.b.14", "paragraph") in frame.index  # after a technical note's own 1.-3.


@pytest.mark.integration
def test_real_texts_carry_no_page_furniture(real: ParsedList) -> None:
    texts = real.frame["text"]
    assert not texts.str.contains(r"CATEGORY \d").any()
    assert not texts.str.contains(r"\d[A-E]\d{3}[.a-z0-9 ]* continued").any()
    assert not texts.str.contains("UPDATE OF THE EU CONTROL LIST").any()
    assert not texts.str.contains("DEFINITIONS OF TERMS").any()
    assert not texts.str.contains("Test, Inspection and Production Equipment").any()
    assert not texts.str.contains("Manufacturers calculating positioning accuracy").any()
    assert f"{2 * 253} running headers and page numbers dropped" in real.notes


@pytest.mark.integration
def test_real_cross_references_resolve(real: ParsedList) -> None:
    """Paragraph codes cited anywhere in the text ("see 5A001.b.5.") are all produced."""
    known = set(real.frame.loc[real.frame["kind"].isin(["entry", "paragraph"]), "canonical"])
    cited = {
        canonical_code(m.group(1)) or m.group(1)
        for text in real.frame["text"]
        for m in re.finditer(r"\b(\d[A-E]\d{3}(?:\.(?:[a-z]|\d{1,2}))+)\.?", text)
    }
    assert len(cited) > 400
    assert sorted(c for c in cited if c not in known) == []


@pytest.mark.integration
def test_real_unplaced_reasons(real: ParsedList) -> None:
    reasons = {u.reason for u in real.unplaced}
    expected = {"before the first entry", no_list_ii.PREAMBLE, no_list_ii.FOOTNOTE,
                no_list_ii.TRAILER}
    assert expected <= reasons
    assert all(r in expected or r.startswith(no_list_ii.APPENDIX) for r in reasons)
    assert "national entries: none" in real.notes
    assert not real.frame["national"].any()
