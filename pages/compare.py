"""Compare: one entry or paragraph side by side across every loaded list."""

from __future__ import annotations

import streamlit as st

from app_data import cache, comparison, downloads, page, url_state
from harmonize.codes import canonical_code
from harmonize.present import export, html_tables
from harmonize.present.views import common
from harmonize.present.views import compare as view
from harmonize.present.views import notes as note_views
from harmonize.present.views import sources as source_views

PAGE = "compare"
BELOW_LIMIT = 60  # codes shown below the chosen one (each folded until opened)
page.header("Compare one code across the lists", PAGE)
page.need_lists()

result, labels, sources, _, reference, against = comparison.current()
index = comparison.index()
specs = {s.id: s for s in result.specs}
urls = source_views.list_urls(result.manifest)
decimal = {s.id: s.decimal_comma for s in result.specs}

top = st.columns([2, 3, 1.3])
typed = url_state.text(PAGE, "code", "Code (any style)", "", initial="5A001.j", container=top[0],
                       placeholder="5.A.1.j · 5A001j · 1-5.A.1.j")
chosen = url_state.multiselect(PAGE, "src", "Lists", sources, format_func=labels.__getitem__,
                               container=top[1], placeholder="all loaded")
with top[2]:
    st.write("")
    below = url_state.toggle(PAGE, "below", "with paragraphs below",
                             help="Also show every paragraph below this code, each folded to "
                                  "one line (its code, each list's status, the reference "
                                  "wording) until opened")
shown = chosen or sources
# The reference list's card comes first, so every other card reads against it.
shown = sorted(shown, key=lambda s: (s != reference, sources.index(s)))

canonical = canonical_code(typed) or typed.strip()
if not typed.strip():
    st.info("Type a code to compare, or pick one in the Explorer.")
    st.stop()
if canonical not in set(index["canonical"]):
    st.warning("No loaded list holds this code. Search for it in the Explorer:")
    st.page_link("pages/explorer.py", label="Open the Explorer", icon="🔎",
                 query_params=common.carry({"q": typed[:200]}, comparison.carried()))
    st.stop()

moves = view.neighbours(index, canonical)
with st.container(horizontal=True):
    for name, icon in (("up", "⬆️"), ("previous", "⬅️"), ("next", "➡️")):
        if name in moves:
            st.page_link("pages/compare.py", label=f"{name}: {moves[name]}", icon=icon,
                         query_params=common.carry(
                             {"code": moves[name], "src": chosen, "below": "1" if below else None},
                             comparison.carried()))

lists_of = {s: list(specs[s].lists) for s in sources}
list_ids = [x for s in shown for x in lists_of[s]]
codes = view.scope_codes(index, canonical, below)
if len(codes) > BELOW_LIMIT + 1:
    st.caption(f"{len(codes) - 1} codes below {canonical}: the first {BELOW_LIMIT} are shown.")
    codes = codes[:BELOW_LIMIT + 1]
st.caption("Words that differ in substance from the reference text are marked: ~~struck "
           "through~~ only in the reference, underlined only in this list (editorial "
           "differences are one click away on each card). Texts the same as the reference's "
           "are folded. Each card says how the list's notes stand against the reference "
           "text's notes (identical, editorial, changed, missing, or not in the reference); "
           "the notes side by side are below the cards. "
           f"Every status is against **{against}**.")
origin_of = dict(zip(index["canonical"], index["origin"], strict=True))
# How each list's notes stand against the reference text's, for every code shown at once.
compared_notes = view.code_notes(result.notes, result.aligned, result.frame, codes, lists_of)
blocks = [view.COMPARE_CSS]
for code in codes:
    rows = view.compare_rows(result.aligned, code, shown)
    notes = view.notes_for(result.frame, code, list_ids)
    printed = view.printed_codes(result.frame, code)
    if rows.empty:  # a code of a list outside the comparison (munitions, Annex IV)
        held = result.frame[(result.frame["canonical"] == code)
                            & result.frame["kind"].isin(["entry", "paragraph"])]
        blocks.append(view.uncompared_html(code, held, cache.list_names()))
        continue
    blocks.append(view.compare_html(code, rows, notes, printed, lists_of, labels, urls,
                                    str(origin_of.get(code, "")), decimal,
                                    folded=code != canonical,
                                    compared_notes=compared_notes[code]))
st.html("".join(blocks))

main = view.compare_rows(result.aligned, canonical, shown)
parameters = view.parameter_table(main, decimal, labels)
if len(parameters):
    st.subheader("Parameters that differ", anchor=False)
    st.html(html_tables.CSS + html_tables.table_html(parameters, "Parameters that differ"))

entry = canonical.split(".")[0]
details = view.entry_details(result.frame, entry, list_ids)
if details:
    st.subheader(f"Reasons for control and licence requirements ({entry})", anchor=False)
    st.html(view.entry_details_html(details, labels))

national = main[main["status"] == "national"]
if len(national):
    st.subheader("Candidate counterparts — candidate, not an alignment", anchor=False)
    st.caption("Entries of other lists whose text is most similar (TF-IDF over each entry's "
               "heading and paragraphs). Leads for a reviewer: an alignment comes only from the "
               "same code or a reviewed crosswalk mapping.")
    for source in national["source"]:
        found = comparison.candidates(str(source), entry)
        if found.empty:
            st.caption(f"{labels.get(str(source), source)}: no candidate above the threshold.")
            continue
        table = found.assign(
            kind="candidate, not an alignment",
            link=[url_state.link("compare", code=c) for c in found["canonical"]],
            **{"for": [labels.get(str(s), str(s)) for s in found["for_source"]]},
            list=[labels.get(str(s), str(s)) for s in found["source"]])
        st.dataframe(table[["for", "list", "link", "score", "reason", "kind"]], hide_index=True,
                     width="stretch", column_config={
                         "link": st.column_config.LinkColumn("candidate",
                                                             display_text=r"code=([^&]+)"),
                         "score": st.column_config.NumberColumn("score", format="%.2f")})

versions_kept = cache.version_dates()
if len(versions_kept) > 1:
    st.subheader(f"Through the kept versions ({canonical})", anchor=False)
    st.caption("For each list with versions kept in the store: the first kept version holding "
               "this code, the versions that changed its text (editorial changes left out), "
               "and the one that dropped it. Versions not loaded say nothing: the first kept "
               "version is not a date of adoption unless the earliest kept one lacks the code. "
               "The Changes page shows everything that changed between two versions.")
    names = cache.list_names()
    timeline = source_views.timeline_table(cache.timeline(canonical))
    st.dataframe(timeline.assign(list=timeline["list"].map(lambda i: names.get(i, i))),
                 hide_index=True, width="stretch")

main_notes = note_views.cell_notes(compared_notes[canonical].findings)
flat = main.assign(list=main["source"].map(labels), notes=[
    main_notes[(canonical, str(s))].words()
    if (canonical, str(s)) in main_notes else "" for s in main["source"]])[
    ["canonical", "list", "status", "origin", "text", "reference_source", "ref_text",
     "parameters", "notes", "citation", "version", "location"]]
st.subheader("Downloads", anchor=False)
downloads.table_buttons(lambda: flat, len(flat), f"compare-{canonical}", "Compare",
                        [("Code", canonical), ("Lists", ", ".join(shown))], key=PAGE)
downloads.comparison_buttons(
    export.ExportScope(reference=reference, codes=(canonical,), sources=tuple(chosen)),
    f"comparison-{canonical}", key=PAGE)
