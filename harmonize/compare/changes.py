"""What changed in a list between two kept versions, and the timeline of one code through
every kept version of every list (the storage of those versions is `harmonize.ingest.history`).
Purely editorial edits are folded away by `textnorm.editorial_key` unless asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.codes import canonical_code
from harmonize.compare.textnorm import diff_text, editorial_key, identity_key
from harmonize.ingest.history import (
    KEYED_KINDS,
    ListVersion,
    list_versions,
    pick,
    read_rows,
    versions_of,
)

# -- changes between two versions ------------------------------------------------------------------

@dataclass
class Changes:
    source: str
    from_version: str
    to_version: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    modified: list[dict[str, Any]] = field(default_factory=list)
    editorial: int = 0  # modified only editorially (left out unless asked for)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "from": self.from_version, "to": self.to_version,
                "added": self.added, "removed": self.removed, "modified": self.modified,
                "editorial_left_out": self.editorial}


def keyed_texts(frame: pd.DataFrame) -> dict[str, str]:
    """canonical -> text of each entry and paragraph, in the list's order."""
    part = frame[frame["kind"].isin(KEYED_KINDS)].sort_values("seq")
    return dict(zip(part["canonical"].astype(str), part["text"].astype(str), strict=True))


def compare_frames(source: str, from_version: str, to_version: str, old: pd.DataFrame,
                   new: pd.DataFrame, include_editorial: bool = False) -> Changes:
    """Entries and paragraphs added, removed and modified between two tables of one list."""
    before, after = keyed_texts(old), keyed_texts(new)
    out = Changes(source, from_version, to_version)
    out.added = [c for c in after if c not in before]
    out.removed = [c for c in before if c not in after]
    for code, text in after.items():
        if code not in before or identity_key(before[code]) == identity_key(text):
            continue
        editorial = editorial_key(before[code]) == editorial_key(text)
        if editorial and not include_editorial:
            out.editorial += 1
            continue
        kind = "entry" if "." not in code else "paragraph"
        out.modified.append({"canonical": code, "kind": kind, "editorial": editorial,
                             "diff": diff_text(before[code], text)})
    return out


def changes(list_id: str, from_version: str, to_version: str, root: Path | None = None,
            include_editorial: bool = False) -> Changes:
    versions = versions_of(list_id, root)
    old, new = pick(versions, from_version), pick(versions, to_version)
    return compare_frames(list_id, old.version, new.version, read_rows(old), read_rows(new),
                          include_editorial)


# -- timeline of one code ----------------------------------------------------------------------

def timeline(code: str, root: Path | None = None,
             include_editorial: bool = False) -> dict[str, Any]:
    """Per list with kept versions: the first version holding `code`, the versions that changed
    its text, the one that dropped it (and any that brought it back)."""
    canonical = canonical_code(code) or code
    by_list: dict[str, list[ListVersion]] = {}
    for version in list_versions(root):
        by_list.setdefault(version.list_id, []).append(version)
    lists = []
    for list_id, versions in sorted(by_list.items()):
        if len(versions) < 2 and not any(_has(v, canonical) for v in versions):
            continue
        lists.append(_follow(list_id, canonical, versions, include_editorial))
    return {"code": code, "canonical": canonical,
            "lists": [lst for lst in lists if lst["present_in"]]}


def _has(version: ListVersion, canonical: str) -> bool:
    return canonical in keyed_texts(read_rows(version))


def _follow(list_id: str, canonical: str, versions: list[ListVersion],
            include_editorial: bool) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    present: list[str] = []
    previous: str | None = None
    seen = False
    for version in versions:
        text = keyed_texts(read_rows(version)).get(canonical)
        if text is None:
            if previous is not None:
                events.append({"version": version.version, "event": "removed"})
            previous = None
            continue
        present.append(version.version)
        if previous is None:
            events.append({"version": version.version, "text": text,
                           "event": "re-added" if seen else "added"})
        elif identity_key(previous) != identity_key(text):
            editorial = editorial_key(previous) == editorial_key(text)
            if include_editorial or not editorial:
                events.append({"version": version.version, "event": "changed",
                               "editorial": editorial, "diff": diff_text(previous, text)})
        previous, seen = text, True
    first = next((e["version"] for e in events if e["event"] == "added"), None)
    return {
        "list": list_id, "versions": [v.version for v in versions], "present_in": present,
        "first": first,
        "changed": [e["version"] for e in events if e["event"] == "changed"],
        "dropped": next((e["version"] for e in events if e["event"] == "removed"), None),
        "events": events,
    }
