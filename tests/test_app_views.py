"""The dashboard's views of issue 16 with Streamlit's AppTest: the comparison and every page's
filters kept while moving between pages and in the URL, the header telling what a date leaves
out, A versus B and Changes from their URLs and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import TOY, build_store, html_blocks, qp, run, texts, toy_versions


@pytest.fixture()
def data_home(store_home: Path) -> Path:
    return build_store(store_home)


def go(at: AppTest, page: str) -> AppTest:
    """Move to another page as the top navigation does (its link carries no parameters)."""
    at.switch_page(f"pages/{page}.py")
    at.query_params.clear()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def label(at: AppTest) -> str:
    return str(at.get("popover")[0].proto.popover.label)


# -- moving between pages ---------------------------------------------------------------------


def test_the_reference_list_carries_over_every_page(data_home: Path) -> None:
    at = run("overview", {"ref": "us-ccl"})
    for page in ("explorer", "compare", "gaps", "versus", "overview"):
        go(at, page)
        assert label(at) == "Compared with **US**", page
        assert qp(at, "ref") == "us-ccl", page  # and the URL says so
    go(at, "gaps")
    assert "against **US · us-ccl list**" in texts(at)  # the content matches the header


def test_gaps_explorer_gaps_keeps_every_gaps_filter(data_home: Path) -> None:
    at = run("gaps", {"lens": "surveillance.interception", "src": "eu-annex-i,us-ccl",
                      "status": "absent,national", "origin": "national", "q": "widgets",
                      "natabs": "1"})
    before = at.dataframe[0].value
    go(at, "explorer")
    at.text_input(key="explorer.q").input("9A001").run()
    go(at, "gaps")
    assert at.selectbox(key="gaps.lens").value == "surveillance.interception"
    assert at.multiselect(key="gaps.src").value == ["eu-annex-i", "us-ccl"]
    assert at.multiselect(key="gaps.status").value == ["absent", "national"]
    assert at.multiselect(key="gaps.origin").value == ["national"]
    assert at.text_input(key="gaps.q").value == "widgets"
    assert at.toggle(key="gaps.natabs").value is True
    assert at.dataframe[0].value.equals(before)
    for param, value in (("lens", "surveillance.interception"), ("src", "eu-annex-i,us-ccl"),
                         ("status", "absent,national"), ("q", "widgets"), ("natabs", "1")):
        assert qp(at, param) == value, param  # back in the URL too
    go(at, "explorer")
    assert at.text_input(key="explorer.q").value == "9A001"  # the Explorer's own view


def test_a_link_naming_some_filters_shows_exactly_that_view(data_home: Path) -> None:
    at = run("gaps", {"status": "absent", "q": "widgets"})
    go(at, "overview")
    at.switch_page("pages/gaps.py")
    at.query_params.clear()
    at.query_params["lens"] = "surveillance.ip-monitoring"  # a heatmap cell's link
    at.query_params["src"] = "eu-annex-i"
    at.run()
    assert at.multiselect(key="gaps.status").value == []  # not the remembered "absent"
    assert at.text_input(key="gaps.q").value == ""
    assert list(at.dataframe[0].value["status"]) == ["🟧 substantive"]


def test_clearing_back_to_defaults_leaves_them_out_of_the_url(data_home: Path) -> None:
    at = run("explorer", {"q": "5A001", "cat": "5"})
    at.text_input(key="explorer.q").input("").run()
    at.multiselect(key="explorer.cat").set_value([]).run()
    assert qp(at, "q") is None and qp(at, "cat") is None
    go(at, "gaps")
    go(at, "explorer")
    assert at.text_input(key="explorer.q").value == "" and qp(at, "q") is None


def test_a_lens_without_gaps_draws_an_empty_table(data_home: Path) -> None:
    at = run("gaps", {"lens": "surveillance.monitoring-retention"})  # a lens naming no code
    assert "0 divergence(s)" in texts(at) and at.dataframe[0].value.empty


# -- as of --------------------------------------------------------------------------------------


@pytest.fixture()
def mixed_home(store_home: Path, tmp_path: Path) -> Path:
    """Three lists dated 2025-01-01 and a toy list kept in a 2024-01-01 version: as of
    2024-01-01 only the toy list has a version, and no Wassenaar list."""
    build_store(store_home)
    toy_versions(tmp_path, {"2024-01-01": TOY})
    return store_home


def test_as_of_says_which_lists_it_leaves_out_and_never_claims_wassenaar(mixed_home: Path
                                                                          ) -> None:
    at = run("gaps", {"asof": "2024-01-01", "lens": "all"})
    warnings = [w.value for w in at.warning]
    gone = next(w for w in warnings if "no kept version of" in w)
    for name in ("Wassenaar · wassenaar list", "EU · eu-annex-i list", "US · us-ccl list"):
        assert name in gone
    assert any("No kept version of the Wassenaar list by 2024-01-01" in w for w in warnings)
    assert label(at) == "Compared with **the text most lists share** as of **2024-01-01**"
    shown = texts(at)
    assert "against **the text most lists share**" in shown
    assert "against **Wassenaar" not in shown and "against wassenaar" not in shown
    now = run("gaps", {"lens": "all"})
    assert not [w for w in now.warning if "no kept version" in w.value]
    assert label(now) == "Compared with **Wassenaar**"


def test_a_chosen_reference_without_a_version_by_the_date_is_named(mixed_home: Path) -> None:
    at = run("explorer", {"asof": "2024-01-01", "ref": "us-ccl"})
    assert any("US · us-ccl list has no kept version by 2024-01-01" in w.value
               for w in at.warning)
    assert "us-ccl" not in label(at) and "US" not in label(at)
    assert qp(at, "ref") == "us-ccl"  # the choice itself is kept for later dates and pages


# -- A versus B ---------------------------------------------------------------------------------


def test_versus_from_its_url_and_back(data_home: Path) -> None:
    at = run("versus", {"src": "wassenaar,eu-annex-i", "lens": "all", "kind": "wording"})
    assert at.multiselect(key="versus.src").value == ["wassenaar", "eu-annex-i"]
    body = html_blocks(at)
    assert ">5A001.b</span>" in body and '<ins class="hz-ins">12</ins>' in body
    assert ">5A001.a</span>" not in body  # editorial only: not a difference
    assert ">5A501</span>" not in body  # missing, but only wording differences asked for
    assert 'href="compare?code=5A001.b&amp;src=wassenaar,eu-annex-i" target="_self"' in body
    assert 'class="hz-bars"' in body
    at.multiselect(key="versus.kind").set_value([]).run()
    assert qp(at, "kind") is None and ">5A501</span>" in html_blocks(at)
    go(at, "overview")
    go(at, "versus")
    assert at.multiselect(key="versus.src").value == ["wassenaar", "eu-annex-i"]
    assert qp(at, "src") == "wassenaar,eu-annex-i" and qp(at, "lens") == "all"


def test_versus_needs_two_lists_and_takes_three_at_most(data_home: Path) -> None:
    one = run("versus", {"src": "us-ccl"})
    assert "Pick two or three lists" in texts(one)
    four = run("versus", {"src": "wassenaar,eu-annex-i,us-ccl,bogus"})
    assert four.multiselect(key="versus.src").value == ["wassenaar", "eu-annex-i", "us-ccl"]


# -- changes and the register -------------------------------------------------------------------


@pytest.fixture()
def versions_home(store_home: Path, tmp_path: Path) -> Path:
    toy_versions(tmp_path, {"2024-01-01": TOY.replace("above 10 GHz", "above 8 GHz"),
                            "2024-06-01": TOY.replace("b. Widget parts.\n", ""),
                            "2025-03-01": TOY})
    return store_home


def test_changes_between_any_two_versions_from_the_url(versions_home: Path) -> None:
    at = run("changes", {"from": "2024-01-01", "to": "2024-06-01"})
    assert at.selectbox(key="changes.from").value == "2024-01-01"
    body = html_blocks(at)
    assert ">5A001.b</a>" in body and "removed" in body  # dropped in 2024-06-01
    assert '<del class="hz-del">8</del>' in body  # 8 -> 10 GHz between those versions
    assert 'href="compare?code=5A001.b&amp;asof=2024-01-01"' in body  # as of the version
    at.selectbox(key="changes.to").select("2025-03-01").run()
    assert qp(at, "to") is None  # the newest is the default
    assert ">5A001.b</a>" not in html_blocks(at)  # back by then: nothing to report
    at.multiselect(key="changes.change").set_value(["added"]).run()
    assert qp(at, "change") == "added"


def test_measures_timeline_axis_with_one_date_and_the_link_to_changes(data_home: Path) -> None:
    at = run("measures", {"q": "intrusion-software platforms"})
    chart = at.get("plotly_chart")[0].proto.spec
    assert '"range":["20' in chart.replace(" ", "")  # a fixed range, not plotly's zoom to hours
    assert "ai.computing" not in texts(at)
