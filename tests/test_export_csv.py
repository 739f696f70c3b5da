"""CSV exports: zips with a README and readable members, a semicolon option, and a formula
guard that can be told from real apostrophes."""

from __future__ import annotations

import io
import re
import stat
import zipfile

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.present import export
from tests.export_helpers import (  # fixtures (by the names they give pytest)
    empty_store_fixture,
    everything_fixture,
    result_fixture,
    workbook_path_fixture,
)

# -- CSV ------------------------------------------------------------------------------------------


def test_csv_zip_holds_a_readme_and_readable_members(everything: dict[str, pd.DataFrame]) -> None:
    data = export.write_csv(everything)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # With the Gaps, the notes that differ (both texts) come along.
        assert archive.namelist() == ["README.txt", "matrix.csv", "gaps.csv", "notes.csv"]
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
            ["README.txt", "notes.csv", *(f"{n.lower()}.csv" for n in names)])
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


__all__ = ["empty_store_fixture", "everything_fixture", "result_fixture",
           "workbook_path_fixture"]  # used by pytest, by name
