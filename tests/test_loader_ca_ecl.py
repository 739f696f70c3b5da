"""Canada's Export Control List: the regulation's LIMS XML and the Guide's HTML.

Unit tests run on hand-written fixtures (tests/fixtures/ca-ecl/, invented wording in the official
structures); integration tests read the real consolidated XML and its older versions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from harmonize.codes import canonical_code
from harmonize.compare.queries import silence_kind
from harmonize.ingest.source import LoaderError, ParsedList, ReconciliationError, ShapeError
from loaders.ca_ecl import guide as ca_guide
from loaders.ca_ecl import lims
from loaders.ca_ecl import parse as ca_ecl
from loaders.ca_ecl import regulation as ca_regulation
from tests.conftest import shared_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ca-ecl"
REGULATION = FIXTURES / "SOR-89-202.xml"
GUIDE = FIXTURES / "guide.html"
# The four points in time of ../shared/sources-history/ca-ecl/ (folder name = pit-date).
HISTORY_FOLDERS = ("2020-07-01", "2024-05-31", "2025-03-07", "2025-04-25")


def rows(parsed: ParsedList, canonical: str, kind: str | None = None) -> pd.DataFrame:
    frame = parsed.frame
    hit = frame[frame["canonical"] == canonical]
    return hit if kind is None else hit[hit["kind"] == kind]


def one(parsed: ParsedList, canonical: str, kind: str = "entry") -> pd.Series:
    hit = rows(parsed, canonical, kind)
    assert len(hit) == 1, f"{canonical} {kind}: {len(hit)} rows"
    return hit.iloc[0]


@pytest.fixture(scope="module")
def regulation() -> ParsedList:
    return ca_regulation.parse_regulation(REGULATION, check_counts=False)


@pytest.fixture(scope="module")
def guide() -> ParsedList:
    return ca_guide.parse_guide(GUIDE, check_counts=False)


# -- the regulation (fixture) -------------------------------------------------------------------

def test_regulation_provenance(regulation: ParsedList) -> None:
    info = regulation.info
    assert (info.source_id, info.jurisdiction) == ("ca-ecl", "CA")
    assert info.list_name == "Export Control List (SOR/89-202)"
    assert info.version == "2023-11-02"  # lims:pit-date, not current-date nor consolidation
    assert info.citation == "Export Control List, SOR/89-202"
    assert info.url == "https://laws-lois.justice.gc.ca/eng/XML/SOR-89-202.xml"
    assert ca_ecl.META.licence == "Open Government Licence – Canada"
    assert ca_ecl.META.publisher == "Justice Canada (regulation); Global Affairs Canada (Guide)"


def test_group_5_items_are_national_entries_with_codes_as_printed(regulation: ParsedList) -> None:
    for code in ("5400", "5504", "5505", "5506", "5101", "5001"):
        row = one(regulation, code)
        assert row["code"] == code and canonical_code(code) == code
        assert bool(row["national"]) and bool(row["detailed"])
    assert "neighbour origin" in one(regulation, "5400")["text"]


def test_entry_counts_match_the_fixture(regulation: ParsedList) -> None:
    entries = list(regulation.frame.query("kind == 'entry'")["canonical"])
    assert entries == ["CA-G1", "CA-G2", "CA-G3", "3-01", "CA-G4", "CA-G5", "5001", "5101",
                       "5400", "5504", "5505", "5506", "CA-G6", "CA-G7", "CA-G8", "8000",
                       "CA-G9", "9-1", "9-2"]
    assert regulation.paragraphs == 29
    assert int(regulation.frame["kind"].eq("note").sum()) == 2
    assert regulation.headings_seen == 19


def test_sub_items_keep_the_legal_path(regulation: ParsedList) -> None:
    row = one(regulation, "5506.2.b.i.A.II", "paragraph")
    assert row["code"] == "5506(2)(b)(i)(A)(II)"
    assert row["parent"] == "5506.2.b.i.A" and row["depth"] == 5
    assert row["entry"] == "5506" and bool(row["national"])
    # <Sup> as a Unicode superscript (harmonize.ingest.glyphs); the extracted text kept beside
    assert row["text"] == "displays showing a spin ratio of 10⁻³ or less,"
    # Same letter at two depths: paragraph (i)... would be 5504.2.i, subparagraph (i) is deeper.
    assert one(regulation, "5504.2.a.i", "paragraph")["parent"] == "5504.2.a"
    assert "10⁴ rpm" in one(regulation, "5504.2.a.i", "paragraph")["text"]


def test_notes_attach_to_the_provision_they_sit_in(regulation: ParsedList) -> None:
    single = one(regulation, "5506.2.a.i", "note")
    assert single["text"] == "In subparagraph (i), mph means miles per hour."
    assert single["parent"] == "5506.2.a.i" and single["depth"] == 4
    numbered = one(regulation, "5506.2.b.i", "note")
    assert numbered["text"] == ("1. Clause (A) includes hand-held displays. "
                                "2. Clause (B) does not apply to toys.")
    assert numbered["location"] == "lims:id 252"


def test_item_without_own_text_takes_its_subject_heading(regulation: ParsedList) -> None:
    row = one(regulation, "5504")
    assert row["text"] == "Strategic Gadgets"
    details = json.loads(row["details"])
    assert details["text_from_heading"] is True and details["group"] == "5"
    assert json.loads(one(regulation, "5101")["details"])["headings"] == ["Widget Products",
                                                                           "Blue Widgets"]


def test_destinations_and_repeal_are_recorded(regulation: ParsedList) -> None:
    assert json.loads(one(regulation, "5400")["details"])["destinations"] == [
        "All destinations other than the neighbour"]
    repealed = one(regulation, "5001")
    assert repealed["text"] == "[Repealed, SOR/1999-1, s. 1]"
    assert json.loads(repealed["details"])["repealed"] is True


def test_groups_are_rows_and_group_1_is_not_detailed(regulation: ParsedList) -> None:
    group1 = one(regulation, "CA-G1")
    assert group1["code"] == "GROUP 1" and not bool(group1["detailed"])
    assert group1["text"].startswith("Dual Use — Gadgets and know-how")
    for number in "23467":
        assert not bool(one(regulation, f"CA-G{number}")["detailed"])
    for number in "589":
        assert bool(one(regulation, f"CA-G{number}")["detailed"])
    assert bool(one(regulation, "CA-G5")["national"])
    assert not bool(one(regulation, "CA-G9")["national"])
    assert not bool(one(regulation, "9-2")["national"])  # Arms Trade Treaty, not unilateral
    # The group's own lettered list hangs under the group row.
    assert one(regulation, "CA-G2.b", "paragraph")["parent"] == "CA-G2"
    # The store reads META: no Wassenaar-family category is detailed in the regulation.
    assert ca_ecl.META.detailed_categories == ()


def test_family_codes_are_not_detailed_rather_than_absent(regulation: ParsedList) -> None:
    record = {"id": "ca-ecl", "detailed_categories": list(ca_ecl.META.detailed_categories or ())}
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004"):
        assert silence_kind(regulation.frame, record, code) == "not-detailed", code


def test_amendments_not_in_force_are_noted_not_ingested(regulation: ParsedList) -> None:
    assert rows(regulation, "5507").empty
    assert any("not in force" in n and "item 5507" in n and "SOR/2023-99" in n
               for n in regulation.notes)


def test_unplaced_and_notes_are_honest(regulation: ParsedList) -> None:
    assert [(u.text, u.reason) for u in regulation.unplaced] == [
        ("SCHEDULE (Section 2)", "before the first entry")]
    assert "Group 5: 6 item headings in the raw XML, 6 entries produced" in regulation.notes
    assert any("consolidated to 2023-12-04" in n for n in regulation.notes)


def test_count_headings_is_independent_of_the_tree() -> None:
    raw = REGULATION.read_text(encoding="utf-8-sig")
    seen = lims.count_headings(raw)
    assert len(seen) == 19 and seen["5506"] == "lims:id 239" and seen["CA-G1"] == "lims:id 202"
    assert "5507" not in seen  # the not-in-force schedule is not the list


def test_reconciliation_fails_loudly_when_an_item_is_missed(tmp_path: Path) -> None:
    text = REGULATION.read_text(encoding="utf-8-sig")
    start = text.index('<Provision lims:inforce-start-date="2017-09-21" lims:fid="223"')
    end = text.index("<Heading", start)
    broken = text[:start] + "<Division>" + text[start:end] + "</Division>" + text[end:]
    path = tmp_path / "SOR-89-202.xml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ReconciliationError, match=r"5400 \(lims:id 223\)"):
        ca_regulation.parse_regulation(path, check_counts=False)


def test_parse_checks_the_expected_counts() -> None:
    with pytest.raises(ShapeError, match="19 entries, expected 40-120"):
        ca_ecl.parse(REGULATION)


def test_parse_dispatches_on_suffix(tmp_path: Path) -> None:
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF-1.7")
    with pytest.raises(LoaderError, match=r"expected \.xml"):
        ca_ecl.parse(other)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"", "whole file"),
        (REGULATION.read_bytes()[:4000], "line 1"),
        (b'<?xml version="1.0"?><Statute><Body/></Statute>', "root element"),
        (b'<?xml version="1.0"?><Regulation lims:pit-date="2020-01-01" '
         b'xmlns:lims="http://justice.gc.ca/lims"><Body/></Regulation>', "Regulation"),
        (b'<?xml version="1.0"?><Regulation lims:pit-date="2020-13-45" '
         b'xmlns:lims="http://justice.gc.ca/lims"/>', "pit-date"),
        (b"\xff\xfe<\x00R\x00", "byte 0"),
    ],
    ids=["empty", "truncated", "wrong-root", "no-schedule", "bad-date", "not-utf8"],
)
def test_bad_regulation_files_raise_loader_error(tmp_path: Path, content: bytes,
                                                 where: str) -> None:
    path = tmp_path / "SOR-89-202.xml"
    path.write_bytes(content)
    with pytest.raises(LoaderError) as error:
        ca_regulation.parse_regulation(path, check_counts=False)
    assert where in error.value.where and str(path) in str(error.value)


def test_version_falls_back_to_consolidation_then_current_date(tmp_path: Path) -> None:
    def version(root_attrs: str, identification: str = "") -> str:
        path = tmp_path / "v.xml"
        path.write_text(f'<Regulation xmlns:lims="http://justice.gc.ca/lims" {root_attrs}>'
                        f"<Identification>{identification}</Identification></Regulation>",
                        encoding="utf-8")
        _, root = lims.read_regulation(path)
        return lims.parse_version(root, path)

    consolidation = ("<ConsolidationDate><Date><YYYY>2021</YYYY><MM>3</MM><DD>9</DD></Date>"
                     "</ConsolidationDate>")
    assert version('lims:current-date="2022-01-02"', consolidation) == "2021-03-09"
    assert version('lims:current-date="2022-01-02"') == "2022-01-02"
    with pytest.raises(LoaderError, match="no lims:pit-date"):
        version("")


def test_external_entities_and_dtds_are_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    (tmp_path / "local.dtd").write_text('<!ENTITY gadget "FROM-THE-DTD">', encoding="utf-8")
    body = REGULATION.read_text(encoding="utf-8-sig").split("?>", 1)[1].split(">", 1)[1]
    cases = [  # (DOCTYPE, entity reference placed in item 5400)
        (f'<!DOCTYPE Regulation [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', "&xxe;"),
        ('<!DOCTYPE Regulation SYSTEM "local.dtd">', "&gadget;"),
    ]
    for doctype, reference in cases:
        path = tmp_path / "SOR-89-202.xml"
        path.write_text('<?xml version="1.0" encoding="utf-8"?>' + doctype + body.replace(
            "All gadgets of neighbour", f"All {reference} gadgets of neighbour"), encoding="utf-8")
        parsed = ca_regulation.parse_regulation(path, check_counts=False)
        text = one(parsed, "5400")["text"]
        assert "TOP-SECRET" not in text and "FROM-THE-DTD" not in text
        assert reference in text  # left visible as written, not silently dropped


# -- the Guide (fixture) ------------------------------------------------------------------------

def test_guide_group_1_gets_canonical_wassenaar_codes(guide: ParsedList) -> None:
    info = guide.info
    assert (info.source_id, info.jurisdiction, info.version) == ("ca-ecl-guide", "CA",
                                                                 "2024-02-15")
    assert info.url == "https://www.example.invalid/controls/guide-fixture.aspx?lang=eng"
    entry = one(guide, "5A001")
    assert entry["code"] == "1-5.A.1." and entry["text"] == "Radio gadgets, as follows:"
    for code in ("5A001.j", "5A001.j.1.a", "5A001.j.2", "4D004.b"):
        row = one(guide, code, "paragraph")
        assert bool(row["detailed"]) and not bool(row["national"])
    assert one(guide, "5A001.j.1.a", "paragraph")["code"] == "1-5.A.1.j.1.a"
    assert one(guide, "4A005")["text"].startswith("Calculators designed to count marbles")
    assert one(guide, "5A001.g", "paragraph")["text"] == "Radios painted with 10³ stripes;"


def test_guide_counts(guide: ParsedList) -> None:
    assert list(guide.frame.query("kind == 'entry'")["canonical"]) == [
        "4A005", "4D004", "5A001", "5A002", "5D001"]
    assert guide.paragraphs == 24 and guide.headings_seen == 5
    kinds = set(guide.frame["kind"])
    assert {"note", "technical-note"} <= kinds


def test_guide_notes_attach_and_do_not_open_paragraphs(guide: ParsedList) -> None:
    note = one(guide, "5A001.j.2", "note")
    assert note["text"].startswith("1-5.A.1.j. does not apply")
    tech = one(guide, "5A001.j.2", "technical-note")
    assert tech["text"] == "'Topmost tin can' means the can nearest the sky."


def test_guide_ordered_lists_get_their_displayed_labels(guide: ParsedList) -> None:
    assert one(guide, "5A002.a", "paragraph")["text"].startswith("Gadgets with a lock of 56")
    assert one(guide, "5A002.a.2", "paragraph")["text"] == "Locks opened by a dance;"
    assert one(guide, "5A002.b", "paragraph")["text"] == "Gadgets that hide notes in sandwiches."


def test_guide_reports_what_it_leaves_out(guide: ParsedList) -> None:
    reasons = [(u.location, u.reason) for u in guide.unplaced]
    assert reasons == [
        ("line 31", "before the first entry"),
        ("line 34", "outside any entry (after heading 'Category 4 - Calculators')"),
    ]
    assert any("Group 2: 2 lines" in n for n in guide.notes)
    assert any(n.startswith("6 structural headings") for n in guide.notes)
    # Structural headings never leak into entry text; Group 2 never becomes Group 1 rows.
    assert not guide.frame["text"].str.contains("Systems, Equipment|Category 5|Foam").any()


def test_guide_heading_count_only_sees_group_1_block_openings() -> None:
    raw = GUIDE.read_text(encoding="utf-8")
    assert sorted(ca_guide.count_guide_headings(raw)) == ["4A005", "4D004", "5A001", "5A002",
                                                        "5D001"]


def test_guide_reconciliation_fails_loudly(tmp_path: Path) -> None:
    html = GUIDE.read_text(encoding="utf-8").replace(
        "<p><strong>1-5.A.2.</strong>", "<p>Intro<br><strong>1-5.A.2.</strong>")
    path = tmp_path / "guide.html"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(ReconciliationError, match="5A002"):
        ca_guide.parse_guide(path, check_counts=False)


def test_guide_dispatch_and_expected_counts() -> None:
    with pytest.raises(ShapeError, match="ca-ecl-guide"):
        ca_ecl.parse(GUIDE)


@pytest.mark.parametrize(
    ("html", "match"),
    [
        ("<html><head><meta name='dcterms.modified' content='2024-01-01'></head><body><main>"
         "<h2>Group 2 - Munitions</h2><p>x</p></main></body></html>", "no 'Group 1' heading"),
        ("<html><body><main><h2>Group 1 - Dual-Use List</h2></main></body></html>",
         "no dcterms"),
        ("", "empty file"),
    ],
    ids=["no-group-1", "no-date", "empty"],
)
def test_bad_guide_files_raise_loader_error(tmp_path: Path, html: str, match: str) -> None:
    path = tmp_path / "guide.htm"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(LoaderError, match=match):
        ca_guide.parse_guide(path, check_counts=False)


# -- the real regulation ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(shared_sources: Path) -> ParsedList:
    return ca_regulation.parse_regulation(shared_file(shared_sources, "ca-ecl", "SOR-89-202.xml"))


@pytest.mark.integration
def test_real_regulation_counts(real: ParsedList) -> None:
    assert real.info.version == "2025-04-25"
    assert real.entries == 50 and real.headings_seen == 50
    group5 = real.frame.query("kind == 'entry'")["canonical"].str.fullmatch(r"5\d{3}")
    assert int(group5.sum()) == 29
    assert 200 <= real.paragraphs <= 300
    assert int(real.frame["kind"].eq("note").sum()) == 13
    assert [u.reason for u in real.unplaced] == ["before the first entry"]


@pytest.mark.integration
@pytest.mark.parametrize("code", ["5400", "5504", "5505", "5506"])
def test_real_national_items(real: ParsedList, code: str) -> None:
    row = one(real, code)
    assert bool(row["national"]) and row["code"] == code and canonical_code(code) == code
    assert not rows(real, f"{code}.1", "paragraph").empty or code == "5400"


@pytest.mark.integration
def test_real_item_texts(real: ParsedList) -> None:
    assert "United States origin" in one(real, "5400")["text"]
    assert "whether or not included elsewhere" in one(real, "5505.1", "paragraph")["text"]
    assert "quantum computers" in one(real, "5506.2.c.ii", "paragraph")["text"]
    assert one(real, "5506.2.c.ii.A.VIII", "paragraph")["depth"] == 5
    assert not rows(real, "5506.2.c.ii", "note").empty


@pytest.mark.integration
def test_real_group_1_present_but_not_detailed(real: ParsedList) -> None:
    group1 = one(real, "CA-G1")
    assert not bool(group1["detailed"]) and "Group 1 of the Guide" in group1["text"]
    assert {f"CA-G{n}" for n in range(1, 10)} <= set(real.frame["canonical"])
    # Without the Guide the Wassenaar-family surveillance codes are not rows here ...
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004"):
        assert rows(real, code).empty
        # ... and are reported as "not detailed", never as absent.
        record = {"id": "ca-ecl", "detailed_categories": []}
        assert silence_kind(real.frame, record, code) == "not-detailed"


@pytest.mark.integration
def test_real_entry_level_family_code_is_not_detailed(real: ParsedList) -> None:
    record = {"id": "ca-ecl", "detailed_categories": []}
    assert silence_kind(real.frame, record, "5A001") == "not-detailed"


@pytest.mark.integration
@pytest.mark.parametrize("folder", HISTORY_FOLDERS)
def test_history_versions(shared_sources: Path, folder: str) -> None:
    path = shared_sources.parent / "sources-history" / "ca-ecl" / folder / "SOR-89-202.xml"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    parsed = ca_regulation.parse_regulation(path)
    assert parsed.info.version == folder
    entries = set(parsed.frame.query("kind == 'entry'")["canonical"])
    assert {"CA-G1", "5400", "5504", "5505"} <= entries
    assert ("5506" in entries) == (folder >= "2025-03-07")
    if folder == "2024-05-31":  # 5506 registered but not yet in force at that point in time
        assert any("not in force" in n and "item 5506" in n for n in parsed.notes)


@pytest.mark.integration
def test_5506_absent_from_2020(shared_sources: Path) -> None:
    path = shared_sources.parent / "sources-history" / "ca-ecl" / "2020-07-01" / "SOR-89-202.xml"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    parsed = ca_regulation.parse_regulation(path)
    assert parsed.info.version == "2020-07-01"
    assert rows(parsed, "5506").empty and not rows(parsed, "5505").empty


@pytest.mark.integration
def test_real_guide_if_present(shared_sources: Path) -> None:
    pages = sorted((shared_sources / "ca-ecl").glob("*.htm*"))
    if not pages:
        pytest.skip("the Guide's HTML is not among the real sources")
    guide_list = ca_guide.parse_guide(pages[0])
    for code in ("5A001.j", "4A005", "4D004"):
        assert not rows(guide_list, code).empty, code
