"""The Overview's numbers (the Partners page scores with them too): each lens's share of codes
with the same text as the reference list, the heatmap's matrices and tooltips, the pairwise
agreement's tooltips and the headline figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Figure:
    """A headline number with its unit and what it is counted out of."""

    label: str
    value: int
    detail: str


def _share(part: int, whole: int) -> str:
    return f"of {whole:,} codes ({part / whole:.0%})" if whole else "of 0 codes"


def headline(aligned: pd.DataFrame, frame: pd.DataFrame, specs: Sequence[Any]) -> list[Figure]:
    """Headline figures in one unit, codes (an entry or paragraph number such as 5A001.j),
    each out of the codes compared; the lists compared first. A code counts once per figure
    however many lists differ on it, and can count in more than one figure."""
    compared = int(aligned["canonical"].nunique()) if len(aligned) else 0
    apart = sorted(set(frame["source_id"].astype(str)) - {x for s in specs for x in s.lists}
                   ) if len(frame) else []
    regions = len({s.jurisdiction for s in specs})
    status = aligned["status"]
    flags = pd.DataFrame({
        "canonical": aligned["canonical"],
        "substantive": status == "substantive",
        "same": status.isin(["identical", "editorial"]),
        "other": ~status.isin(["identical", "editorial", "not-detailed"]),
        "missing": (status == "absent") & (aligned["origin"] != "national"),
        "national": aligned["origin"] == "national",
    }).groupby("canonical").any()
    substantive = int(flags["substantive"].sum())
    same_count = int((flags["same"] & ~flags["other"]).sum())
    missing = int(flags["missing"].sum())
    national = int(flags["national"].sum())
    return [
        Figure("lists compared", len(specs),
               f"from {regions} jurisdictions and regimes"
               + (f"; {len(apart)} more loaded, kept apart (munitions, Annex IV)" if apart
                  else "")),
        Figure("codes compared", compared, "entries and paragraphs held by any of them"),
        Figure("same text in every list that details them", same_count,
               _share(same_count, compared)),
        Figure("with a substantive difference in some list", substantive,
               _share(substantive, compared)),
        Figure("held by some lists, missing from others", missing,
               _share(missing, compared)),
        Figure("national controls: one list only", national, _share(national, compared)),
    ]
