"""Gaps: every divergence for a lens and jurisdictions, each row linking to Compare."""

from __future__ import annotations

import streamlit as st

from app_data import comparison, downloads, page, url_state
from harmonize.compare import analysis as core
from harmonize.present import export
from harmonize.present.views import common
from harmonize.present.views import gaps as view

PAGE = "gaps"
# Rows drawn in the grid (in code order); the downloads hold every row. Drawing all 11k rows of
# "all codes" made each filter change take ~0.4 s in the browser; 1,000 rows ~40 ms more than
# 500 at the 95th percentile (bench_ui.py).
LIMIT = 500
page.header("Gaps")
page.need_lists()

result, labels, sources, lens_names, reference = comparison.current()
lens_ids = list(lens_names)

# Filters rerun this fragment only, not the page header: filter changes p95 0.26 s
# against 0.29-0.32 s for the whole page (bench_ui.py).
@st.fragment
def gaps_view() -> None:
    row1 = st.columns([2, 3, 3])
    lens = url_state.select(PAGE, "lens", "Lens", ["", *lens_ids], "surveillance",
                            format_func=lambda i: lens_names.get(i, "all codes"), container=row1[0])
    chosen = url_state.multiselect(PAGE, "src", "Jurisdictions", sources,
                                   format_func=labels.__getitem__, container=row1[1],
                                   placeholder="all loaded")
    statuses = url_state.multiselect(PAGE, "status", "Divergence", list(view.DIVERGENCES),
                                     format_func=common.status_cell, container=row1[2])
    row2 = st.columns([2, 3, 3])
    origins = url_state.multiselect(PAGE, "origin", "Origin", list(common.origin_options()),
                                    container=row2[0])
    query = url_state.text(PAGE, "q", "Filter by code or words", container=row2[1],
                           placeholder="5A001.j · GHz · intrusion")
    hide = url_state.toggle(PAGE, "natabs", "Hide absences of one list's national codes", True,
                            container=row2[0],
                            help="A code only one list holds is absent from every other list by "
                                 "definition; its 'national' row already says so.")
    if lens:
        description = next((x.description for x in result.book.lenses if x.id == lens), "")
        row2[2].caption(description)

    selected = view.select_gaps(core.gaps(result, lens=lens or None, sources=chosen or None),
                                statuses=statuses, origins=origins, query=query,
                                hide_national_absent=hide)
    counts = selected["status"].value_counts()
    st.caption(f"{len(selected):,} divergence(s) against the reference list **{reference}**: "
               + (" · ".join(f"{common.status_cell(str(s))} {n:,}" for s, n in counts.items())
                  or "none")
               + (f". The first {LIMIT:,} in code order are shown (a header click sorts "
                  "those); the downloads hold every row" if len(selected) > LIMIT else
                  ". Click a column header to sort")
               + "; select a row or click its code to compare.")
    table = view.gap_table(selected.head(LIMIT), reference=reference, labels=labels)
    event = st.dataframe(  # without the hidden canonical column: less to send and decode
        table.drop(columns="canonical"), hide_index=True, width="stretch", height=600,
        on_select="rerun", selection_mode="single-row", key=f"{PAGE}.table.{url_state.nonce(PAGE)}",
        column_config={
            "code": st.column_config.LinkColumn("code", display_text=r"code=([^&]+)", width=120),
            "jurisdiction": st.column_config.TextColumn("jurisdiction", width=130),
            "status": st.column_config.TextColumn("status", width=120),
            "origin": st.column_config.TextColumn("origin", width=95),
            "text": st.column_config.TextColumn("text (this list, else the reference's)",
                                                width="large"),
            "parameters": st.column_config.TextColumn("parameters that differ", width="medium"),
        })
    picked = list(event.selection.rows) if event is not None else []
    if picked:
        url_state.bump(PAGE)
        url_state.go("compare", code=str(selected.iloc[picked[0]]["canonical"]))

    filters = [("Lens", lens or "all"), ("Jurisdictions", ", ".join(chosen) or "all loaded"),
               ("Divergence", ", ".join(statuses) or "all"),
               ("Origins", ", ".join(origins) or "all"),
               ("Filter", query or "(none)"),
               ("Absences of national codes", "hidden" if hide else "shown")]
    st.markdown("**This table**")
    downloads.table_buttons(
        lambda: view.gap_download(view.gap_table(selected, reference=reference, labels=labels)),
        len(selected), f"gaps-{lens or 'all'}", "Gaps", filters, key=PAGE)
    st.markdown("**Comparison workbook for this lens and these jurisdictions**")
    downloads.comparison_buttons(
        export.ExportScope(reference=reference, lens=lens or None, sources=tuple(chosen),
                           statuses=tuple(statuses), origins=tuple(origins), query=query,
                           hide_national_absent=hide),
        f"comparison-{lens or 'all'}", key=PAGE)


gaps_view()
