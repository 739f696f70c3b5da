"""Read-only questions over the loaded lists, as plain data (used by the CLI and the pages)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from harmonize.codes import canonical_code, category_of, is_family_code
from harmonize.compare.crosswalk import silence_status
from harmonize.model import NOTE_KINDS


def status(manifest: dict[str, Any]) -> dict[str, Any]:
    """`harmonize status`: one record per loaded list, with its source's provenance."""
    rows = []
    for source_id in sorted(manifest["sources"]):
        source = manifest["sources"][source_id]
        for lst in source["lists"]:
            rows.append({
                "id": lst["id"],
                "source": source_id,
                "jurisdiction": lst["jurisdiction"],
                "list": lst["list_name"],
                "version": lst["version"],
                "entries": lst["entries"],
                "paragraphs": lst["paragraphs"],
                "notes": lst["notes"],
                "unplaced": lst["unplaced"],
                "sha256": source["sha256"],
                "imported_at": source["imported_at"],
                "raw_file": source["raw_file"],
                "publisher": source["publisher"],
                "format": source["format"],
                "url": lst["url"],
                "citation": lst["citation"],
                "detailed_categories": lst.get("detailed_categories"),
                "loader_notes": lst.get("loader_notes", []),
            })
    return {"sources": rows}


def list_rows(frame: pd.DataFrame, list_id: str) -> dict[str, Any]:
    """`harmonize list SOURCE`: every row of one list, in source order."""
    part = frame[frame["source_id"] == list_id].sort_values("seq")
    columns = ["canonical", "code", "kind", "depth", "parent", "text", "location", "national",
               "sensitivity", "reasons", "detailed"]
    records = part[columns].to_dict(orient="records")
    return {"source": list_id, "rows": [_plain(r) for r in records]}


def _plain(record: dict[Any, Any]) -> dict[str, Any]:
    """numpy scalars -> JSON-ready Python values."""
    return {str(k): (v.item() if hasattr(v, "item") else v) for k, v in record.items()}


def is_detailed(lst: dict[str, Any], canonical: str) -> bool:
    """Whether a list's loaded copy holds paragraph text where `canonical` would be."""
    detailed = lst.get("detailed_categories")
    if detailed is None:
        return True
    return category_of(canonical) in detailed


def lookup(frame: pd.DataFrame, manifest: dict[str, Any], query: str) -> dict[str, Any]:
    """`harmonize lookup CODE`: the code in every loaded list, and where it is absent.

    A list whose loaded copy has no paragraph text for that part goes to `not_detailed_in`, never
    to `absent_in`: silence in our copy is not absence in law.
    """
    canonical = canonical_code(query) or query.strip()
    keyed = frame[frame["kind"].isin(["entry", "paragraph"])]
    hits = keyed[keyed["canonical"] == canonical]
    notes = frame[frame["kind"].isin(NOTE_KINDS) & (frame["canonical"] == canonical)]
    matches = []
    for _, row in hits.iterrows():
        own_notes = notes[notes["source_id"] == row["source_id"]]
        matches.append({
            "source": row["source_id"],
            "jurisdiction": row["jurisdiction"],
            "list": row["list_name"],
            "version": row["version"],
            "code": row["code"],
            "canonical": row["canonical"],
            "kind": row["kind"],
            "text": row["text"],
            "national": bool(row["national"]),
            "reasons": row["reasons"],
            "location": row["location"],
            "citation": row["citation"],
            "notes": [{"kind": n["kind"], "text": n["text"]} for _, n in own_notes.iterrows()],
        })
    found = {m["source"] for m in matches}
    absent: list[str] = []
    not_detailed: list[str] = []
    for _, lst in _lists(manifest):
        if lst["id"] in found:
            continue
        silent = silence_kind(frame, lst, canonical)
        (absent if silent == "absent" else not_detailed).append(lst["id"])
    return {"query": query, "canonical": canonical, "matches": matches,
            "absent_in": sorted(absent), "not_detailed_in": sorted(not_detailed)}


def silence_kind(frame: pd.DataFrame, lst: dict[str, Any], canonical: str) -> str:
    """Why a list lacks a code (see `crosswalk.silence_status`)."""
    entries = frame[(frame["source_id"] == lst["id"]) & (frame["kind"] == "entry")]["canonical"]
    family = entries[entries.map(is_family_code)]  # Canada's "5504" is not category 5 detail
    detailed = lst.get("detailed_categories")
    return silence_status(canonical, tuple(detailed) if detailed is not None else None,
                          frozenset(family.str[0]))


def _lists(manifest: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(sid, lst) for sid in sorted(manifest["sources"])
            for lst in manifest["sources"][sid]["lists"]]
