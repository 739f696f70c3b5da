"""One harmonization run over what is loaded: alignment, lens tags, scores and candidates,
as plain data for the CLI and the pages (computed once, then queried)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.codes import canonical_code
from harmonize.collector import collector_paused
from harmonize.compare import (
    candidates,
    crosswalk,
    lenses,
    mappings,
    note_compare,
    queries,
    scores,
)
from harmonize.compare.textnorm import word_diff
from harmonize.fingerprint import code_fingerprint
from harmonize.ingest import store

DIVERGENCES = ("national", "absent", "substantive", "editorial")


@dataclass
class Analysis:
    frame: pd.DataFrame
    manifest: dict[str, Any]
    reference: str
    specs: list[crosswalk.SourceSpec]
    aligned: pd.DataFrame
    book: lenses.LensBook
    tags: pd.DataFrame
    # One row per (governed code, note, compared source): `note_compare.compare_notes`.
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=note_compare.NOTE_COLUMNS))
    _docs: pd.DataFrame | None = field(default=None, repr=False)

    def documents(self) -> pd.DataFrame:
        if self._docs is None:
            sources = {lst: s.id for s in self.specs for lst in s.lists}
            self._docs = candidates.entry_documents(self.frame, sources)
        return self._docs


# What an analysis is computed by: its own package and the model it stands on (not ingest, whose
# output is keyed by the parse keys, nor presentation).
COMPARISON_CODE = ("harmonize.compare", "harmonize.codes", "harmonize.model", "harmonize.paths")
COMPARISON_MODULES = tuple(
    f"harmonize.compare.{path.stem}" for path in sorted(Path(__file__).parent.glob("*.py")))


def analysis_key(manifest: dict[str, Any], reference: str) -> str:
    """Changes when the loaded lists, the reviewed datasets or the comparison code (the
    `harmonize.compare` package and the model and codes it stands on) change; presentation and
    ingest edits keep the cached analyses."""
    digest = hashlib.sha256(reference.encode())
    for source_id in sorted(manifest["sources"]):
        digest.update(f"{source_id}:{manifest['sources'][source_id]['parse_key']}".encode())
    datasets = [crosswalk.DATASETS / "crosswalk.csv", lenses.DATASETS / "lenses.toml"]
    digest.update(code_fingerprint(COMPARISON_MODULES, COMPARISON_CODE).encode())
    for path in datasets:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def load_lists(root: Path | None = None,
               as_of: str | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """The manifest and the rows of every loaded list: the current store, or the kept versions
    as they stood on `as_of`. One such snapshot can serve the analyses of several reference
    lists (the dashboard shares it between them to hold one copy of the texts)."""
    base = root or store.home()
    if as_of:
        from harmonize.ingest import history

        return history.snapshot_as_of(as_of, base)
    return store.load_snapshot(base)


def load_analysis(reference: str = crosswalk.DEFAULT_REFERENCE,
                  root: Path | None = None, as_of: str | None = None,
                  lists: tuple[dict[str, Any], pd.DataFrame] | None = None) -> Analysis:
    """The analysis of what the store holds, from the analysis cache when nothing changed.

    The aligned table and the lens tags are written beside the parse cache, keyed by
    `analysis_key`, so a lookup from the command line does not recompute the crosswalk.
    `lists` is a snapshot already read by `load_lists` with the same root and date."""
    base = root or store.home()
    manifest, frame = lists if lists is not None else load_lists(base, as_of)
    if as_of or not manifest["sources"]:
        # The lists as they stood on a date are computed, not cached on disk.
        return analyse(frame, manifest, reference)
    folder = base / "analysis" / analysis_key(manifest, reference)
    aligned_file, tags_file = folder / "aligned.parquet", folder / "tags.parquet"
    notes_file = folder / "notes.parquet"
    if aligned_file.is_file() and tags_file.is_file() and notes_file.is_file():
        specs = crosswalk.comparable_sources(frame, manifest)
        return Analysis(frame, manifest, reference, specs, pd.read_parquet(aligned_file),
                        lenses.load_lenses(), pd.read_parquet(tags_file),
                        pd.read_parquet(notes_file))
    result = analyse(frame, manifest, reference)
    store.atomic_write_parquet(aligned_file, result.aligned)
    store.atomic_write_parquet(tags_file, result.tags)
    store.atomic_write_parquet(notes_file, result.notes)
    return result




def analyse(frame: pd.DataFrame, manifest: dict[str, Any],
            reference: str = crosswalk.DEFAULT_REFERENCE,
            book: lenses.LensBook | None = None) -> Analysis:
    with collector_paused():
        return _analyse(frame, manifest, reference, book)


def _analyse(frame: pd.DataFrame, manifest: dict[str, Any], reference: str,
             book: lenses.LensBook | None) -> Analysis:
    specs = crosswalk.comparable_sources(frame, manifest)
    known = {s.id for s in specs}
    # Without the default reference loaded, every code compares against the text most lists
    # share; a reference the user names explicitly must be loaded.
    if specs and reference not in known and reference != crosswalk.DEFAULT_REFERENCE:
        raise ValueError(f"reference {reference!r} is not loaded (loaded: {sorted(known)})")
    table_of_mappings = crosswalk.load_crosswalk()
    aligned = crosswalk.align(frame, manifest, reference, crosswalk=table_of_mappings,
                              specs=specs)
    # Notes compare like paragraphs; each cell says whether its code's notes agree.
    notes = note_compare.compare_notes(frame, aligned, specs, table_of_mappings)
    aligned = note_compare.note_status(aligned, notes)
    book = book or lenses.load_lenses()
    tags = lenses.tag(aligned["canonical"], book)
    return Analysis(frame, manifest, reference, specs, aligned, book, tags, notes)


def gaps(analysis: Analysis, lens: str | None = None,
         sources: list[str] | None = None) -> pd.DataFrame:
    """Every divergence (national, absent, substantive, editorial) for a lens and sources."""
    rows = analysis.aligned[analysis.aligned["status"].isin(DIVERGENCES)]
    if sources:
        rows = rows[rows["source"].isin(sources)]
    if lens:
        family = {x.id for x in analysis.book.family(lens)}
        if not family:
            raise ValueError(f"unknown lens {lens!r}")
        codes = analysis.tags.loc[analysis.tags["lens"].isin(family), "canonical"]
        rows = rows[rows["canonical"].isin(set(codes))]
    return rows.reset_index(drop=True)


def score_tables(analysis: Analysis) -> dict[str, pd.DataFrame]:
    commas = {s.id: s.decimal_comma for s in analysis.specs}
    return {
        "lens_scores": scores.lens_scores(analysis.aligned, analysis.tags, analysis.reference),
        "pairwise": scores.pairwise_agreement(analysis.aligned, commas),
        "baseline": scores.baseline_coverage(analysis.aligned),
    }


def national_candidates(analysis: Analysis, source: str, entry: str,
                        top: int = 5) -> pd.DataFrame:
    return candidates.rank_candidates(analysis.documents(), [(source, entry)], top=top)


def lookup(analysis: Analysis, query: str) -> dict[str, Any]:
    """`harmonize lookup`: matches, statuses per source, diffs against the reference and, for
    national entries, ranked candidate counterparts (leads, not alignments).

    A code joined to another numbering by a reviewed mapping (US 4A906 = EU 4A506) gives the
    same comparison from either side: `compared_as` is the code the lists align under and
    `mappings` the reviewed rows that joined them."""
    canonical = canonical_code(query) or query.strip()
    crosswalk_rows = mappings.load_crosswalk()
    joined = mappings.mappings_for(canonical, crosswalk_rows)
    compared_as = canonical
    for _source, printed, mapping in joined:
        if printed:  # the query is the mapped side: compare under its counterpart
            compared_as = mappings.translate(canonical, mapping) or canonical
            break
    result = queries.lookup(analysis.frame, analysis.manifest, compared_as)
    result["query"], result["canonical"], result["compared_as"] = query, canonical, compared_as
    result["mappings"] = [
        {**mapping.describe(), "joins": f"{source} {mappings.back(compared_as, mapping)} = "
                                        f"{compared_as}"}
        for source, _, mapping in mappings.mappings_for(compared_as, crosswalk_rows)]
    cells = analysis.aligned[analysis.aligned["canonical"] == compared_as]
    result["statuses"] = dict(zip(cells["source"], cells["status"], strict=True))
    if "note_status" in cells:  # whether the code's notes agree with the reference list's
        result["note_statuses"] = {
            s: {"status": st, "detail": d} for s, st, d in zip(
                cells["source"], cells["note_status"], cells["note_detail"], strict=True) if st}
    if len(cells):
        # The compared sources' statuses decide absence (they know reviewed mappings and
        # partial copies); annexes and munitions lists are not compared, so not listed here.
        result["absent_in"] = sorted(cells.loc[cells["status"] == "absent", "source"])
        result["not_detailed_in"] = sorted(cells.loc[cells["status"] == "not-detailed", "source"])
        mapped = cells[cells["mapped_from"] != ""]
        result["matches"] += [
            {"source": row.source, "jurisdiction": row.jurisdiction, "version": row.version,
             "code": row.mapped_from, "canonical": compared_as, "kind": row.kind,
             "text": row.text, "citation": row.citation, "location": row.location,
             "mapped_from": row.mapped_from, "national": False, "notes": []}
            for row in mapped.itertuples(index=False)
        ]
    result["origin"] = cells["origin"].iloc[0] if len(cells) else None
    result["reference"] = analysis.reference
    first = cells.iloc[0] if len(cells) else None
    result["reference_text"] = None if first is None else {
        "source": first["reference_source"], "version": first["reference_version"],
        "basis": first["reference_basis"]}
    result["diffs"] = [
        {"source": row.source, "against": row.reference_source,
         "against_version": row.reference_version, "status": row.status, "reason": row.reason,
         "detail": row.detail, "rules": [r for r in str(row.rules).split("; ") if r],
         "parameters": json.loads(str(row.parameter_list or "[]")),
         "diff": word_diff(str(row.ref_text), str(row.text))}
        for row in cells.itertuples(index=False)
        if row.status in ("editorial", "substantive")
    ]
    result["notes"] = note_lookup(analysis.notes, compared_as)
    result["lenses"] = sorted(set(analysis.tags.loc[analysis.tags["canonical"] == compared_as,
                                                    "lens"]))
    result["candidates"] = []
    entry = compared_as.split(".")[0]
    for row in cells.itertuples(index=False):
        if row.status == "national":
            found = national_candidates(analysis, str(row.source), entry)
            result["candidates"] += [
                {"for_source": c.for_source, "source": c.source, "canonical": c.canonical,
                 "score": c.score, "reason": c.reason, "kind": "candidate (not an alignment)"}
                for c in found.itertuples(index=False)
            ]
    return result


def note_lookup(notes: pd.DataFrame, canonical: str) -> list[dict[str, Any]]:
    """The notes governing a code, matched across lists: per note its key (as printed by the
    list of reference), kind, status per source and diffs against the note of reference."""
    out = []
    for _, group in notes[notes["canonical"] == canonical].groupby("note", sort=True):
        first = group.iloc[0]
        against_text = str(group.loc[group["source"] == first["against"], "text"].iloc[0])
        out.append({
            "key": first["key"], "kind": first["kind"], "against": first["against"],
            "against_version": first["against_version"],
            "statuses": dict(zip(group["source"], group["status"], strict=True)),
            "diffs": [
                {"source": row.source, "against": row.against,
                 "against_version": row.against_version, "status": row.status,
                 "reason": row.reason, "detail": row.detail,
                 "parameters": json.loads(str(row.parameter_list or "[]")),
                 "text": row.text, "diff": word_diff(against_text, str(row.text))}
                for row in group.itertuples(index=False)
                if row.status in ("editorial", "substantive")],
        })
    return out
