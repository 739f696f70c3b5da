"""Align every loaded list paragraph by paragraph and explain each divergence.

Pure functions over the parsed table (`store.load_lists()`) and the manifest:

- `comparable_sources(manifest)`: the dual-use lists that are compared, one per source (a
  source's national part, such as `uk-sel-national`, belongs to it; Annex IV and munitions
  lists are separate lists and not compared here).
- `align(frame, manifest, reference)`: one row per (canonical code, source) with the code's
  origin and the source's status against the reference list.

Origins: `wassenaar` (in the Wassenaar list), `other-regime` (family codes whose entry number
starts with 1-4: MTCR, NSG, Australia Group, CWC), `plurilateral` (several sources, not
Wassenaar), `national` (one source only). Statuses: identical, editorial, substantive, absent,
national, not-detailed (the loaded copy lacks text there: never counted as absent).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.codes import is_family_code
from harmonize.compare.textnorm import (
    detect_decimal_comma,
    editorial_key,
    extract_parameters,
    identity_key,
    parameter_differences,
)
from harmonize.paths import datasets_dir

STATUSES = ("identical", "editorial", "substantive", "absent", "national", "not-detailed")
ORIGINS = ("wassenaar", "other-regime", "plurilateral", "national")
DEFAULT_REFERENCE = "wassenaar"
DATASETS = datasets_dir()
# Lists kept apart from the comparison: annexes restate Annex I entries; munitions lists are
# another numbering.
_SEPARATE_SUFFIXES = ("-annex-iv", "-ml")
_VACANT = (r"(?i)^\W*(?:(?:[a-z]\.?\s*)?(?:through|to)\s*[a-z]\.?\s*)?\[reserved\]\W*$"
           r"|^\W*not used since\b")


@dataclass(frozen=True)
class SourceSpec:
    """One compared source: its lists, its detail, and how it writes decimals."""

    id: str
    jurisdiction: str
    lists: tuple[str, ...]
    detailed_categories: tuple[str, ...] | None  # None = all categories have paragraph text
    categories_with_entries: frozenset[str]
    decimal_comma: bool


def comparable_sources(frame: pd.DataFrame, manifest: dict[str, Any]) -> list[SourceSpec]:
    """The compared sources, in a stable order (reference-like lists first)."""
    specs = []
    for source_id in sorted(manifest["sources"]):
        lists = [lst for lst in manifest["sources"][source_id]["lists"]
                 if not lst["id"].endswith(_SEPARATE_SUFFIXES)]
        if not lists:
            continue
        ids = tuple(lst["id"] for lst in lists)
        rows = frame[frame["source_id"].isin(ids)]
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
        ))
    return specs


def load_crosswalk(path: Path | None = None) -> pd.DataFrame:
    """Reviewed equivalences between codes that differ (`datasets/crosswalk.csv`)."""
    target = path or DATASETS / "crosswalk.csv"
    columns = ["source", "code", "maps_to", "reason", "reviewed"]
    if not target.is_file():
        return pd.DataFrame(columns=columns)
    with target.open(encoding="utf-8", newline="") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, start=1)
                    if not line.startswith("#")]  # comment lines explain the file
    rows = list(csv.DictReader(line for _, line in numbered))
    frame = pd.DataFrame(rows, columns=columns)
    for (number, _), row in zip(numbered[1:], rows, strict=False):
        if not row.get("source") or not row.get("code") or not row.get("maps_to"):
            raise ValueError(f"{target}: line {number}: source, code and maps_to are required")
        if not row.get("reason"):
            raise ValueError(f"{target}: line {number}: every mapping needs its reason")
    return frame


def apply_crosswalk(rows: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Rename mapped codes (and their paragraphs) to their counterpart's code, keeping the
    printed one in `mapped_from`, so mapped pairs align like same-code paragraphs."""
    rows = rows.assign(mapped_from="")
    for mapping in crosswalk.itertuples():
        in_source = rows["source"] == mapping.source
        code = str(mapping.code)
        below = rows["canonical"].str.startswith(code + ".")
        hit = in_source & ((rows["canonical"] == code) | below)
        if not hit.any():
            continue
        original = rows.loc[hit, "canonical"]
        rows.loc[hit, "mapped_from"] = original
        rows.loc[hit, "canonical"] = str(mapping.maps_to) + original.str[len(code):]
        rows.loc[hit, "entry"] = rows.loc[hit, "canonical"].str.split(".").str[0]
    return rows


