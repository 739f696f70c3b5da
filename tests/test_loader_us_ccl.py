"""US CCL loader: eCFR XML and the eCFR-derived JSON, on hand-written fixtures and the real copy."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError, ShapeError
from harmonize.model import validate_frame
from loaders.us_ccl import derived_json, ecfr_xml, records, spine
from loaders.us_ccl import parse as us_ccl

from .conftest import FIXTURES, shared_file

XML_FIXTURE = FIXTURES / "us-ccl" / "title-15-2026-07-23.xml"
JSON_FIXTURE = FIXTURES / "us-ccl" / "ccl.json"


def rows(parsed: ParsedList, kind: str | None = None) -> pd.DataFrame:
    frame = parsed.frame
    return frame if kind is None else frame[frame["kind"] == kind]


def row(parsed: ParsedList, canonical: str, kind: str = "paragraph") -> pd.Series:
    found = parsed.frame[(parsed.frame["canonical"] == canonical) & (parsed.frame["kind"] == kind)]
    assert len(found) == 1, f"{canonical} ({kind}): {len(found)} rows"
    return found.iloc[0]


def notes_on(parsed: ParsedList, canonical: str) -> list[str]:
    frame = parsed.frame
    is_note = frame["kind"].isin(["note", "technical-note", "nb"])
    found = frame[(frame["canonical"] == canonical) & is_note]
    return list(found["text"])


# -- pure helpers -----------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "national"), [
    ("3A090", True), ("4E091", True), ("0A521", True), ("0D521", True), ("9A610", True),
    ("3A981", True), ("5A980", True), ("3A901", True), ("4A906.a", True),
    ("3A001", False), ("5A001.j", False), ("4A005", False), ("0A089", False), ("1C450", False),
])
def test_national_numbering(code: str, national: bool) -> None:
    assert records.is_national(code) is national


def test_z_paragraphs_are_national() -> None:
    assert records.is_national_paragraph("3A001", "z")
    assert records.is_national_paragraph("3A001", "z.1.a")
    assert not records.is_national_paragraph("3A001", "b.2")
    assert records.is_national_paragraph("3A090", "a")


def test_split_designator() -> None:
    assert records.split_designator("j.1.a. Widgets in a row") == ("j.1.a", "Widgets in a row")
    assert records.split_designator("2.b. Note item") == ("2.b", "Note item")
    assert records.split_designator("b.1 Missing dot") == (None, "b.1 Missing dot")
    assert records.split_designator("e.g., not a label") == (None, "e.g., not a label")


def test_choose_spine_prefers_the_walk_that_reads_as_one_tree() -> None:
    # a, a.1, then a note's own a./b. list, then the entry's b: the list repeats 'a'.
    labels = ["a", "a.1", "a", "b", "b", "b.1"]
    candidates = [(i, tuple(lab.split("."))) for i, lab in enumerate(labels)]
    assert spine.choose_spine(candidates) == {0, 1, 4, 5}


def test_fits_list_follows_numbered_notes() -> None:
    assert spine.fits_list([], ["a"]) == 0
    assert spine.fits_list(["a"], ["1"]) == 1
    assert spine.fits_list(["2", "a"], ["a", "1"]) == 2  # 'a.1' printed under note '2.'
    assert spine.fits_list(["b"], ["b", "4"]) is None  # b.4 is not the first child of b


# -- XML --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def xml_parsed() -> ParsedList:
    [parsed] = us_ccl.parse(XML_FIXTURE, check_counts=False)
    return parsed


def test_xml_entries_and_version(xml_parsed: ParsedList) -> None:
    entries = list(rows(xml_parsed, "entry")["canonical"])
    # 9A999 sits in Supplement No. 2 and 3A999 in a section: neither is an entry.
    assert entries == ["3A001", "3A090", "4A005", "4D004", "5A001", "0D521"]
    assert xml_parsed.info.version == "2026-07-23"
    assert xml_parsed.info.jurisdiction == "US"
    assert xml_parsed.info.list_name == "Commerce Control List"
    assert "2026-07-23" in xml_parsed.info.url
    assert xml_parsed.headings_seen == 6
    validate_frame(xml_parsed.frame)


def test_xml_paragraph_tree(xml_parsed: ParsedList) -> None:
    paragraphs = list(rows(xml_parsed, "paragraph")["canonical"])
    assert paragraphs[:9] == [
        "3A001.a", "3A001.a.1", "3A001.a.2", "3A001.b", "3A001.b.1", "3A001.b.2",
        "3A001.b.2.a", "3A001.b.2.b", "3A001.c",
    ]
    assert row(xml_parsed, "5A001.j.1.a")["parent"] == "5A001.j.1"
    assert row(xml_parsed, "5A001.j.1.a")["depth"] == 3
    assert "top protocol layer" in row(xml_parsed, "5A001.j.1.a")["text"]
    assert row(xml_parsed, "5A001.j")["code"] == "5A001.j"
    # The note's own a./b. list stays in the note, it does not become 3A001.a / 5A001.a again.
    # ... and it is hung on the code it names ("3A001.a does not control ...").
    assert "b. Museum display." in notes_on(xml_parsed, "3A001.a")[0]
    assert "a. Widget marketing" in notes_on(xml_parsed, "5A001.j")[0]
    # "Items: a. ..." on the FP line is the first paragraph.
    assert row(xml_parsed, "3A090.a")["text"].startswith("Integrated widgets")
    assert row(xml_parsed, "0D521.a")["text"].startswith("Widget-sorting")


def test_xml_malformed_designators_are_recovered(xml_parsed: ParsedList) -> None:
    assert row(xml_parsed, "3A001.b.1")["text"] == "Being sealed units rated above 5 bar; and"
    assert row(xml_parsed, "3A001.b.2.a")["text"] == "Fitted with a valve; or"


def test_xml_missing_parent_gets_a_placeholder(xml_parsed: ParsedList) -> None:
    placeholder = row(xml_parsed, "3A001.c.1")
    assert placeholder["text"] == ""
    assert not placeholder["detailed"]
    assert json.loads(placeholder["details"])["placeholder"] is True
    assert row(xml_parsed, "3A001.c.1.a")["parent"] == "3A001.c.1"
    assert any("placeholder" in n and "3A001.c.1" in n for n in xml_parsed.notes)


def test_xml_notes_kinds(xml_parsed: ParsedList) -> None:
    kinds = dict(zip(rows(xml_parsed)["text"], rows(xml_parsed)["kind"], strict=True))
    assert kinds["For the purposes of 3A001.b, ‘sealed’ means closed to air."] == "technical-note"
    assert kinds["See also 4A005 for the gadgets themselves."] == "nb"


def test_xml_licence_data(xml_parsed: ParsedList) -> None:
    entry = row(xml_parsed, "3A001", "entry")
    assert entry["reasons"] == "NS, RS, AT"
    details = json.loads(entry["details"])
    assert details["licence_requirements"] == [
        {"control": "NS applies to entire entry", "country_chart": "NS Column 2."},
        {"control": "AT applies to entire entry", "country_chart": "AT Column 1."},
    ]
    assert details["licence_exceptions"]["LVS"] == "$1500"
    assert details["licence_exceptions"]["GBS"] == "Yes, except 3A001.b."
    assert "3A001.z" in details["sta_special_conditions"]
    assert details["related_controls"] == "See also 3A991."
    assert json.loads(row(xml_parsed, "4D004", "entry")["details"])["licence_exceptions"] == {
        "ACE": "Yes, except to Country Group E:1."}


def test_xml_national_and_detail(xml_parsed: ParsedList) -> None:
    assert row(xml_parsed, "3A090", "entry")["national"]
    assert row(xml_parsed, "3A090.a")["national"]
    assert row(xml_parsed, "0D521", "entry")["national"]
    assert not row(xml_parsed, "3A001", "entry")["national"]
    assert row(xml_parsed, "3A001.z")["national"] and row(xml_parsed, "3A001.z.2")["national"]
    assert not row(xml_parsed, "3A001.b")["national"]
    # The XML is the whole text: every category is detailed (category 0 included).
    assert row(xml_parsed, "0D521", "entry")["detailed"]


def test_xml_reports_what_it_could_not_place(xml_parsed: ParsedList) -> None:
    reasons = {u.text: u.reason for u in xml_parsed.unplaced}
    assert reasons["General preface text before any category."] == "before the first entry"
    assert reasons["Category-level note text that belongs to no entry."] == (
        "category text between entries")
    assert reasons["Acoustic widgets"] == "subheading inside 5A001"
    assert "Table: Process | Substrate" in notes_on(xml_parsed, "5A001.k")[0]
    assert len(xml_parsed.unplaced) == 3


def test_xml_count_shape_check() -> None:
    with pytest.raises(ShapeError, match="6 entries"):
        us_ccl.parse(XML_FIXTURE)


def test_xml_headings_counted_independently() -> None:
    raw = XML_FIXTURE.read_text(encoding="utf-8")
    assert set(ecfr_xml.count_headings_xml(raw)) == {
        "3A001", "3A090", "4A005", "4D004", "5A001", "0D521"}


def test_xml_reconciliation_fails_loudly(tmp_path: Path) -> None:
    # A heading inside an element the reader does not know is still counted by the raw-text
    # regex: parse must fail naming the entry rather than lose it quietly.
    raw = XML_FIXTURE.read_text(encoding="utf-8").replace(
        "<FP-2><B>4A005 Gadgets", "<WRAP><FP-2><B>4A005 Gadgets").replace(
        "intrusive widget signals.</B></FP-2>", "intrusive widget signals.</B></FP-2></WRAP>")
    path = tmp_path / "title-15-2026-07-23.xml"
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(ReconciliationError, match="4A005"):
        us_ccl.parse(path, check_counts=False)


def test_xml_gzip_and_version_sources(tmp_path: Path) -> None:
    raw = XML_FIXTURE.read_bytes()
    gz = tmp_path / "ccl-2025-01-02.xml.gz"
    gz.write_bytes(gzip.compress(raw))
    [parsed] = us_ccl.parse(gz, check_counts=False)
    assert parsed.info.version == "2025-01-02"  # from the file name
    plain = tmp_path / "part774.xml"
    plain.write_bytes(raw)
    with pytest.raises(LoaderError, match="no issue date"):
        us_ccl.parse(plain, check_counts=False)
    (tmp_path / "part774.xml.meta.json").write_text(json.dumps(
        {"url": "https://www.ecfr.gov/api/versioner/v1/full/2024-11-30/title-15.xml?part=774"}))
    [parsed] = us_ccl.parse(plain, check_counts=False)
    assert parsed.info.version == "2024-11-30"  # from the sidecar, ahead of the file name
    dated = tmp_path / "dated.xml"
    dated.write_bytes(raw.replace(b'<DIV5 N="774"', b'<DIV5 issue_date="2023-03-04" N="774"'))
    [parsed] = us_ccl.parse(dated, check_counts=False)
    assert parsed.info.version == "2023-03-04"  # from the file itself, first


@pytest.mark.parametrize(("content", "what"), [
    (b"", "not well-formed"),
    (None, "not well-formed"),  # truncated half-way
    (b'<DIV5 N="774"><DIV9 N="Supplement No. 2 to Part 774"/></DIV5>', "not the CCL part"),
    (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
])
def test_xml_bad_input(tmp_path: Path, content: bytes | None, what: str) -> None:
    raw = XML_FIXTURE.read_bytes()
    path = tmp_path / "title-15-2026-07-23.xml"
    path.write_bytes(raw[: len(raw) // 2] if content is None else content)
    with pytest.raises(LoaderError, match=what) as error:
        us_ccl.parse(path)
    assert str(path) in str(error.value)


def test_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    raw = XML_FIXTURE.read_text(encoding="utf-8").replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DIV5 [<!ENTITY leak SYSTEM "file://{secret}">]>',
    ).replace("Widgets having any of the following:", "Widgets &leak; having any of the following:")
    path = tmp_path / "title-15-2026-07-23.xml"
    path.write_text(raw, encoding="utf-8")
    [parsed] = us_ccl.parse(path, check_counts=False)
    assert not parsed.frame["text"].str.contains("TOP-SECRET").any()


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "ccl.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(LoaderError, match=r"expected \.xml"):
        us_ccl.parse(path)


# -- JSON -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def json_parsed() -> ParsedList:
    [parsed] = us_ccl.parse(JSON_FIXTURE, check_counts=False)
    return parsed


def test_json_entries_version_and_detail(json_parsed: ParsedList) -> None:
    assert json_parsed.info.version == "2026-07-23"
    assert json_parsed.entries == 9
    assert json_parsed.info.url.endswith("/full/2026-07-23/title-15.xml?part=774")
    # Paragraph text only for the deep categories: others are not detailed, never "absent".
    assert not row(json_parsed, "9A001", "entry")["detailed"]
    assert not row(json_parsed, "0D521", "entry")["detailed"]
    assert row(json_parsed, "5A001", "entry")["detailed"]
    validate_frame(json_parsed.frame)


def test_json_reasons_and_licence_details(json_parsed: ParsedList) -> None:
    entry = row(json_parsed, "5A001", "entry")
    assert entry["reasons"] == "NS, SL, AT"
    details = json.loads(entry["details"])
    assert details["licence_requirements"][0] == {
        "control": "NS applies to 5A001.b and .j", "country_chart": "NS Column 2."}
    assert details["licence_exceptions"]["ACE"].startswith("Yes for 5A001.j")
    assert details["related_controls"] == "(1) See also 5A980."
    assert row(json_parsed, "3A090", "entry")["national"]
    assert row(json_parsed, "0D521", "entry")["national"]


def test_json_tree_with_converter_quirks(json_parsed: ParsedList) -> None:
    paragraphs = [c for c in rows(json_parsed, "paragraph")["canonical"] if c.startswith("5A001")]
    assert paragraphs == [
        "5A001.a", "5A001.a.1", "5A001.a.2", "5A001.b", "5A001.b.1", "5A001.b.1.a",
        "5A001.b.1.b", "5A001.b.2", "5A001.b.2.a", "5A001.b.2.b", "5A001.b.3", "5A001.c",
        "5A001.j", "5A001.j.1", "5A001.j.1.a", "5A001.j.1.b", "5A001.j.2", "5A001.z",
        "5A001.z.1", "5A001.z.1.a", "5A001.z.1.b",
    ]
    # Recovered from "text" items: "b.1 Being ..." and "b.2.a.. Automatically ...".
    assert row(json_parsed, "5A001.b.1")["text"].startswith("Being underwater relays")
    assert row(json_parsed, "5A001.b.2.a")["text"].startswith("Automatically choosing")
    assert any(n.startswith("3 paragraph(s) recovered") for n in json_parsed.notes)
    # The note's own list (codes a, b, c already used by the entry) stays in the note,
    # across the interleaved Technical Note; both hang on 5A001.j, which the note names.
    j_notes = notes_on(json_parsed, "5A001.j")
    assert "a. Widget marketing;" in j_notes[0]
    assert "b. Widget quality of service; or c. Widget quality of experience." in j_notes[0]
    assert j_notes[1] == "For the purposes of this Note, marketing includes advertising."
    assert row(json_parsed, "5A001.j.1.a")["text"] == "Analysis at the top widget layer;"
    # Numbered note paragraphs are one note on the paragraph they follow.
    assert notes_on(json_parsed, "5A001.b.3")[0].startswith("1. For variable rate")
    assert "2. For the purposes of 5A001.b.3" in notes_on(json_parsed, "5A001.b.3")[0]


def test_json_note_kinds(json_parsed: ParsedList) -> None:
    frame = json_parsed.frame
    kinds = dict(zip(frame["text"], frame["kind"], strict=True))
    assert kinds["N.B.: See also 5D001 for the software."] == "nb"
    assert kinds["5A001.a.2 applies only to electronic telegadgets."] == "note"


def test_json_list_closed_by_full_stop_gives_back_the_entry_paragraph(
        json_parsed: ParsedList) -> None:
    # "1C999.a does not control: a. ...; b. ... ." then the entry's own b.
    assert row(json_parsed, "1C999.b")["text"].startswith("Gadget fibers")
    assert "b. Foams for toys." in notes_on(json_parsed, "1C999.a")[0]


def test_json_missing_parents_and_prelist(json_parsed: ParsedList) -> None:
    assert row(json_parsed, "1B201.a")["text"] == ""
    assert not row(json_parsed, "1B201.a")["detailed"]
    assert row(json_parsed, "1B201.a.1")["parent"] == "1B201.a"
    assert row(json_parsed, "5A001.z.1.a")["parent"] == "5A001.z.1"
    # 1C240: the heading note's a./b. printed before the items becomes one note.
    assert notes_on(json_parsed, "1C240")[0].startswith("a. Filamentary widget powders;")
    assert row(json_parsed, "1C240.b")["text"].startswith("Porous widget metal")
    assert any("1C240" in n and "restarted" in n for n in json_parsed.notes)


def test_json_announced_list_without_paragraphs(json_parsed: ParsedList) -> None:
    assert not any(c.startswith("4D004.") for c in rows(json_parsed, "paragraph")["canonical"])
    # the items statement printed before it is the entry's data, not a note (issue #14)
    assert "a. It runs only with the owner's consent" in notes_on(json_parsed, "4D004")[0]


def test_json_off_tree_item_is_reported(json_parsed: ParsedList) -> None:
    [unplaced] = json_parsed.unplaced
    assert unplaced.text.startswith("f.2.1.")
    assert "1C999" in unplaced.location
    assert "f.2.1." in notes_on(json_parsed, "1C999.b.2")[0]


def test_json_headings_counted_independently() -> None:
    raw = JSON_FIXTURE.read_text(encoding="utf-8")
    assert len(derived_json.count_headings_json(raw)) == 9


def test_json_bad_input(tmp_path: Path) -> None:
    raw = JSON_FIXTURE.read_text(encoding="utf-8")
    truncated = tmp_path / "ccl.json"
    truncated.write_text(raw[: len(raw) // 2], encoding="utf-8")
    with pytest.raises(LoaderError, match="not readable JSON"):
        us_ccl.parse(truncated)
    data = json.loads(raw)
    data.pop("ecfrIssueDate")
    data["source"]["url"] = "https://example.invalid/latest"
    truncated.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoaderError, match="ecfrIssueDate"):
        us_ccl.parse(truncated)
    truncated.write_text(json.dumps({"ecfrIssueDate": "2026-07-23", "rows": []}))
    with pytest.raises(LoaderError, match="no 'entries' list"):
        us_ccl.parse(truncated)
    data = json.loads(raw)
    data["entries"][1]["eccn"] = "XYZ"
    truncated.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoaderError, match=r"entries\[1\]"):
        us_ccl.parse(truncated)


def test_json_duplicate_eccn_fails(tmp_path: Path) -> None:
    data = json.loads(JSON_FIXTURE.read_text(encoding="utf-8"))
    data["entries"].append(data["entries"][0])
    path = tmp_path / "ccl.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoaderError, match="0D521"):
        us_ccl.parse(path, check_counts=False)


def test_meta() -> None:
    meta = us_ccl.META
    assert meta.source_id == "us-ccl" and meta.jurisdiction == "US"
    assert meta.licence == "US public domain"
    assert meta.publisher == "US Department of Commerce, Bureau of Industry and Security (eCFR)"
    assert meta.detailed_categories == ("1", "3", "4", "5")
    assert meta.expected_entries == (550, 750)


def test_fixture_folder_imports_like_a_source(tmp_path: Path) -> None:
    folder = tmp_path / "us-ccl"
    folder.mkdir()
    shutil.copy(JSON_FIXTURE, folder / "ccl.json")
    from harmonize.ingest.store import pick_file
    chosen, _ = pick_file(folder, us_ccl.META.file_patterns)
    assert chosen is not None and chosen.name == "ccl.json"


# -- the real copy ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(request: pytest.FixtureRequest) -> ParsedList:
    shared = request.getfixturevalue("shared_sources")
    [parsed] = us_ccl.parse(shared_file(shared, "us-ccl", "ccl.json"))
    return parsed


@pytest.mark.integration
def test_real_counts(real: ParsedList) -> None:
    assert real.entries == 633
    assert real.headings_seen == 633
    assert real.info.version == "2026-07-23"
    assert 1900 <= real.paragraphs <= 2300
    notes = int(real.frame["kind"].isin(["note", "technical-note", "nb"]).sum())
    assert 400 <= notes <= 700
    assert len(real.unplaced) <= 10
    validate_frame(real.frame)


@pytest.mark.integration
def test_real_surveillance_entries(real: ParsedList) -> None:
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004", "3A090", "0D521"):
        assert code in set(real.frame["canonical"]), code
    assert "application layer" in row(real, "5A001.j.1.a")["text"]
    assert row(real, "5A001.j.1.a")["parent"] == "5A001.j.1"
    assert "NS" in row(real, "5A001", "entry")["reasons"]
    assert row(real, "3A090", "entry")["national"]
    assert row(real, "0D521", "entry")["national"]
    assert not row(real, "5A001", "entry")["national"]
    assert row(real, "3A001.z")["national"]


@pytest.mark.integration
def test_real_detail_by_category(real: ParsedList) -> None:
    frame = real.frame
    category_9 = frame[(frame["kind"] == "entry") & frame["canonical"].str.startswith("9")]
    assert len(category_9) > 50
    assert not category_9["detailed"].any()
    assert row(real, "5A001", "entry")["detailed"]


@pytest.mark.integration
def test_real_note_lists_do_not_become_paragraphs(real: ParsedList) -> None:
    # "5A001.j does not apply to ...: a. Marketing purpose; ..." is a note, not 5A001.a.
    assert "Marketing" not in row(real, "5A001.a")["text"]
    assert any("Marketing purpose" in t for t in notes_on(real, "5A001.j"))
    # Paragraphs the converter left as text ("b.1 Being underwater ...") are recovered.
    assert row(real, "5A001.b.1")["text"].startswith("Being underwater")
    # 5A002's Note 2 list (a. to j.) stays in the note; the entry's own b. follows it.
    assert "cryptographic activation token" in row(real, "5A002.b")["text"]
