"""Measures: catch-alls, end-use rules, national lists, proposed and rescinded rules."""

from __future__ import annotations

import streamlit as st

from app_data import cache, comparison, downloads, page, url_state
from harmonize.compare import measures
from harmonize.present.views import changes as changes_view
from harmonize.present.views import common
from harmonize.present.views import measures as view

PAGE = "measures"
page.header("Measures beyond the lists", PAGE)
st.caption("Catch-alls, end-use and end-user rules, national lists and decrees, proposed and "
           "rescinded rules, recommendations and codes of conduct: the reviewed register "
           "`datasets/measures.csv` (documented in `datasets/measures.md`).")

register = cache.measures_table()
row1 = st.columns([2, 2, 2, 3])
jurisdictions = url_state.multiselect(PAGE, "jur", "Jurisdiction",
                                      sorted(register["jurisdiction"].unique()),
                                      container=row1[0])
types = url_state.multiselect(PAGE, "type", "Type", list(measures.TYPES), container=row1[1],
                              format_func=lambda t: t.replace("-", " "))
statuses = url_state.multiselect(PAGE, "status", "Status", list(measures.STATUSES),
                                 container=row1[2], format_func=lambda t: t.replace("-", " "))
lens_names = cache.lens_file_names()
lenses = url_state.multiselect(PAGE, "lens", "Lens (with its sub-lenses)",
                               list(measures.lens_ids()), container=row1[3],
                               format_func=lambda i: lens_names.get(i, i))
query = url_state.text(PAGE, "q", "Search titles, citations, codes and summaries",
                       placeholder="facial recognition · 4E091 · catch-all")

rows = view.filter_measures(register, jurisdictions=jurisdictions, types=types,
                            statuses=statuses, lenses=lenses, query=query)
st.caption(f"{len(rows)} of {len(register)} measures.")
st.plotly_chart(view.measures_timeline(rows), config={"displaylogo": False},
                key=f"{PAGE}.timeline")
st.dataframe(
    rows[["jurisdiction", "title", "type", "status", "date_published", "date_effective",
          "date_rescinded", "codes", "url", "verified"]],
    hide_index=True, width="stretch", height=480,
    column_config={
        "jurisdiction": st.column_config.TextColumn("jur.", width=55),
        "title": st.column_config.TextColumn("title", width="large"),
        "type": st.column_config.TextColumn("type", width=110),
        "status": st.column_config.TextColumn("status", width=80),
        "date_published": st.column_config.TextColumn("published", width=90),
        "date_effective": st.column_config.TextColumn("effective", width=90),
        "date_rescinded": st.column_config.TextColumn("rescinded", width=90),
        "codes": st.column_config.TextColumn("codes", width=110),
        "url": st.column_config.LinkColumn("source", display_text="open ↗", width=70),
        "verified": st.column_config.TextColumn("verified", width=75),
    })
filters = [("Jurisdictions", ", ".join(jurisdictions) or "all"),
           ("Types", ", ".join(types) or "all"), ("Statuses", ", ".join(statuses) or "all"),
           ("Lenses", ", ".join(lenses) or "all"), ("Search", query or "(none)")]
downloads.table_buttons(lambda: rows, len(rows), "measures", "Measures", filters, key=PAGE)

st.subheader("Details")
if len(rows):
    titles = dict(zip(rows["id"], rows["title"], strict=True))
    pick = url_state.select(PAGE, "id", "Measure", list(rows["id"]), str(rows["id"].iloc[0]),
                            format_func=lambda i: titles.get(i, i))
    chosen = rows[rows["id"] == pick].iloc[0]
    for field in ("citation", "instrument", "summary", "notes", "verified_against"):
        if str(chosen[field]):
            st.caption(field.replace("_", " "))
            st.text(str(chosen[field]))
    if str(chosen["url"]).startswith(("https://", "http://")):
        st.link_button("Open the source", str(chosen["url"]))
    around = changes_view.versions_around({str(k): v for k, v in chosen.items()},
                                          changes_view.lists_with_versions(cache.list_versions()))
    if around:
        list_id, older, newer = around
        st.page_link("pages/changes.py", icon=":material/history:",
                     label=f"What changed in {cache.list_names().get(list_id, list_id)} "
                           "between the kept versions around this date",
                     query_params=common.carry({"list": list_id, "from": older, "to": newer},
                                               comparison.carried()))
