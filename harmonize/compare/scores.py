"""Scores with their denominators, traceable to paragraphs: lens x source, pairwise agreement,
Wassenaar baseline.

Every function takes the aligned table from `crosswalk.align` (one row per code and source)
and returns a DataFrame; `trace_*` functions return the rows behind a score.

What a score stands on:
- a code held by one list alone is reported apart (`national` for that list, `single_list`
  for the others, `a_alone`/`b_alone` in pairs), never counted for or against anyone;
- a copy silent on a code (`not-detailed`) is left out;
- where the reference list lacks a code, the other lists are compared with the fallback text
  (`crosswalk.reference_rows`; the list whose text that is holds it identically), and the
  reference list's silence there is not counted against it (`not_compared`): the reference
  list scores 100 % against itself;
- a share is None ("not comparable") when nothing is comparable, never 0;
- shares stand on the paragraph text; `note_changed` counts, among the cells counted the
  same, those whose code carries a note that differs (`note_compare.note_status`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from harmonize.compare import verdicts

HELD = ("identical", "editorial", "substantive", "national")
SAME = ("identical", "editorial")
LENS_COLUMNS = ["lens", "source", "identical", "editorial", "substantive", "absent", "national",
                "not_detailed", "single_list", "not_compared", "total", "comparable",
                "unexplained", "note_changed", "share_same"]


def comparable_cells(aligned: pd.DataFrame, reference: str) -> pd.Series:
    """Which cells count in a share: the copy speaks there, the code is held by two lists or
    more, and it is not the reference list's own silence on a code it lacks (there the others
    are compared with the fallback text, and the list whose text that is holds it as is)."""
    fallback = aligned["reference_source"] != reference
    return ((aligned["status"] != "not-detailed") & (aligned["holders"] >= 2)
            & ~(fallback & (aligned["source"] == reference)))


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
        # Counted same by their text, but a note on the code differs (note_compare).
        note_changed=counted & status.isin(SAME) & (
            merged["note_status"] == "changed" if "note_status" in merged else False),
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
    reported apart. `agreement` is None when nothing is comparable.

    Counted for all pairs at once (boolean matrices, codes x sources): two sources agree on a
    code when both hold it identically or editorially against the reference text, or both
    differ from it with texts that are editorial variants of each other."""
    status = aligned.pivot(index="canonical", columns="source", values="status")
    sources = [str(s) for s in status.columns]
    holders = aligned.drop_duplicates("canonical").set_index("canonical")["holders"].reindex(
        status.index)
    shared = (holders.to_numpy() >= 2)[:, None]
    values = status.to_numpy(dtype=object)
    held = np.isin(values, HELD)
    speaks = values != "not-detailed"
    same = np.isin(values, SAME)

    def pairs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return left.astype(np.int64).T @ right.astype(np.int64)

    considered = pairs(speaks & shared, speaks) - pairs(speaks & ~held & shared, speaks & ~held)
    both = pairs(held & shared, held)
    agree = pairs(same & shared, same) + _same_differences(aligned, status, shared,
                                                            decimal_comma)
    alone = pairs(held & speaks & ~shared, speaks)
    records = []
    for i, j in itertools.combinations(range(len(sources)), 2):
        total = int(considered[i, j])
        records.append({
            "a": sources[i], "b": sources[j],
            "agreement": round(int(agree[i, j]) / total, 4) if total else None,
            "agree": int(agree[i, j]), "both_hold": int(both[i, j]), "considered": total,
            "a_alone": int(alone[i, j]), "b_alone": int(alone[j, i]),
        })
    return pd.DataFrame(records, columns=["a", "b", "agreement", "agree", "both_hold",
                                          "considered", "a_alone", "b_alone"])


def _same_differences(aligned: pd.DataFrame, status: pd.DataFrame, shared: np.ndarray,
                      decimal_comma: dict[str, bool]) -> np.ndarray:
    """Pairs of sources that both differ from the reference text with texts that are
    editorial variants of each other: group each code's substantive texts by editorial key,
    join groups whose texts compare editorial, count co-members (a sources x sources
    matrix)."""
    position = {str(s): i for i, s in enumerate(status.columns)}
    code_shared = dict(zip(status.index, shared[:, 0], strict=True))
    different = aligned[(aligned["status"] == "substantive")
                        & aligned["canonical"].map(code_shared).astype(bool)]
    by_code: dict[str, list[tuple[str, str]]] = {}
    for code, text, source in zip(different["canonical"].tolist(), different["text"].tolist(),
                                  different["source"].tolist(), strict=True):
        by_code.setdefault(code, []).append((text, source))
    columns: list[list[int]] = []
    for code in sorted(by_code):
        rows = by_code[code]
        if len(rows) < 2:
            continue
        groups: list[tuple[str, str, list[int]]] = []  # (text, source, members)
        for text, source in rows:
            comma = decimal_comma.get(str(source), False)
            for first, first_source, members in groups:
                if verdicts.compare(first, str(text), decimal_comma.get(first_source, False),
                                    comma).status != "substantive":
                    members.append(position[str(source)])
                    break
            else:
                groups.append((str(text), str(source), [position[str(source)]]))
        columns += [members for _, _, members in groups if len(members) >= 2]
    matrix = np.zeros((len(position), len(columns)), dtype=np.int64)
    for column, members in enumerate(columns):
        matrix[members, column] = 1
    together = matrix @ matrix.T
    np.fill_diagonal(together, 0)
    return together


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
    status, origin = aligned["status"], aligned["origin"]
    base = origin == "wassenaar"
    silent = status == "not-detailed"
    held = status.isin(HELD)
    counts = pd.DataFrame({
        "source": aligned["source"], "wassenaar_codes": base, "comparable": base & ~silent,
        "held": base & ~silent & held, "not_detailed": base & silent,
        "beyond_other_regime": ~base & held & (origin == "other-regime"),
        "beyond_plurilateral": ~base & held & (origin == "plurilateral"),
        "beyond_national": ~base & held & (origin == "national"),
    }).groupby("source").sum()
    columns = {name: [int(n) for n in counts[name].tolist()] for name in counts.columns}
    records = []
    for i, source in enumerate(counts.index.tolist()):
        comparable, held_count = columns["comparable"][i], columns["held"][i]
        records.append({
            "source": source,
            "wassenaar_codes": columns["wassenaar_codes"][i],
            "comparable": comparable,
            "held": held_count,
            "coverage": round(held_count / comparable, 4) if comparable else None,
            "not_detailed": columns["not_detailed"][i],
            "beyond_other_regime": columns["beyond_other_regime"][i],
            "beyond_plurilateral": columns["beyond_plurilateral"][i],
            "beyond_national": columns["beyond_national"][i],
        })
    return pd.DataFrame(records)
