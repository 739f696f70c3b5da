"""Explorer: search every loaded list by code (any style) or words, filter, open in Compare."""

from __future__ import annotations

import streamlit as st

import app_data
from harmonize.present import views

PAGE = "explorer"
# Rows drawn in the grid (the downloads hold all): each 500 more made a filter change ~40 ms
# slower at the 95th percentile (bench_ui.py).
LIMIT = 500
app_data.page_header("Explore every loaded list")
app_data.need_lists()

result, labels, sources, lens_names, reference = app_data.comparison()
lens_ids = list(lens_names)

# Filters rerun this fragment only, not the page header: filter changes p95 0.26 s
# against 0.29-0.32 s for the whole page (bench_ui.py).
@st.fragment
def explorer_view() -> None:
    query = app_data.text(PAGE, "q", "Search by code or words",
                          placeholder="5.A.1.j · 5A001j · 1-5.A.1.j · intrusion software",
                          help="A code in any publisher's style finds it and every paragraph "
                               "below it; other text finds codes whose texts or notes contain "
                               "every word.")
    row1 = st.columns([3, 2, 2])
    chosen = app_data.multiselect(PAGE, "src", "Jurisdictions (status columns)", sources,
                                  format_func=labels.__getitem__, container=row1[0],
                                  placeholder="all loaded")
    categories = app_data.multiselect(PAGE, "cat", "Category", list(views.CATEGORIES),
                                      format_func=views.CATEGORIES.__getitem__, container=row1[1])
    lens = app_data.select(PAGE, "lens", "Lens", ["", *lens_ids], "",
                           format_func=lambda i: lens_names.get(i, "all codes"), container=row1[2])
    row2 = st.columns([3, 2, 2])
    statuses = app_data.multiselect(PAGE, "status", "Status (in any shown jurisdiction)",
                                    list(views.STATUS_MARKS), container=row2[0],
                                    format_func=views.status_cell)
    origins = app_data.multiselect(PAGE, "origin", "Origin", [*views.origin_options(),
                                                              "not compared"], container=row2[1])
    shown = chosen or sources

    found = views.search(app_data.index(), query)
    rows = views.filter_index(
        found.rows, sources=shown, categories=categories,
        lens_codes=views.lens_code_set(result.tags, result.book, lens) if lens else None,
        statuses=statuses, origins=origins)
    if found.mode == "code" and found.canonical and views.is_safe_code(found.canonical):
        row2[2].markdown(f"Code **`{found.canonical}`** and the paragraphs below it")
    elif found.mode == "code-prefix" and found.canonical and views.is_safe_code(found.canonical):
        row2[2].markdown(f"Codes starting with **`{found.canonical}`**")
    elif found.mode == "words":
        row2[2].caption("Word search (every word must occur)")

    count = len(rows)
    st.caption(f"{count:,} code(s)" + (f"; the first {LIMIT:,} are shown, downloads hold all"
                                       if count > LIMIT else "")
               + ". Select a row (or click its code) to compare it across every list.")
    app_data.status_legend()
    table = views.explorer_table(rows, shown, labels, reference, limit=LIMIT)
    config = {
        "code": st.column_config.LinkColumn("code", display_text=r"code=([^&]+)", width=105),
        "origin": st.column_config.TextColumn("origin", width=90),
        "text": st.column_config.TextColumn("text (reference wording)", width=470),
        "lenses": None,
    }
    for source in shown:
        config[labels[source]] = st.column_config.TextColumn(labels[source].split(" · ")[0],
                                                             width=58, help=labels[source])
    event = st.dataframe(table, hide_index=True, width="stretch", height=560, column_config=config,
                         on_select="rerun", selection_mode="single-row",
                         key=f"{PAGE}.table.{app_data.nonce(PAGE)}")
    picked = list(event.selection.rows) if event is not None else []
    if picked:
        code = str(rows.iloc[picked[0]]["canonical"])
        app_data.bump(PAGE)
        app_data.go("compare", code=code)

    filters = [("Search", query or "(none)"), ("Jurisdictions", ", ".join(shown)),
               ("Categories", ", ".join(categories) or "all"), ("Lens", lens or "all"),
               ("Statuses", ", ".join(statuses) or "all"), ("Origins", ", ".join(origins) or "all")]
    app_data.downloads(lambda: views.plain_table(rows, shown, labels), len(rows), "explorer",
                       "Explorer", filters, key=PAGE)


explorer_view()
