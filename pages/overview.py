"""Overview: lens x jurisdiction heatmap, pairwise agreement, headline figures, versions."""

from __future__ import annotations

import streamlit as st

import app_data
from harmonize import export, html_tables, scores, views

PAGE = "overview"
app_data.page_header("Where the lists agree")
app_data.need_lists()

result, labels, sources, lens_names, reference = app_data.comparison()
tables = app_data.scores()
lens_ids = list(lens_names)

# Few elements: each one costs the browser time when the page starts (bench_ui.py).
st.html(html_tables.CSS
        + html_tables.figures_html(views.headline(result.aligned, result.frame, result.specs)))

st.subheader("Technology lenses × jurisdictions")
controls = st.columns([2, 3])
metric = app_data.select(PAGE, "metric", "Colour by", list(views.SHARE_METRICS), "same",
                         format_func=views.SHARE_METRICS.__getitem__, container=controls[0])
controls[1].caption(
    f"Share of each lens's codes (union over every loaded list) that a list holds, against "
    f"the reference list **{reference}**. Codes where a copy has no "
    "paragraph text are left out of its share; a blank cell (–) means nothing there is "
    "comparable. Hover a cell for the counts; click it to open the matching gaps.")
values, tips = views.lens_matrix(tables["lens_scores"], lens_ids, sources, metric)
gaps_link = app_data.linker("gaps")
st.html(html_tables.heatmap_html(
    values, tips, lens_names, labels, caption=views.SHARE_METRICS[metric],
    link=lambda lens, source: gaps_link(lens=lens, src=source))
    + html_tables.scale_html("nothing comparable: the list's copy has no paragraph text there"))

shares = views.lens_shares(tables["lens_scores"], metric)
table = shares.assign(jurisdiction=shares["source"].map(labels))[
    ["lens", "jurisdiction", "identical", "editorial", "substantive", "absent", "national",
     "not_detailed", "total", "comparable", "share"]]
# The grid is drawn on request: its scripts took ~0.4 s of the page's start (bench_ui.py).
if app_data.toggle_button(PAGE, "numbers", "Show the numbers behind the heatmap",
                          "Hide the numbers"):
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"share": st.column_config.ProgressColumn(
                     "share", format="percent", min_value=0.0, max_value=1.0,
                     color=views.STATUS_COLOURS["identical"])})

left, right = st.columns([3, 2])
with left:
    st.subheader("Pairwise agreement")
    st.caption("Among the codes either list holds (and neither copy is silent on), the share "
               "both hold with the same text up to editorial differences.")
    square = scores.agreement_square(tables["pairwise"], sources)
    tips = views.agreement_tips(square, tables["pairwise"], labels)
    st.html(html_tables.heatmap_html(square, tips, labels, labels,
                                     caption="Agreement, hover for the counts"))
with right:
    st.subheader("Lists loaded")
    versions = views.source_versions(result.manifest)
    st.html(html_tables.table_html(versions[["list", "jurisdiction", "version", "imported"]],
                                   caption="Lists loaded"))
    st.subheader("Download")
    # One pair of buttons for the page: ten made it ~0.4 s slower to start (bench_ui.py).
    st.caption("Every table on this page, as sheets of one workbook (Summary: the numbers "
               "behind the heatmap; Agreement; Sources: the lists loaded) beside every code's "
               "statuses (Matrix), divergences (Gaps) and texts; or the same tables as CSV.")
    app_data.comparison_downloads(export.ExportScope(reference=reference),
                                  "comparison", key=PAGE,
                                  csv_tables=("Summary", "Agreement", "Sources", "Matrix", "Gaps"),
                                  csv_label="⬇ the same tables (csv)")
st.caption("Statuses: " + " · ".join(f"{m} **{s}**: {d}" for m, s, d in views.status_legend()))
