"""Lens tagging and checks, scores traced to paragraphs, on hand-made lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harmonize.compare import analysis, lenses, scores
from harmonize.compare.lenses import LensError, load_lenses
from tests.handmade import three_lists

LENS_FILE = """
[[lens]]
id = "spy"
name = "Spying"

[[lens]]
id = "spy.radio"
parent = "spy"
name = "Radio"
codes = ["5A001.b", "5A980"]
keywords = ["listening", "GHz"]

[[reviewed_untagged]]
code = "5A001.a"
keyword = "ghz"
reason = "test: reviewed and out of scope"
"""


@pytest.fixture()
def book(tmp_path: Path) -> lenses.LensBook:
    path = tmp_path / "lenses.toml"
    path.write_text(LENS_FILE)
    return load_lenses(path)


def test_tags_name_the_reason_and_lift_to_parents(book: lenses.LensBook) -> None:
    tags = lenses.tag(pd.Series(["5A001", "5A001.b", "5A001.b.1", "5A980", "5A001.c"]), book)
    radio = tags[tags["lens"] == "spy.radio"].set_index("canonical")["reason"]
    assert sorted(radio.index) == ["5A001.b", "5A001.b.1", "5A980"]
    assert radio["5A001.b.1"] == "code 5A001.b named by lens spy.radio"
    parent = tags[tags["lens"] == "spy"]
    assert set(parent["canonical"]) == set(radio.index)
    assert "sub-lens of spy" in parent["reason"].iloc[0]


def test_keyword_sweep_and_unknown_codes(book: lenses.LensBook) -> None:
    frame, _ = three_lists()
    sweep = lenses.keyword_sweep(frame, book)
    verdicts = {(r.canonical, r.source_id): r.verdict for r in sweep.itertuples()}
    assert verdicts[("5A980", "us-ccl")] == "tagged"            # "listening"
    assert verdicts[("5A001.b", "wassenaar")] == "tagged"       # "GHz"
    assert lenses.unknown_codes(frame, book) == []
    # Nothing tags or reviews 5A001.d ... unless it mentions a keyword: it does not.
    assert ("5A001.d", "wassenaar") not in verdicts


def test_untagged_hit_is_reported_until_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "lenses.toml"
    frame, _ = three_lists()
    with_keyword = LENS_FILE.replace('keywords = ["listening", "GHz"]',
                                     'keywords = ["listening", "aluminium"]')
    path.write_text(with_keyword.replace('keyword = "ghz"', 'keyword = "none"'))
    sweep = lenses.keyword_sweep(frame, load_lenses(path))
    untagged = sweep[sweep["verdict"] == "untagged"]
    assert sorted(zip(untagged["canonical"], untagged["source_id"], strict=True)) == [
        ("5A001.a", "eu-annex-i"), ("5A001.a", "wassenaar")]
    path.write_text(with_keyword.replace('keyword = "ghz"', 'keyword = "aluminium"'))
    sweep = lenses.keyword_sweep(frame, load_lenses(path))
    reviewed = sweep[sweep["canonical"] == "5A001.a"]
    assert set(reviewed["verdict"]) == {"reviewed"}
    assert set(reviewed["reason"]) == {"test: reviewed and out of scope"}


def test_bad_lens_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "lenses.toml"
    path.write_text('[[lens]]\nid = "x"\nname = "X"\nparent = "nope"\n')
    with pytest.raises(LensError, match="unknown parent nope"):
        load_lenses(path)
    path.write_text("[[lens]\n")
    with pytest.raises(LensError, match=r"lenses\.toml"):
        load_lenses(path)


def test_scores_are_traceable(book: lenses.LensBook) -> None:
    frame, manifest = three_lists()
    result = analysis.analyse(frame, manifest, book=book)
    tables = analysis.score_tables(result)
    lens = tables["lens_scores"].set_index(["lens", "source"])
    eu = lens.loc[("spy.radio", "eu-annex-i")]
    # 5A980 is held by the US alone: reported apart for the EU, never counted against it.
    assert (eu["substantive"], eu["absent"], eu["identical"], eu["single_list"]) == (1, 0, 0, 1)
    assert (eu["comparable"], eu["share_same"]) == (1, 0.0)
    us = lens.loc[("spy.radio", "us-ccl")]
    assert (us["identical"], us["national"], us["comparable"], us["share_same"]) == (1, 1, 1, 1.0)
    wa = lens.loc[("spy.radio", "wassenaar")]
    assert wa["share_same"] == 1.0  # the reference list against itself
    traced = scores.trace_lens_score(result.aligned, result.tags, "spy.radio", "eu-annex-i")
    assert set(traced["canonical"]) == {"5A001.b", "5A980"}

    pair = tables["pairwise"].set_index(["a", "b"]).loc[("eu-annex-i", "wassenaar")]
    # 5A001 family + 9A001 (+.a): EU and Wassenaar agree except 5A001.b (12 vs 10 GHz) and
    # 5A001.d (absent in EU); 5A101 and 5A501 are held by the EU alone and reported apart.
    assert (pair["considered"], pair["agree"], pair["a_alone"]) == (7, 5, 2)
    base = tables["baseline"].set_index("source")
    assert base.loc["us-ccl", "not_detailed"] == 1
    assert base.loc["eu-annex-i", "beyond_other_regime"] == 1


def test_a_list_with_nothing_in_common_is_not_comparable(book: lenses.LensBook) -> None:
    """Canada's national items alone: agreement None with every list, never 0 %; its codes
    are reported apart (a_alone), not counted against anyone."""
    from tests.handmade import make_list, manifest_for

    frame, manifest = three_lists()
    canada = make_list("ca-ecl", "CA", [("5504", "Strategic goods."),
                                         ("5504.1", "Goods of a kind.")])
    frame = pd.concat([frame, canada], ignore_index=True)
    manifest["sources"].update(manifest_for(("ca-ecl", "CA", []))["sources"])
    result = analysis.analyse(frame, manifest, book=book)
    pairs = analysis.score_tables(result)["pairwise"].set_index(["a", "b"])
    for other in ("eu-annex-i", "us-ccl", "wassenaar"):
        pair = pairs.loc[("ca-ecl", other)]
        assert pd.isna(pair["agreement"]) and pair["considered"] == 0
        assert pair["a_alone"] == 2
