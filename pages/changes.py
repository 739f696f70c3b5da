"""Changes: what changed in one list between any two kept versions (added, removed and modified
entries and paragraphs, with the words that differ), beside the measures register."""

from __future__ import annotations

import streamlit as st

from app_data import cache, downloads, page, url_state
from harmonize.present import html_tables
from harmonize.present.views import changes as view
from harmonize.present.views import common

PAGE = "changes"
PER_PAGE = 50  # changes drawn at a time; the downloads hold all
page.header("Changes between versions of a list", PAGE)
page.need_lists()

lists = view.lists_with_versions(cache.list_versions())
if not lists:
    st.info("Only one version of each list is kept, so there is nothing to compare yet. Import "
            "older editions as dated folders (`harmonize import DIR`, laid out as "
            "`DIR/<source-id>/<YYYY-MM-DD>/<files>`); every kept version then shows here.")
    st.stop()

names = cache.list_names()
manifest = cache.manifest()
jurisdiction = {str(lst["id"]): str(lst["jurisdiction"])
                for source in manifest["sources"].values() for lst in source["lists"]}
list_ids = list(lists)
default_list = "wassenaar" if "wassenaar" in lists else list_ids[0]

row = st.columns([3, 2, 2])
list_id = url_state.select(
    PAGE, "list", "List", list_ids, default_list, container=row[0],
    format_func=lambda i: f"{common.jurisdiction_name(jurisdiction.get(i, ''))} · "
                          f"{names.get(i, i)} ({len(lists[i])} versions)")
versions = lists[list_id]
keys = [v.version for v in versions]
dated = {v.version: v.text_version for v in versions}
label = {v.version: v.text_version + (" (current)" if v.current else "") for v in versions}
older = url_state.select(PAGE, "from", "From version", keys[:-1], keys[-2], container=row[1],
                         format_func=label.__getitem__)
newer_options = [k for k in keys if k > older]
newer = url_state.select(PAGE, "to", "To version", newer_options, newer_options[-1],
                         container=row[2], format_func=label.__getitem__)

row2 = st.columns([3, 2, 2])
kinds = url_state.multiselect(PAGE, "change", "Changes", list(view.CHANGE_KINDS),
                              container=row2[0], placeholder="added, removed, modified")
query = url_state.text(PAGE, "q", "Filter by code or words", container=row2[1],
                       placeholder="4A005 · intrusion · GHz")
editorial = url_state.toggle(PAGE, "ed", "editorial changes too", container=row2[2],
                             help="Also list paragraphs whose wording changed only "
                                  "editorially (quotes, spelling, punctuation), and mark every "
                                  "word that changed, not only those that changed in substance")

rows, folded = cache.changes(list_id, older, newer, editorial)
shown = view.filter_changes(rows, kinds, query)
counts = rows["change"].value_counts()
st.html(html_tables.CSS + html_tables.figures_html(
    [(f"{kind}", int(counts.get(kind, 0)), "entries and paragraphs")
     for kind in view.CHANGE_KINDS]
    + ([("editorial only, left out", folded, "switch on 'editorial changes too'")]
       if folded else [])))
st.caption(f"{names.get(list_id, list_id)}: version {dated[older]} → {dated[newer]}. "
           f"{len(shown):,} change(s)"
           + (f", {PER_PAGE} a page; the downloads hold all" if len(shown) > PER_PAGE else "")
           + ". A code opens the lists side by side as of the version that holds it.")

register = cache.measures_table()
juris = jurisdiction.get(list_id, "")
between = view.register_between(register, juris, list(shown["code"]), dated[older],
                                 dated[newer])
if len(between):
    st.markdown("**In the measures register** (this list's jurisdiction between the two "
                "versions, or naming a changed code)")
    st.dataframe(
        between.assign(open=[url_state.link("measures", id=i) for i in between["id"]])[
            ["first", "jurisdiction", "title", "status", "codes", "open"]],
        hide_index=True, width="stretch",
        column_config={"first": st.column_config.TextColumn("date", width=90),
                       "jurisdiction": st.column_config.TextColumn("jur.", width=55),
                       "title": st.column_config.TextColumn("title", width="large"),
                       "open": st.column_config.LinkColumn("register", display_text="open")})


def compare_link(code: str, change: str) -> str:
    version = dated[older] if change == "removed" else dated[newer]
    return url_state.link("compare", code=code, asof=version)


part = shown.iloc[page.paginate(PAGE, len(shown), PER_PAGE)]
st.html(view.changes_html(
    part, compare_link, lambda code: view.measures_of(register, code),
    lambda measure: url_state.link("measures", id=measure), editorial=editorial))

downloads.table_buttons(
    lambda: shown.drop(columns=["editorial"]).assign(editorial=shown["editorial"]), len(shown),
    f"changes-{list_id}-{dated[older]}-{dated[newer]}", "Changes",
    [("List", list_id), ("From", dated[older]), ("To", dated[newer]),
     ("Changes", ", ".join(kinds) or "all"), ("Filter", query or "(none)"),
     ("Editorial changes", "listed" if editorial else "left out")], key=PAGE)
