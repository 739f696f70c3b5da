"""EU Annex I / Annex IV loader: hand-made fixtures in the EUR-Lex consolidated HTML and the
derived-markdown layouts (invented wording), and the real derived copy when it is present."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from harmonize.ingest import glyphs
from harmonize.ingest.source import (
    LoaderError,
    ParsedList,
    ReconciliationError,
    ShapeError,
    reconcile,
)
from harmonize.model import ListRow
from loaders.eu_annex_i import dialect, outline
from loaders.eu_annex_i import parse as eu
from tests.conftest import FIXTURES, shared_file

SAMPLE_MD = FIXTURES / "eu-annex-i" / "annex_sample.md"
SAMPLE_HTML = FIXTURES / "eu-annex-i" / "02021R0821-20260921.html"


@pytest.fixture(scope="module")
def md_lists() -> list[ParsedList]:
    return eu.parse_file(SAMPLE_MD, check_counts=False)


@pytest.fixture(scope="module")
def html_lists() -> list[ParsedList]:
    return eu.parse_file(SAMPLE_HTML, check_counts=False)


def rows(parsed: ParsedList, kind: str | None = None) -> pd.DataFrame:
    frame = parsed.frame
    return frame if kind is None else frame[frame["kind"] == kind]


def notes_of(parsed: ParsedList) -> list[tuple[str, str, int]]:
    frame = parsed.frame[parsed.frame["kind"].isin(["note", "technical-note", "nb"])]
    return list(zip(frame["kind"], frame["canonical"], frame["depth"], strict=True))


def text_of(parsed: ParsedList, canonical: str, kind: str = "paragraph") -> str:
    frame = parsed.frame
    match = frame[(frame["canonical"] == canonical) & (frame["kind"] == kind)]
    assert len(match) == 1, f"{canonical} ({kind}): {len(match)} rows"
    return str(match["text"].iloc[0])


# -- the derived markdown ------------------------------------------------------------------


def test_two_lists_with_their_own_provenance(md_lists: list[ParsedList]) -> None:
    annex_i, annex_iv = md_lists
    assert annex_i.info.source_id == "eu-annex-i"
    assert annex_i.info.list_name == "Annex I to Regulation (EU) 2021/821"
    assert annex_iv.info.source_id == "eu-annex-iv"
    assert annex_iv.info.citation == "Regulation (EU) 2021/821, Annex IV"
    for parsed in md_lists:
        assert parsed.info.jurisdiction == "EU"
        assert parsed.info.version == "2026-09-21"  # front matter last_updated
        assert parsed.info.url.endswith("CELEX:02021R0821-20260921")
        assert not parsed.frame["national"].any()


def test_entries_and_points_by_indentation(md_lists: list[ParsedList]) -> None:
    annex_i = md_lists[0]
    assert list(rows(annex_i, "entry")["canonical"]) == [
        "9A001", "9A002", "9A101", "9A501", "9B001", "9C350", "9D001", "9E001", "9E101", "9E501",
    ]
    assert list(rows(annex_i, "paragraph")["canonical"]) == [
        "9A001.a", "9A001.a.1", "9A001.a.2", "9A001.b", "9A001.c",
        "9A001.c.1", "9A001.c.1.a", "9A001.c.1.b", "9A001.c.2", "9A001.c.2.a", "9A001.c.2.b",
        "9A001.d", "9A001.d.1", "9A001.d.1.a", "9A001.d.1.b", "9A001.d.2",
        "9A501.a", "9A501.a.15", "9A501.a.16", "9A501.b", "9A501.b.13", "9A501.b.13.a",
        "9A501.b.13.b", "9B001.a", "9B001.b", "9C350.1", "9C350.2", "9C350.3",
    ]
    paragraph = rows(annex_i, "paragraph").set_index("canonical")
    assert paragraph.loc["9A001.c.1.b", "parent"] == "9A001.c.1"
    assert paragraph.loc["9A001.c.1.b", "depth"] == 3
    assert paragraph.loc["9A501.b.13", "parent"] == "9A501.b"
    assert text_of(annex_i, "9A002", "entry") == "Not used."
    assert text_of(annex_i, "9B001", "entry") == "Widget testers, having any of the following:"


def test_notes_attach_by_their_indentation(md_lists: list[ParsedList]) -> None:
    assert notes_of(md_lists[0]) == [
        ("nb", "9A001", 1),
        ("note", "9A001.a.2", 3),  # indented under a.2
        ("note", "9A001.a", 2),  # after a.2, but indented as a's sub-points
        ("technical-note", "9A001.a", 2),
        ("note", "9A101", 1),  # italic text without a marker
        ("note", "9A101", 1),
        ("technical-note", "9A501.a.16", 3),
        ("note", "9D001", 1),
        ("note", "9E001", 1),
    ]
    note = md_lists[0].frame[(md_lists[0].frame["canonical"] == "9A001.a")
                             & (md_lists[0].frame["kind"] == "note")].iloc[0]
    # The note's own a./b. list stays in the note, the asterisks are gone.
    assert note["text"].endswith("a. Museum display; or b. Film props.")
    assert '"marker": "Note 1"' in note["details"]


def test_numbering_gaps_undotted_labels_and_regrouped_points(
        md_lists: list[ParsedList]) -> None:
    annex_i = md_lists[0]
    joined = " / ".join(annex_i.notes)
    assert "9A501.a.15, 9A501.b.13" in joined
    assert "without a dot: 9A501.b" in joined
    assert "placed by label: 9A001.d.1, 9A001.d.2" in joined
    assert text_of(annex_i, "9A501.b") == "Microwave widgets as follows:"
    assert text_of(annex_i, "9A001.d.2") == "Having a housing specified in 9A001.c."
    assert text_of(annex_i, "9A001.c.1.a") == "Sealed above 5 bar; and"
    assert text_of(annex_i, "9C350.2") == "Gadgetane (CAS 222-22-2);"


def test_superscripts_as_unicode_superscripts(md_lists: list[ParsedList]) -> None:
    text = text_of(md_lists[0], "9A001.c")
    assert "1,5 g/cm³ or more" in text
    assert "2 × 10⁹ N/m²;" in text
    assert "<sup>" not in "".join(md_lists[0].frame["text"])
    assert glyphs.faithful_text(dialect.clean_text("1 × 10<sup>-7</sup> K<sup>-1</sup>")) == (
        "1 × 10⁻⁷ K⁻¹")


def test_text_outside_entries_is_reported_with_reasons(md_lists: list[ParsedList]) -> None:
    annex_i = md_lists[0]
    reasons = Counter(u.reason for u in annex_i.unplaced)
    assert reasons["before the first entry"] == 13
    assert reasons["empty product group ('None.')"] == 1
    after_none = [r for r in annex_i.unplaced if r.reason.startswith("product group preface")]
    assert [u.location for u in after_none] == ["line 112", "line 114"]
    before_9e = [u.text for u in annex_i.unplaced if "preface before 9E001" in u.reason]
    assert before_9e == [
        "Note 1: Not used.", "Note 2: Part 2 of Category 9 does not control widgets carried by "
        "their user."]
    table = [u for u in annex_i.unplaced if u.reason.startswith("table or text after 9E001")]
    assert len(table) == 4
    # nothing of the table leaked into the entry or its note
    assert "Widget process" not in " ".join(annex_i.frame["text"])


def test_independent_heading_count_matches(md_lists: list[ParsedList]) -> None:
    annex_i = md_lists[0]
    assert annex_i.headings_seen == annex_i.entries == 10
    region = dialect.annex_region(dialect.read_markdown(SAMPLE_MD).lines, "I", SAMPLE_MD)
    headings = dialect.count_headings(region, SAMPLE_MD)
    assert headings["9B001"] == "line 106"  # printed after one space, as 1C225 is
    assert "9A001" in headings and len(headings) == 10


def test_reconciliation_fails_loudly_when_an_entry_is_missing(
        md_lists: list[ParsedList]) -> None:
    region = dialect.annex_region(dialect.read_markdown(SAMPLE_MD).lines, "I", SAMPLE_MD)
    headings = dialect.count_headings(region, SAMPLE_MD)
    produced = [ListRow(code=c, canonical=c, parent="", depth=0, kind="entry", text="",
                        location="x") for c in headings if c != "9C350"]
    with pytest.raises(ReconciliationError, match=r"9C350 \(line 116\)"):
        reconcile(SAMPLE_MD, headings, produced)


def test_annex_iv_rows(md_lists: list[ParsedList]) -> None:
    annex_iv = md_lists[1]
    frame = annex_iv.frame.set_index("canonical")
    assert list(frame.index) == ["9A001", "9A001.a.2", "9E001", "9C350.2"]
    assert (annex_iv.frame["kind"] == "entry").all() and (annex_iv.frame["depth"] == 0).all()
    assert frame.loc["9A001.a.2", "entry"] == "9A001"
    assert frame.loc["9A001.a.2", "code"] == "9A001.a.2."  # as printed
    assert '"emphasis": ["and used above 10 km"]' in frame.loc["9A001.a.2", "details"]
    merged = frame.loc["9E001"]
    assert merged["text"].startswith("(Part I) ‘Technology’ for the ‘development’")
    assert "(Part II) ‘Technology’ for the ‘use’" in merged["text"]
    assert '"part": ["I", "II"]' in merged["details"]
    assert annex_iv.headings_seen == 4
    assert [u.text for u in annex_iv.unplaced][-1] == "1. that are transferred to a sample agency."


# -- the EUR-Lex HTML ------------------------------------------------------------------------


def test_html_points_notes_and_version(html_lists: list[ParsedList]) -> None:
    annex_i, annex_iv = html_lists
    assert annex_i.info.version == "2026-09-21"  # from the "02021R0821 — EN — 21.09.2026" line
    assert list(rows(annex_i, "entry")["canonical"]) == ["9A001", "9A501", "9B001"]
    assert list(rows(annex_i, "paragraph")["canonical"]) == [
        "9A001.a", "9A001.a.1", "9A001.a.2", "9A001.b", "9A501.a", "9A501.a.16", "9B001.a",
    ]
    assert notes_of(annex_i) == [
        ("nb", "9A001", 1), ("note", "9A001.a.2", 3), ("note", "9A001.a", 2),
        ("technical-note", "9A001.a", 2), ("technical-note", "9A501.a.16", 3),
    ]
    assert text_of(annex_i, "9A001.b").endswith("2 × 10⁹ N/m²;")
    assert text_of(annex_i, "9B001", "entry") == "Widget testers, having any of the following:"
    assert "►" not in " ".join(annex_i.frame["text"]) and "▼" not in " ".join(
        u.text for u in annex_i.unplaced)
    assert list(annex_iv.frame["canonical"]) == ["9A001", "9A001.a.2", "9A501.a.16"]
    assert '"part": ["II"]' in annex_iv.frame.set_index("canonical").loc["9A501.a.16", "details"]


def test_html_and_markdown_agree_on_the_same_structure(
        md_lists: list[ParsedList], html_lists: list[ParsedList]) -> None:
    md = md_lists[0].frame.set_index(["kind", "canonical"])
    html = html_lists[0].frame
    for kind, canonical, text in zip(html["kind"], html["canonical"], html["text"], strict=True):
        if (kind, canonical) in md.index and canonical != "9A001.b":
            # the HTML sample holds a subset of the markdown sample's text
            assert any(t.startswith(text) for t in md.loc[[(kind, canonical)], "text"]), \
                (kind, canonical)


def test_html_version_from_the_file_name_when_the_header_is_absent(tmp_path: Path) -> None:
    html = SAMPLE_HTML.read_text(encoding="utf-8")
    html = re.sub(r'<p class="hd-date">.*?</p>', "", html)
    dated = tmp_path / "02021R0821-20250101.html"
    dated.write_text(html, encoding="utf-8")
    assert eu.parse_file(dated, check_counts=False)[0].info.version == "2025-01-01"
    undated = tmp_path / "annex.html"
    undated.write_text(html, encoding="utf-8")
    with pytest.raises(LoaderError, match="no consolidation date"):
        eu.parse_file(undated, check_counts=False)


def test_html_layout_table_points(tmp_path: Path) -> None:
    """Official-Journal style: a border-less two-column table of marker and text."""
    path = tmp_path / "02021R0821-20240101.html"
    path.write_text(
        "<html><body><p class='title-annex-1'>ANNEX I</p>"
        "<table><tr><td><p class='norm'>9A001</p></td><td><p class='norm'>Widgets:</p>"
        "<table><tr><td><p>a.</p></td><td><p>Red widgets;</p></td></tr>"
        "<tr><td><p>b.</p></td><td><p>Blue widgets.</p></td></tr></table></td></tr></table>"
        "<p class='title-annex-1'>ANNEX IV</p>"
        "<table border='1'><tr><td><p class='tbl-norm'>9A001.b.</p></td>"
        "<td><p class='tbl-norm'>Blue widgets.</p></td></tr></table></body></html>",
        encoding="utf-8")
    annex_i, annex_iv = eu.parse_file(path, check_counts=False)
    assert list(annex_i.frame["canonical"]) == ["9A001", "9A001.a", "9A001.b"]
    assert text_of(annex_i, "9A001.b") == "Blue widgets."
    assert list(annex_iv.frame["canonical"]) == ["9A001.b"]


# -- bad input -------------------------------------------------------------------------------


def test_expected_counts_are_enforced() -> None:
    with pytest.raises(ShapeError, match="10 entries, expected"):
        eu.parse(SAMPLE_MD)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.md", "", "empty file"),
    ("list.txt", "ANNEX I", "suffix"),
    ("no_date.md", "---\ntitle: x\n---\n## ANNEX I\n9A001Widgets.\n", "no consolidation date"),
    ("no_annex.md", "---\nlast_updated: 2026-01-01\n---\n## ANNEX II\n", "no 'ANNEX I' title"),
    ("no_entry.md", "---\nlast_updated: 2026-01-01\n---\n## ANNEX I\nText.\n## ANNEX IV\n",
     "no entry heading"),
    ("not_html.html", "<html><body><p>Nothing here</p></body></html>", "no ANNEX title"),
])
def test_bad_input_raises_loader_error(tmp_path: Path, name: str, content: str,
                                       message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoaderError, match=message):
        eu.parse_file(path, check_counts=False)


def test_truncated_file_names_the_missing_annex(tmp_path: Path) -> None:
    text = SAMPLE_MD.read_text(encoding="utf-8")
    path = tmp_path / "cut.md"
    path.write_text(text[: text.index("## ANNEX II")], encoding="utf-8")
    with pytest.raises(LoaderError, match="no 'ANNEX IV' title"):
        eu.parse_file(path, check_counts=False)


def test_duplicate_heading_is_an_error(tmp_path: Path) -> None:
    text = SAMPLE_MD.read_text(encoding="utf-8")
    path = tmp_path / "dup.md"
    path.write_text(text.replace("9E501\"Technology\"", "9E101\"Technology\""), encoding="utf-8")
    with pytest.raises(LoaderError, match="9E101 printed twice"):
        eu.parse_file(path, check_counts=False)


def test_misplaced_point_fails_loudly(tmp_path: Path) -> None:
    stream = outline.Stream(points=[("line 1", "9A001.a", "9A001.a")])
    with pytest.raises(LoaderError, match=r"point 9A001\.a was placed as no paragraph"):
        eu.restore_codes([], stream, tmp_path / "x.md")


def test_registry_suffixes(tmp_path: Path) -> None:
    copy = tmp_path / "copy.htm"
    shutil.copy(SAMPLE_HTML, copy)
    assert eu.parse_file(copy, check_counts=False)[0].entries == 3
    assert eu.META.file_patterns[0] == "*.html"


# -- the real derived copy ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_sources: Path) -> list[ParsedList]:
    return eu.parse(shared_file(shared_sources, "eu-annex-i", "32021R0821.md"))


@pytest.mark.integration
def test_real_annex_i_counts(real: list[ParsedList]) -> None:
    annex_i = real[0]
    assert annex_i.info.version == "2026-09-21"
    assert 350 <= annex_i.entries <= 450  # 384 in this consolidation; Wassenaar has ~250
    assert annex_i.headings_seen == annex_i.entries
    assert 2500 <= annex_i.paragraphs <= 3600  # 3 050
    assert int(annex_i.frame["kind"].isin(["note", "technical-note", "nb"]).sum()) >= 600
    assert not annex_i.frame["national"].any()
    reasons = Counter(u.reason for u in annex_i.unplaced)
    assert 400 <= reasons["before the first entry"] <= 700
    assert reasons["empty product group ('None.')"] == 5
    assert not [r for r in reasons if r.startswith("label ")], "segmenter left labels unplaced"


@pytest.mark.integration
def test_real_annex_i_entries_and_texts(real: list[ParsedList]) -> None:
    annex_i = real[0]
    codes = set(annex_i.frame["canonical"])
    for code in ("5A001.j", "5A001.j.1.a", "4A005", "4D004", "4E001.c", "5D001.e", "3A501",
                 "3A501.a.16", "4A506", "4A507", "1C350.90", "1C010.e.2.c", "2E503.g"):
        assert code in codes, code
    assert "application layer" in text_of(annex_i, "5A001.j.1.a")
    assert "intrusion software" in text_of(annex_i, "4D004", "entry")
    assert "'Total Processing Performance'" in text_of(annex_i, "3A501.a.16")
    assert text_of(annex_i, "1C351.c.12").startswith("Clostridium perfringens")  # undotted
    assert "3A501.a.15" in " ".join(annex_i.notes)  # a gap kept as printed


@pytest.mark.integration
def test_real_notes_attach_where_indented(real: list[ParsedList]) -> None:
    frame = real[0].frame
    notes = frame[frame["kind"].isin(["note", "technical-note", "nb"])]
    by_code = notes.groupby("canonical")["text"].apply(list)
    assert any(t.startswith("5A001.b.3.b. does not control radio equipment")
               for t in by_code["5A001.b.3.b"])
    assert any(t.startswith("5A001.b.3 does not control equipment") for t in by_code["5A001.b.3"])
    assert any(t.startswith("5A001.j. does not control") for t in by_code["5A001.j"])
    assert any(t.startswith("4D004 does not control") for t in by_code["4D004"])
    # The Cryptography Note is Category 5 Part 2's preface, not a note of 5E101.
    assert not any("Cryptography Note" in t for t in by_code.get("5E101", []))
    prefaces = [u for u in real[0].unplaced if "preface before 5A002" in u.reason]
    assert any("Cryptography Note" in u.text for u in prefaces)


@pytest.mark.integration
def test_real_annex_iv(real: list[ParsedList]) -> None:
    annex_iv = real[1]
    assert annex_iv.info.source_id == "eu-annex-iv"
    frame = annex_iv.frame.set_index("canonical")
    assert 50 <= len(frame) <= 90  # 68 rows in this consolidation
    assert "cryptanalytic functions" in frame.loc["5A004.a", "text"]
    assert frame.loc["6A001.a.1.b", "entry"] == "6A001"
    assert '"part": ["I", "II"]' in frame.loc["1E201", "details"]
    assert annex_iv.headings_seen == len(frame)
