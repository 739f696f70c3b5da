"""Notes and parties in a comparison workbook: the note status beside each row of Gaps, the
Notes table (every note difference in scope, both texts with where each is printed), the
notes behind the pairwise agreement, and the Parties tables (when party lists are loaded).

The judgements are the dashboard's (`harmonize.present.views.notes`), so a workbook says what
the Compare and Gaps pages say.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.compare.analysis import Analysis
from harmonize.present.views import notes as note_views

NOTES_ON_PAPER = "reference note text"  # the Notes table prints up to this column
PartyData = tuple[Any, pd.DataFrame]  # (harmonize.compare.parties_query.Parties, lens tags)


def scope_findings(analysis: Analysis, aligned: pd.DataFrame) -> pd.DataFrame:
    """The note findings of the scoped cells' codes (`views.notes.note_findings`): worked out
    once per export, for the Gaps columns and the Notes table."""
    return note_views.note_findings(analysis.notes, analysis.aligned,
                                    set(aligned["canonical"].tolist()))


def note_columns(rows: pd.DataFrame, findings: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Per gap row: its notes against the reference text's in a word ("same", "differ" or ""
    where no list prints a note on the code) and the differences in words."""
    if "note_status" not in rows or rows.empty:
        return [""] * len(rows), [""] * len(rows)
    status = rows["note_status"].fillna("").astype(str).tolist()
    summary = note_views.cell_summary(findings)
    words = ["differ" if s == "changed" else s for s in status]
    return words, [summary.get((str(c), str(s)), "") for c, s in zip(
        rows["canonical"].tolist(), rows["source"].tolist(), strict=True)]


def notes_frame(analysis: Analysis, findings: pd.DataFrame, sources: Sequence[str],
                version: dict[str, str]) -> pd.DataFrame:
    """Every note difference (changed, missing, not in the reference) of the scoped lists
    (`findings`: `scope_findings`): code, list, note, status, reason, both texts, the list of
    reference, both versions and both citations."""
    findings = note_views.differences(findings)
    findings = findings[findings["source"].isin(list(sources))]
    list_of = {s.id: list(s.lists) for s in analysis.specs}
    printed = note_views.where_printed(analysis.frame, findings, list_of)
    order = {s: i for i, s in enumerate(sources)}
    # Code order as everywhere else, then the list order of the export.
    from harmonize.present.views.common import natural_order  # views.common imports export

    findings = findings.assign(_c=natural_order(findings["canonical"]),
                               _s=findings["source"].map(order)).sort_values(
        ["_c", "note", "_s"], kind="stable")

    def where(source: str, text: str) -> note_views.Printed:
        return printed.get((source, text), note_views.Printed("", "", ""))

    own = [where(s, t) for s, t in zip(findings["source"], findings["text"], strict=True)]
    theirs = [where(s, t) for s, t in zip(findings["against"], findings["against_text"],
                                          strict=True)]
    return pd.DataFrame({
        "code": findings["canonical"].astype(str).to_numpy(),
        "list": findings["source"].astype(str).to_numpy(),
        "note": findings["label"].astype(str).to_numpy(),
        "note status": [note_views.finding_word(str(f)) for f in findings["finding"]],
        "reason": findings["reason"].astype(str).to_numpy(),
        "note text": findings["text"].astype(str).to_numpy(),
        NOTES_ON_PAPER: findings["against_text"].astype(str).to_numpy(),
        # On paper up to here; the rest are for filtering and citing.
        "reference list": findings["against"].astype(str).to_numpy(),
        "list version": [p.version or version.get(str(s), "")
                         for p, s in zip(own, findings["source"], strict=True)],
        "reference version": findings["against_version"].astype(str).to_numpy(),
        "citation": [p.citation for p in own],
        "reference citation": [p.citation for p in theirs],
        "place in the file read": [p.location for p in own],
    })


def note_pairs(analysis: Analysis, aligned: pd.DataFrame, pairs: pd.DataFrame) -> list[int]:
    """Per pair of lists (`pairs`' "list a", "list b"): the codes both hold the same as the
    reference wording (identical or editorial) whose notes differ between the two: one prints
    a note the other lacks, or their notes differ in substance (a note both print differently
    from the note of reference counts as the same only when the two texts are equal)."""
    same = aligned[aligned["status"].isin(("identical", "editorial"))
                   & (aligned["holders"] >= 2)]
    signature = note_views.signatures(analysis.notes[analysis.notes["canonical"].isin(
        set(same["canonical"].tolist()))])
    noted = {code for code, _ in signature}  # codes without notes never differ
    same_codes: dict[str, set[str]] = {}
    for code, source in zip(same["canonical"].tolist(), same["source"].tolist(), strict=True):
        if code in noted:
            same_codes.setdefault(str(source), set()).add(str(code))
    out = []
    for a, b in zip(pairs["list a"], pairs["list b"], strict=True):
        both = same_codes.get(str(a), set()) & same_codes.get(str(b), set())
        out.append(sum(1 for code in both
                       if note_views.notes_differ(signature.get((code, str(a))),
                                                  signature.get((code, str(b))))))
    return out


def stored_parties(root: Path | None = None) -> PartyData | None:
    """The parties of the store and their lens tags, or None when no party list is loaded
    (matching every party takes seconds: the dashboard hands in its cached copy instead)."""
    from harmonize.compare import parties_lenses, parties_query
    from harmonize.ingest import store

    if not store.read_manifest(root).get("parties"):
        return None
    parties = parties_query.load_parties(root)
    tags = parties_lenses.tag_parties(parties.table, parties.listings,
                                      parties_lenses.load_party_lenses())
    return parties, tags


def party_frames(parties: PartyData, root: Path | None = None) -> dict[str, pd.DataFrame]:
    """"Parties" (one row per party, both sides first, each listing with its citation) and
    "Party lists" (the party files of the store `root` read: publisher, format, licence,
    files, records, when)."""
    from harmonize.ingest import store
    from harmonize.present.parties_view import parties_sheet

    manifest = store.read_manifest(root)
    table, _ = parties_sheet(parties[0], parties[1])
    read = [{
        "source": str(source.get("id", key)),
        "jurisdiction": str(source.get("jurisdiction", "")),
        "publisher": str(source.get("publisher", "")),
        "format": str(source.get("format", "")),
        "licence": str(source.get("licence", "")),
        "files read": len(source.get("files", [])),
        "records": int(source.get("records", 0) or 0),
        "imported at": str(source.get("imported_at", "")),
        "url": str(source.get("url", "")),
    } for key, source in sorted(manifest.get("parties", {}).items())]
    return {"Parties": table, "Party lists": pd.DataFrame(read, columns=[
        "source", "jurisdiction", "publisher", "format", "licence", "files read", "records",
        "imported at", "url"])}