def _held_rows(frame: pd.DataFrame, specs: list[SourceSpec]) -> pd.DataFrame:
    list_to_source = {lst: s.id for s in specs for lst in s.lists}
    # Rows that only point to another document (Canada's "Group 1, as described in the Guide")
    # are not controls of their own: they would read as national entries.
    pointer = frame["details"].str.contains('"described_in_guide": true', regex=False)
    # "[Reserved]" and "Not used since 2012" hold a place in the numbering but control nothing.
    vacant = frame["text"].str.match(_VACANT)
    keyed = frame[frame["kind"].isin(["entry", "paragraph"]) & ~pointer & ~vacant
                  & frame["source_id"].isin(list(list_to_source))]
    held = keyed[["canonical", "entry", "kind", "text", "national", "source_id", "citation",
                  "location", "version", "detailed"]].copy()
    held["source"] = held["source_id"].map(list_to_source)
    # A source's own lists may repeat a code (e.g. a national part restating an entry): first wins.
    return held.drop_duplicates(["canonical", "source"], keep="first")


def origin_of(canonical: str, holders: set[str], reference: str = DEFAULT_REFERENCE) -> str:
    if "wassenaar" in holders:
        return "wassenaar"
    if is_family_code(canonical) and canonical[2] in "1234":
        return "other-regime"
    return "plurilateral" if len(holders) >= 2 else "national"


def align(frame: pd.DataFrame, manifest: dict[str, Any], reference: str = DEFAULT_REFERENCE,
          crosswalk: pd.DataFrame | None = None,
          specs: list[SourceSpec] | None = None) -> pd.DataFrame:
    """One row per (canonical, source): origin, status against `reference`, texts and the
    parameters that differ where the status is substantive."""
    specs = comparable_sources(frame, manifest) if specs is None else specs
    if not specs:
        return pd.DataFrame(columns=[
            "canonical", "entry", "category", "kind", "origin", "source", "jurisdiction",
            "status", "text", "reference_source", "ref_text", "mapped_from", "parameters",
            "citation", "location", "version", "ekey"])
    held = _held_rows(frame, specs)
    held = apply_crosswalk(held, load_crosswalk() if crosswalk is None else crosswalk)
    # Plain Python strings: row-wise work below is much faster than on Arrow-backed columns.
    held = held.astype({c: object for c in ("canonical", "source", "text", "kind")})
    by_id = {s.id: s for s in specs}
    held["ekey"] = [editorial_key(_as_mapped(t, m, c), by_id[s].decimal_comma)
                    for t, s, m, c in zip(held["text"], held["source"], held["mapped_from"],
                                          held["canonical"], strict=True)]
    held["ikey"] = [identity_key(t) for t in held["text"]]

    holders: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for code, source, kind in zip(held["canonical"], held["source"], held["kind"], strict=True):
        holders.setdefault(code, set()).add(source)
        kinds.setdefault(code, kind)
    origin = {code: origin_of(code, srcs, reference) for code, srcs in holders.items()}
    ref_rows = _reference_rows(held, reference, specs)

    cells = pd.MultiIndex.from_product([sorted(holders), [s.id for s in specs]],
                                       names=["canonical", "source"]).to_frame(index=False)
    table = cells.merge(held, on=["canonical", "source"], how="left")
    table = table.merge(ref_rows, on="canonical", how="left")
    table["origin"] = table["canonical"].map(origin)
    table["jurisdiction"] = table["source"].map({s.id: s.jurisdiction for s in specs})
    table["kind"] = table["canonical"].map(kinds)
    table["entry"] = table["canonical"].str.split(".").str[0]
    table["category"] = table["canonical"].map(lambda c: c[0] if is_family_code(c) else "")
    table["status"] = [
        _status(row, by_id) for row in table[
            ["canonical", "source", "text", "ikey", "ekey", "ref_ikey", "ref_ekey", "origin",
             "reference_source", "detailed"]].astype(object).itertuples(index=False)
    ]
    table["parameters"] = [
        _parameters(row, by_id) if row.status == "substantive" else ""
        for row in table[["status", "text", "ref_text", "source", "reference_source"]].itertuples(
            index=False)
    ]
    columns = ["canonical", "entry", "category", "kind", "origin", "source", "jurisdiction",
               "status", "text", "reference_source", "ref_text", "mapped_from", "parameters",
               "citation", "location", "version", "ekey"]
    table["text"] = table["text"].fillna("")
    table["mapped_from"] = table["mapped_from"].fillna("")
    return table[columns].sort_values(["canonical", "source"], ignore_index=True)


