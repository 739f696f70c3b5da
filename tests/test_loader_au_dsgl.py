"""Australia's Defence and Strategic Goods List (DOCX): unit tests on DOCX files built here with
python-docx in the official file's structure (tab-split codes, paragraph styles with the List's
indents, note styles, full codes at block starts, Word numbering, sub-list tables; all wording
invented), and integration tests on the real F2024L01024.docx."""

from __future__ import annotations

import dataclasses
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from harmonize.ingest.segmenter import CodeStyle, Line, segment
from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError, ShapeError
from harmonize.model import validate_frame
from loaders.au_dsgl import parse as au_dsgl
from loaders.au_dsgl import sensitive as au_sensitive
from tests.conftest import shared_file

# Paragraph styles of the official file with their left indents (twips) and hanging indents.
STYLES = {
    "Cat0newstyle1": (1134, 1134),
    "Cat0newstyle31a1paragraphsindented": (1134, 1134),
    "Cat0newstyle41a1aparagraphsindented": (1701, 1701),
    "Cat0newstyle51a1a1paragraphsindented": (2268, 2268),
    "Cat0newstyle61a1a1aparagraphsindented": (2835, 2835),
    "DL0Aa": (1701, 567),
    "DL0Aa1": (2268, 567),
    "DL0Aa1a": (2835, 567),
    "DL0Aa1a0": (2835, 1134),
    "DL0ANote": (1985, 851),
    "DL0AaNote": (2552, 851),
    "DL0AaNotea": (2835, 567),
    "DL0aNB": (1985, 851),
    "DL0ATableHead": (1134, 1134),
    "ZML1": (851, 851),
    "ML1": (851, 851),
    "ML1a": (1418, 567),
    "ZML1a": (1418, 567),
    "ML1aNote": (2268, 851),
    "ML1aNotea": (2835, 567),
    "ML1NoteMargin": (1560, 709),
    "ML1a1aNotea": (2268, 567),
    "MLnewstyle1": (851, 851),
    "ActHead2": (0, 0),
    "ActHead3": (0, 0),
    "ActHead6": (0, 0),
}

NUM_ID = "901"  # a Word list (decimal labels) added to the template's numbering part

# (style, text, options). Options: left= direct indent (twips), num= Word list level,
# table= rows of cells, nbh= text split by Word non-breaking hyphens.
Spec = tuple[str, str, dict[str, Any]]


def p(style: str, text: str, **options: Any) -> Spec:
    return (style, text, options)


