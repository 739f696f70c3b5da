"""The Overview's numbers (the Partners page scores with them too): each lens's share of codes
with the same text as the reference list, the heatmap's matrices and tooltips, the pairwise
agreement's tooltips and the headline figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

SHARE_METRICS: dict[str, str] = {
    "same": "Same text (identical + editorial)",
    "identical": "Identical",
    "editorial": "Editorial differences only",
    "substantive": "Substantive differences",
    "absent": "Absent",
}


def lens_shares(lens_scores: pd.DataFrame, metric: str = "same") -> pd.DataFrame:
    """Lens scores with `share` = the metric's count over the comparable codes (codes whose
    loaded copy is detailed). NaN where nothing is comparable (never 0: silence is not 0)."""
    if metric not in SHARE_METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    frame = lens_scores.copy()
    # The scores say what each share stands on (codes held by one list alone and cells not
    # compared are left out); older tables only knew the copies' silence.
    comparable = (frame["comparable"] if "comparable" in frame.columns
                  else frame["total"] - frame["not_detailed"])
    count = frame["identical"] + frame["editorial"] if metric == "same" else frame[metric]
    frame["comparable"] = comparable
    frame["share"] = (count / comparable.where(comparable > 0)).astype(float)
    return frame


def lens_matrix(lens_scores: pd.DataFrame, lens_ids: Sequence[str], sources: Sequence[str],
                metric: str = "same") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(share matrix, tooltip matrix), lenses as rows and sources as columns."""
    shares = lens_shares(lens_scores, metric)
    values = shares.pivot(index="lens", columns="source", values="share").reindex(
        index=list(lens_ids), columns=list(sources))
    tips: dict[tuple[str, str], str] = {}
    for row in shares.itertuples(index=False):
        value = float(row.share)  # type: ignore[arg-type]
        share = "not comparable" if value != value else f"{value:.0%}"
        tips[(str(row.lens), str(row.source))] = (
            f"{SHARE_METRICS[metric]}: {share}\nidentical {row.identical} · editorial "
            f"{row.editorial} · substantive {row.substantive}\nabsent {row.absent} · national "
            f"{row.national} · not detailed {row.not_detailed}\ncodes in lens: {row.total}, "
            f"comparable: {row.comparable}")
    hover = pd.DataFrame([[tips.get((str(lens), str(source)), "") for source in values.columns]
                          for lens in values.index], index=values.index, columns=values.columns)
    return values, hover


def agreement_tips(square: pd.DataFrame, pairwise: pd.DataFrame,
                   labels: Mapping[str, str]) -> pd.DataFrame:
    """The tooltip of each agreement cell: the two lists and the counts behind the share."""
    counts: dict[tuple[str, str], str] = {}
    for row in pairwise.itertuples(index=False):
        text = f"agree on {row.agree} of {row.considered} codes (both hold {row.both_hold})"
        counts[(str(row.a), str(row.b))] = counts[(str(row.b), str(row.a))] = text

    def tip(a: str, b: str) -> str:
        detail = "the same list" if a == b else counts.get((a, b), "not comparable")
        return f"{labels.get(a, a)} vs {labels.get(b, b)}: {detail}"

    return pd.DataFrame([[tip(str(a), str(b)) for b in square.columns] for a in square.index],
                        index=square.index, columns=square.columns, dtype=object)


def headline(aligned: pd.DataFrame, frame: pd.DataFrame, specs: Sequence[Any]) -> dict[str, int]:
    """Headline figures: lists, codes compared, divergences by status."""
    status = aligned["status"].value_counts()
    return {
        "lists loaded": int(frame["source_id"].nunique()) if len(frame) else 0,
        "jurisdictions compared": len(specs),
        "codes compared": int(aligned["canonical"].nunique()) if len(aligned) else 0,
        "substantive differences": int(status.get("substantive", 0)),
        "absent": int(status.get("absent", 0)),
        "national controls": int(status.get("national", 0)),
    }
