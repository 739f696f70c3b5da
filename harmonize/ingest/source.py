"""What every loader declares and returns, and the loud checks they share.

A parse step (one module per format, in the style of OpenSanctions' zavod crawlers) exposes
`META`, a `SourceMeta` record, and `parse(path) -> list[ParsedList]`: it reads one raw file,
with no network and no Streamlit (the `Loader` protocol in `harmonize.ingest.registry`).

Parsing goes: format-specific text extraction (a stream of `Line`s) ->
`harmonize.ingest.segmenter.segment` (shared) -> `finish()` here, which builds the validated
frame, reconciles the entry headings seen in the raw text with the entries produced, and keeps
the line stream with the parse (written beside the parse cache, read by `harmonize lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from harmonize.ingest import glyphs
from harmonize.ingest import notes as notes_module
from harmonize.ingest.segmenter import Line, Unplaced
from harmonize.model import ListRow, SourceInfo, rows_to_frame


class LoaderError(Exception):
    """A raw file could not be read as its format: names the file and the place."""

    def __init__(self, path: Path | str, where: str, what: str) -> None:
        super().__init__(f"{path}: {where}: {what}")
        self.path, self.where, self.what = str(path), where, what


class ReconciliationError(LoaderError):
    """Entry headings seen in the raw text and entries produced disagree."""


class ShapeError(LoaderError):
    """The source's shape changed: counts outside what the loader expects."""


@dataclass(frozen=True)
class SourceMeta:
    """The record a loader keeps about its source (zavod-style metadata)."""

    source_id: str  # folder name in an import directory, e.g. "us-ccl"
    jurisdiction: str  # "US", "EU", "WA" (Wassenaar), "AU", "GB", "NO", "CA"
    list_name: str
    publisher: str
    url: str  # where refresh downloads the official text
    format: str  # "eCFR XML", "EUR-Lex HTML", "PDF", "DOCX" ...
    licence: str
    citation: str
    file_patterns: tuple[str, ...]  # globs this loader parses, most preferred first
    expected_entries: tuple[int, int]  # (min, max) entries; outside = shape changed
    # Categories whose paragraph text the loaded copy holds; None = all. Elsewhere: not-detailed.
    detailed_categories: tuple[str, ...] | None = None


@dataclass
class ParsedList:
    """One list read from one raw file (a file can hold several lists, e.g. Annex I and IV)."""

    info: SourceInfo
    frame: pd.DataFrame
    unplaced: list[Unplaced] = field(default_factory=list)
    headings_seen: int = 0
    notes: list[str] = field(default_factory=list)  # what the loader left out and why
    # Categories whose paragraph text this list holds (None = all); elsewhere not-detailed.
    detailed_categories: tuple[str, ...] | None = None
    # The lines the loader extracted and read (the segmenter's input where it is used), kept
    # beside the parse for debugging: `harmonize lines LIST`.
    lines: list[Line] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return int((self.frame["kind"] == "entry").sum())

    @property
    def paragraphs(self) -> int:
        return int((self.frame["kind"] == "paragraph").sum())


def reconcile(path: Path, headings: dict[str, str], rows: Iterable[ListRow]) -> None:
    """Fail loudly when entry headings seen in the raw text (code -> location) and entries
    produced differ, naming the first missing or surplus codes and where they were seen."""
    produced = {r.canonical: r.location for r in rows if r.kind == "entry"}
    missing = sorted(set(headings) - set(produced))
    surplus = sorted(set(produced) - set(headings))
    if missing or surplus:
        parts = []
        if missing:
            parts.append(
                f"{len(missing)} heading(s) seen but not produced: "
                + ", ".join(f"{c} ({headings[c]})" for c in missing[:10])
            )
        if surplus:
            parts.append(
                f"{len(surplus)} entr(y/ies) produced without a heading: "
                + ", ".join(f"{c} ({produced[c]})" for c in surplus[:10])
            )
        raise ReconciliationError(path, "entry headings", "; ".join(parts))


def check_expected(path: Path, meta: SourceMeta, entries: int) -> None:
    low, high = meta.expected_entries
    if not low <= entries <= high:
        raise ShapeError(
            path, "whole file",
            f"{entries} entries, expected {low}-{high} for {meta.source_id}: "
            "has the format changed?",
        )


def finish(
    path: Path,
    meta: SourceMeta,
    info: SourceInfo,
    rows: list[ListRow],
    headings: dict[str, str],
    unplaced: list[Unplaced] | None = None,
    notes: list[str] | None = None,
    check_counts: bool = True,
    lines: Iterable[Line] = (),
) -> ParsedList:
    """Reconcile, check the expected counts, mark detail, and build the validated frame;
    `lines` is the line stream the loader read (kept beside the parse).
    Text is rendered as printed (harmonize.ingest.glyphs: exponents, symbols, degree signs,
    hyphens) and notes are hung on the code they name and keyed (harmonize.ingest.notes)."""
    rendered = glyphs.render_rows(rows)
    unplaced = [replace(u, text=glyphs.faithful_text(u.text)) for u in unplaced or []]
    by_name = notes_module.place_by_name(rows)
    notes_module.assign_note_keys(rows)
    notes = [*(notes or []),
             f"text rendered as printed (superscripts, symbols, degree signs, line-end "
             f"hyphens) in {rendered} row(s), the extracted text kept as details.raw_text; "
             f"{by_name} note(s) hung on the code they name"]
    reconcile(path, headings, rows)
    entries = sum(1 for r in rows if r.kind == "entry")
    if check_counts:
        check_expected(path, meta, entries)
    if meta.detailed_categories is not None:
        for row in rows:
            row.detailed = row.canonical[:1] in meta.detailed_categories
    frame = rows_to_frame(info, rows)
    return ParsedList(
        info=info, frame=frame, unplaced=list(unplaced or []), headings_seen=len(headings),
        notes=list(notes or []), detailed_categories=meta.detailed_categories,
        lines=list(lines),
    )


def source_info(meta: SourceMeta, version: str, source_id: str | None = None,
                list_name: str | None = None) -> SourceInfo:
    """The provenance record that travels on every row of a parsed list."""
    return SourceInfo(
        source_id=source_id or meta.source_id,
        jurisdiction=meta.jurisdiction,
        list_name=list_name or meta.list_name,
        version=version,
        citation=meta.citation,
        url=meta.url,
    )