COVER = [p("", "Widget and Gadget Goods List 2031"), p("", "Dated 3 March 2031")]
MUNITIONS = [
    p("ActHead2", "Part 1—Munitions list"),
    p("ZML1", "ML1.\tWidget launchers as follows:"),
    p("ML1a", "a.\tHand-held widget launchers;"),
    p("ML1aNote", "Note:\tML1.a. does not apply to:"),
    p("ML1aNotea", "a.\tToy launchers;"),
    p("ML1aNotea", "b.\tMuseum pieces."),
    p("ZML1a", "b.\tVehicle-mounted widget launchers;"),
    p("ML1", "ML901.\tSporting widgets, other than those specified by ML1."),
    p("ML1NoteMargin", "Note:\tML901 does not include any of the following:"),
    p("ML1a1aNotea", "a.\tfoam widgets;"),
    p("MLnewstyle1", "\t\t\t\tML901.\t\tb.\tpaper widgets;"),  # a note item printed as a code
    p("ML1a1aNotea", "c.\tcardboard widgets."),
]
DUAL_USE = [
    p("ActHead2", "Part 2—Dual-use list"),
    p("ActHead3", "Category 5—Gadgets and widgets"),
    p("", "Part 1—TELECOMMUNICATIONS", left=1134),
    p("DL0ANote", "Note 1:\tA category note on gadgets."),
    p("Cat0newstyle1", "5.\tA.\t1.\tSystems, Equipment and Components"),
    p("Cat0newstyle31a1paragraphsindented", "5.\tA.\t001.\tGadgets as follows:"),
    p("DL0Aa", "a.\tGadgets having any of the following:"),
    # a note between a paragraph and its first child, with a list of its own
    p("DL0AaNote", "Note:\tIn 5A001.a. 'gadget' includes any of the following:"),
    p("DL0AaNotea", "a.\tA sprocket;"),
    p("DL0AaNotea", "b.\tA flange."),
    p("DL0Aa1", "1.\tA frequency above 10 GHz;"),
    p("DL0Aa1", "2.\tA mass below 3 kg;"),
    p("Cat0newstyle41a1aparagraphsindented", "5.\tA.\t001.\tb.\tGadget parts as follows:"),
    p("DL0Aa1", "1.\tSealed parts;"),
    p("DL0Aa1", "\t2.\tOpen parts as follows:"),
    p("DL0Aa1a", "a.\tHinges;"),
    p("DL0Aa1a", "b.\tLatches;"),
    p("DL0Aa1a", "c.\tValves as follows:"),
    p("DL0Aa1", "1.\tBrass valves;", left=3402),
    # full code whose step "c." would also fit a new 5A001.c: it must move, not open
    p("Cat0newstyle61a1a1aparagraphsindented", "5.\tA.\t001.\tb.\t2.\tc.\t2.\tSteel valves;"),
    p("DL0Aa", "c.\tGadget housings as follows:"),
    p("DL0Aa1", "Housings rated above 5 bar;", num=0),
    p("DL0Aa1", "Housings rated below 1 bar;", num=0),
    p("DL0Aa", "d.\tCapacitors having either of the following sets of characteristics:"),
    p("DL0Aa1a0", "1.\ta.\tVoltage above 1 kV;"),
    p("DL0Aa1a0", "\tb.\tEnergy above 10 J;"),
    # a full code printed without its category digit
    p("Cat0newstyle51a1a1paragraphsindented", "A.\t001.\td.\t2.\tVoltage above 2 kV;"),
    p("DL0Aa", "e.\tDual-use gadget frames;", nbh=("e.\tDual", "use gadget frames;")),
    p("Cat0newstyle31a1paragraphsindented", "5.\tA.\t002.\tSecure gadgets as follows:"),
    p("Cat0newstyle41a1aparagraphsindented", "5.\tA.\t002.\ta.\tUsing cryptography, being:"),
    # unstyled lines, as in the file's Category 5 Part 2
    p("", "1.\tItems having security as their main function;", left=2268),
    p("", "2.\tOther items, where the cryptography is:", left=2268),
    p("", "a.\tSupporting a minor function; and", left=2835),
    p("", "b.\tPerformed by incorporated software.", left=2835),
    p("", "Technical Notes:", left=1701),
    p("", "1.\tFor 5A002.a., 'cryptography' means any function except:", left=2268),
    p("", "a.\tAuthentication;", left=2835),
    p("", "b.\tSignatures;", left=2835),
    p("", "c.\tIntegrity;", left=2835),
    p("", "2.\tFor 5A002.a., 'algorithm' means a widget cipher.", left=2268),
    p("", "Note:\t5A002.a. does not apply to any of the following:", left=2552),
    p("", "a.\tToy gadgets;", left=3119),
    p("", "Technical Note:", left=3119),
    p("", "'Toy' means made for play.", left=3119),
    # continues the Note's list; must not pass for 5A002.b at the entry's first level
    p("", "b.\tMuseum gadgets.", left=3119),
    p("Cat0newstyle41a1aparagraphsindented", "5.\tA.\t002.\tb.\tBeing a gadget token;"),
    p("Cat0newstyle31a1paragraphsindented", "5.\tA.\t901\tQuantum gadgets as follows:"),
    p("DL0Aa", "a.\tCryogenic quantum gadgets;"),
    p("Cat0newstyle1", "5.\tD.\t1.\tSoftware"),
    p("Cat0newstyle31a1paragraphsindented", "5.\tD.\t001.\t“Software” for gadgets."),
    p("ActHead3", "Category 1—Materials"),
    p("Cat0newstyle1", "1.\tC.\t\tMaterials"),
    p("Cat0newstyle31a1paragraphsindented", "1.\tC.\t350.\tPrecursor chemicals, as follows:"),
    p("DL0aNB", "N.B.:\tSEE ALSO ML7."),
    p("DL0Aa", "1.\tWidgetol (CAS 000-00-1);"),
    p("DL0Aa", "2.\tGadgetane (CAS 000-00-2);"),
    p("ActHead3", "Category 9—Gadget propulsion"),
    p("Cat0newstyle1", "9.\tE.\t\tTechnology"),
    p("Cat0newstyle31a1paragraphsindented", "9.\tE.\t101.\ta.\t“Technology” for gadget engines;"),
    p("DL0Aa", "b.\t“Technology” for gadget nozzles."),
    p("DL0ATableHead", "TABLE — GADGET COATINGS"),
    p("", "", table=[["Process", "Coating"], ["A.", "Widget spraying"]]),
    p("ActHead3", "Sensitive list of dual-use goods and technologies"),
    p("", "", table=[["Category 5", "SENSITIVE LIST"], ["5A001.b.1.", "Sealed parts…"],
                     ["5A001.f.", "Not used"]]),
    p("ActHead3", "Very sensitive list of dual-use goods and technologies"),
    p("", "", table=[["5A001.b.2.a. to c.", "Hinges…"]]),
    p("ActHead6", "Schedule 1—Repeals"),
]


