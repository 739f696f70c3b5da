"""Unit tests of the dashboard's views of differences (issue 16): word diffs without editorial
noise, Gaps' national-absence rule and its chart, A versus B, changes between versions and the
register beside them, the search results shown in the Explorer, the import report."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from harmonize.compare import analysis, measures
from harmonize.present import html_tables
from harmonize.present.views import changes, diffs, explorer, gaps, versus
from harmonize.present.views import sources as sources_view
from tests.handmade import make_list, three_lists


@pytest.fixture(scope="module")
def result() -> analysis.Analysis:
    frame, manifest = three_lists()
    return analysis.analyse(frame, manifest)


# -- word diffs -------------------------------------------------------------------------------


def test_diff_hides_editorial_noise_but_keeps_real_changes() -> None:
    old = 'IP network "surveillance" systems, operating at 10 GHz; and'
    new = "IP network “surveillance” systems operating at 12 GHz, and"
    every = diffs.diff_html(old, new)
    assert "surveillance" in every.split("<ins")[1]  # quotes and commas count here
    real = diffs.diff_html(old, new, editorial=False)
    assert real.count("<del") == 1 and real.count("<ins") == 1
    assert '<del class="hz-del">10</del> <ins class="hz-ins">12</ins>' in real
    assert "“surveillance” systems operating" in real  # the list's own words are shown
    assert diffs.diff_html("1,5 mm thick", "1.5 mm thick", editorial=False,
                           ref_comma=True) == "1.5 mm thick"
    assert diffs.differs_in_substance("a 10 GHz", "a 12 GHz")
    assert not diffs.differs_in_substance("“a” b", '"a" b')


def test_diff_escapes_and_covers_both_texts() -> None:
    out = diffs.diff_html("<b>x</b> y", "<script>y</script> y z", editorial=False)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert diffs.diff_html("", "x y", editorial=False) == '<ins class="hz-ins">x y</ins>'
    assert diffs.diff_html("x y", "", editorial=False) == '<del class="hz-del">x y</del>'
    ops = diffs.diff_ops("a - b c", "a b c d", editorial=False)
    assert ops[-1] == ("insert", "", "d")
    assert "".join(a for _, a, _ in ops).replace(" ", "") == "a-bc"  # every word placed once


# -- gaps -------------------------------------------------------------------------------------


def test_national_absences_fold_only_into_a_national_row_that_is_shown(
        result: analysis.Analysis) -> None:
    every = analysis.gaps(result)
    # 5A980 is US-only: absent from the EU and Wassenaar lists.
    assert set(every.loc[every["canonical"] == "5A980", "status"]) == {"national", "absent"}
    with_owner = gaps.select_gaps(every, hide_national_absent=True)
    assert set(with_owner.loc[with_owner["canonical"] == "5A980", "status"]) == {"national"}
    # The owning list not chosen: the absences are the answer and stay.
    eu_only = analysis.gaps(result, sources=["eu-annex-i"])
    kept = gaps.select_gaps(eu_only, hide_national_absent=True)
    assert "5A980" in set(kept["canonical"])
    # The national row filtered out by status: the absences stay too.
    absent_only = gaps.select_gaps(every, statuses=["absent"], hide_national_absent=True)
    assert "5A980" in set(absent_only["canonical"])


def test_gap_counts_and_bars(result: analysis.Analysis) -> None:
    rows = gaps.select_gaps(analysis.gaps(result))
    sources = [s.id for s in result.specs]
    counts = gaps.gap_counts(rows, sources)
    assert list(counts.index) == sources and list(counts.columns) == list(gaps.DIVERGENCES)
    assert int(counts.to_numpy().sum()) == len(rows)
    out = gaps.gap_bars(rows, sources, {"us-ccl": "US <b>"},
                        lambda s, st: f"gaps?src={s}&status={st}")
    assert "US &lt;b&gt;" in out and "<b>" not in out.replace("<b>", "", 0).split("</style>")[1]
    assert 'href="gaps?src=us-ccl&amp;status=national"' in out
    assert gaps.gap_bars(rows.iloc[0:0], sources, {}) == ""


def test_gap_reading_marks_only_substance(result: analysis.Analysis) -> None:
    rows = analysis.gaps(result, sources=["eu-annex-i"])
    row = rows[rows["canonical"] == "5A001.b"].iloc[0].to_dict()
    out = gaps.gap_reading(row, {"eu-annex-i": "EU"}, {"eu-annex-i": True})
    assert '<del class="hz-del">10</del>' in out and '<ins class="hz-ins">12</ins>' in out
    editorial = rows[rows["canonical"] == "5A001.a"].iloc[0].to_dict()  # 1,95 vs 1.95; "or"
    assert "<del" not in gaps.gap_reading(editorial, {}, {"eu-annex-i": True}).split(
        "</style>")[-1]


def test_bars_scale_and_escape() -> None:
    out = html_tables.bars_html([
        ("a", [html_tables.Segment("x", 30, "#0072B2"), html_tables.Segment("y", 10, "#F0E442",
                                                                            "j?a=1&b=2")]),
        ("b<i>", [html_tables.Segment("x", 20, "#0072B2")]),
    ], "cap")
    assert "width:75.00%" in out and "width:25.00%" in out and "width:50.00%" in out
    assert 'href="j?a=1&amp;b=2"' in out and "b&lt;i&gt;" in out
    assert "color:#fff" in out and "color:#111" in out  # ink reads on dark and light


# -- A versus B -------------------------------------------------------------------------------


def test_versus_finds_real_differences_only(result: analysis.Analysis) -> None:
    commas = {spec.id: spec.decimal_comma for spec in result.specs}
    rows = versus.differences(result.aligned, ["wassenaar", "eu-annex-i"], None, commas)
    by = rows.set_index("canonical")
    assert list(by.loc["5A001.b", "wording"]) == ["wassenaar", "eu-annex-i"]  # 10 vs 12 GHz
    assert "5A001.a" not in by.index  # 1.95 vs 1,95 and a trailing "or": editorial only
    assert "5A001.c" not in by.index  # quotes only
    assert list(by.loc["5A001.d", "missing"]) == ["eu-annex-i"]
    assert list(by.loc["5A501", "missing"]) == ["wassenaar"]
    assert by.loc["5A001.b", "ref_text"] == "Widgets operating above 10 GHz;"
    # The US copy is silent in category 9: neither a difference nor a match.
    silent = versus.differences(result.aligned, ["wassenaar", "us-ccl"]).set_index("canonical")
    assert "9A001.a" not in silent.index
    assert list(rows["canonical"]) == sorted(rows["canonical"],
                                             key=lambda c: [int(p) if p.isdigit() else p
                                                            for p in c.replace(".", " ").split()])
    assert versus.differences(result.aligned, ["wassenaar"]).empty


def test_versus_counts_filters_and_html(result: analysis.Analysis) -> None:
    chosen = ["wassenaar", "eu-annex-i", "us-ccl"]
    rows = versus.differences(result.aligned, chosen)
    counts = versus.counts(rows, chosen)
    assert counts.loc["eu-annex-i", "lacks"] == len(rows[rows["missing"].map(
        lambda m: "eu-annex-i" in m)])
    assert set(versus.select(rows, ["wording"])["canonical"]) == set(
        rows.loc[rows["wording"].map(bool), "canonical"])
    assert list(versus.select(rows, query="5A001.d")["canonical"]) == ["5A001.d"]
    out = versus.versus_html(rows, chosen, {"eu-annex-i": "EU · Annex I"}, "Wassenaar",
                             "wassenaar", {"eu-annex-i": True},
                             lambda c: f"compare?code={c}&src=a,b", {})
    assert 'href="compare?code=5A001.b&amp;src=a,b" target="_self"' in out
    assert '<ins class="hz-ins">12</ins>' in out and "Reference wording · Wassenaar" in out
    assert "missing from EU" in out


def test_versus_candidates_stay_in_the_chosen_lists(result: analysis.Analysis) -> None:
    chosen = ["us-ccl", "eu-annex-i"]
    rows = versus.differences(result.aligned, chosen)
    targets = versus.candidate_targets(rows, result.aligned[result.aligned["source"].isin(chosen)])
    assert targets[("us-ccl", "5A980")] == ["eu-annex-i"]  # the whole entry is missing in the EU
    assert ("us-ccl", "5A001") not in targets  # a paragraph missing, its entry held
    found = pd.DataFrame([
        {"for_source": "us-ccl", "for_entry": "5A980", "source": "eu-annex-i",
         "canonical": "5A001", "score": 0.4, "reason": "shared terms: widgets"},
        {"for_source": "us-ccl", "for_entry": "5A980", "source": "wassenaar",
         "canonical": "5A001", "score": 0.9, "reason": "not chosen"}])
    leads = versus.candidates_for(found, targets)
    assert [c.source for c in leads[("eu-annex-i", "5A980")]] == ["eu-annex-i"]


# -- changes between versions -----------------------------------------------------------------


def _version(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return make_list("wassenaar", "WA", rows)


def test_change_rows_with_both_texts() -> None:
    old = _version([("4A001", "Computers."), ("4A001.a", "Made for 10 GHz;"),
                    ("4A003", "Gone."), ("4A004", "Quoted “x”.")])
    new = _version([("4A001", "Computers."), ("4A001.a", "Made for 12 GHz;"),
                    ("4A004", 'Quoted "x".'), ("4A005", "Intrusion software.")])
    rows, folded = changes.change_rows(old, new)
    assert folded == 1  # 4A004: quotes only
    assert list(rows["code"]) == ["4A001.a", "4A003", "4A005"]
    by = rows.set_index("code")
    assert by.loc["4A005", "change"] == "added" and by.loc["4A005", "new"] == "Intrusion software."
    assert by.loc["4A003", "change"] == "removed" and by.loc["4A003", "old"] == "Gone."
    every, none = changes.change_rows(old, new, include_editorial=True)
    assert none == 0 and bool(every.set_index("code").loc["4A004", "editorial"])
    assert list(changes.filter_changes(rows, ["added"])["code"]) == ["4A005"]
    assert list(changes.filter_changes(rows, query="ghz")["code"]) == ["4A001.a"]
    out = changes.changes_html(rows, lambda c, k: f"compare?code={c}",
                               lambda c: [("m-1", "A <rule>")] if c == "4A005" else [],
                               lambda m: f"measures?id={m}")
    assert '<del class="hz-del">10</del> <ins class="hz-ins">12</ins>' in out
    assert "A &lt;rule&gt;" in out and 'href="measures?id=m-1"' in out


def test_register_beside_the_changes() -> None:
    register = measures.as_table(measures.load_measures())
    assert changes.names_code("4A005; 4D004", "4A005.a") and changes.names_code("4A005.a", "4A005")
    assert not changes.names_code("4A005", "4A0051")
    found = changes.register_between(register, "WA", ["4A005"], "2012-12-12", "2013-12-04")
    assert "wa-2013-intrusion-software" in set(found["id"])
    assert "wa-2013-ip-network-surveillance" in set(found["id"])  # WA, dated in between
    later = changes.register_between(register, "WA", [], "2014-01-01", "2015-01-01")
    assert "wa-2013-intrusion-software" not in set(later["id"])
    named = [m for m, _ in changes.measures_of(register, "4A005") if m.startswith("wa-")]
    assert named == ["wa-2013-intrusion-software"]


def test_versions_around_a_measure() -> None:
    def version(key: str) -> SimpleNamespace:
        return SimpleNamespace(list_id="wassenaar", version=key, text_version=key,
                               current=False)

    kept = changes.lists_with_versions([version("2012-12-12"), version("2013-12-04"),
                                        version("2015-03-25"),
                                        SimpleNamespace(list_id="x", version="2020-01-01",
                                                        text_version="2020-01-01")])
    assert list(kept) == ["wassenaar"]  # one version: nothing to compare
    measure = {"jurisdiction": "WA", "date_published": "2013-12-04"}
    assert changes.versions_around(measure, kept) == ("wassenaar", "2012-12-12", "2013-12-04")
    assert changes.versions_around({"jurisdiction": "WA", "date_published": "2011-01-01"},
                                   kept) is None
    assert changes.versions_around({"jurisdiction": "NL", "date_published": "2013"}, kept) is None


# -- search results in the Explorer -------------------------------------------------------------


def test_rank_puts_codes_in_score_order_with_why(result: analysis.Analysis) -> None:
    index = explorer.explorer_index(result.frame, result.aligned, result.tags,
                                    [s.id for s in result.specs])
    found = [
        {"source": "eu-annex-i", "canonical": "5A501", "kind": "entry", "score": 2.0,
         "why": "words: quantum", "text": "Quantum widgets."},
        {"source": "us-ccl", "canonical": "5A001.b", "kind": "paragraph", "score": 3.1,
         "why": "concept 'radio'", "text": "x"},
        {"source": "wassenaar", "canonical": "5A001.b", "kind": "paragraph", "score": 0.5,
         "why": "words: widgets", "text": "x"},
        {"source": "us-ccl", "canonical": "5X999", "kind": "entry", "score": 9.0,
         "why": "mapped", "text": "x"},
        {"source": "measures", "canonical": "m-1", "kind": "measure", "score": 3.0,
         "why": "concept", "text": "A rule. Summary"},
    ]
    ranked = explorer.rank(index, found, {"5X999": "5A501"}, {"us-ccl": "US"})
    assert list(ranked.rows["canonical"]) == ["5A501", "5A001.b"]  # 5X999 is aligned as 5A501
    assert ranked.rows.iloc[0]["why"] == "US: mapped"
    assert ranked.rows.iloc[1]["why"] == "US: concept 'radio'"
    assert [m["canonical"] for m in ranked.measures] == ["m-1"]
    assert explorer.search(index, "quantum", every_word=False).mode == "ranked"
    html_out = explorer.measures_html(ranked.measures, lambda i: f"measures?id={i}")
    assert 'href="measures?id=m-1"' in html_out and ">A rule</a>" in html_out


# -- the import report --------------------------------------------------------------------------


NOTHING = [(False, "the import was stopped: harmonize import: x: no such folder or bundle; "
                   "nothing of it was kept", []),
           (False, "the import was stopped: harmonize import: passwd: not a folder and not a "
                   "bundle (.zip); nothing of it was kept", []),
           (False, "nothing imported: the folder holds no list this tool reads",
            [{"source_id": ".java", "status": "skipped", "message": "no loader"}])]


@pytest.mark.parametrize(("ok", "message", "sources"), NOTHING)
def test_a_path_that_imports_nothing_gets_the_same_words(ok: bool, message: str,
                                                          sources: list[dict[str, str]]) -> None:
    report = sources_view.import_report(ok, message, sources)
    assert report.kind == "nothing" and report.message == sources_view.NOTHING_IMPORTED
    assert report.rows.empty  # no folder name of the server is listed


def test_import_report_lists_known_sources_without_paths() -> None:
    report = sources_view.import_report(True, "1 source(s) imported", [
        {"source_id": "wassenaar", "status": "imported", "seconds": 1.234, "message": "ok"},
        {"source_id": "notes", "status": "skipped", "message": "no loader for this folder"}])
    assert report.kind == "done" and list(report.rows["source"]) == ["wassenaar"]
    failed = sources_view.import_report(False, "x", [
        {"source_id": "us-ccl", "status": "failed", "message": "/srv/in/us-ccl/x.xml: bad"}])
    assert failed.kind == "failed" and "us-ccl" in failed.message
    assert "/srv" not in failed.rows["message"].iloc[0]
    stopped = sources_view.import_report(False, "the import was stopped: it needed more than "
                                                "3072 MB of memory; nothing of it was kept", [],
                                         stopped=True)
    assert stopped.kind == "stopped" and "3072 MB" in stopped.message
    assert sources_view.shown_path("/srv/shared/sources/wassenaar") == "wassenaar"
