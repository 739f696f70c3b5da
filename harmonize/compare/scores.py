"""Scores traceable to paragraphs: lens x source coverage, pairwise agreement, Wassenaar baseline.

Every function takes the aligned table from `crosswalk.align` (one row per code and source)
and returns a DataFrame; `trace_*` functions return the rows behind a score.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from harmonize.compare.crosswalk import STATUSES

HELD = ("identical", "editorial", "substantive", "national")


def lens_scores(aligned: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """For each lens and source: how many of the lens's codes (union over the loaded lists)
    the source holds identically, editorially, substantively differently, or not at all."""
    merged = tags[["lens", "canonical"]].drop_duplicates().merge(aligned, on="canonical")
    counts = merged.pivot_table(index=["lens", "source"], columns="status", values="canonical",
                                aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0).reset_index()
    counts.columns.name = None
    counts = counts.rename(columns={"not-detailed": "not_detailed"})
    counts["total"] = counts[[c.replace("-", "_") for c in STATUSES]].sum(axis=1)
    comparable = counts["total"] - counts["not_detailed"]
    same = counts["identical"] + counts["editorial"]
    counts["share_same"] = (same / comparable.where(comparable > 0)).round(4).fillna(0.0)
    return counts


def trace_lens_score(aligned: pd.DataFrame, tags: pd.DataFrame, lens: str,
                     source: str) -> pd.DataFrame:
    """The paragraphs behind one lens x source score."""
    codes = tags.loc[tags["lens"] == lens, ["canonical", "reason"]].drop_duplicates("canonical")
    rows = aligned[aligned["source"] == source].merge(codes, on="canonical")
    return rows[["canonical", "status", "origin", "text", "reason", "parameters"]]


def pairwise_agreement(aligned: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """Agreement between two sources: among codes that either holds and neither copy is silent
    on (not-detailed), the share both hold with the same text up to editorial differences.

    `keys` has (canonical, source, ekey): the editorial key of each held text.
    """
    sources = sorted(aligned["source"].unique())
    status = aligned.pivot(index="canonical", columns="source", values="status")
    key = keys.pivot(index="canonical", columns="source", values="ekey").reindex(
        index=status.index, columns=status.columns)
    records = []
    for a, b in itertools.combinations(sources, 2):
        sa, sb = status[a], status[b]
        considered = (sa != "not-detailed") & (sb != "not-detailed") & (
            sa.isin(HELD) | sb.isin(HELD))
        both = considered & sa.isin(HELD) & sb.isin(HELD)
        agree = both & (key[a] == key[b])
        total = int(considered.sum())
        records.append({"a": a, "b": b, "agreement": round(int(agree.sum()) / total, 4)
                        if total else None, "agree": int(agree.sum()), "both_hold": int(both.sum()),
                        "considered": total})
    return pd.DataFrame(records, columns=["a", "b", "agreement", "agree", "both_hold",
                                          "considered"])


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