def build_docx(path: Path, specs: list[Spec]) -> Path:
    doc = Document()
    for name, (left, hanging) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if left:
            style.paragraph_format.left_indent = Twips(left)
            style.paragraph_format.first_line_indent = Twips(-hanging)
    _add_decimal_list(doc)
    for style, text, options in specs:
        if "table" in options:
            rows = options["table"]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell_text in enumerate(cells):
                    table.cell(r, c).text = cell_text
            continue
        paragraph = doc.add_paragraph(style=style or None)
        if "nbh" in options:
            before, after = options["nbh"]
            paragraph.add_run(before)
            run_element: Any = paragraph.add_run()._r
            run_element.append(OxmlElement("w:noBreakHyphen"))
            paragraph.add_run(after)
        else:
            paragraph.add_run(text)
        if "left" in options:
            paragraph.paragraph_format.left_indent = Twips(options["left"])
        if "num" in options:
            ppr: Any = paragraph._p.get_or_add_pPr()
            num_pr = OxmlElement("w:numPr")
            for tag, value in (("w:ilvl", str(options["num"])), ("w:numId", NUM_ID)):
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                num_pr.append(child)
            ppr.append(num_pr)
    out = path / "F2031L00001.docx"
    doc.save(str(out))
    return out


def _add_decimal_list(doc: Any) -> None:
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), NUM_ID)
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        lvl.append(child)
    abstract.append(lvl)
    numbering.insert(0, abstract)  # abstract definitions come before the w:num elements
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), NUM_ID)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), NUM_ID)
    num.append(ref)
    numbering.append(num)


@pytest.fixture()
def parsed(tmp_path: Path) -> dict[str, ParsedList]:
    path = build_docx(tmp_path, COVER + MUNITIONS + DUAL_USE)
    return {pl.info.source_id: pl for pl in au_dsgl.parse(path, check_counts=False)}


def codes(pl: ParsedList, kind: str = "paragraph") -> list[str]:
    frame = pl.frame
    return list(frame[frame["kind"] == kind]["canonical"])


def row(pl: ParsedList, canonical: str, kind: str = "paragraph") -> dict[str, Any]:
    frame = pl.frame
    match = frame[(frame["canonical"] == canonical) & (frame["kind"] == kind)]
    assert len(match) == 1, f"{canonical} ({kind}): {len(match)} rows"
    return dict(match.iloc[0])


def attached_notes(pl: ParsedList, canonical: str) -> list[tuple[str, str]]:
    frame = pl.frame
    notes = frame[(frame["canonical"] == canonical) & (frame["kind"] != "paragraph")]
    return list(zip(notes["kind"], notes["text"], strict=True))


# --- Unit tests on built DOCX files -----------------------------------------------------------
def test_both_parts_with_provenance(parsed: dict[str, ParsedList]) -> None:
    assert set(parsed) == {"au-dsgl", "au-dsgl-ml"}
    dual = parsed["au-dsgl"]
    assert dual.info.version == "2031-03-03"
    assert dual.info.jurisdiction == "AU"
    assert dual.info.list_name == "Defence and Strategic Goods List 2024, Part 2 (dual-use)"
    assert dual.info.citation == "Defence and Strategic Goods List 2024 (F2024L01024)"
    assert codes(dual, "entry") == ["5A001", "5A002", "5A901", "5D001", "1C350", "9E101"]
    assert dual.headings_seen == 6
    assert codes(parsed["au-dsgl-ml"], "entry") == ["ML1", "ML901"]
    for pl in parsed.values():
        validate_frame(pl.frame)


