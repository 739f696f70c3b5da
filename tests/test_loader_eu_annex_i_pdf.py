"""The EU Annex I PDF loader: a small PDF in the EUR-Lex consolidated layout (invented wording)
and, when the real files are present, the EUR-Lex PDFs of 2015 and 2022."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from harmonize.ingest import history
from harmonize.ingest.source import LoaderError, ReconciliationError
from loaders.eu_annex_i import pdf as eu_annex_i_pdf
from tests.toy_loader import registry as sources

CODE_X, TEXT_X, STEP = 107.2, 158.2, 10.6
HEADER = "02030R0001 - EN - 01.02.2030 - 001.001 - {n}"  # base-14 fonts lack the em dash

# (x, text, font) rows per page; fonts: tiro roman, tiit italic, tibo bold.
PdfRow = tuple[float | str, str, str]
PAGE_1: list[PdfRow] = [
    (231.0, "ANNEX I", "tiit"),
    (107.2, "GENERAL NOTES TO ANNEX I", "tibo"),
    (107.2, "1. Invented general note about the list.", "tiro"),
    (231.0, "PART II", "tiro"),
    (107.2, "CATEGORY 0 - WIDGETS", "tibo"),
    (107.2, "0A", "tibo"),
    ("code", "0A001 Gadgets and parts, as follows:", "tiro"),
    (TEXT_X, "a. Gadgets having all of the following:", "tiro"),
    (TEXT_X + STEP, "1. A mass exceeding 10 kg; and", "tiro"),
    (TEXT_X + STEP, "2. A length exceeding", "tiro"),
    (TEXT_X + 2 * STEP, "3 m;", "tiro"),
    (TEXT_X, "Note: 0A001.a. does not control the following:", "tiit"),
    (TEXT_X, "a. Toy gadgets;", "tiit"),
    (TEXT_X, "b. Gadgets for museums.", "tiit"),
    (TEXT_X, "b. Parts for gadgets specified in", "tiro"),
    (TEXT_X + STEP, "0A002", "tiro"),
]
PAGE_2: list[PdfRow] = [
    ("code", "0A001 (continued)", "tiro"),
    (TEXT_X, "c. Spare parts;", "tiro"),
    ("code", "0A002 Widgets, as follows:", "tiro"),
    (TEXT_X, "a. Widgets rated for 10 kV;", "tiro"),
    (TEXT_X, "N.B. SEE ALSO 0A001.", "tiit"),
    (107.2, "0B", "tibo"),
    ("code", "0B001 Equipment for gadgets.", "tiro"),
    (231.0, "ANNEX II", "tiit"),
]


def make_pdf(path: Path, pages: list[list[PdfRow]]) -> Path:
    """A PDF in the consolidated layout: header band, code column, italic notes."""
    document = pymupdf.open()
    for number, rows in enumerate(pages, start=1):
        page = document.new_page(width=595.3, height=841.9)
        page.insert_text((319.0, 56.6), HEADER.format(n=number), fontname="tiro", fontsize=9.5)
        y = 100.0
        for x, text, font in rows:
            if x == "code":  # an entry code and its heading (or "(continued)") on one baseline
                code, _, rest = text.partition(" ")
                page.insert_text((CODE_X, y), code, fontname=font, fontsize=8.4)
                page.insert_text((TEXT_X, y), rest, fontname=font, fontsize=8.4)
            else:
                page.insert_text((float(x), y), text, fontname=font, fontsize=8.4)
            y += 25.0
    document.save(path)
    document.close()
    return path


@pytest.fixture()
def small_pdf(tmp_path: Path) -> Path:
    folder = tmp_path / "eu-annex-i" / "2030-01-15"
    folder.mkdir(parents=True)
    return make_pdf(folder / "annex.pdf", [PAGE_1, PAGE_2])


def test_small_pdf_tree_notes_and_furniture(small_pdf: Path) -> None:
    parsed = eu_annex_i_pdf.read_list(small_pdf, check_counts=False)
    frame = parsed.frame
    assert parsed.info.source_id == "eu-annex-i"
    assert parsed.info.version == "2030-02-01"  # the consolidation date of the header
    entries = frame[frame["kind"] == "entry"]
    assert list(entries["canonical"]) == ["0A001", "0A002", "0B001"]
    paragraphs = frame[frame["kind"] == "paragraph"]
    assert list(paragraphs["canonical"]) == [
        "0A001.a", "0A001.a.1", "0A001.a.2", "0A001.b", "0A001.c", "0A002.a"]
    text = dict(zip(paragraphs["canonical"], paragraphs["text"], strict=True))
    assert text["0A001.a.2"] == "A length exceeding 3 m;"
    # A code wrapped onto a line of its own continues the text; it opens no entry.
    assert text["0A001.b"] == "Parts for gadgets specified in 0A002"
    notes = frame[~frame["kind"].isin(["entry", "paragraph"])]
    assert set(notes["kind"]) == {"note", "nb"}
    note = notes[notes["kind"] == "note"].iloc[0]
    assert note["parent"] == "0A001.a"  # "0A001.a. does not control": hung on what it names
    assert "a. Toy gadgets; b. Gadgets for museums." in note["text"]
    assert any("2 running headers dropped" in n for n in parsed.notes)
    assert any("1 page-break restatements" in n for n in parsed.notes)
    reasons = {u.reason for u in parsed.unplaced}
    assert reasons == {eu_annex_i_pdf.PREFACE}  # the general note before the first entry
    assert parsed.headings_seen == parsed.entries == 3


def test_version_falls_back_to_regulation_date_then_folder(tmp_path: Path) -> None:
    texts = ["COMMISSION DELEGATED REGULATION (EU) 2030/17\nof 3 March 2030\namending ..."]
    assert eu_annex_i_pdf.parse_version(texts, tmp_path / "x.pdf") == "2030-03-03"
    folder = tmp_path / "2031-04-05"
    folder.mkdir()
    assert eu_annex_i_pdf.parse_version(["no date"], folder / "x.pdf") == "2031-04-05"
    with pytest.raises(LoaderError, match="no consolidation or regulation date"):
        eu_annex_i_pdf.parse_version(["no date"], tmp_path / "x.pdf")


def test_heading_without_entry_fails_naming_file_and_page(tmp_path: Path) -> None:
    # A bold code is read as a group heading, so no entry is produced for it; the independent
    # count of the page text still sees it: the loader must fail, naming file and page.
    page: list[PdfRow] = [*PAGE_2[:-1], (CODE_X, "0B002", "tibo"),
                          (TEXT_X, "Hidden entry.", "tiro"), PAGE_2[-1]]
    path = make_pdf(tmp_path / "bad.pdf", [PAGE_1, page])
    with pytest.raises(ReconciliationError, match=r"bad\.pdf.*0B002 \(p\. 2\)"):
        eu_annex_i_pdf.read_list(path, check_counts=False)


def test_not_annex_i_and_not_a_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "other.pdf", [[(TEXT_X, "Some other act.", "tiro")]])
    with pytest.raises(LoaderError, match="no 'ANNEX I' title"):
        eu_annex_i_pdf.parse(path)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(LoaderError):
        eu_annex_i_pdf.parse(junk)


def test_amendment_arrows_are_stripped() -> None:
    from loaders.no_list_ii.parse import Row

    row = Row(page=0, baseline=100.0, x0=73.7, runs=("▼M1", "a. Text ►C1 fixed ◄ here"),
              xs=(73.7, 158.2), bolds=(True, False), italics=(False, False), italic=False)
    cleaned = eu_annex_i_pdf.strip_amendments(row)
    assert cleaned is not None and cleaned.text == "a. Text fixed here" and cleaned.x0 == 158.2
    only = Row(page=0, baseline=100.0, x0=73.7, runs=("▼B",), xs=(73.7,), bolds=(True,),
               italics=(False,), italic=False)
    assert eu_annex_i_pdf.strip_amendments(only) is None


def test_history_picks_the_pdf_loader(small_pdf: Path) -> None:
    chosen = history.version_files("eu-annex-i", small_pdf.parent, registry=sources())
    assert chosen.reader is not None and chosen.files == [small_pdf]
    assert chosen.reader.module == eu_annex_i_pdf.__name__


# -- the real EUR-Lex PDFs ----------------------------------------------------------------------

def _real(shared_sources: Path, version: str) -> Path:
    folder = shared_sources.parent / "sources-history" / "eu-annex-i" / version
    pdfs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    if not pdfs:
        pytest.skip(f"{folder} holds no PDF")
    return pdfs[0]


@pytest.mark.integration
def test_real_pdfs_2015_and_2022(shared_sources: Path) -> None:
    old = eu_annex_i_pdf.parse(_real(shared_sources, "2015-12-24"))[0]
    new = eu_annex_i_pdf.parse(_real(shared_sources, "2022-01-07"))[0]
    assert (old.info.version, new.info.version) == ("2015-12-24", "2022-01-07")
    assert 330 <= old.entries < new.entries <= 400
    assert old.paragraphs > 2500 and new.paragraphs > 2500
    for parsed in (old, new):
        codes = set(parsed.frame["canonical"])
        assert {"5A001.j", "4A005", "1C350", "9E003"} <= codes  # 5A001.j, 4A005: Wassenaar 2013
    # 5A004 (systems for defeating "information security", Wassenaar 2019) is absent from the
    # 2015 text and printed in 2022 ("5A004 Systems, equipment and components for defeating,
    # weakening or bypassing ..."): checked by searching both PDFs' text.
    old_text = dict(zip(old.frame["canonical"], old.frame["text"], strict=False))
    new_text = dict(zip(new.frame["canonical"], new.frame["text"], strict=False))
    assert "5A004" not in old_text and "5A004" in new_text
