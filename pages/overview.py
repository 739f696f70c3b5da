"""Overview: lens x jurisdiction heatmap, pairwise agreement, headline figures, versions."""

from __future__ import annotations

import streamlit as st

import app_data
from harmonize import export, views

PAGE = "overview"
app_data.page_header("Where the lists agree")
app_data.need_lists()

result = app_data.analysis()
tables = app_data.scores()
labels = app_data.labels()
sources = app_data.source_ids()
lens_ids = [lens.id for lens in result.book.lenses]
lens_names = {lens.id: ("↳ " if "." in lens.id else "") + lens.name for lens in result.book.lenses}

figures = views.headline(result.aligned, result.frame, result.specs)
for column, (name, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
    column.metric(name, f"{value:,}")

st.subheader("Technology lenses × jurisdictions")
controls = st.columns([2, 3])
metric = app_data.select(PAGE, "metric", "Colour by", list(views.SHARE_METRICS), "same",
                         format_func=views.SHARE_METRICS.__getitem__, container=controls[0])
controls[1].caption(
    f"Share of each lens's codes (union over every loaded list) that a list holds, against "
    f"the reference list **{app_data.current_reference()}**. Codes where a copy has no "
    "paragraph text are left out of its share; a blank cell (–) means nothing there is "
    "comparable. Hover a cell for the counts; click it to open the matching gaps.")
values, hover = views.lens_matrix(tables["lens_scores"], lens_ids, sources, metric)
figure = views.lens_heatmap(values, hover, lens_names, labels, metric)
state = st.plotly_chart(figure, on_select="rerun", selection_mode="points",
                        key=f"{PAGE}.heatmap.{app_data.nonce(PAGE)}", config={"displaylogo": False})
cell = views.selected_cell(list(state.selection.points)) if state is not None else None
if cell is not None:
    app_data.bump(PAGE)
    app_data.go("gaps", lens=cell[0], src=cell[1])

with st.container(horizontal=True, vertical_alignment="bottom"):
    pick_lens = st.selectbox("Open the gaps of a lens…", lens_ids, key=f"{PAGE}.fallback.lens",
                             format_func=lens_names.__getitem__, width=320)
    pick_source = st.selectbox("…in a jurisdiction", sources, key=f"{PAGE}.fallback.src",
                               format_func=labels.__getitem__, width=260)
    if st.button("Open Gaps", icon="🧩"):
        app_data.go("gaps", lens=pick_lens, src=pick_source)

shares = views.lens_shares(tables["lens_scores"], metric)
table = shares.assign(jurisdiction=shares["source"].map(labels))[
    ["lens", "jurisdiction", "identical", "editorial", "substantive", "absent", "national",
     "not_detailed", "total", "comparable", "share"]]
with st.expander("The numbers behind the heatmap"):
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"share": st.column_config.ProgressColumn(
                     "share", format="percent", min_value=0.0, max_value=1.0,
                     color=views.STATUS_COLOURS["identical"])})
    app_data.downloads(table, "lens-scores", "Lens scores",
                       [("Colour by", views.SHARE_METRICS[metric])], key=f"{PAGE}.scores")

left, right = st.columns([3, 2])
with left:
    st.subheader("Pairwise agreement")
    st.caption("Among the codes either list holds (and neither copy is silent on), the share "
               "both hold with the same text up to editorial differences.")
    square = views.agreement_square(tables["pairwise"], sources)
    st.plotly_chart(views.agreement_heatmap(square, tables["pairwise"], labels),
                    config={"displaylogo": False}, key=f"{PAGE}.agreement")
    agreement = square.rename(index=labels, columns=labels).reset_index(names="list")
    app_data.downloads(agreement, "pairwise-agreement", "Agreement", [], key=f"{PAGE}.pairs")
with right:
    st.subheader("Lists loaded")
    versions = views.source_versions(result.manifest)
    st.dataframe(versions[["list", "jurisdiction", "version", "imported"]], hide_index=True,
                 width="stretch")
    app_data.downloads(versions, "lists-loaded", "Lists", [], key=f"{PAGE}.versions")
    st.subheader("Whole comparison")
    app_data.comparison_downloads(export.ExportScope(reference=app_data.current_reference()),
                                  "comparison", key=PAGE)
st.caption("Statuses: " + " · ".join(f"{m} **{s}**: {d}" for m, s, d in views.status_legend()))
