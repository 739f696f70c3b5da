"""The comparison every page shows: the reference list and the "as of" date chosen in the page
header (kept in the session, bound to `?ref=` and `?asof=`), and the cached data for that
choice. Values from the session are checked against what is loaded, like every URL value."""

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


def reference() -> str:
    """The reference list every status is measured against."""
    value = st.session_state.get(REFERENCE_KEY, DEFAULT_REFERENCE)
    return value if isinstance(value, str) and value in cache.reference_options() else (
        DEFAULT_REFERENCE)


def as_of() -> str:
    """The date every page compares the lists as of ("" = the current lists)."""
    value = st.session_state.get(AS_OF_KEY, "")
    return value if isinstance(value, str) and value in cache.version_dates() else ""


def carried() -> dict[str, str]:
    """`ref` and `asof` for links, left out at their defaults."""
    return common.comparison_params(reference(), as_of(), DEFAULT_REFERENCE)


def analysis() -> core.Analysis:
    return cache.analysis(reference(), as_of())


def scores() -> dict[str, pd.DataFrame]:
    return cache.scores(reference(), as_of())


def index() -> pd.DataFrame:
    return cache.index(reference(), as_of())


def candidates(source: str, entry: str) -> pd.DataFrame:
    return cache.candidates(reference(), as_of(), source, entry)


def labels() -> dict[str, str]:
    return common.source_labels(cache.specs(reference(), as_of()))


def source_ids() -> list[str]:
    return [s.id for s in cache.specs(reference(), as_of())]


def lens_names() -> dict[str, str]:
    return cache.lens_names(reference(), as_of())


def overview_head() -> str:
    return cache.overview_head(reference(), as_of())


def overview_body(metric: str) -> str:
    return cache.overview_body(reference(), as_of(), metric)


class Comparison(NamedTuple):
    """What a page that shows statuses needs: the analysis against the current reference list,
    the lists' labels and ids, the lens names (file order) and the reference list's id."""

    result: core.Analysis
    labels: dict[str, str]
    sources: list[str]
    lens_names: dict[str, str]
    reference: str


def current() -> Comparison:
    return Comparison(analysis(), labels(), source_ids(), lens_names(), reference())
