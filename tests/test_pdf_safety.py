"""One set of PDF safety rules for every PDF reader: an encrypted PDF and one MuPDF had to
repair (broken cross-reference table: truncated or damaged on the way) are refused alike by the
Wassenaar, UK, Norway and EUR-Lex PDF readers, and by an import, naming the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from harmonize.ingest import pdf, store
from harmonize.ingest.source import LoaderError
from loaders.eu_annex_i import pdf as eu_annex_i_pdf
from loaders.no_list_ii import parse as no_list_ii
from loaders.uk_sel import parse as uk_sel
from loaders.wassenaar import parse as wassenaar
from tests.toy_loader import registry as sources

READERS: dict[str, Callable[[Path], Any]] = {
    "wassenaar": wassenaar.parse,
    "uk-sel": uk_sel.parse,
    "no-list-ii": no_list_ii.parse,
    "eu-annex-i-pdf": eu_annex_i_pdf.parse,
}


def _document() -> pymupdf.Document:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "WA-LIST (25) 1  CATEGORY 1 - SPECIAL MATERIALS")
    return doc


def encrypted() -> bytes:
    data: bytes = _document().tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256,
                                      user_pw="secret", owner_pw="owner")
    return data


def repaired() -> bytes:
    """A sound PDF whose cross-reference offset points nowhere: MuPDF rebuilds the table."""
    data: bytes = _document().tobytes()
    return re.sub(rb"startxref\s+\d+", b"startxref\n99999", data)


CASES = {"encrypted": (encrypted, "the PDF is encrypted"),
         "repaired": (repaired, "mupdf had to repair it")}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_pdf_reader_refuses_the_same_files(reader: str, case: str, tmp_path: Path) -> None:
    make, message = CASES[case]
    path = tmp_path / "list.pdf"
    path.write_bytes(make())
    with pytest.raises(LoaderError, match=message) as error:
        READERS[reader](path)
    assert error.value.path == str(path) and error.value.where == "whole file"


def test_the_rules_are_the_toolkits(tmp_path: Path) -> None:
    sound = tmp_path / "sound.pdf"
    sound.write_bytes(_document().tobytes())
    with pdf.open_pdf(sound) as doc:
        assert doc.page_count == 1
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(LoaderError, match="not a readable PDF"):
        pdf.open_pdf(empty)


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_reports_the_refused_pdf(case: str, tmp_path: Path, store_home: Path) -> None:
    make, message = CASES[case]
    for source_id in ("wassenaar", "uk-sel", "no-list-ii"):
        folder = tmp_path / "in" / source_id
        folder.mkdir(parents=True)
        (folder / "list.pdf").write_bytes(make())
    outcomes = store.import_dir(tmp_path / "in", registry=sources())
    assert {o.source_id: o.status for o in outcomes} == dict.fromkeys(
        ("no-list-ii", "uk-sel", "wassenaar"), "failed")
    assert all(message in o.message and "list.pdf" in o.message for o in outcomes), outcomes
    assert not (store_home / store.MANIFEST).exists()
