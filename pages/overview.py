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

# Few elements, few kinds of widget: each costs the browser time when the page starts
# (bench_ui.py). What the tool is, headings, notes and tables come as two cached HTML blocks
# (harmonize/present/overview.py). The controls are popovers and an expander whose widgets are
# drawn only when opened: with the segmented control and a pill drawn at the start (and ten
# links in the top bar) the page took ~0.02 s longer (median of 24 paired visits, alternating;
# the header's popover loads the popovers' scripts anyway).
st.html(comparison.overview_head())
row = st.container(horizontal=True, vertical_alignment="center")
metric_key, _ = url_state.chosen(PAGE, "metric", list(view.SHARE_METRICS), "same")
colours = row.popover(f"Colour by: {view.SHARE_METRICS[st.session_state[metric_key]]}",
                      key=f"{PAGE}.colours")
metric = url_state.select(PAGE, "metric", "Colour by", list(view.SHARE_METRICS), "same",
                          format_func=view.SHARE_METRICS.__getitem__, kind="segmented",
                          container=colours)
files = row.popover("⬇ Download the page's tables", key=f"{PAGE}.files")
files.caption(overview.DOWNLOAD_NOTE)
downloads.comparison_buttons(
    export.ExportScope(reference=comparison.reference()), "comparison", key=PAGE,
    columns=(files, files),
    csv_tables=("Summary", "Agreement", "Sources", "Matrix", "Gaps"),
    csv_label="⬇ the same tables (csv)")
st.html(comparison.overview_body(metric))

numbers = url_state.expander(PAGE, "numbers", "The numbers behind the heatmap")
if numbers.open:  # the grid's scripts took ~0.4 s of the page's start: drawn on request
    shares = view.lens_shares(comparison.scores()["lens_scores"], metric)
    lenses = comparison.lens_names()
    table = shares.assign(jurisdiction=shares["source"].map(comparison.labels()),
                          lens=shares["lens"].map(lambda i: lenses.get(i, i)))[
        ["lens", "jurisdiction", "identical", "editorial", "substantive", "absent", "national",
         "not_detailed", "total", "comparable", "share"]]
    numbers.dataframe(table, hide_index=True, width="stretch",
                      column_config={
                          "not_detailed": st.column_config.NumberColumn("not detailed"),
                          "total": st.column_config.NumberColumn("codes in lens"),
                          "comparable": st.column_config.NumberColumn(
                              "comparable",
                              help="codes whose copy in that list has paragraph text"),
                          "share": st.column_config.ProgressColumn(
                              "share", format="percent", min_value=0.0, max_value=1.0,
                              color=common.STATUS_COLOURS["identical"])})
