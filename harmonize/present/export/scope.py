"""What an export covers, and the rows of the analysis inside it.

The scope is what the screen shows: a lens (with its sub-lenses), the jurisdictions chosen, the
reference list, code prefixes (the Compare page's one code), and the Gaps page's own filters
(divergences, origins, words, the "hide absences of national codes" toggle), so the workbook
made from a page holds the rows that page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from harmonize import __version__
from harmonize.compare.analysis import Analysis
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.compare.lenses import Lens
from harmonize.ingest.store import now_iso

TOOL = "Export Control Harmonization Dashboard"
ALL_CODES = "(all codes in scope)"


@dataclass(frozen=True)
class ExportScope:
    """What an export covers (the Cover sheet and each CSV zip's README say it in words)."""

    reference: str = DEFAULT_REFERENCE
    lens: str | None = None
    sources: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # canonical prefixes, e.g. ("5A001.j",)
    # The Gaps page's filters (views.select_gaps), so its workbook holds the rows it shows.
    statuses: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    query: str = ""
    hide_national_absent: bool = True  # as the Gaps page's toggle starts
    # The Gaps page's "note differences only": rows whose notes differ from the reference
    # text's, whatever their paragraph's status.
    note_differences_only: bool = False
    generated_at: str = field(default_factory=now_iso)

    def describe(self) -> list[tuple[str, str]]:
        return [
            ("Reference list", self.reference),
            ("Lens", self.lens or "all"),
            ("Sources", ", ".join(self.sources) or "all loaded"),
            ("Codes", ", ".join(self.codes) or "all"),
            ("Gaps: divergences", ", ".join(self.statuses) or "all"),
            ("Gaps: origins", ", ".join(self.origins) or "all"),
            ("Gaps: words or code", self.query or "(none)"),
            ("Gaps: absences of national codes",
             "hidden" if self.hide_national_absent else "shown"),
            ("Gaps: rows", "note differences only" if self.note_differences_only else "all"),
            ("Generated at (UTC)", self.generated_at),
            ("Tool", f"{TOOL} {__version__}"),
        ]


@dataclass
class Scoped:
    """The analysis cut to a scope: aligned rows of the chosen lists and codes, lens tags of
    those codes (the lens and its sub-lenses only)."""

    aligned: pd.DataFrame
    tags: pd.DataFrame
    sources: list[str]
    codes: list[str]
    lenses: list[Lens]


def in_prefixes(codes: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Codes equal to a prefix or below it (`5A001.j` takes `5A001.j.1`)."""
    if not prefixes:
        return pd.Series(True, index=codes.index)
    mask = pd.Series(False, index=codes.index)
    for prefix in prefixes:
        mask |= (codes == prefix) | codes.str.startswith(prefix + ".")
    return mask


def scope_lenses(analysis: Analysis, lens: str | None) -> list[Lens]:
    if not lens:
        return list(analysis.book.lenses)
    family = analysis.book.family(lens)
    if not family:
        raise ValueError(f"unknown lens {lens!r} (lenses: "
                         f"{', '.join(x.id for x in analysis.book.lenses)})")
    return family


def cut(analysis: Analysis, scope: ExportScope) -> Scoped:
    known = [s.id for s in analysis.specs]
    unknown = [s for s in scope.sources if s not in known]
    if unknown:
        raise ValueError(f"not loaded: {', '.join(unknown)} (loaded: {', '.join(known)})")
    sources = [s for s in known if not scope.sources or s in scope.sources]
    lenses = scope_lenses(analysis, scope.lens)
    lens_ids = {x.id for x in lenses}
    tags = analysis.tags[analysis.tags["lens"].isin(lens_ids)]
    aligned = analysis.aligned[analysis.aligned["source"].isin(sources)]
    if scope.lens:
        aligned = aligned[aligned["canonical"].isin(set(tags["canonical"]))]
    aligned = aligned[in_prefixes(aligned["canonical"], scope.codes)]
    codes = sorted(set(aligned["canonical"]))
    tags = tags[tags["canonical"].isin(set(codes))]
    return Scoped(aligned.reset_index(drop=True), tags.reset_index(drop=True), sources, codes,
                  lenses)