def test_tab_split_codes_keep_printed_form(parsed: dict[str, ParsedList]) -> None:
    dual = parsed["au-dsgl"]
    assert row(dual, "5A001", "entry")["code"] == "5. A. 001."
    assert row(dual, "5A001", "entry")["text"] == "Gadgets as follows:"
    assert row(dual, "5A001.b.2.a")["code"] == "5. A. 001.b.2.a"
    assert row(dual, "5A901", "entry")["code"] == "5. A. 901"  # printed without its dot


def test_note_before_first_child_keeps_its_list_and_lets_children_in(
    parsed: dict[str, ParsedList],
) -> None:
    dual = parsed["au-dsgl"]
    note = row(dual, "5A001.a", "note")
    assert "A sprocket" in note["text"] and "A flange" in note["text"]
    assert row(dual, "5A001.a.1")["text"] == "A frequency above 10 GHz;"
    assert row(dual, "5A001.a.2")["parent"] == "5A001.a"


def test_full_codes_move_to_the_printed_path(parsed: dict[str, ParsedList]) -> None:
    dual = parsed["au-dsgl"]
    assert row(dual, "5A001.b")["text"] == "Gadget parts as follows:"
    assert row(dual, "5A001.b.2.c.2")["text"] == "Steel valves;"
    assert row(dual, "5A001.b.2.c.1")["text"] == "Brass valves;"
    # "c." of the full code stepped into b.2.c; the real 5A001.c comes later with its own text
    assert row(dual, "5A001.c")["text"] == "Gadget housings as follows:"
    assert row(dual, "5A001.c")["location"] != row(dual, "5A001.b.2.c.2")["location"]


def test_word_numbering_two_labels_and_codes_without_category(
    parsed: dict[str, ParsedList],
) -> None:
    dual = parsed["au-dsgl"]
    assert row(dual, "5A001.c.1")["text"] == "Housings rated above 5 bar;"
    assert row(dual, "5A001.c.2")["text"] == "Housings rated below 1 bar;"
    assert row(dual, "5A001.d.1")["text"] == ""
    assert row(dual, "5A001.d.1.a")["text"] == "Voltage above 1 kV;"
    assert row(dual, "5A001.d.1.b")["text"] == "Energy above 10 J;"
    assert row(dual, "5A001.d.2")["text"] == "Voltage above 2 kV;"
    assert row(dual, "5A001.e")["text"] == "Dual-use gadget frames;"  # w:noBreakHyphen


def test_unstyled_note_list_is_not_read_as_paragraphs(parsed: dict[str, ParsedList]) -> None:
    dual = parsed["au-dsgl"]
    under_a = [c for c in codes(dual) if c.startswith("5A002.a")]
    assert under_a == ["5A002.a", "5A002.a.1", "5A002.a.2", "5A002.a.2.a", "5A002.a.2.b"]
    # the Technical Notes and the Note say they govern 5A002.a (harmonize.ingest.notes); the
    # Technical Note printed half a step right of 5A002.a.2.b's label is hung there by layout
    notes = attached_notes(dual, "5A002.a")
    assert [kind for kind, _ in notes] == ["technical-note", "note"]
    assert "c. Integrity;" in notes[0][1] and "2. For 5A002.a., 'algorithm'" in notes[0][1]
    inner = attached_notes(dual, "5A002.a.2.b")
    assert [kind for kind, _ in inner] == ["technical-note"]
    assert inner[0][1].endswith("b. Museum gadgets.")
    assert row(dual, "5A002.b")["text"] == "Being a gadget token;"


def test_numeric_first_level_and_entry_without_heading_text(
    parsed: dict[str, ParsedList],
) -> None:
    dual = parsed["au-dsgl"]
    assert [c for c in codes(dual) if c.startswith("1C350")] == ["1C350.1", "1C350.2"]
    assert row(dual, "1C350", "nb")["text"] == "SEE ALSO ML7."
    assert row(dual, "9E101", "entry")["text"] == ""
    assert codes(dual)[-2:] == ["9E101.a", "9E101.b"]


def test_national_entries(parsed: dict[str, ParsedList]) -> None:
    dual, munitions = parsed["au-dsgl"], parsed["au-dsgl-ml"]
    national = dual.frame[dual.frame["national"]]
    assert sorted(set(national["canonical"])) == ["5A901", "5A901.a"]
    ml = munitions.frame
    assert sorted(set(ml[ml["national"]]["canonical"])) == ["ML901"]
    assert not row(munitions, "ML1", "entry")["national"]


