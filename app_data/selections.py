"""What a page's filters select, worked out from small keys (the reference list, the date and
the filter values): the page draws it, and a download button's callable keeps only those keys
and works it out again when clicked. A callable lives as long as the visitor's session (and
Streamlit keeps a closed session a while); one holding the selected rows kept that reference
list's Explorer index in memory after the cache had let it go, and each session that had
been on Gaps its own copy of the gaps it selected (bench_ui.py, load and references)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from app_data import cache
from harmonize.present.views import explorer as view
from harmonize.present.views import gaps as gaps_view


@dataclass(frozen=True)
class ExplorerFilters:
    """The Explorer's filters: the search text (`every`: every word, exactly, instead of ranked
    results), the lists whose statuses count, categories, lens ("" = every code), statuses
    and origins (empty = all)."""

    query: str = ""
    every: bool = False
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    lens: str = ""
    statuses: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()


class ExplorerRows(NamedTuple):
    rows: pd.DataFrame  # rows of the Explorer's index, best first when ranked
    measures: list[dict[str, Any]]  # register measures a ranked search found
    mode: str  # how the query was read (harmonize.present.views.explorer.search)
    canonical: str | None  # the code the query normalised to, when it is one


def explorer_rows(reference: str, as_of: str, filters: ExplorerFilters,
                  labels: dict[str, str]) -> ExplorerRows:
    """The Explorer's rows for these filters, against `reference` as of `as_of` (`labels`:
    list id -> label, for why a ranked row matched)."""
    index = cache.index(reference, as_of)
    found = view.search(index, filters.query, every_word=filters.every)
    rows, measures = found.rows, []
    if found.mode == "ranked":
        ranked = view.rank(index, cache.found(as_of, filters.query),
                           cache.mapped(reference, as_of), labels)
        rows, measures = ranked.rows, ranked.measures
    rows = view.filter_index(
        rows, sources=filters.sources, categories=filters.categories,
        lens_codes=cache.lens_codes(reference, as_of, filters.lens) if filters.lens else None,
        statuses=filters.statuses, origins=filters.origins)
    return ExplorerRows(rows, measures, found.mode, found.canonical)


@dataclass(frozen=True)
class GapFilters:
    """The Gaps page's filters: lens (None = every code), lists (empty = all), divergences,
    origins, words or code, whether absences of one-list codes fold into their national
    row (harmonize.present.views.gaps.select_gaps), and "note differences only" (the cells
    whose notes differ, whatever their paragraph's status)."""

    lens: str | None = None
    sources: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    query: str = ""
    hide_national_absent: bool = False
    notes_only: bool = False


def gap_rows(reference: str, as_of: str, filters: GapFilters) -> pd.DataFrame:
    """The gaps these filters select against `reference` as of `as_of`, in code order."""
    codes = set(cache.lens_codes(reference, as_of, filters.lens)) if filters.lens else None
    # Note differences include cells whose paragraph agrees: not among the divergences.
    every = (gaps_view.note_gaps(cache.analysis(reference, as_of).aligned) if filters.notes_only
             else cache.gaps(reference, as_of))
    return gaps_view.select_gaps(
        gaps_view.within(every, filters.sources, codes),
        statuses=filters.statuses, origins=filters.origins, query=filters.query,
        hide_national_absent=filters.hide_national_absent, ordered=True,
        notes_only=filters.notes_only)
