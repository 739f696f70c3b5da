"""Gaps: every divergence for a lens and jurisdictions, counted per jurisdiction, each row
readable in full and one click from Compare."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app_data import cache, comparison, downloads, page, selections, url_state
from harmonize.present import export
from harmonize.present.views import common
from harmonize.present.views import compare as compare_view
from harmonize.present.views import gaps as view

PAGE = "gaps"
ALL = "all"  # the lens choice for every code (a word in the URL: `lens=all`)
# Rows drawn in the grid (in code order); the downloads hold every row. A filter change costs
# more the more rows the grid decodes and lays out: all 11k rows of "all codes" took ~0.4 s,
# 1,000 rows ~40 ms more than 500 at the 95th percentile (bench_ui.py); a bare fragment with a
# select box and a 500-row grid alone took ~150 ms at the median on this shared 2-core machine.
LIMIT = 300
page.header("Gaps: where the lists diverge", PAGE)
page.need_lists()

result, labels, sources, lens_names, reference, against = comparison.current()
lens_ids = list(lens_names)
decimal = {s.id: s.decimal_comma for s in result.specs}
short = comparison.short_labels()
origin_help = "\n".join(f"- **{w}**: {t}" for w, t in common.origin_legend())


# Filters rerun this fragment only, not the page header: filter changes p95 0.26 s
# against 0.29-0.32 s for the whole page (bench_ui.py).
@st.fragment
def gaps_view() -> None:
    row1 = st.columns([2, 3, 3])
    lens = url_state.select(PAGE, "lens", "Lens", [ALL, *lens_ids], "surveillance",
                            format_func=lambda i: lens_names.get(i, "all codes"),
                            container=row1[0])
    chosen = url_state.multiselect(PAGE, "src", "Jurisdictions", sources,
                                   format_func=labels.__getitem__, container=row1[1],
                                   placeholder="all loaded")
    statuses = url_state.multiselect(PAGE, "status", "Divergence", list(view.DIVERGENCES),
                                     format_func=common.status_cell, container=row1[2],
                                     help=page.legend_help())
    row2 = st.columns([2, 3, 3])
    origins = url_state.multiselect(PAGE, "origin", "Origin", list(common.origin_options()),
                                    container=row2[0], format_func=common.origin_word,
                                    help=origin_help)
    query = url_state.text(PAGE, "q", "Filter by code or words", container=row2[1],
                           placeholder="5A001.j · GHz · intrusion")
    notes_only = url_state.toggle(
        PAGE, "notes", "Note differences only", container=row2[1],
        help="Only the codes whose notes (Note, Technical Note, N.B.) differ from the "
             "reference text's: a note changed in substance, missing, or printed only in "
             "this list. Also where the paragraph text is the same: a decontrol note can "
             "change what is controlled.")
    hide = url_state.toggle(
        PAGE, "natabs", "Fold absences of one-list codes into their national row",
        container=row2[2],
        help="Off by default. A code only one list holds (a national control such as US "
             "3A090) is absent from every other list. When on, those absences are left out, "
             "but only where the holding list's own 'national' row is shown too, so a "
             "question such as 'does Australia control US 3A090?' keeps its answer: pick "
             "Australia alone and its absences stay.")
    if lens != ALL:
        description = next((x.description for x in result.book.lenses if x.id == lens), "")
        row2[2].caption(description)

    as_of = comparison.as_of()
    wanted = selections.GapFilters(None if lens == ALL else lens, tuple(chosen),
                                   tuple(statuses), tuple(origins), query, hide, notes_only)
    selected = selections.gap_rows(reference, as_of, wanted)
    counts = selected["status"].value_counts()
    st.caption(("Codes whose notes differ, by the status of their paragraph text: "
                if notes_only else "")
               + f"{len(selected):,} divergence(s) against **{against}**: "
               + (" · ".join(f"{common.status_cell(str(s))} {n:,}" for s, n in counts.items())
                  or "none")
               + (f". The first {LIMIT:,} in code order are shown (a header click sorts "
                  "those); the downloads hold every row" if len(selected) > LIMIT else
                  ". Click a column header to sort")
               + "; select a row to read it in full.")

    def bar_link(source: str, status: str) -> str:
        return url_state.link(PAGE, lens=lens, src=source, status=status, origin=origins,
                              q=query, natabs="1" if hide else None,
                              notes="1" if notes_only else None)

    chart = view.gap_bars(selected, chosen or sources, labels, bar_link)
    if chart:  # st.html refuses an empty body (a lens without codes has no gaps)
        st.html(chart)
    carried = comparison.carried()
    drawn = selected.head(LIMIT)
    table = view.gap_table(drawn, carried=carried, labels=short,
                           notes=view.note_words(drawn, result.notes, result.aligned))
    # A new grid for a new selection of rows: a row picked before does not carry over.
    state = hashlib.sha1(repr((lens, chosen, statuses, origins, query, hide, notes_only,
                               reference, comparison.as_of())).encode()).hexdigest()[:10]
    event = st.dataframe(  # without the hidden canonical column: less to send and decode
        table.drop(columns="canonical"), hide_index=True, width="stretch", height=620,
        row_height=72, on_select="rerun", selection_mode="single-row",
        key=f"{PAGE}.table.{state}",
        column_config={
            "code": st.column_config.LinkColumn("code", display_text=r"code=([^&]+)", width=110),
            "jurisdiction": st.column_config.TextColumn("jurisdiction", width=90),
            "status": st.column_config.TextColumn("status", width=120),
            "origin": st.column_config.TextColumn("origin", width=110, help=origin_help),
            "text": st.column_config.TextColumn("text (this list, else the reference's)",
                                                width="large"),
            "parameters": st.column_config.TextColumn("parameters that differ", width="medium"),
            "notes": st.column_config.TextColumn(
                "notes", width="medium",
                help="The code's notes against the reference text's: the same (up to "
                     "editorial details), or which note differs and how; empty where no "
                     "list prints a note on the code"),
        })
    picked = list(event.selection.rows) if event is not None else []
    if picked and picked[0] < len(table):
        row = selected.iloc[picked[0]]
        code, source = str(row["canonical"]), str(row["source"])
        notes = compare_view.code_notes(result.notes, result.aligned, result.frame, [code],
                                        {s.id: list(s.lists) for s in result.specs})[code]
        st.html(view.gap_reading({str(k): v for k, v in row.items()}, labels, decimal)
                + compare_view.NOTES_CSS
                + compare_view.notes_side_by_side(code, notes, [source], labels, decimal,
                                                   str(row["reference_source"])))
        st.page_link("pages/compare.py", icon=":material/compare:",
                     label=f"Compare {row['canonical']} side by side across the lists",
                     query_params=common.carry({"code": str(row["canonical"]),
                                                "src": chosen}, comparison.carried()))

    filters = [("Lens", lens), ("Jurisdictions", ", ".join(chosen) or "all loaded"),
               ("Divergence", ", ".join(statuses) or "all"),
               ("Origins", ", ".join(origins) or "all"),
               ("Filter", query or "(none)"),
               ("Notes", "note differences only" if notes_only else "all rows"),
               ("Absences of national codes", "folded into the national row" if hide
                else "shown")]
    files = st.popover("⬇ Download", width="content")  # drawn when opened: a change costs less
    files.markdown("**This table**")
    downloads.table_buttons(
        lambda: _download(reference, as_of, wanted, carried, labels),
        len(selected), f"gaps-{lens}", "Gaps", filters, key=PAGE, container=files)
    files.markdown("**Comparison workbook for this lens and these jurisdictions**")
    downloads.comparison_buttons(
        export.ExportScope(reference=reference, lens=None if lens == ALL else lens,
                           sources=tuple(chosen), statuses=tuple(statuses),
                           origins=tuple(origins), query=query, hide_national_absent=hide,
                           note_differences_only=notes_only),
        f"comparison-{lens}", key=PAGE, columns=files.columns(2))


gaps_view()


def _download(reference: str, as_of: str, wanted: selections.GapFilters,
              carried: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """The table download, worked out again from the filters when clicked: the button keeps
    the filters, not the rows (app_data/selections.py)."""
    result = cache.analysis(reference, as_of)
    rows = selections.gap_rows(reference, as_of, wanted)
    return view.gap_download(view.gap_table(rows, carried=carried, labels=labels,
                                            notes=view.note_words(rows, result.notes,
                                                                  result.aligned)))
