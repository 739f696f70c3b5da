"""Unit tests of harmonize/present/views/: the pure functions behind the dashboard's pages."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from harmonize.compare import analysis, measures
from harmonize.compare.scores import agreement_square
from harmonize.present.export import STATUS_FILLS
from harmonize.present.views import common, explorer, files, gaps
from harmonize.present.views import compare as compare_view
from harmonize.present.views import measures as measures_view
from harmonize.present.views import partners as partners_view
from harmonize.present.views import shares as shares_view
from harmonize.present.views import sources as sources_view
from tests.handmade import three_lists


@pytest.fixture(scope="module")
def result() -> analysis.Analysis:
    frame, manifest = three_lists()
    return analysis.analyse(frame, manifest)


@pytest.fixture(scope="module")
def index(result: analysis.Analysis) -> pd.DataFrame:
    return explorer.explorer_index(result.frame, result.aligned, result.tags,
                                   [s.id for s in result.specs])


# -- parameters -------------------------------------------------------------------------------


def test_url_values_are_checked() -> None:
    assert common.parse_list("us-ccl,bogus,us-ccl, wassenaar", ["us-ccl", "wassenaar"]) == [
        "us-ccl", "wassenaar"]
    assert common.parse_list(["a", "b,c"], "abc") == ["a", "b", "c"]
    assert common.parse_list(None, ["x"]) == []
    assert common.pick("../etc", ["a", "b"], "a") == "a"
    assert common.pick("b", ["a", "b"], "a") == "b"
    assert common.is_safe_code("5A001.j.1") and not common.is_safe_code("**bold**")
    assert common.page_link("compare", code="5A001.j", ref="wassenaar", src=["a", "b"],
                            q="") == "compare?code=5A001.j&ref=wassenaar&src=a,b"


def test_natural_order() -> None:
    codes = ["5A001.j.10", "5A001.j.2", "5A001", "4A005"]
    assert sorted(codes, key=common.natural_key) == ["4A005", "5A001", "5A001.j.2", "5A001.j.10"]


# -- overview ---------------------------------------------------------------------------------


def test_lens_shares_leave_not_detailed_out() -> None:
    scores = pd.DataFrame({"lens": ["a", "a"], "source": ["x", "y"], "identical": [2, 0],
                           "editorial": [1, 0], "substantive": [1, 0], "absent": [0, 0],
                           "national": [0, 0], "not_detailed": [1, 3], "total": [5, 3]})
    shares = shares_view.lens_shares(scores, "same")
    assert shares["share"].iloc[0] == pytest.approx(3 / 4)
    assert pd.isna(shares["share"].iloc[1])  # nothing comparable: blank, never 0
    assert shares_view.lens_shares(scores, "substantive")["share"].iloc[0] == pytest.approx(1 / 4)
    with pytest.raises(ValueError):
        shares_view.lens_shares(scores, "bogus")


def test_lens_matrix_rows_columns_and_tips(result: analysis.Analysis) -> None:
    tables = analysis.score_tables(result)
    lens_ids = [lens.id for lens in result.book.lenses]
    sources = [s.id for s in result.specs]
    values, tips = shares_view.lens_matrix(tables["lens_scores"], lens_ids, sources)
    assert list(values.index) == lens_ids and list(values.columns) == sources
    assert list(tips.index) == lens_ids and list(tips.columns) == sources
    scored = tables["lens_scores"].iloc[0]
    tip = tips.at[scored["lens"], scored["source"]]
    assert f"identical {scored['identical']} · editorial {scored['editorial']}" in tip
    assert f"codes in lens: {scored['total']}" in tip and "<br>" not in tip


def test_agreement_square_and_tips(result: analysis.Analysis) -> None:
    pairwise = analysis.score_tables(result)["pairwise"]
    sources = [s.id for s in result.specs]
    square = agreement_square(pairwise, sources)
    assert square.shape == (3, 3)
    assert all(square.loc[s, s] == 1.0 for s in sources)
    assert square.loc["us-ccl", "wassenaar"] == square.loc["wassenaar", "us-ccl"]
    tips = shares_view.agreement_tips(square, pairwise, {"us-ccl": "US"})
    row = pairwise[(pairwise["a"] == "us-ccl") | (pairwise["b"] == "us-ccl")].iloc[0]
    other = row["b"] if row["a"] == "us-ccl" else row["a"]
    assert tips.at["us-ccl", other] == (f"US vs {other}: agree on {row['agree']} of "
                                        f"{row['considered']} codes (both hold {row['both_hold']})")
    assert tips.at["us-ccl", "us-ccl"] == "US vs US: the same list"


def test_headline_and_versions(result: analysis.Analysis) -> None:
    figures = {f.label: f for f in shares_view.headline(result.aligned, result.frame,
                                                        result.specs)}
    compared = figures["codes compared"].value
    assert figures["lists compared"].value == 3 and compared > 5
    # One unit, codes, each counted out of the codes compared: never more than the whole.
    codes = ["same text in every list that details them",
             "with a substantive difference in some list",
             "held by some lists, missing from others", "national controls: one list only"]
    for label in codes:
        assert 0 <= figures[label].value <= compared
        assert figures[label].detail.startswith(f"of {compared:,} codes (")
    aligned = result.aligned
    assert figures[codes[1]].value == aligned.loc[aligned["status"] == "substantive",
                                                  "canonical"].nunique()
    assert figures[codes[3]].value == aligned.loc[aligned["origin"] == "national",
                                                  "canonical"].nunique()
    # 5A001.a: identical or editorial wherever held and detailed, so it counts as the same.
    same = aligned[aligned["canonical"] == "5A001.a"]["status"]
    assert set(same) <= {"identical", "editorial", "not-detailed"}
    versions = sources_view.source_versions(result.manifest)
    assert set(versions["version"]) == {"2025-01-01"}
    assert sources_view.list_urls(result.manifest)["us-ccl"] == "https://example.invalid/us-ccl"


# -- explorer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["5.A.1.a", "5A001a", "1-5.A.1.a", "5A001.a", " 5a001.A "])
def test_search_by_code_in_any_style(index: pd.DataFrame, query: str) -> None:
    found = explorer.search(index, query)
    assert found.mode == "code" and found.canonical == "5A001.a"
    assert list(found.rows["canonical"]) == ["5A001.a"]


def test_search_entry_includes_paragraphs_and_words(index: pd.DataFrame) -> None:
    found = explorer.search(index, "5A001")
    assert list(found.rows["canonical"]) == ["5A001", "5A001.a", "5A001.b", "5A001.c",
                                             "5A001.d"]
    words = explorer.search(index, "Quantum WIDGETS")
    assert words.mode == "words" and set(words.rows["canonical"]) == {"5A501", "5A901"}
    assert explorer.search(index, "  ").mode == "all"
    assert explorer.search(index, "5A").mode == "code-prefix"


def test_index_rows_and_statuses(index: pd.DataFrame) -> None:
    row = index.set_index("canonical").loc["5A001.b"]
    assert row["status:eu-annex-i"] == "substantive" and row["origin"] == "wassenaar"
    assert row["text"] == "Widgets operating above 10 GHz;"  # the reference's wording
    assert index.set_index("canonical").loc["5A980", "origin"] == "national"
    assert list(index["canonical"]) == sorted(index["canonical"], key=common.natural_key)


def test_filters(index: pd.DataFrame, result: analysis.Analysis) -> None:
    def codes(**filters: Any) -> set[str]:
        return set(explorer.filter_index(index, **filters)["canonical"])

    # 5A001.c differs from the reference by quotes only: editorial, never substantive.
    assert codes(sources=["eu-annex-i"], statuses=["substantive"]) == {"5A001.b"}
    assert codes(sources=["eu-annex-i"], statuses=["editorial"]) == {"5A001.a", "5A001.c"}
    assert codes(sources=["us-ccl"], statuses=["substantive"]) == set()
    # Without sources, a status in any list counts; a list's silence is its own status.
    assert codes(statuses=["not-detailed"]) == {"9A001.a"}
    assert codes(sources=["us-ccl"], statuses=["national", "not-detailed"]) == {
        "5A901", "5A980", "9A001.a"}
    assert codes(categories=["9"]) == {"9A001", "9A001.a"}
    assert codes(origins=["national"]) == {"5A501", "5A901", "5A980"}
    assert codes(origins=["national"], statuses=["absent"], sources=["eu-annex-i"]) == {
        "5A901", "5A980"}
    lens = explorer.lens_code_set(result.tags, result.book, "surveillance")
    assert "5A980" in lens
    table = explorer.explorer_table(index, ["us-ccl"], {"us-ccl": "US · us-ccl"},
                                    {"ref": "eu-annex-i", "asof": "2025-01-01"})
    assert table["code"].iloc[0].startswith("compare?code=")
    assert table["code"].iloc[0].endswith("&ref=eu-annex-i&asof=2025-01-01")
    assert set(table["origin"]) <= {common.origin_word(o) for o in
                                    (*common.origin_options(), "not compared")}
    assert set(table["US · us-ccl"]) <= {common.status_short(s) for s in common.STATUS_MARKS} | {
        ""}
    plain = explorer.plain_table(index, ["us-ccl"], {"us-ccl": "US"})
    assert "US" in plain.columns and "national" in set(plain["US"])


# -- compare ----------------------------------------------------------------------------------


def test_diff_html_escapes_every_piece() -> None:
    out = compare_view.diff_html("<b>old</b> text **x**", "<script>x</script> text **x**")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;old" in out
    assert out.count("<del") == 1 and out.count("<ins") == 1
    assert "**x**" in out  # shown as typed (st.html does not read markdown)


def test_compare_html_cards(result: analysis.Analysis, index: pd.DataFrame) -> None:
    rows = compare_view.compare_rows(result.aligned, "5A001.b", ["wassenaar", "eu-annex-i"])
    assert list(rows["source"]) == ["wassenaar", "eu-annex-i"]
    notes = pd.DataFrame([{"source_id": "eu-annex-i", "kind": "technical-note",
                           "text": "<i>Tech</i>", "location": "x"}])
    out = compare_view.compare_html("5A001.b", rows, notes, {"eu-annex-i": "5A001.b"},
                                    {"eu-annex-i": ["eu-annex-i"], "wassenaar": ["wassenaar"]},
                                    {"eu-annex-i": "EU"},
                                    {"eu-annex-i": "https://example.invalid/eu"}, "wassenaar")
    assert "&lt;i&gt;Tech&lt;/i&gt;" in out and "Technical Note" in out
    assert 'href="https://example.invalid/eu"' in out and "substantive" in out
    assert "<del" in out and "10" in out and "12" in out
    # The EU list lacks 5A001.d although its copy is detailed there: absent.
    absent = compare_view.compare_rows(result.aligned, "5A001.d", ["eu-annex-i"])
    html = compare_view.compare_html("5A001.d", absent, notes.iloc[0:0], {}, {}, {}, {},
                                     "wassenaar")
    assert "Not in this list" in html and "silence is not absence" not in html
    # The US copy has no paragraph text in category 9: silent, never called absent.
    silent = compare_view.compare_rows(result.aligned, "9A001.a", ["us-ccl"])
    html = compare_view.compare_html("9A001.a", silent, notes.iloc[0:0], {}, {}, {}, {},
                                     "wassenaar")
    assert "silence is not absence" in html and "Not in this list" not in html
    assert compare_view.scope_codes(index, "5A001", below=True)[0] == "5A001"
    assert compare_view.neighbours(index, "5A001.b") == {"up": "5A001", "previous": "5A001.a",
                                                  "next": "5A001.c"}


def test_javascript_links_are_not_links() -> None:
    rows = pd.DataFrame([{"source": "x", "status": "identical", "text": "t", "ref_text": "t",
                          "reference_source": "x", "mapped_from": "", "citation": "cite",
                          "version": "2025-01-01", "location": "l"}])
    out = compare_view.compare_html("5A001", rows,
                                    pd.DataFrame(columns=["source_id", "kind", "text"]),
                                    {}, {}, {}, {"x": "javascript:alert(1)"}, "national")
    assert "javascript:" not in out and "cite" in out


def test_parameter_table_and_details(result: analysis.Analysis) -> None:
    rows = compare_view.compare_rows(result.aligned, "5A001.b")
    table = compare_view.parameter_table(rows, {"eu-annex-i": True}, {})
    assert list(table["list"]) == ["eu-annex-i"]
    assert "10 GHz" in table["only in the reference"].iloc[0]
    assert "12 GHz" in table["only in this list"].iloc[0]
    frame = result.frame.copy()
    mask = (frame["source_id"] == "us-ccl") & (frame["canonical"] == "5A001") & (
        frame["kind"] == "entry")
    frame.loc[mask, "details"] = ('{"licence_requirements": [{"control": "NS", '
                                  '"country_chart": "NS Column 1."}], '
                                  '"licence_exceptions": {"LVS": "$500"}}')
    frame.loc[mask, "reasons"] = "NS, AT"
    [details] = compare_view.entry_details(frame, "5A001", ["us-ccl", "wassenaar"])
    assert details["reasons"] == "NS, AT"
    assert list(details["requirements"]["country chart"]) == ["NS Column 1."]
    assert list(details["exceptions"]["exception"]) == ["LVS"]


def test_notes_and_printed_codes(result: analysis.Analysis) -> None:
    assert compare_view.printed_codes(result.frame, "5A001.a")["eu-annex-i"] == "5A001.a"
    assert compare_view.notes_for(result.frame, "5A001.a", ["eu-annex-i"]).empty


# -- gaps -------------------------------------------------------------------------------------


def test_gap_table(result: analysis.Analysis) -> None:
    rows = analysis.gaps(result)

    def table_of(**filters: Any) -> pd.DataFrame:
        return gaps.gap_table(gaps.select_gaps(rows, **filters), carried={"ref": "wassenaar"})

    table = table_of(statuses=["substantive"])
    assert set(table["status"]) == {common.status_cell("substantive")}
    assert table["code"].iloc[0] == f"compare?code={table['canonical'].iloc[0]}&ref=wassenaar"
    assert list(table_of(query="5.A.1.b")["canonical"].unique()) == ["5A001.b"]
    assert "GHz" in " ".join(table_of(query="ghz")["text"])
    national = table_of(origins=["national"])
    hidden = table_of(origins=["national"], hide_national_absent=True)
    assert len(hidden) < len(national)
    assert "absent" not in " ".join(hidden["status"])
    download = gaps.gap_download(table)
    assert "code" not in download.columns and set(download["status"]) == {"substantive"}
    empty = gaps.gap_table(rows.iloc[0:0])
    assert gaps.gap_download(empty).empty


def test_select_gaps_keeps_code_order_and_the_rows_of_core_gaps(
        result: analysis.Analysis) -> None:
    rows = analysis.gaps(result)
    selected = gaps.select_gaps(rows)
    assert list(selected.columns) == list(rows.columns)  # no helper column left behind
    codes = selected["canonical"].astype(str).tolist()
    assert codes == sorted(codes, key=common.natural_key)
    # The first rows drawn are the same whether the links are built for all rows or a few.
    head = gaps.gap_table(selected.head(3), carried={"ref": "wassenaar"})
    assert head.equals(gaps.gap_table(selected, carried={"ref": "wassenaar"}).head(3))


# -- partners ---------------------------------------------------------------------------------


def test_partners_file_is_complete_and_sourced() -> None:
    partners = partners_view.load_partners()
    assert (partners["source"].str.len() > 0).all()
    assert partners["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    counts = partners["group"].value_counts()
    assert counts["initiative-founder"] == 4 and counts["initiative-supporter"] == 4
    assert counts["code-of-conduct"] == 25 and counts["wassenaar"] == 42
    assert counts["eu-member"] == 27
    founders = set(partners.loc[partners["group"] == "initiative-founder", "iso3"])
    assert founders == {"USA", "AUS", "DNK", "NOR"}


def test_partner_table_and_map(result: analysis.Analysis) -> None:
    partners = partners_view.load_partners()
    scores = analysis.score_tables(result)["lens_scores"]
    table = partners_view.partner_table(partners, result.specs, scores, ["surveillance"],
                                        {"us-ccl": "US · Commerce Control List"})
    by = table.set_index("iso3")
    assert by.loc["USA", "scored_id"] == "us-ccl" and by.loc["USA", "initiative"] == "founder"
    assert by.loc["USA", "scored on"] == "US · Commerce Control List"  # a name, not an id
    assert by.loc["DEU", "scored_id"] == "eu-annex-i" and bool(by.loc["DEU", "eu"])
    assert by.loc["JPN", "scored on"] == "" and pd.isna(by.loc["JPN", "surveillance"])
    assert "wassenaar (regime list (participant))" in by.loc["JPN", "lists loaded"]
    for mode in partners_view.MAP_MODES:
        figure = partners_view.partner_map(table, mode, "surveillance")
        assert all(t.locationmode == "ISO-3" for t in figure.data)
    assert len(partners_view.map_legend("initiative")) == 3
    with pytest.raises(ValueError):
        partners_view.load_partners(io.StringIO("iso3,state\nUSA,US\n"))  # type: ignore[arg-type]


def test_topojson_url() -> None:
    url = partners_view.topojson_url()  # the map's file ships in datasets/
    assert url is not None
    assert url.startswith("data:application/json;base64,") and url.endswith("#/")
    assert partners_view.topojson_url(partners_view.DATASETS / "missing.json") is None


# -- measures ---------------------------------------------------------------------------------


def test_measures_filters_and_timeline() -> None:
    table = measures.as_table(measures.load_measures())
    us = measures_view.filter_measures(table, jurisdictions=["US"])
    assert set(us["jurisdiction"]) == {"US"}
    surveillance = measures_view.filter_measures(table, lenses=["surveillance"])
    assert all("surveillance" in v for v in surveillance["lenses"])
    assert len(measures_view.filter_measures(table, query="intrusion software")) >= 1
    rescinded = measures_view.filter_measures(table, statuses=["rescinded"])
    assert rescinded["status"].eq("rescinded").all()
    figure = measures_view.measures_timeline(table)
    assert {t.name for t in figure.data if t.name} <= {"in-force", "proposed", "rescinded"}
    measures_view.measures_timeline(table.iloc[0:0])


# -- downloads --------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("https://evil.invalid","x")', "+1+1", "@SUM(1)", "-2", "bell\x07"]


def test_table_xlsx_is_safe_and_shows_filters() -> None:
    frame = pd.DataFrame({"code": ["5A001", "5A002"], "text": HOSTILE[:2]})
    data = files.table_xlsx(frame, "Explorer", [("Search", "=cmd"), ("Lens", "ai")])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Explorer"]
    ws = wb["Explorer"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["filter", "value"] and values[1] == ["Search", "=cmd"]
    assert ["code", "text"] in values
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert set(ws.tables) == {"Filters", "Explorer"}


def test_table_xlsx_keeps_long_texts() -> None:
    frame = pd.DataFrame({"text": ["x" * 40_000]})
    wb = load_workbook(io.BytesIO(files.table_xlsx(frame, "T", [])))
    assert wb.sheetnames == ["T", "Long texts"]


def test_table_csv_is_safe_and_shows_filters() -> None:
    frame = pd.DataFrame({"text": HOSTILE})
    data = files.table_csv(frame, [("Search", "=x"), ("Lens", "ai")])
    assert data.startswith("\ufeff".encode()) and data.count("\ufeff".encode()) == 1
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "# Search: =x" and lines[1] == "# Lens: ai" and lines[2] == ""
    assert lines[3] == "text"
    assert lines[4].startswith('"\'=HYPERLINK') and lines[5] == "'+1+1" and lines[8] == "bell"


def test_status_colours_follow_the_export_palette() -> None:
    assert set(common.STATUS_TINTS) == set(STATUS_FILLS)
    assert common.STATUS_COLOURS["identical"] == "#0072B2"
    assert len(common.status_legend()) == 6



@pytest.mark.parametrize("carried", [{"ref": "wassenaar"}, {}, {"ref": "eu annex&i",
                                                                  "asof": "2020-01-01"}])
def test_compare_links_match_page_link(carried: dict[str, str]) -> None:
    codes = ["5A001.j", "5A001.j", "", "3A090.a", "ML 1/a"]
    expected = [common.page_link("compare", code=c, **carried) for c in codes]
    assert common.compare_links(codes, carried) == expected
