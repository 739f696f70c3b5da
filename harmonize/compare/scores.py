"""Scores with their denominators, traceable to paragraphs: lens x source, pairwise agreement,
Wassenaar baseline.

Every function takes the aligned table from `crosswalk.align` (one row per code and source)
and returns a DataFrame; `trace_*` functions return the rows behind a score.

What a score stands on:
- a code held by one list alone is reported apart (`national` for that list, `single_list`
  for the others, `a_alone`/`b_alone` in pairs), never counted for or against anyone;
- a copy silent on a code (`not-detailed`) is left out;
- where the reference list lacks a code, the other lists are compared with the fallback text
  (`crosswalk.reference_rows`), but neither the reference list (silent there) nor the list
  whose text is the fallback (compared with itself) counts it (`not_compared`): the reference
  list scores 100 % against itself;
- a share is None ("not comparable") when nothing is comparable, never 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from harmonize.compare import verdicts

HELD = ("identical", "editorial", "substantive", "national")
SAME = ("identical", "editorial")
LENS_COLUMNS = ["lens", "source", "identical", "editorial", "substantive", "absent", "national",
                "not_detailed", "single_list", "not_compared", "total", "comparable",
                "unexplained", "share_same"]


def comparable_cells(aligned: pd.DataFrame, reference: str) -> pd.Series:
    """Which cells count in a share: the copy speaks there, the code is held by two lists or
    more, and the cell is compared with another list's text or the reference list's own."""
    fallback = aligned["reference_source"] != reference
    return ((aligned["status"] != "not-detailed") & (aligned["holders"] >= 2)
            & ~(fallback & aligned["source"].isin([reference]))
            & ~(fallback & (aligned["source"] == aligned["reference_source"])))


def lens_scores(aligned: pd.DataFrame, tags: pd.DataFrame, reference: str) -> pd.DataFrame:
    """For each lens and source: how many of the lens's codes (union over the loaded lists) the
    source holds identically, editorially, substantively differently (of which `unexplained`
    by wording no rule explains) or not at all, over the `comparable` codes; codes held by one
    list alone and cells not compared are counted apart."""
    merged = tags[["lens", "canonical"]].drop_duplicates().merge(aligned, on="canonical")
    if merged.empty:
        return pd.DataFrame(columns=LENS_COLUMNS)
    counted = comparable_cells(merged, reference)
    status = merged["status"]
    single = merged["holders"] < 2
    merged = merged.assign(
        identical=counted & (status == "identical"), editorial=counted & (status == "editorial"),
        substantive=counted & (status == "substantive"), absent=counted & (status == "absent"),
        national=single & merged["status"].isin(HELD), not_detailed=status == "not-detailed",
        single_list=single & (status == "absent"),
        not_compared=~counted & ~single & (status != "not-detailed"),
        unexplained=counted & (merged["reason"] == "unexplained wording"),
        total=True, comparable=counted)
    columns = LENS_COLUMNS[2:-1]
    counts = merged.groupby(["lens", "source"])[columns].sum().astype(int).reset_index()
    same = counts["identical"] + counts["editorial"]
    counts["share_same"] = [round(s / c, 4) if c else None
                            for s, c in zip(same, counts["comparable"], strict=True)]
    return counts[LENS_COLUMNS]


def trace_lens_score(aligned: pd.DataFrame, tags: pd.DataFrame, lens: str,
                     source: str) -> pd.DataFrame:
    """The paragraphs behind one lens x source score (`lens_reason`: why the lens holds it)."""
    codes = tags.loc[tags["lens"] == lens, ["canonical", "reason"]].drop_duplicates("canonical")
    rows = aligned[aligned["source"] == source].merge(
        codes.rename(columns={"reason": "lens_reason"}), on="canonical")
    return rows[["canonical", "status", "reason", "origin", "text", "reference_source",
                 "lens_reason", "parameters"]]


def pairwise_agreement(aligned: pd.DataFrame, decimal_comma: dict[str, bool]) -> pd.DataFrame:
    """Agreement between two sources over the codes either holds, both copies speak on, and
    at least two lists hold: the share both hold with the same text up to editorial
    differences. `a_alone`/`b_alone`: codes one of them holds and no other list does,
    reported apart. `agreement` is None when nothing is comparable."""
    sources = sorted(aligned["source"].unique())
    status = aligned.pivot(index="canonical", columns="source", values="status")
    holders = aligned.drop_duplicates("canonical").set_index("canonical")["holders"].reindex(
        status.index)
    text = aligned.pivot(index="canonical", columns="source", values="text").reindex(
        index=status.index, columns=status.columns)
    shared = holders >= 2
    records = []
    for a, b in itertools.combinations(sources, 2):
        sa, sb = status[a], status[b]
        speaks = (sa != "not-detailed") & (sb != "not-detailed")
        considered = speaks & shared & (sa.isin(HELD) | sb.isin(HELD))
        both = considered & sa.isin(HELD) & sb.isin(HELD)
        agree = both & sa.isin(SAME) & sb.isin(SAME)
        # Both differ from the reference text: they may still say the same as each other.
        unsure = both & (sa == "substantive") & (sb == "substantive")
        for code in status.index[unsure]:
            verdict = verdicts.compare(str(text.at[code, a]), str(text.at[code, b]),
                                       decimal_comma.get(a, False), decimal_comma.get(b, False))
            agree.at[code] = verdict.status != "substantive"
        total = int(considered.sum())
        alone = speaks & ~shared
        records.append({
            "a": a, "b": b,
            "agreement": round(int(agree.sum()) / total, 4) if total else None,
            "agree": int(agree.sum()), "both_hold": int(both.sum()), "considered": total,
            "a_alone": int((alone & sa.isin(HELD)).sum()),
            "b_alone": int((alone & sb.isin(HELD)).sum()),
        })
    return pd.DataFrame(records, columns=["a", "b", "agreement", "agree", "both_hold",
                                          "considered", "a_alone", "b_alone"])


def agreement_square(pairwise: pd.DataFrame, sources: Sequence[str]) -> pd.DataFrame:
    """Pairwise agreement as a square matrix (1.0 on the diagonal, NaN where not comparable)."""
    values: dict[tuple[str, str], float] = {(s, s): 1.0 for s in sources}
    for a, b, agreement in zip(pairwise["a"], pairwise["b"], pairwise["agreement"], strict=True):
        if agreement is not None and not pd.isna(agreement):
            values[(str(a), str(b))] = values[(str(b), str(a))] = float(agreement)
    return pd.DataFrame([[values.get((a, b), float("nan")) for b in sources] for a in sources],
                        index=list(sources), columns=list(sources), dtype=float)


def baseline_coverage(aligned: pd.DataFrame) -> pd.DataFrame:
    """Per source: share of the Wassenaar baseline it holds (where its copy is detailed), and
    how many codes it holds beyond Wassenaar, by origin."""
    records = []
    for source, rows in aligned.groupby("source"):
        base = rows[rows["origin"] == "wassenaar"]
        comparable = base[base["status"] != "not-detailed"]
        held = comparable["status"].isin(HELD)
        beyond = rows[(rows["origin"] != "wassenaar") & rows["status"].isin(HELD)]
        records.append({
            "source": source,
            "wassenaar_codes": len(base),
            "comparable": len(comparable),
            "held": int(held.sum()),
            "coverage": round(float(held.mean()), 4) if len(comparable) else None,
            "not_detailed": int((base["status"] == "not-detailed").sum()),
            "beyond_other_regime": int((beyond["origin"] == "other-regime").sum()),
            "beyond_plurilateral": int((beyond["origin"] == "plurilateral").sum()),
            "beyond_national": int((beyond["origin"] == "national").sum()),
        })
    return pd.DataFrame(records)
