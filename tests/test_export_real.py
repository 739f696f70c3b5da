"""Exports of the real lists (../shared/sources): scope and screen rows, links to the versions
compared, 40 readable pages at most, changes since the previous kept version."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis
from harmonize.present import export
from harmonize.present.export.scope import ExportScope
from harmonize.present.views import gaps as gap_views
from tests.export_helpers import (  # fixtures (by the names they give pytest)
    MADE,
    OFFICE,
    empty_store_fixture,
    everything_fixture,
    result_fixture,
    smallest_text,
    table_problems,
    to_pdf,
    workbook_path_fixture,
)

# -- on the real lists --------------------------------------------------------------------------

SURVEILLANCE = ("us-ccl", "eu-annex-i", "uk-sel")


@pytest.fixture(scope="module")
def real_surveillance(real_store: Path) -> tuple[analysis.Analysis, dict[str, pd.DataFrame]]:
    from harmonize.compare.measures import as_table, load_measures

    result = analysis.load_analysis(root=real_store)
    frames = export.comparison_frames(
        result, ExportScope(lens="surveillance", sources=SURVEILLANCE, generated_at=MADE),
        as_table(load_measures()), root=real_store)
    return result, frames


@pytest.mark.integration
def test_real_surveillance_export_holds_its_scope_and_the_screen_rows(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]]) -> None:
    result, frames = real_surveillance
    assert set(frames["Summary"]["lens"]) - {""} <= {x.id for x in result.book.family(
        "surveillance")}
    assert set(frames["Summary"]["list"]) == set(SURVEILLANCE)
    lenses_of = frames["Measures"]["lenses"].str.split(r";\s*")
    assert len(frames["Measures"]) and all(any(x.startswith("surveillance") for x in ids)
                                           for ids in lenses_of)
    assert set(frames["Measures"]["jurisdiction"]) <= {"US", "EU", "GB", "multilateral"}
    assert {"us-ccl", "eu-annex-i", "uk-sel", "wassenaar"} <= set(frames["Sources"]["list"])
    assert not {"no-list-ii", "ca-ecl"} & set(frames["Sources"]["list"])
    screen = gap_views.select_gaps(analysis.gaps(result, lens="surveillance",
                                             sources=list(SURVEILLANCE)),
                               hide_national_absent=True)  # the Gaps page's defaults
    assert list(zip(frames["Gaps"]["code"], frames["Gaps"]["list"], strict=True)) == list(
        zip(screen["canonical"], screen["source"], strict=True))
    substantive = frames["Gaps"][frames["Gaps"]["status"] == "substantive"]
    assert len(substantive) and (substantive["reference wording"] != "").all()
    assert (substantive["reference list"] == "wassenaar").any()


@pytest.mark.integration
def test_real_links_open_the_versions_compared(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]]) -> None:
    _, frames = real_surveillance
    versions = dict(zip(frames["Sources"]["list"], frames["Sources"]["version"], strict=True))
    links = frames["Gaps"].groupby("list")["link"].agg(set)
    us = versions["us-ccl"]
    assert links["us-ccl"] == {"https://www.ecfr.gov/on/" + us + "/title-15/subtitle-B/"
                               "chapter-VII/subchapter-C/part-774/appendix-Supplement%20No.%20"
                               "1%20to%20Part%20774"}
    eu = versions["eu-annex-i"].replace("-", "")
    assert links["eu-annex-i"] == {"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
                                   f"02021R0821-{eu}"}
    every = {str(v) for f in frames.values() for c in f.columns if c in ("link", "url")
             for v in f[c] if v}
    assert every and all(v.startswith("https://") and "{" not in v for v in every)
    about = frames["Sources"].set_index("list")
    assert about.loc["us-ccl", "copy"].startswith("derived")
    assert about.loc["eu-annex-i", "copy"].startswith("derived")
    assert about.loc["wassenaar", "copy"].startswith("official")


@pytest.mark.integration
@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_real_surveillance_workbook_prints_on_40_readable_pages(
        real_surveillance: tuple[analysis.Analysis, dict[str, pd.DataFrame]],
        tmp_path: Path) -> None:
    import pymupdf

    _, frames = real_surveillance
    path = tmp_path / "surveillance.xlsx"
    export.write_xlsx(frames, ExportScope(generated_at=MADE), path)
    sheets = load_workbook(path, read_only=True).sheetnames
    with pymupdf.open(to_pdf(path, tmp_path)) as pdf:
        pages: dict[str, int] = {}
        for page in pdf:
            assert smallest_text(page) >= 7.95, page.number
            assert sorted((round(page.rect.width), round(page.rect.height))) == [595, 842]
            # The footer names the sheet (its last line that is a sheet's name).
            name = [line for line in page.get_text().splitlines() if line.strip() in sheets][-1]
            pages[name.strip()] = pages.get(name.strip(), 0) + 1
        printed = " ".join(" ".join(page.get_text().split()) for page in pdf)
    # The whole workbook on 40 pages at most (issue 17), the Notes sheet included; the Texts
    # sheet prints its note only (its texts are on screen; Gaps prints every divergent text).
    assert sum(pages.values()) <= 40, pages
    assert pages["Notes"] >= 1 and pages.get("Texts", 0) <= 1, pages
    # Row heights fit their text: the last words of every text on paper are printed.
    gaps = frames["Gaps"]
    for column in ("text", "reference wording", "parameters"):
        previous = None
        for value in gaps[column]:
            if value and value != previous:
                tail = " ".join(str(value).split()[-2:])
                assert tail in printed, (column, value)
            previous = value


@pytest.mark.integration
def test_real_changes_since_the_previous_kept_version(shared_sources: Path,
                                                      tmp_path: Path) -> None:
    from harmonize.cli import main

    history = shared_sources.parent / "sources-history" / "ca-ecl"
    if not history.is_dir():
        pytest.skip(f"{history} is absent")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "ca-ecl").symlink_to(history)
    (tmp_path / "now").mkdir()
    (tmp_path / "now" / "ca-ecl").symlink_to(shared_sources / "ca-ecl")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONIZE_HOME", str(tmp_path / "store"))
        assert main(["import", str(tmp_path / "old")]) == 0
        assert main(["import", str(tmp_path / "now")]) == 0
        out = tmp_path / "ca.xlsx"
        assert main(["export", "--out", str(out), "--codes", "5506"]) == 0
    wb = load_workbook(out)
    rows = list(wb["Changes"].iter_rows(min_row=2, values_only=True))
    assert rows and all(str(r[3]).startswith("5506") for r in rows)
    assert {r[0] for r in rows} == {"ca-ecl"}
    assert table_problems(wb["Changes"]) == []


__all__ = ["empty_store_fixture", "everything_fixture", "result_fixture",
           "workbook_path_fixture"]  # used by pytest, by name
