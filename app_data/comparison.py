"""The comparison every page shows: the reference list and the "as of" date chosen in the page
header (kept in the session, bound to `?ref=` and `?asof=`), and the cached data for that
choice. Values from the session are checked against what is loaded, like every URL value.

What the header says and what the page measures are one thing: `reference()` is the list the
statuses are really measured against. When the chosen list has no kept version by the chosen
date it is the default list, and when that has none either, each code is compared with the text
most lists share (`reference_label` says so, and `notes` explains it in the header)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from app_data import cache
from harmonize.compare import analysis as core
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.present.views import common

# Session-state keys the page header writes (app_data.page) and every page reads.
REFERENCE_KEY = "_ref"
AS_OF_KEY = "_asof"
CONSENSUS = "the text most lists share"


def chosen_reference() -> str:
    """The reference list the visitor chose (what links carry along)."""
    value = st.session_state.get(REFERENCE_KEY, DEFAULT_REFERENCE)
    return value if isinstance(value, str) and value in cache.reference_options() else (
        DEFAULT_REFERENCE)


def as_of() -> str:
    """The date every page compares the lists as of ("" = the current lists)."""
    value = st.session_state.get(AS_OF_KEY, "")
    return value if isinstance(value, str) and value in cache.version_dates() else ""


def available() -> list[str]:
    """The compared lists that have a version by the chosen date (all, for the current lists)."""
    return cache.compared_at(as_of())


def reference() -> str:
    """The list every status is measured against: the chosen one when it has a version by the
    date, else the default (which, when it has none either, makes each code compare with the
    text most lists share)."""
    chosen = chosen_reference()
    return chosen if chosen in available() else DEFAULT_REFERENCE


def reference_label() -> str:
    """What the statuses are measured against, in words."""
    ref = reference()
    return labels().get(ref, ref) if ref in available() else CONSENSUS


def reference_short() -> str:
    """`reference_label` in a few words ("US", "Wassenaar"), for the header's button."""
    ref = reference()
    return short_labels().get(ref, ref) if ref in available() else CONSENSUS


def missing() -> list[str]:
    """Labels of the loaded lists with no kept version by the chosen date (left out)."""
    if not as_of():
        return []
    now = cache.compared_at("")
    names = cache.labels(DEFAULT_REFERENCE, "")
    have = set(available())
    return [names.get(s, s) for s in now if s not in have]


def notes() -> list[str]:
    """What the header must say besides the reference list: a chosen list that has no version
    by the date, and the lists left out as of that date (markdown, values already checked)."""
    out = []
    chosen, date = chosen_reference(), as_of()
    if chosen != reference():
        names = cache.labels(DEFAULT_REFERENCE, "")
        out.append(f"{names.get(chosen, chosen)} has no kept version by {date}: every status "
                   f"here is measured against {reference_label()} instead.")
    elif reference() not in available() and available():
        out.append(f"No kept version of the Wassenaar list by {date}: each code is compared "
                   f"with {CONSENSUS}.")
    gone = missing()
    if gone:
        out.append(f"As of {date}, no kept version of: {'; '.join(gone)}. These lists are left "
                   "out of every page for that date (not counted as absent).")
    return out


def carried() -> dict[str, str]:
    """`ref` and `asof` for links, left out at their defaults (the visitor's choice)."""
    return common.comparison_params(chosen_reference(), as_of(), DEFAULT_REFERENCE)


def analysis() -> core.Analysis:
    return cache.analysis(reference(), as_of())


def scores() -> dict[str, pd.DataFrame]:
    return cache.scores(reference(), as_of())


def index() -> pd.DataFrame:
    return cache.index(reference(), as_of())


def candidates(source: str, entry: str) -> pd.DataFrame:
    return cache.candidates(reference(), as_of(), source, entry)


def labels() -> dict[str, str]:
    """Source id -> "US · Commerce Control List" for the lists compared."""
    return cache.labels(reference(), as_of())


def short_labels() -> dict[str, str]:
    return common.short_labels(cache.specs(reference(), as_of()))


def source_ids() -> list[str]:
    return [s.id for s in cache.specs(reference(), as_of())]


def lens_names() -> dict[str, str]:
    return cache.lens_names(reference(), as_of())


def overview_head() -> str:
    return cache.overview_head(reference(), as_of(), reference_label())


def overview_body(metric: str) -> str:
    return cache.overview_body(reference(), as_of(), metric, carried())


class Comparison(NamedTuple):
    """What a page that shows statuses needs: the analysis against the current reference list,
    the lists' labels and ids, the lens names (file order), the reference list's id and what it
    is called on screen."""

    result: core.Analysis
    labels: dict[str, str]
    sources: list[str]
    lens_names: dict[str, str]
    reference: str
    reference_label: str


def current() -> Comparison:
    return Comparison(analysis(), labels(), source_ids(), lens_names(), reference(),
                      reference_label())
