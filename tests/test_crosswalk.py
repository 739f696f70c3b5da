"""Alignment statuses and origins on small hand-made lists."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from harmonize.compare import analysis, crosswalk
from tests.handmade import GB, make_list, manifest_for, three_lists

NO_MAPPINGS = pd.DataFrame(columns=["source", "code", "maps_to", "reason", "reviewed"])


@pytest.fixture(scope="module")
def aligned() -> pd.DataFrame:
    frame, manifest = three_lists()
    return crosswalk.align(frame, manifest, crosswalk=NO_MAPPINGS)


def status(table: pd.DataFrame, code: str, source: str) -> str:
    return str(table[(table["canonical"] == code) & (table["source"] == source)]["status"].iloc[0])


@pytest.mark.parametrize(
    ("code", "source", "expected"),
    [
        ("5A001", "eu-annex-i", "identical"),
        ("5A001", "us-ccl", "editorial"),       # US boilerplate "(see List of Items Controlled)"
        ("5A001.a", "eu-annex-i", "editorial"),  # 1,95 vs 1.95, trailing "; or"
        ("5A001.a", "us-ccl", "editorial"),      # aluminum
        ("5A001.b", "eu-annex-i", "substantive"),
        ("5A001.d", "eu-annex-i", "absent"),
        ("5A980", "us-ccl", "national"),
        ("5A980", "eu-annex-i", "absent"),
        ("9A001.a", "us-ccl", "not-detailed"),  # category 9 has no paragraph text in that copy
        ("9A001", "us-ccl", "identical"),
    ],
)
def test_statuses(aligned: pd.DataFrame, code: str, source: str, expected: str) -> None:
    assert status(aligned, code, source) == expected


def test_reserved_and_not_used_rows_hold_no_control() -> None:
    frame, manifest = three_lists()
    extra = make_list("wassenaar", "WA", [("5A002", "Not used since 2019"),
                                          ("5A003", "Gizmos."), ("5A003.a", "[Reserved]"),
                                          ("5A003.b", "through y. [Reserved]")])
    frame = pd.concat([frame, extra.assign(seq=extra["seq"] + 100)], ignore_index=True)
    table = crosswalk.align(frame, manifest, crosswalk=NO_MAPPINGS)
    codes = set(table["canonical"])
    assert "5A002" not in codes and "5A003.a" not in codes and "5A003.b" not in codes
    assert "5A003" in set(table["canonical"])


def test_every_status_and_origin_is_exercised(aligned: pd.DataFrame) -> None:
    assert set(aligned["status"]) == set(crosswalk.STATUSES)
    origins = aligned.drop_duplicates("canonical").set_index("canonical")["origin"]
    assert origins["5A001.b"] == "wassenaar"
    assert origins["5A101"] == "other-regime"
    assert origins["5A980"] == "national"


def test_substantive_names_the_parameters(aligned: pd.DataFrame) -> None:
    row = aligned[(aligned["canonical"] == "5A001.b") & (aligned["source"] == "eu-annex-i")]
    assert row["parameters"].iloc[0] == "frequency 10 GHz → 12 GHz"
    assert row["reason"].iloc[0] == "parameter changed"
    assert json.loads(row["parameter_list"].iloc[0]) == [
        {"source": "wassenaar", "quantity": "frequency", "comparator": ">", "value": 10.0,
         "unit": "GHz", "text": "above 10 GHz"},
        {"source": "eu-annex-i", "quantity": "frequency", "comparator": ">", "value": 12.0,
         "unit": "GHz", "text": "above 12 GHz"}]


def test_reference_choice_changes_statuses() -> None:
    frame, manifest = three_lists()
    table = crosswalk.align(frame, manifest, reference="eu-annex-i", crosswalk=NO_MAPPINGS)
    assert status(table, "5A001.b", "eu-annex-i") == "identical"
    assert status(table, "5A001.b", "wassenaar") == "substantive"


def test_without_reference_the_shared_text_is_the_reference() -> None:
    frame, manifest = three_lists()
    frame = frame[frame["source_id"] != "wassenaar"]
    del manifest["sources"]["wassenaar"]
    table = crosswalk.align(frame, manifest, crosswalk=NO_MAPPINGS)
    # EU says 12 GHz, US 10 GHz: one vote each, so the tie goes to the first source in order.
    row = table[(table["canonical"] == "5A001.b")]
    assert set(row["reference_source"]) == {"eu-annex-i"}


def test_plurilateral_and_reviewed_mapping() -> None:
    frame, manifest = three_lists()
    frame = pd.concat([frame, make_list("uk-sel", "GB", GB)], ignore_index=True)
    manifest["sources"]["uk-sel"] = manifest_for(("uk-sel", "GB", None))["sources"]["uk-sel"]
    plain = crosswalk.align(frame, manifest, crosswalk=NO_MAPPINGS)
    assert plain[plain["canonical"] == "5A501"]["origin"].iloc[0] == "plurilateral"
    mapping = pd.DataFrame([{"source": "us-ccl", "code": "5A901", "maps_to": "5A501",
                             "reason": "same text", "reviewed": "test"}])
    mapped = crosswalk.align(frame, manifest, crosswalk=mapping)
    us = mapped[(mapped["canonical"] == "5A501") & (mapped["source"] == "us-ccl")].iloc[0]
    assert us["status"] == "identical" and us["mapped_from"] == "5A901"
    assert "5A901" not in set(mapped["canonical"])


def test_analysis_lookup_has_statuses_diffs_candidates() -> None:
    frame, manifest = three_lists()
    result = analysis.analyse(frame, manifest)
    found = analysis.lookup(result, "5.A.1.b")
    assert found["statuses"] == {"eu-annex-i": "substantive", "us-ccl": "identical",
                                 "wassenaar": "identical"}
    assert found["diffs"][0]["source"] == "eu-annex-i"
    national = analysis.lookup(result, "5A901")
    assert national["statuses"]["us-ccl"] == "national"
    top = national["candidates"][0]
    assert (top["source"], top["canonical"]) == ("eu-annex-i", "5A501")
    assert "quantum" in top["reason"]


def test_unknown_reference_is_refused() -> None:
    frame, manifest = three_lists()
    with pytest.raises(ValueError, match="not loaded"):
        analysis.analyse(frame, manifest, reference="xx-list")


def test_bad_crosswalk_file_names_the_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crosswalk.csv"
    path.write_text("source,code,maps_to,reason,reviewed\nus-ccl,3A901,3A501,,me\n")
    with pytest.raises(ValueError, match="line 2: every mapping needs its reason"):
        crosswalk.load_crosswalk(path)