def test_munitions_note_lists_and_a_note_item_printed_as_code(
    parsed: dict[str, ParsedList],
) -> None:
    munitions = parsed["au-dsgl-ml"]
    assert codes(munitions) == ["ML1.a", "ML1.b"]
    assert "Museum pieces" in row(munitions, "ML1.a", "note")["text"]
    note = row(munitions, "ML901", "note")["text"]
    assert "b. paper widgets;" in note and "c. cardboard widgets." in note
    assert munitions.unplaced == []


def test_unplaced_text_is_reported_with_reasons(parsed: dict[str, ParsedList]) -> None:
    dual = parsed["au-dsgl"]
    reasons = au_dsgl.unplaced_reasons(dual.unplaced)
    assert reasons == {
        "before the first entry": 1,
        "in 'TABLE — GADGET COATINGS', printed apart from its entry": 2,
    }
    assert dual.unplaced[0].text == "Note 1: A category note on gadgets."
    assert any("EPUB" in note for note in dual.notes)


def test_sensitive_lists_mark_rows_below_the_code(parsed: dict[str, ParsedList]) -> None:
    dual = parsed["au-dsgl"]
    assert row(dual, "5A001.b.1")["sensitivity"] == "sensitive"
    assert row(dual, "5A001.b.2.a")["sensitivity"] == "very-sensitive"
    assert row(dual, "5A001.b.2.c.2")["sensitivity"] == "very-sensitive"  # below 5A001.b.2.c
    assert row(dual, "5A001.b.2")["sensitivity"] == ""
    assert any("naming no row of Part 2: 5A001.f." in note for note in dual.notes)


def test_expand_abbreviated_codes() -> None:
    assert au_sensitive.expand_codes("7D003.d.1. to 4. & 7.") == [
        "7D003.d.1", "7D003.d.2", "7D003.d.3", "7D003.d.4", "7D003.d.7",
    ]
    assert au_sensitive.expand_codes("6A002.a.1.a., b. and c.") == [
        "6A002.a.1.a", "6A002.a.1.b", "6A002.a.1.c",
    ]
    assert au_sensitive.expand_codes("9E003.a.1. to 3. and 9E003.a.8.") == [
        "9E003.a.1", "9E003.a.2", "9E003.a.3", "9E003.a.8",
    ]
    assert au_sensitive.expand_codes("7E001 & 7E002") == ["7E001", "7E002"]


def test_count_headings_is_independent_of_the_segmenter() -> None:
    raw = [
        ("w:p 1", "5.\tA.\t001.\tGadgets"),
        ("w:p 2", "5.\tA.\t001.\tb.\tGadget parts"),  # same entry again
        ("w:p 3", "5.\tA.\t1.\tSystems, Equipment and Components"),  # group heading, no entry
        ("w:p 4", "1\tC.\t002.\tSlip: no dot after the category"),
        ("w:p 5", "a.\tA paragraph"),
    ]
    assert au_dsgl.count_headings(raw, au_dsgl._DUAL_HEADING_RAW) == {
        "5A001": "w:p 1", "1C002": "w:p 4",
    }


def test_reconciliation_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_docx(tmp_path, COVER + MUNITIONS + DUAL_USE)
    real = au_dsgl.count_headings

    def with_extra(raw: Any, heading: Any) -> dict[str, str]:
        return {**real(raw, heading), "5A777": "w:p 9999"}

    monkeypatch.setattr(au_dsgl, "count_headings", with_extra)
    with pytest.raises(ReconciliationError, match=r"5A777 \(w:p 9999\)"):
        au_dsgl.parse(path, check_counts=False)


def test_entry_count_outside_the_expected_range_fails(tmp_path: Path) -> None:
    path = build_docx(tmp_path, COVER + MUNITIONS + DUAL_USE)
    with pytest.raises(ShapeError, match="6 entries, expected 300-450 for au-dsgl"):
        au_dsgl.parse(path)


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda p: p.write_text("not a zip"), "zip"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("word/styles.xml", "<x/>"), "zip"),
        # the shared XML parser names the member, line and column
        (lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w:document"),
         "word/document.xml, line 1, column 11"),
    ],
)
def test_bad_files_raise_loader_errors(tmp_path: Path, make: Any, where: str) -> None:
    path = tmp_path / "bad.docx"
    make(path)
    with pytest.raises(LoaderError) as error:
        au_dsgl.parse(path, check_counts=False)
    assert error.value.where == where and str(path) in str(error.value)


