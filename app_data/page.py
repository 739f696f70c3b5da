"""The frame of every page: its title beside the one reference-list selector, what the header
must say about the comparison (a list without a version by the chosen date), the guidance shown
when nothing is loaded, and the status and origin legends."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_data import cache, comparison, routing, url_state
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.present.views import common

NOTHING_LOADED = (
    "No lists are loaded yet. The owner of this dashboard imports them from the command line "
    "(`harmonize import DIR`, a folder laid out as `DIR/<source-id>/<files>`, or a bundle); "
    "where importing from the dashboard is switched on, the **Sources** page does it. The "
    "Measures page works without any list."
)


def header(title: str, page: str) -> None:
    """The page title and, beside it, the one reference-list selector that drives every status
    on every page (`?ref=`; the choice also survives moving between pages in a session), with
    the "as of" date when older versions are kept. Both sit in a popover whose label shows the
    current comparison: its widgets are drawn only when opened (select boxes drawn at every page
    start cost the Overview ~0.05-0.1 s in side-by-side runs of page variants). Below the title,
    what the comparison's date leaves out. `page` is the page's id, the
    prefix of its widgets' keys: a page reached anew gets back its view (url_state.arrive)."""
    routing.ensure_navigation()
    url_state.arrive(page)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.title(title, anchor=False)  # no link icon: the page's URL is the link
    options = cache.reference_options()
    names = cache.labels(DEFAULT_REFERENCE, "") if cache.loaded() else {}
    initial = str(st.session_state.get(comparison.REFERENCE_KEY, DEFAULT_REFERENCE))
    ref_key, _ = url_state.chosen("app", "ref", options, DEFAULT_REFERENCE, initial)
    dates = cache.version_dates()  # several only when older versions are kept (dated folders)
    asof_key, _ = url_state.chosen("app", "asof", ["", *dates], "",
                                   str(st.session_state.get(comparison.AS_OF_KEY, "")))
    # What the page measures against, decided before anything is drawn (comparison.reference).
    st.session_state[comparison.REFERENCE_KEY] = st.session_state[ref_key]
    st.session_state[comparison.AS_OF_KEY] = st.session_state[asof_key] if len(dates) > 1 else ""
    shown = f"Compared with **{comparison.reference_short()}**" if cache.loaded() else (
        "Reference list")
    if comparison.as_of():
        shown += f" as of **{comparison.as_of()}**"
    with right.popover(shown, width="stretch", key="app.compared"):
        st.caption(f"Every status on every page is measured against "
                   f"**{comparison.reference_label()}**"
                   + (", with the lists as they stood on the date chosen." if len(dates) > 1
                      else "."))
        url_state.select(
            "app", "ref", "Reference list", options, DEFAULT_REFERENCE,
            format_func=lambda s: names.get(s, s), initial=initial,
            help="Every status (identical, editorial, substantive, absent…) is measured "
                 "against this list. Without it loaded, each code is compared with the text "
                 "most lists share.")
        if len(dates) > 1:
            url_state.select(
                "app", "asof", "As of", ["", *dates], "",
                format_func=lambda d: d or "current lists",
                initial=str(st.session_state.get(comparison.AS_OF_KEY, "")),
                help="Compare the lists as they stood on this date: for each list, the latest "
                     "kept version dated on or before it. Lists with no version by then are "
                     "left out, never counted as absent; the page says which.")
    if cache.loaded():
        for note in comparison.notes():
            st.warning(note, icon=":material/history:")


def paginate(page: str, rows: int, per_page: int, container: Any = None) -> slice:
    """The rows of the page of results the visitor chose (`?pg=`), with the page picker drawn
    when there is more than one page."""
    pages = max(1, -(-rows // per_page))
    if pages == 1:
        return slice(0, per_page)
    part = url_state.select(page, "pg", "Page", [str(n) for n in range(1, pages + 1)], "1",
                            format_func=lambda n: f"{n} of {pages}", container=container,
                            kind="segmented" if pages <= 12 else "selectbox")
    start = (int(part) - 1) * per_page
    return slice(start, start + per_page)


def need_lists() -> None:
    """Stop the page with guidance when nothing is loaded."""
    if not cache.loaded():
        st.info(NOTHING_LOADED)
        st.page_link("pages/sources.py", label="Go to Sources", icon="📚")
        st.stop()


def status_legend(container: Any = None) -> None:
    where = container or st
    where.caption(" · ".join(f"{mark} {status}" for mark, status, _ in common.status_legend())
                  + f" — against {comparison.reference_label()}; hover a column header for "
                    "its list.")


def legend_help() -> str:
    """What every status and origin means, for a widget's help or a popover (markdown)."""
    statuses = "\n".join(f"- {mark} **{status}**: {text}"
                         for mark, status, text in common.status_legend())
    origins = "\n".join(f"- **{word}**: {text}" for word, text in common.origin_legend())
    return f"**Statuses** (against the reference list)\n\n{statuses}\n\n**Origins**\n\n{origins}"
