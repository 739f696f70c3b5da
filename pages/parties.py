"""Parties: who is listed where (end users on the US and EU lists), surveillance vendors first."""

from __future__ import annotations

import streamlit as st

from app_data import cache, downloads, page, url_state
from harmonize.compare import parties_query
from harmonize.ingest import parties_store
from harmonize.present import parties_view
from harmonize.present.views import common

PAGE = "parties"
LIMIT = 500  # rows drawn in the table; the downloads hold all


page.header("Who is listed where", PAGE)
st.caption("End users named on the US lists (15 CFR 744: Entity List, Military End-User List, "
           "military-intelligence end users) and in the EU's restrictive-measures regulations, "
           "matched across lists. Every listing keeps its citation and date; every match shows "
           "the names it rests on.")
if not parties_store.party_sources(cache.manifest()):
    st.info("No party list is loaded. Import a folder holding `us-ear-744`, `us-entity-list` "
            "or `eu-restrictive-measures`: `.venv/bin/harmonize import ../shared/sources`.")
    st.stop()

result, tags, lens_names = cache.parties()
list_names: dict[str, str] = {
    str(i): f"{j} · {n}" for i, j, n in zip(result.listings["list_id"],
                                             result.listings["jurisdiction"],
                                             result.listings["list_name"], strict=True)}

row = st.columns([3, 2, 3, 1])
query = url_state.text(PAGE, "q", "Search by name or alias", container=row[0],
                      placeholder="Positive Technologies · Hikvision · NSO Group",
                      help="Every word must occur in a name or alias; legal forms (JSC, LLC, "
                           "Co., Ltd.) and word order are ignored, Cyrillic is romanised.")
lens = url_state.select(PAGE, "lens", "Party lens", ["", *lens_names], "", container=row[1],
                       format_func=lambda i: lens_names.get(i, "all parties"))
lists = url_state.multiselect(PAGE, "lists", "Lists",
                             sorted(list_names, key=lambda i: list_names[i]),
                             format_func=list_names.__getitem__, container=row[2],
                             placeholder="all lists")
only = url_state.select(PAGE, "only", "Listed by", ["", "US", "EU", "both"], "",
                       container=row[3], format_func=lambda s: {"": "any", "US": "US only",
                                                                "EU": "EU only"}.get(s, s))

table = parties_query.filter_lists(parties_query.search(result.table, query), lists)
if lens:
    table = table[table["party_id"].isin(set(tags.loc[tags["lens"] == lens, "party_id"]))]
if only in ("US", "EU"):
    table = parties_query.one_sided(table, only)
elif only == "both":
    table = table[table["jurisdictions"].map(len) > 1]

both = int((result.table["jurisdictions"].map(len) > 1).sum())
st.caption(f"{len(table):,} of {len(result.table):,} parties shown; {both:,} are listed by both "
           f"the US and the EU ({len(result.links):,} links between "
           f"{len(result.listings):,} listings).")

left, right = st.columns(2)
with left:
    st.subheader("Who is listed where", anchor=False)
    st.dataframe(parties_view.side_matrix(result, table), hide_index=True, width="stretch",
                 height=280)
with right:
    st.subheader("Listed by one side only, per lens", anchor=False)
    st.dataframe(parties_view.one_sided_by_lens(result.table, tags, lens_names),
                 hide_index=True, width="stretch")
    st.caption("Lenses: datasets/party_lenses.toml, each member with the rule that listed it "
               "and a cited source.")

st.subheader("Listings over time", anchor=False)
st.plotly_chart(parties_view.listings_over_time(result, table), config={"displaylogo": False},
                key=f"{PAGE}.timeline")

st.subheader("Parties", anchor=False)
overview = parties_view.overview_table(result, table.head(LIMIT), tags)
st.dataframe(overview.drop(columns=["party_id"]), hide_index=True, width="stretch", height=420,
             column_config={"party": st.column_config.TextColumn("party", width="medium"),
                            "us_lists": st.column_config.TextColumn("US listings", width="large"),
                            "eu_lists": st.column_config.TextColumn("EU listings", width="large"),
                            "matched_by": st.column_config.TextColumn("matched by")})
if len(table) > LIMIT:
    st.caption(f"The first {LIMIT:,} are shown; the downloads hold all {len(table):,}.")
filters = [("Search", query or "(none)"), ("Lens", lens or "all"),
           ("Lists", ", ".join(lists) or "all"), ("Listed by", only or "any")]
downloads.table_buttons(lambda: parties_view.overview_table(result, table, tags), len(table),
                   "parties", "Parties", filters, key=PAGE)

st.subheader("One party", anchor=False)
choices = list(table["party_id"].head(LIMIT))
if choices:
    names = {str(i): str(n) for i, n in zip(table["party_id"], table["name"], strict=True)}
    chosen = url_state.select(PAGE, "id", "Party", choices, choices[0],
                             format_func=lambda i: names.get(i, i))
    st.dataframe(parties_view.party_listings(result, chosen), hide_index=True, width="stretch")
    links = parties_view.party_links(result, chosen)
    if not links.empty:
        st.caption("Why these listings are one party:")
        st.dataframe(links, hide_index=True, width="stretch")
    mine = tags[tags["party_id"] == chosen]
    for tag in mine.to_dict(orient="records"):
        st.markdown(f"**{lens_names.get(str(tag['lens']), str(tag['lens']))}** — "
                    f"{tag['member']}: {tag['reason']} Listed by {tag['listed_by']}. "
                    f"Source: {tag['source']}")

st.subheader("End-use and end-user rules", anchor=False)
rules = parties_view.measure_links(cache.measures_table())
rules["open"] = [common.page_link("measures", id=i) for i in rules["id"]]
st.dataframe(rules.drop(columns=["id"]), hide_index=True, width="stretch",
             column_config={"open": st.column_config.LinkColumn("register",
                                                                display_text="open")})
st.caption("Beyond the lists: the EU's Art. 5 catch-all for cyber-surveillance items and the "
           "US end-user rules of 15 CFR 744 (measures register, datasets/measures.csv).")