def _as_mapped(text: str, mapped_from: str, canonical: str) -> str:
    """A mapped text compares with its own entry number replaced by its counterpart's, so a
    self-reference ("specified by 4A906.a") is not read as a difference."""
    if not mapped_from:
        return text
    return text.replace(mapped_from.split(".")[0], canonical.split(".")[0])


def _reference_rows(held: pd.DataFrame, reference: str, specs: list[SourceSpec]) -> pd.DataFrame:
    """Per code, the reference text: the reference list's, else the text most sources share."""
    in_ref = held[held["source"] == reference]
    # A row standing for text the copy lacks (a placeholder, issue #14) is no reference text.
    placeholder = ~held["detailed"].astype(bool) & (held["text"] == "")
    rest = held[~held["canonical"].isin(in_ref["canonical"]) & ~placeholder]
    order = {s.id: i for i, s in enumerate(specs)}
    # Most votes first; among equals, a source that holds the code under its own number (not
    # through a reviewed mapping), then the stable source order.
    rest = rest.assign(order=rest["source"].map(order), mapped=rest["mapped_from"] != "")
    counts = rest.groupby(["canonical", "ekey"])["source"].transform("count")
    rest = rest.assign(votes=counts).sort_values(["canonical", "votes", "mapped", "order"],
                                                 ascending=[True, False, True, True])
    consensus = rest.drop_duplicates("canonical", keep="first")
    chosen = pd.concat([in_ref, consensus], ignore_index=True)
    return pd.DataFrame({
        "canonical": chosen["canonical"],
        "reference_source": chosen["source"],
        "ref_text": chosen["text"],
        "ref_ikey": chosen["ikey"],
        "ref_ekey": chosen["ekey"],
    })


def _status(row: Any, specs: dict[str, SourceSpec]) -> str:
    if isinstance(row.text, str):
        if row.detailed is not None and row.detailed == False and not row.text:  # noqa: E712
            return "not-detailed"  # the copy holds the code, not its text (a placeholder row)
        if row.origin == "national":
            return "national"
        if row.source == row.reference_source or row.ikey == row.ref_ikey:
            return "identical"
        return "editorial" if row.ekey == row.ref_ekey else "substantive"
    return silence(row.canonical, specs[row.source])


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


def _parameters(row: Any, specs: dict[str, SourceSpec]) -> str:
    ref_source = specs.get(row.reference_source)
    ours = extract_parameters(row.text, specs[row.source].decimal_comma)
    ref_comma = ref_source.decimal_comma if ref_source else False
    theirs = extract_parameters(row.ref_text or "", ref_comma)
    diff = parameter_differences(theirs, ours)
    parts = []
    if diff["reference"]:
        parts.append(f"{row.reference_source}: " + "; ".join(diff["reference"]))
    if diff["list"]:
        parts.append(f"{row.source}: " + "; ".join(diff["list"]))
    return " | ".join(parts) if parts else "wording differs (no numeric parameter differs)"
