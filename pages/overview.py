"""Overview: what the tool is, headline figures, lens x jurisdiction heatmap, pairwise
agreement, lists loaded."""

from __future__ import annotations

import streamlit as st

from app_data import comparison, downloads, page, url_state
from harmonize.present import export, overview
from harmonize.present.views import common
from harmonize.present.views import shares as view

PAGE = "overview"
page.header("Export controls on surveillance and AI: where the lists agree", PAGE)
page.need_lists()

# Few elements, few kinds of widget: each cost the browser time when the page starts
# (bench_ui.py). What the tool is, headings, notes and tables come as two cached HTML blocks
# (harmonize/present/overview.py); the controls share one set of scripts (segmented control,
# pill); the download buttons are drawn only when their popover opens.
st.html(comparison.overview_head())
metric = url_state.select(PAGE, "metric", "Colour by", list(view.SHARE_METRICS), "same",
                          format_func=view.SHARE_METRICS.__getitem__, kind="segmented")
st.html(comparison.overview_body(metric))

row = st.container(horizontal=True, vertical_alignment="center")
numbers = url_state.toggle_pill(PAGE, "numbers", "Show the numbers behind the heatmap",
                                container=row)
files = row.popover("⬇ Download the page's tables")
files.caption(overview.DOWNLOAD_NOTE)
downloads.comparison_buttons(
    export.ExportScope(reference=comparison.reference()), "comparison", key=PAGE,
    columns=(files, files),
    csv_tables=("Summary", "Agreement", "Sources", "Matrix", "Gaps"),
    csv_label="⬇ the same tables (csv)")
if numbers:  # the grid's scripts took ~0.4 s of the page's start: drawn on request
    shares = view.lens_shares(comparison.scores()["lens_scores"], metric)
    lenses = comparison.lens_names()
    table = shares.assign(jurisdiction=shares["source"].map(comparison.labels()),
                          lens=shares["lens"].map(lambda i: lenses.get(i, i)))[
        ["lens", "jurisdiction", "identical", "editorial", "substantive", "absent", "national",
         "not_detailed", "total", "comparable", "share"]]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={
                     "not_detailed": st.column_config.NumberColumn("not detailed"),
                     "total": st.column_config.NumberColumn("codes in lens"),
                     "comparable": st.column_config.NumberColumn(
                         "comparable", help="codes whose copy in that list has paragraph text"),
                     "share": st.column_config.ProgressColumn(
                         "share", format="percent", min_value=0.0, max_value=1.0,
                         color=common.STATUS_COLOURS["identical"])})