def test_truncated_docx_raises_loader_error(tmp_path: Path) -> None:
    good = build_docx(tmp_path, COVER + DUAL_USE)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(LoaderError, match="not a readable DOCX"):
        au_dsgl.parse(cut, check_counts=False)


def test_missing_part_2_or_date_raise(tmp_path: Path) -> None:
    no_part2 = build_docx(tmp_path, COVER + MUNITIONS)
    with pytest.raises(LoaderError, match="Part 2"):
        au_dsgl.parse(no_part2, check_counts=False)
    (tmp_path / "undated").mkdir()
    undated = build_docx(tmp_path / "undated", COVER[:1] + DUAL_USE)
    with pytest.raises(LoaderError, match="version unknown"):
        au_dsgl.parse(undated, check_counts=False)


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-WIDGET")
    good = build_docx(tmp_path, COVER + DUAL_USE)
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                declaration = f'<!DOCTYPE w:document [<!ENTITY s SYSTEM "{secret.as_uri()}">]>'
                data = data.replace(b"<w:document", declaration.encode() + b"<w:document", 1)
                data = data.replace(b"Gadgets as follows:", b"Gadgets &s;")
            dst.writestr(item, data)
    try:
        lists = au_dsgl.parse(evil, check_counts=False)
    except LoaderError:
        return  # refusing the file is as good
    assert all("TOP-SECRET" not in " ".join(pl.frame["text"]) for pl in lists)


# --- The shared segmenter's opt-in options this loader relies on ----------------------------
BASE = CodeStyle("t", re.compile(r"^(?P<code>\d[A-E]\d{3})(?:\s+(?P<rest>.*))?$"))


def seg(lines: list[Line], **options: Any) -> list[str]:
    style = dataclasses.replace(BASE, **options)
    return [f"{r.kind}:{r.canonical}" for r in segment(lines, style).rows]


def test_segmenter_list_item_closes_a_note() -> None:
    lines = [Line("9A001 Gadgets", "1"), Line("a. Small", "2"), Line("Note: x includes:", "3"),
             Line("a. Sprockets", "4")]
    assert seg([*lines, Line("1. Blue", "5")])[-1] == "note:9A001.a"  # default: kept in the note
    assert seg([*lines, Line("1. Blue", "5", list_item=True)])[-2:] == [
        "note:9A001.a", "paragraph:9A001.a.1",
    ]


def test_segmenter_restated_steps_move_instead_of_opening() -> None:
    lines = [Line("9A001 Gadgets", "1"), Line("a. A", "2"), Line("b. B", "3"),
             Line("1. B1", "4"), Line("a. B1a", "5"), Line("b. B1b", "6"), Line("c. B1c", "7"),
             Line("1. B1c1", "8"), Line("9A001", "9")]

    def steps(restates: bool) -> list[Line]:
        return [Line("b.", "9", restates=restates), Line("1.", "9", restates=restates),
                Line("c.", "9", restates=restates), Line("2. B1c2", "9")]

    assert seg([*lines, *steps(True)])[-1] == "paragraph:9A001.b.1.c.2"
    assert "paragraph:9A001.c" in seg([*lines, *steps(False)])  # "c." opened a new 9A001.c


def test_segmenter_entry_first_labels_and_nested_note_lists() -> None:
    numeric = [Line("1C350 Chemicals", "1"), Line("1. Widgetol", "2")]
    assert seg(numeric)[-1] == "entry:1C350"
    assert seg(numeric, entry_first_labels=("a", "1"))[-1] == "paragraph:1C350.1"
    noted = [Line("9A001 Gadgets", "1"), Line("a. A", "2"), Line("b. B", "3"),
             Line("Technical Notes:", "4"), Line("1. One", "5"), Line("a. Sub", "6"),
             Line("b. Sub", "7"), Line("c. Sub", "8")]
    assert seg(noted)[-1] == "paragraph:9A001.c"
    assert seg(noted, nested_note_lists=True)[-1] == "technical-note:9A001.b"


