"""The frame of every page: its title beside the one reference-list selector, the guidance shown
when nothing is loaded, and the status legend."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_data import cache, comparison, routing, url_state
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.present.views import common

NOTHING_LOADED = (
    "No lists are loaded yet. Import a folder laid out as `DIR/<source-id>/<files>` on the "
    "**Sources** page, or from the project folder run `.venv/bin/harmonize import "
    "../shared/sources`. The Measures page works without any list."
)


def header(title: str) -> None:
    """The page title and, beside it, the one reference-list selector that drives every status
    on every page (`?ref=`; the choice also survives moving between pages in a session), with
    the "as of" date when older versions are kept. Both sit in a popover whose label shows the
    current choice: its widgets are drawn only when opened (select boxes drawn at every page
    start cost the Overview ~0.05-0.1 s in side-by-side runs of page variants)."""
    routing.ensure_navigation()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.title(title, anchor=False)  # no link icon: the page's URL is the link
    options = cache.reference_options()
    names = comparison.labels() if cache.loaded() else {}
    initial = str(st.session_state.get(comparison.REFERENCE_KEY, DEFAULT_REFERENCE))
    ref_key, _ = url_state.chosen("app", "ref", options, DEFAULT_REFERENCE, initial)
    dates = cache.version_dates()  # several only when older versions are kept (dated folders)
    asof_key, _ = url_state.chosen("app", "asof", ["", *dates], "",
                                   str(st.session_state.get(comparison.AS_OF_KEY, "")))
    shown = f"Compared with **{names.get(st.session_state[ref_key], st.session_state[ref_key])}**"
    if len(dates) > 1 and st.session_state[asof_key]:  # as comparison.as_of reads it
        shown += f" as of **{st.session_state[asof_key]}**"
    with right.popover(shown, width="stretch", key="app.compared"):
        st.caption("Every status on every page is measured against the reference list"
                   + (", with the lists as they stood on the date chosen." if len(dates) > 1
                      else "."))
        st.session_state[comparison.REFERENCE_KEY] = url_state.select(
            "app", "ref", "Reference list", options, DEFAULT_REFERENCE,
            format_func=lambda s: names.get(s, s), initial=initial,
            help="Every status (identical, editorial, substantive, absent…) is measured "
                 "against this list. Without it loaded, each code is compared with the text "
                 "most lists share.")
        if len(dates) > 1:
            st.session_state[comparison.AS_OF_KEY] = url_state.select(
                "app", "asof", "As of", ["", *dates], "",
                format_func=lambda d: d or "current lists",
                initial=str(st.session_state.get(comparison.AS_OF_KEY, "")),
                help="Compare the lists as they stood on this date: for each list, the latest "
                     "kept version dated on or before it. Lists with no version by then are "
                     "left out, never counted as absent.")


def need_lists() -> None:
    """Stop the page with guidance when nothing is loaded."""
    if not cache.loaded():
        st.info(NOTHING_LOADED)
        st.page_link("pages/sources.py", label="Go to Sources to import lists", icon="📚")
        st.stop()


def status_legend(container: Any = None) -> None:
    where = container or st
    where.caption(" · ".join(f"{mark} {status}" for mark, status, _ in common.status_legend())
                  + " — against the reference list; hover a column header for its list.")
