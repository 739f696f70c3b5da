"""Align every loaded list paragraph by paragraph and explain each divergence.

Pure functions over the parsed table (`store.load_lists()`) and the manifest:

- `comparable_sources(manifest)`: the dual-use lists that are compared, one per source (a
  source's national part, such as `uk-sel-national`, belongs to it; Annex IV and munitions
  lists are separate lists and not compared here).
- `align(frame, manifest, reference)`: one row per (canonical code, source) with the code's
  origin, the source's status against the reference text and, for every substantive cell,
  the reason (`verdicts.REASONS`), what changed, and the differing parameters as data.

The reference text of a code is the reference list's; where that list lacks the code, the
newest authoritative text holding it (`reference_rows`: a complete copy before a partial one,
then the newest version), named in `reference_source`, `reference_version` and
`reference_basis`. Codes vacant everywhere ("Not used", "[Reserved]") are not controls.

Origins: `wassenaar` (in the Wassenaar list), `other-regime` (family codes whose entry number
starts with 1-4: MTCR, NSG, Australia Group, CWC), `plurilateral` (several sources, not
Wassenaar), `national` (one source only). Statuses: identical, editorial, substantive, absent,
national, not-detailed (the loaded copy lacks text there: never counted as absent).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from harmonize.codes import is_family_code
from harmonize.compare import mappings, verdicts
from harmonize.compare.editorial_rules import american, identity_key
from harmonize.compare.mappings import apply_crosswalk, load_crosswalk
from harmonize.compare.textnorm import detect_decimal_comma
from harmonize.paths import datasets_dir

__all__ = ["COLUMNS", "DEFAULT_REFERENCE", "ORIGINS", "STATUSES", "SourceSpec", "align",
           "apply_crosswalk", "comparable_sources", "load_crosswalk", "silence_status"]

STATUSES = ("identical", "editorial", "substantive", "absent", "national", "not-detailed")
ORIGINS = ("wassenaar", "other-regime", "plurilateral", "national")
DEFAULT_REFERENCE = "wassenaar"
DATASETS = datasets_dir()
# Lists kept apart from the comparison: annexes restate Annex I entries; munitions lists are
# another numbering.
_SEPARATE_SUFFIXES = ("-annex-iv", "-ml")
# A place in the numbering that controls nothing: "Not used (since 2012)", "This entry is not
# used", "[Reserved]" (also "b. through y. [Reserved]"), "[Repealed, SOR/…]", "RADAR - None".
VACANT = (r"(?i)^\W*(?:this entry is\s+)?not used\b[\w\s.;:,]{0,30}$"
          r"|^\W*(?:(?:[a-z](?:\.\d+)?\.?\s*)?(?:and|through|to)\s*[a-z](?:\.\d+)?\.?\s*)?"
          r"\[reserved\][\s.;,]*(?:or|and)?\W*$"
          r"|^\W*\[repealed\b[^\]]*\]\W*$|^[A-Z][A-Z ]{2,40}\s*-\s*none\.?$")
COLUMNS = ["canonical", "entry", "category", "kind", "origin", "source", "jurisdiction",
           "holders", "status", "reason", "detail", "text", "reference_source", "reference_version",
           "reference_basis", "ref_text", "mapped_from", "parameters", "parameter_list",
           "rules", "citation", "location", "version"]


@dataclass(frozen=True)
class SourceSpec:
    """One compared source: its lists, its detail, how it writes decimals, its version."""

    id: str
    jurisdiction: str
    lists: tuple[str, ...]
    detailed_categories: tuple[str, ...] | None  # None = all categories have paragraph text
    categories_with_entries: frozenset[str]
    decimal_comma: bool
    version: str = ""  # ISO date of the list's version

    @property
    def complete(self) -> bool:
        """The copy holds paragraph text in every category (an authoritative full text)."""
        return self.detailed_categories is None


def comparable_sources(frame: pd.DataFrame, manifest: dict[str, Any]) -> list[SourceSpec]:
    """The compared sources, in a stable order (reference-like lists first)."""
    specs = []
    # The columns read, grouped by list once (not filtered once per source: that grows with
    # the square of the number of lists).
    columns = frame[["kind", "canonical", "text"]]
    positions = columns.groupby(frame["source_id"].to_numpy(), sort=False).indices
    for source_id in sorted(manifest["sources"]):
        lists = [lst for lst in manifest["sources"][source_id]["lists"]
                 if not lst["id"].endswith(_SEPARATE_SUFFIXES)]
        if not lists:
            continue
        ids = tuple(lst["id"] for lst in lists)
        found = [positions[i] for i in ids if i in positions]
        rows = columns.iloc[np.sort(np.concatenate(found)) if found else []]
        entries = rows.loc[rows["kind"] == "entry", "canonical"]
        family = entries[entries.map(is_family_code)]
        detailed: tuple[str, ...] | None = None
        declared = [lst.get("detailed_categories") for lst in lists]
        if all(d is not None for d in declared):
            detailed = tuple(sorted({c for d in declared if d is not None for c in d}))
        specs.append(SourceSpec(
            id=source_id, jurisdiction=str(lists[0]["jurisdiction"]), lists=ids,
            detailed_categories=detailed,
            categories_with_entries=frozenset(family.str[0]),
            decimal_comma=detect_decimal_comma(rows["text"].head(3000).tolist()),
            version=max(str(lst.get("version") or "") for lst in lists),
        ))
    return specs


Held = tuple[pd.DataFrame, dict[str, set[str]], set[tuple[str, str]]]


def _held_rows(frame: pd.DataFrame, specs: list[SourceSpec], crosswalk: pd.DataFrame) -> Held:
    """The rows that hold a control (mapped codes renamed), every code each source numbers
    (vacant ones included), and the placeholders: rows a copy holds without text."""
    list_to_source = {lst: s.id for s in specs for lst in s.lists}
    # Rows that only point to another document (Canada's "Group 1, as described in the Guide")
    # are not controls of their own: they would read as national entries.
    pointer = frame["details"].str.contains('"described_in_guide": true', regex=False)
    keyed = frame[frame["kind"].isin(["entry", "paragraph"]) & ~pointer
                  & frame["source_id"].isin(list(list_to_source))]
    rows = keyed[["canonical", "entry", "kind", "text", "national", "source_id", "citation",
                  "location", "version", "detailed"]].copy()
    rows["source"] = rows["source_id"].map(list_to_source)
    rows = apply_crosswalk(rows, crosswalk)
    text = rows["text"].fillna("").str.strip()
    # "[Reserved]" and "Not used since 2012" hold a place in the numbering but control nothing.
    vacant = text.str.match(VACANT)
    # A row without text (a parent the derived US copy left empty) is silence, not a control.
    placeholder = text == ""
    numbered: dict[str, set[str]] = {}
    for code, source in zip(rows["canonical"].tolist(), rows["source"].tolist(), strict=True):
        numbered.setdefault(source, set()).add(code)
    silent = set(zip(rows.loc[placeholder, "canonical"], rows.loc[placeholder, "source"],
                     strict=True))
    held = rows[~vacant & ~placeholder].drop(columns=["detailed"])
    # A source's own lists may repeat a code (e.g. a national part restating an entry): first wins.
    return held.drop_duplicates(["canonical", "source"], keep="first"), numbered, silent


def _ordinal(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    return ord(label) - ord("a") + 1 if len(label) == 1 and label.islower() else None


@dataclass
class Numbering:
    """The codes one copy numbers, indexed for `gap`."""

    ancestors: set[str]
    children: dict[str, list[tuple[int, bool]]]

    @classmethod
    def of(cls, codes: set[str]) -> Numbering:
        ancestors: set[str] = set()
        children: dict[str, list[tuple[int, bool]]] = {}
        for code in codes:
            parent, _, label = code.rpartition(".")
            if not parent:
                continue
            ordinal = _ordinal(label)
            if ordinal is not None:
                children.setdefault(parent, []).append((ordinal, label.isdigit()))
            while parent and parent not in ancestors:  # stop where a sibling went before
                ancestors.add(parent)
                parent = parent.rpartition(".")[0]
        return cls(ancestors, children)

    def gap(self, canonical: str) -> bool:
        """A copy that numbers a later sibling (or a child) of a code it lacks skipped it:
        lists never skip a label (a deleted paragraph stays as "Not used"), copies do."""
        if "." not in canonical:
            return False
        if canonical in self.ancestors:
            return True
        parent, _, label = canonical.rpartition(".")
        mine = _ordinal(label)
        return mine is not None and any(
            other > mine and digit == label.isdigit()
            for other, digit in self.children.get(parent, ()))


def origin_of(canonical: str, holders: set[str], reference: str = DEFAULT_REFERENCE) -> str:
    if "wassenaar" in holders:
        return "wassenaar"
    if is_family_code(canonical) and canonical[2] in "1234":
        return "other-regime"
    return "plurilateral" if len(holders) >= 2 else "national"


def align(frame: pd.DataFrame, manifest: dict[str, Any], reference: str = DEFAULT_REFERENCE,
          crosswalk: pd.DataFrame | None = None,
          specs: list[SourceSpec] | None = None) -> pd.DataFrame:
    """One row per (canonical, source): origin, status against the reference text, and for
    substantive cells the reason, what changed and the differing parameters."""
    specs = comparable_sources(frame, manifest) if specs is None else specs
    if not specs:
        return pd.DataFrame(columns=COLUMNS)
    table_of_mappings = load_crosswalk() if crosswalk is None else crosswalk
    held, numbered, silent = _held_rows(frame, specs, table_of_mappings)
    # Plain Python strings: row-wise work below is much faster than on Arrow-backed columns.
    held = held.astype({c: object for c in ("canonical", "source", "text", "kind")})
    by_id = {s.id: s for s in specs}
    of_source = mappings.by_source(mappings.as_mappings(table_of_mappings))
    held["ctext"] = [
        mappings.translate_references(t, s, of_source[s], m or c) if s in of_source else t
        for t, s, m, c in zip(held["text"].tolist(), held["source"].tolist(),
                              held["mapped_from"].tolist(), held["canonical"].tolist(),
                              strict=True)]
    # Identity and editorial keys are computed where a text differs from its reference
    # (`_judge`, verdicts.compare): most cells print the reference's text as is and need none.

    holders: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for code, source, kind in zip(held["canonical"].tolist(), held["source"].tolist(),
                                  held["kind"].tolist(), strict=True):
        holders.setdefault(code, set()).add(source)
        kinds.setdefault(code, kind)
    origin = {code: origin_of(code, srcs, reference) for code, srcs in holders.items()}
    ref_rows = reference_rows(held, reference, specs)

    cells = pd.MultiIndex.from_product([sorted(holders), [s.id for s in specs]],
                                       names=["canonical", "source"]).to_frame(index=False)
    # Only the columns the table shows or judging reads travel through the joins.
    table = cells.merge(held[["canonical", "source", "text", "citation", "location", "version",
                              "mapped_from", "ctext"]], on=["canonical", "source"],
                        how="left")
    table = table.merge(ref_rows, on="canonical", how="left")
    codes = table["canonical"].tolist()
    table["origin"] = table["canonical"].map(origin)
    table["holders"] = table["canonical"].map({code: len(s) for code, s in holders.items()})
    table["jurisdiction"] = table["source"].map({s.id: s.jurisdiction for s in specs})
    table["kind"] = table["canonical"].map(kinds)
    table["entry"] = pd.Series([c.split(".")[0] for c in codes], index=table.index,
                               dtype=object)
    table["category"] = table["canonical"].map(
        {c: c[0] if is_family_code(c) else "" for c in holders})
    vocabulary = _vocabulary(held)
    gaps = _copy_gaps(table, held, numbered, silent)
    judged = [_judge(Cell(*values), by_id, vocabulary, gaps) for values in zip(
        *(table[column].tolist() for column in Cell._fields), strict=True)]
    table["status"] = [j[0] for j in judged]
    table["reason"] = [j[1].reason if j[1] else "" for j in judged]
    table["detail"] = [j[1].detail if j[1] else "" for j in judged]
    table["rules"] = ["; ".join(j[1].rules) if j[1] else "" for j in judged]
    table["parameters"] = [_parameter_summary(j[1]) for j in judged]
    table["parameter_list"] = [
        json.dumps(j[1].parameters(str(ref), str(src)), ensure_ascii=False)
        if j[1] and j[1].changes else "[]"
        for j, ref, src in zip(judged, table["reference_source"].tolist(),
                               table["source"].tolist(), strict=True)]
    for column in ("text", "mapped_from", "ref_text", "reference_source", "reference_version",
                   "reference_basis"):
        table[column] = table[column].fillna("")
    table = table[COLUMNS]
    # The cells are built in code and source order already when the sources come sorted.
    order = [s.id for s in specs]
    if order != sorted(order):
        table = table.sort_values(["canonical", "source"], ignore_index=True)
    return table


_WORD = re.compile(r"[a-z]{6,}")


def _vocabulary(held: pd.DataFrame) -> verdicts.Vocabulary:
    """How many compared lists use each word of six letters or more, in American spelling
    (the one-list-typo rule's guard)."""
    texts_of: dict[str, set[str]] = {}
    for source, text in zip(held["source"].tolist(), held["ctext"].tolist(), strict=True):
        texts_of.setdefault(source, set()).add(text)
    counts: Counter[str] = Counter()
    for source in sorted(texts_of):
        words: set[str] = set()
        for text in texts_of[source]:
            words.update(_WORD.findall(text.lower()))
        counts.update(american(w) for w in words)
    return verdicts.Vocabulary(dict(counts))


def reference_rows(held: pd.DataFrame, reference: str, specs: list[SourceSpec]) -> pd.DataFrame:
    """Per code, the reference text: the reference list's; where it lacks the code, the newest
    authoritative text holding it: a complete copy before a partial one (a partial copy is
    silent elsewhere), then the newest version, then a code held under its own number before
    one held through a reviewed mapping, then the stable source order."""
    by_id = {s.id: s for s in specs}
    in_ref = held[held["source"] == reference].assign(
        reference_basis="reference list")
    rest = held[~held["canonical"].isin(in_ref["canonical"])]
    order = {s.id: i for i, s in enumerate(specs)}
    rest = rest.assign(
        complete=rest["source"].map(lambda s: by_id[s].complete),
        newest=rest["source"].map(lambda s: by_id[s].version),
        order=rest["source"].map(order), mapped=rest["mapped_from"] != "")
    rest = rest.sort_values(["canonical", "complete", "newest", "mapped", "order"],
                            ascending=[True, False, False, True, True])
    fallback = rest.drop_duplicates("canonical", keep="first")
    fallback = fallback.assign(reference_basis=[
        f"{reference} lacks it: newest {'complete' if by_id[s].complete else 'partial'} text "
        f"holding it" for s in fallback["source"]])
    chosen = pd.concat([in_ref, fallback], ignore_index=True)
    return pd.DataFrame({
        "canonical": chosen["canonical"],
        "reference_source": chosen["source"],
        "reference_version": chosen["source"].map(lambda s: by_id[s].version),
        "reference_basis": chosen["reference_basis"],
        "ref_text": chosen["text"],
        "ref_ctext": chosen["ctext"],
    })


def _copy_gaps(table: pd.DataFrame, held: pd.DataFrame, numbered: dict[str, set[str]],
               silent: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Cells where a source is silent because its copy is: a placeholder row without text, or
    a label skipped before a later sibling it numbers."""
    missing = table.loc[table["ctext"].isna(), ["canonical", "source"]]
    indexes = {source: Numbering.of(codes) for source, codes in numbered.items()}
    empty = Numbering(set(), {})
    gaps = set(silent)
    for code, source in zip(missing["canonical"].tolist(), missing["source"].tolist(),
                            strict=True):
        if (code, source) not in gaps and indexes.get(source, empty).gap(code):
            gaps.add((code, source))
    return gaps


class Cell(NamedTuple):
    """What judging one (code, source) cell reads (`ctext` None where the source lacks it)."""

    canonical: str
    source: str
    ctext: str | None
    ref_ctext: str
    origin: str
    reference_source: str


def _judge(row: Cell, specs: dict[str, SourceSpec], vocabulary: verdicts.Vocabulary,
           gaps: set[tuple[str, str]]) -> tuple[str, verdicts.Verdict | None]:
    if not isinstance(row.ctext, str):
        if (row.canonical, row.source) in gaps:
            return "not-detailed", None
        return silence(row.canonical, specs[row.source]), None
    if row.origin == "national":
        return "national", None
    if row.source == row.reference_source or row.ctext == row.ref_ctext or (
            identity_key(row.ctext) == identity_key(row.ref_ctext)):
        return "identical", None
    verdict = verdicts.compare(row.ref_ctext, row.ctext, specs[row.reference_source].decimal_comma,
                               specs[row.source].decimal_comma, vocabulary)
    return verdict.status, verdict


def _parameter_summary(verdict: verdicts.Verdict | None) -> str:
    """What the Gaps table shows: the parameters that changed, else the reason's detail."""
    if verdict is None or verdict.status != "substantive":
        return ""
    return verdict.summary()


def silence(canonical: str, spec: SourceSpec) -> str:
    return silence_status(canonical, spec.detailed_categories, spec.categories_with_entries)


def silence_status(canonical: str, detailed_categories: tuple[str, ...] | None,
                   categories_with_entries: frozenset[str]) -> str:
    """Why a list lacks a code: `absent` where its copy covers that part in detail, else
    `not-detailed` (silence in our copy is not absence in law).

    A complete copy (detailed_categories None) lacks a code for real. A partial copy (the US
    JSON: paragraph text for categories 1, 3, 4, 5 only; Canada's regulation without its Guide)
    is silent on paragraphs outside its detailed categories, and on whole entries of categories
    it holds no entry headings for.
    """
    if not is_family_code(canonical) or detailed_categories is None:
        return "absent"
    if canonical[0] in detailed_categories:
        return "absent"
    if "." not in canonical and canonical[0] in categories_with_entries:
        return "absent"  # the copy lists every entry heading of that category
    return "not-detailed"
