"""Overview: lens x jurisdiction heatmap, pairwise agreement, headline figures, versions."""

from __future__ import annotations

import streamlit as st

import app_data
from harmonize.present import export, overview, views

PAGE = "overview"
app_data.page_header("Where the lists agree")
app_data.need_lists()

# Few elements, few kinds of widget: each cost the browser time when the page starts
# (bench_ui.py). Headings, notes and tables come as two cached HTML blocks
# (harmonize/overview.py); the controls share one set of scripts (segmented control, pill);
# the download buttons are drawn only when their popover opens.
st.html(app_data.overview_head())
metric = app_data.select(PAGE, "metric", "Colour by", list(views.SHARE_METRICS), "same",
                         format_func=views.SHARE_METRICS.__getitem__, kind="segmented")
st.html(app_data.overview_body(metric))

row = st.container(horizontal=True, vertical_alignment="center")
numbers = app_data.toggle_pill(PAGE, "numbers", "Show the numbers behind the heatmap",
                               container=row)
downloads = row.popover("⬇ Download the page's tables")
downloads.caption(overview.DOWNLOAD_NOTE)
app_data.comparison_downloads(
    export.ExportScope(reference=app_data.current_reference()), "comparison", key=PAGE,
    columns=(downloads, downloads),
    csv_tables=("Summary", "Agreement", "Sources", "Matrix", "Gaps"),
    csv_label="⬇ the same tables (csv)")
if numbers:  # the grid's scripts took ~0.4 s of the page's start: drawn on request
    shares = views.lens_shares(app_data.scores()["lens_scores"], metric)
    table = shares.assign(jurisdiction=shares["source"].map(app_data.labels()))[
        ["lens", "jurisdiction", "identical", "editorial", "substantive", "absent", "national",
         "not_detailed", "total", "comparable", "share"]]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"share": st.column_config.ProgressColumn(
                     "share", format="percent", min_value=0.0, max_value=1.0,
                     color=views.STATUS_COLOURS["identical"])})
