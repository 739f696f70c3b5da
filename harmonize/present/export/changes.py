"""The Changes table: what changed in each list in scope since its previous kept version
(entries and paragraphs added, removed, modified; editorial-only edits left out and counted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from harmonize.compare.changes import compare_frames, keyed_texts
from harmonize.compare.lenses import Lens, LensBook, tag
from harmonize.ingest import history
from harmonize.present.export.scope import in_prefixes

COLUMNS = ["list", "previous version", "version compared", "code", "change", "difference"]


def kept_versions(root: Path | None = None) -> list[history.ListVersion]:
    """Every kept version, or none when the store keeps no readable history."""
    try:
        return history.list_versions(root)
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return []


def changes_frame(compared: Sequence[tuple[str, str]], lenses: list[Lens] | None,
                  codes: tuple[str, ...], book: LensBook, root: Path | None = None,
                  versions: list[history.ListVersion] | None = None,
                  ) -> tuple[pd.DataFrame, list[str]]:
    """For each (list id, version compared): the changes from the kept version before it,
    limited to the codes of `lenses` (None: every code) and below `codes`; and one line per
    list saying what was compared and how many editorial-only edits were left out."""
    kept = kept_versions(root) if versions is None else versions
    by_list: dict[str, list[history.ListVersion]] = {}
    for version in kept:
        by_list.setdefault(version.list_id, []).append(version)
    frames, notes = [], []
    lens_ids = {x.id for x in lenses} if lenses is not None else None
    for list_id, compared_version in compared:
        mine = sorted(by_list.get(list_id, []), key=lambda v: v.text_version)
        at = next((i for i, v in enumerate(mine) if v.text_version == compared_version), None)
        if not at:  # not kept, or the earliest kept
            continue
        before, after = mine[at - 1], mine[at]
        old, new = history.read_rows(before), history.read_rows(after)
        found = compare_frames(list_id, before.text_version, after.text_version, old, new)
        old_texts, new_texts = keyed_texts(old), keyed_texts(new)
        rows = ([(c, "added", new_texts[c]) for c in found.added]
                + [(c, "removed", old_texts[c]) for c in found.removed]
                + [(m["canonical"], "modified", str(m["diff"])) for m in found.modified])
        table = pd.DataFrame(rows, columns=["code", "change", "difference"])
        table = table[_wanted(table["code"], lens_ids, codes, book)]
        notes.append(f"{list_id}: {before.text_version} → {after.text_version}, "
                     f"{(table['change'] == 'added').sum()} added, "
                     f"{(table['change'] == 'removed').sum()} removed, "
                     f"{(table['change'] == 'modified').sum()} modified in scope "
                     f"({found.editorial} editorial-only edit(s) in the whole list left out)")
        frames.append(table.assign(**{"list": list_id, "previous version": before.text_version,
                                      "version compared": after.text_version})[COLUMNS])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return out, notes


def _wanted(codes: pd.Series, lens_ids: set[str] | None, prefixes: tuple[str, ...],
            book: LensBook) -> pd.Series:
    mask = in_prefixes(codes.astype(str), prefixes)
    if lens_ids is not None and len(codes):
        tags = tag(codes.astype(str), book)
        tagged = set(tags.loc[tags["lens"].isin(lens_ids), "canonical"])
        mask &= codes.isin(tagged)
    return mask