def test_segmenter_indent_tolerance_inside_notes() -> None:
    lines = [Line("9A001 Gadgets", "1"), Line("a. A", "2", indent=3.0),
             Line("Note: not:", "3", indent=4.5), Line("b. Deep", "4", indent=5.5)]
    assert seg(lines)[-1] == "paragraph:9A001.b"
    assert seg(lines, indent_tolerance=0.25)[-1] == "note:9A001.a"
    shallow = [*lines[:3], Line("b. Next", "4", indent=3.0)]
    assert seg(shallow, indent_tolerance=0.25)[-1] == "paragraph:9A001.b"


# --- Integration: the real List ---------------------------------------------------------------
REAL = "F2024L01024.docx"


@pytest.fixture(scope="module")
def real(shared_sources: Path) -> dict[str, Any]:
    path = shared_file(shared_sources, "au-dsgl", REAL)
    started = time.perf_counter()
    lists = au_dsgl.parse(path)
    seconds = time.perf_counter() - started
    return {"lists": {pl.info.source_id: pl for pl in lists}, "seconds": seconds}


@pytest.mark.integration
def test_real_counts_and_reconciliation(real: dict[str, Any]) -> None:
    dual, munitions = real["lists"]["au-dsgl"], real["lists"]["au-dsgl-ml"]
    assert dual.info.version == munitions.info.version == "2024-08-14"
    assert dual.entries == dual.headings_seen == 380
    assert 2800 <= dual.paragraphs <= 3100
    assert munitions.entries == munitions.headings_seen == 30
    assert 420 <= munitions.paragraphs <= 520
    reasons = au_dsgl.unplaced_reasons(dual.unplaced)
    assert "label does not continue" not in reasons
    assert 40 <= reasons["before the first entry"] <= 60  # category and group preambles
    assert munitions.unplaced == []
    assert real["seconds"] < 30


@pytest.mark.integration
def test_real_surveillance_entries(real: dict[str, Any]) -> None:
    dual = real["lists"]["au-dsgl"]
    assert "IP network communications surveillance" in row(dual, "5A001.j")["text"]
    assert "application layer" in row(dual, "5A001.j.1.a")["text"]
    assert row(dual, "5A001.j.1.a")["parent"] == "5A001.j.1"
    assert "intrusion software" in row(dual, "4A005", "entry")["text"]
    assert "intrusion software" in row(dual, "4D004", "entry")["text"]
    assert "interception" in row(dual, "5A001.f")["text"]
    assert row(dual, "5A001.b.5")["sensitivity"] == "very-sensitive"


@pytest.mark.integration
def test_real_structure_quirks(real: dict[str, Any]) -> None:
    dual = real["lists"]["au-dsgl"]
    chemicals = [c for c in codes(dual) if c.startswith("1C350.")]
    assert len(chemicals) == 91 and chemicals[0] == "1C350.1"
    assert row(dual, "0B001.b.1")["text"] == "Gas centrifuges;"  # after a note on 0B001.b
    assert "1 mW" in row(dual, "3A001.b.7.c.3")["text"]
    # the Technical Notes' own nested list under 5A002.a.4 stays note text
    assert [c for c in codes(dual) if c.startswith("5A002.a.4.")] == [
        "5A002.a.4.a", "5A002.a.4.b",
    ]
    # w:noBreakHyphen read as "-": "strength-to-density", not "strengthtodensity"
    assert "high strength-to-density ratio" in row(dual, "0B001.b", "note")["text"]


@pytest.mark.integration
def test_real_national_entries(real: dict[str, Any]) -> None:
    dual, munitions = real["lists"]["au-dsgl"], real["lists"]["au-dsgl-ml"]
    frame = dual.frame
    national = sorted(frame[(frame["kind"] == "entry") & frame["national"]]["canonical"])
    assert national == ["3A901", "3B901", "3B902", "3D901", "3D902", "3E901", "4A901", "4D901",
                        "4E901"]
    assert frame[frame["entry"].isin(national) & (frame["kind"] == "paragraph")]["national"].all()
    ml = munitions.frame
    assert sorted(ml[(ml["kind"] == "entry") & ml["national"]]["canonical"]) == [
        "ML901", "ML902", "ML903", "ML904", "ML905", "ML908", "ML909", "ML910",
    ]
    assert not row(munitions, "ML8", "entry")["national"]
