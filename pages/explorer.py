"""Explorer: search every loaded list by code (any style) or in everyday words, filter, open in
Compare."""

from __future__ import annotations

import hashlib

import streamlit as st

from app_data import cache, comparison, downloads, page, selections, url_state
from harmonize.present.views import common
from harmonize.present.views import explorer as view

PAGE = "explorer"
# Rows drawn in the grid (the downloads hold all): each 500 more made a filter change ~40 ms
# slower at the 95th percentile (bench_ui.py); see pages/gaps.py.
LIMIT = 300
page.header("Explore every loaded list", PAGE)
page.need_lists()

# No analysis fetched here: the rows come from the cached index (app_data/selections.py).
labels, sources = comparison.labels(), comparison.source_ids()
lens_names = comparison.lens_names()
reference, against = comparison.reference(), comparison.reference_label()
lens_ids = list(lens_names)
carried = comparison.carried()
as_of = comparison.as_of()
origin_help = "\n".join(f"- **{w}**: {t}" for w, t in common.origin_legend())
# The search index is built here, with the page, once per process and date (~0.8 s for every
# list): a first search then answers as fast as the next ones (bench_ui.py, section 5).
cache.prepare_search(as_of)


# Filters rerun this fragment only, not the page header: filter changes p95 0.26 s
# against 0.29-0.32 s for the whole page (bench_ui.py).
@st.fragment
def explorer_view() -> None:
    top = st.columns([5, 2], vertical_alignment="bottom")
    query = url_state.text(
        PAGE, "q", "Search by code or in your own words", container=top[0],
        placeholder="spyware · facial recognition · IMSI catcher · GPU · 5.A.1.j · 1-5.A.1.j",
        help="A code in any publisher's style finds it and every paragraph below it. Words "
             "find the controls through a reviewed vocabulary of everyday terms (spyware → "
             "intrusion software, 4A005/4D004; IMSI catcher → 5A001.f; GPU → 3A090/4A090…) "
             "and by ranked full text over every list's paragraphs and notes and the measures "
             "register; each result says why it matched.")
    every = url_state.toggle(PAGE, "all", "every word, exactly", container=top[1],
                             help="Instead of ranked results: only codes whose texts, notes or "
                                  "printed codes contain every word as typed.")
    row1 = st.columns([3, 2, 2])
    chosen = url_state.multiselect(PAGE, "src", "Jurisdictions (status columns)", sources,
                                   format_func=labels.__getitem__, container=row1[0],
                                   placeholder="all loaded")
    categories = url_state.multiselect(PAGE, "cat", "Category", list(view.CATEGORIES),
                                       format_func=view.CATEGORIES.__getitem__, container=row1[1])
    lens = url_state.select(PAGE, "lens", "Lens", ["", *lens_ids], "",
                            format_func=lambda i: lens_names.get(i, "all codes"),
                            container=row1[2])
    row2 = st.columns([3, 2, 2])
    statuses = url_state.multiselect(PAGE, "status", "Status (in any shown jurisdiction)",
                                     list(common.STATUS_MARKS), container=row2[0],
                                     format_func=common.status_cell, help=page.legend_help())
    origins = url_state.multiselect(PAGE, "origin", "Origin",
                                    [*common.origin_options(), "not compared"],
                                    container=row2[1], format_func=common.origin_word,
                                    help=origin_help)
    shown = chosen or sources

    wanted = selections.ExplorerFilters(query, every, tuple(shown), tuple(categories), lens,
                                        tuple(statuses), tuple(origins))
    found = selections.explorer_rows(reference, as_of, wanted, labels)
    rows, measures_found = found.rows, found.measures
    if found.mode == "code" and found.canonical and common.is_safe_code(found.canonical):
        row2[2].markdown(f"Code **`{found.canonical}`** and the paragraphs below it")
    elif found.mode == "code-prefix" and found.canonical and common.is_safe_code(found.canonical):
        row2[2].markdown(f"Codes starting with **`{found.canonical}`**")
    elif found.mode == "words":
        row2[2].caption("Every word must occur")
    elif found.mode == "ranked":
        row2[2].caption("Best matches first; the *why* column says what matched")

    count = len(rows)
    st.caption(f"{count:,} code(s)" + (f"; the first {LIMIT:,} are shown, downloads hold all"
                                       if count > LIMIT else "")
               + ". Select a row (or click its code) to compare it across every list.")
    page.status_legend()
    table = view.explorer_table(rows, shown, labels, carried, limit=LIMIT)
    config = {
        "code": st.column_config.LinkColumn("code", display_text=r"code=([^&]+)", width=105),
        "why": st.column_config.TextColumn("why it matched", width=260),
        "origin": st.column_config.TextColumn("origin", width=110, help=origin_help),
        "text": st.column_config.TextColumn(f"text ({against})", width=470),
        "lenses": None,
    }
    for source in shown:
        config[labels[source]] = st.column_config.TextColumn(labels[source].split(" · ")[0],
                                                             width=62, help=labels[source])
    # A new grid for a new selection of rows (as on Gaps): the grid then paints the new rows
    # sooner than when the same grid is handed new data (side-by-side runs, bench_ui.py).
    state = hashlib.sha1(repr((wanted, reference, as_of)).encode()).hexdigest()[:10]
    event = st.dataframe(table, hide_index=True, width="stretch", height=560, column_config=config,
                         on_select="rerun", selection_mode="single-row",
                         key=f"{PAGE}.table.{url_state.nonce(PAGE)}.{state}")
    picked = list(event.selection.rows) if event is not None else []
    if picked:
        code = str(rows.iloc[picked[0]]["canonical"])
        url_state.bump(PAGE)
        url_state.go("compare", code=code)
    if measures_found:
        st.html(view.measures_html(
            measures_found[:8], lambda i: url_state.link("measures", id=i)))

    filters = [("Search", query or "(none)"), ("Jurisdictions", ", ".join(shown)),
               ("Categories", ", ".join(categories) or "all"), ("Lens", lens or "all"),
               ("Statuses", ", ".join(statuses) or "all"), ("Origins", ", ".join(origins) or "all")]
    files = st.popover("⬇ Download this table", width="content")  # drawn when opened
    # The callable keeps the filters, not the rows (app_data/selections.py).
    downloads.table_buttons(
        lambda: view.plain_table(selections.explorer_rows(reference, as_of, wanted, labels).rows,
                                 shown, labels),
        len(rows), "explorer", "Explorer", filters, key=PAGE, container=files)


explorer_view()
