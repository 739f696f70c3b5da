"""A versus B: two or three lists compared with each other for a lens, real differences only,
each with the reference wording beside it and one click from the texts side by side."""

from __future__ import annotations

import streamlit as st

from app_data import cache, comparison, downloads, page, url_state
from harmonize.present.views import versus as view

PAGE = "versus"
ALL = "all"
PER_PAGE = 40  # differences drawn at a time (each holds two to four texts)
page.header("A versus B", PAGE)
page.need_lists()

result, labels, sources, lens_names, reference, against = comparison.current()
as_of = comparison.as_of()
decimal = {s.id: s.decimal_comma for s in result.specs}
preferred = [s for s in ("us-ccl", "eu-annex-i") if s in sources]
default_pair = preferred if len(preferred) == 2 else sources[:2]

row = st.columns([4, 2, 2])
chosen = url_state.multiselect(
    PAGE, "src", "Two or three lists", sources, default_pair, format_func=labels.__getitem__,
    container=row[0], max_selections=3, placeholder="pick two or three",
    help="Compared with each other, not with the reference list: a code differs when one list "
         "holds it and another (whose copy covers that part in detail) lacks it, or when two "
         "hold it with wording that differs beyond editorial details.")
lens = url_state.select(PAGE, "lens", "Lens", [ALL, *lens_names], "surveillance",
                        format_func=lambda i: lens_names.get(i, "all codes"), container=row[1])
kinds = url_state.multiselect(PAGE, "kind", "Differences", list(view.KINDS),
                              format_func=view.KINDS.__getitem__, container=row[2],
                              placeholder="both kinds")
row2 = st.columns([4, 2])
query = url_state.text(PAGE, "q", "Filter by code or words", container=row2[0],
                       placeholder="5A001.j · interception · GHz")
with row2[1]:
    st.write("")
    notes_only = url_state.toggle(
        PAGE, "notes", "Note differences only",
        help="Only the codes whose notes (Note, Technical Note, N.B.) differ between the chosen "
             "lists: one prints a note another lacks, or they print it differently in "
             "substance. Also where the paragraph wording agrees: a decontrol note can change "
             "what is controlled.")
if len(chosen) < 2:
    st.info("Pick two or three lists to compare with each other.")
    st.stop()

every = cache.versus(reference, as_of, chosen, "" if lens == ALL else lens)
rows = view.select(every, kinds, query, notes_only)
short = {s: labels[s].split(" · ")[0] for s in chosen}
st.caption(f"{len(rows):,} code(s) on which {' and '.join(short[s] for s in chosen)} really "
           f"differ{'' if lens == ALL else ' in ' + lens_names.get(lens, lens).lstrip('↳ ')}: "
           "editorial differences (quotes, spelling, punctuation, decimal comma) are left out, "
           "also inside the texts, where only words that differ in substance are marked. "
           f"Beside each: the reference wording ({against}).")
st.html(view.bars(rows, chosen, labels))

shown = rows.iloc[page.paginate(PAGE, len(rows), PER_PAGE)]
targets = view.candidate_targets(shown, result.aligned[result.aligned["source"].isin(chosen)])
found = view.candidates_for(cache.versus_candidates(reference, as_of, chosen, list(targets)),
                            targets) if targets else {}


def side_by_side(code: str) -> str:
    return url_state.link("compare", code=code, src=chosen)


st.html(view.versus_html(shown, chosen, labels, against, reference, decimal, side_by_side,
                          found))

table = rows.assign(**{c: rows[c].map(", ".join) for c in ("holders", "missing", "silent",
                                                           "wording", "notes")})
downloads.table_buttons(
    lambda: table, len(rows), f"versus-{'-'.join(chosen)}-{lens}", "A versus B",
    [("Lists", ", ".join(chosen)), ("Lens", lens), ("Differences", ", ".join(kinds) or "both"),
     ("Filter", query or "(none)"),
     ("Notes", "note differences only" if notes_only else "all differences")], key=PAGE)
