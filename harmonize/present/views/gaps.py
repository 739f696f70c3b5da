"""Gaps: the divergences of a lens and lists, filtered, in code order, as shown (links to
Compare), counted per jurisdiction (a bar chart), one gap read in full, and as downloaded."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from harmonize.codes import canonical_code
from harmonize.present import html_tables
from harmonize.present.views import notes as note_views
from harmonize.present.views.common import (
    STATUS_COLOURS,
    compare_links,
    natural_order,
    origin_word,
    status_cell,
    status_word,
)
from harmonize.present.views.diffs import DIFF_CSS, diff_html

DIVERGENCES = ("national", "absent", "substantive", "editorial")


def within(ordered: pd.DataFrame, sources: Sequence[str] = (),
           codes: set[str] | None = None) -> pd.DataFrame:
    """The gaps of some lists and codes among `ordered` (every gap, already in code order, as
    the dashboard caches them): what analysis.gaps selects, without sorting again."""
    rows = ordered
    if sources:
        rows = rows[rows["source"].isin(list(sources))]
    if codes is not None:
        rows = rows[rows["canonical"].isin(codes)]
    return rows


def note_gaps(aligned: pd.DataFrame) -> pd.DataFrame:
    """The cells whose notes differ from the reference text's, whatever their paragraph's
    status (a decontrol note may differ where the paragraphs agree), in code order: the rows
    of the Gaps page's "note differences only"."""
    return select_gaps(note_views.differing_cells(aligned))


def select_gaps(gap_rows: pd.DataFrame, *, statuses: Sequence[str] = (),
                origins: Sequence[str] = (), query: str = "",
                hide_national_absent: bool = False, ordered: bool = False,
                notes_only: bool = False) -> pd.DataFrame:
    """Gaps (rows of analysis.gaps) filtered by status, origin and words/code, in code order
    (`ordered`: they already are, as `within` gives them); `notes_only` keeps the rows whose
    notes differ from the reference text's.

    `hide_national_absent` drops the `absent` rows of a code only one list holds (origin
    national) where that list's own `national` row is among the rows kept: the national row
    then says it all. Where it is not kept (its list not chosen, or filtered out), the absences
    stay: they are the answer to "does Australia control US 3A090?"."""
    rows = gap_rows
    if notes_only:
        rows = note_views.differing_cells(rows)
    if statuses:
        rows = rows[rows["status"].isin(list(statuses))]
    if origins:
        rows = rows[rows["origin"].isin(list(origins))]
    text = query.strip()
    if text:
        code = canonical_code(text)
        codes = rows["canonical"].astype(str)
        if code and ((codes == code) | codes.str.startswith(code + ".")).any():
            rows = rows[(codes == code) | codes.str.startswith(code + ".")]
        else:
            hay = (codes + " " + rows["text"].fillna("").astype(str) + " "
                   + rows["ref_text"].fillna("").astype(str) + " "
                   + rows["parameters"].fillna("").astype(str)).str.lower()
            mask = pd.Series(True, index=rows.index)
            for word in text.lower().split():
                mask &= hay.str.contains(word, regex=False)
            rows = rows[mask]
    if hide_national_absent:
        owned = set(rows.loc[rows["status"] == "national", "canonical"])
        rows = rows[~((rows["status"] == "absent") & (rows["origin"] == "national")
                      & rows["canonical"].isin(owned))]
    if ordered:
        return rows
    return (rows.assign(_o=natural_order(rows["canonical"])).sort_values(["_o", "source"])
            .drop(columns="_o"))


def note_words(rows: pd.DataFrame, notes: pd.DataFrame, aligned: pd.DataFrame) -> list[str]:
    """Per row, its notes against the reference text's: "same", the differences in words
    ("Note 2 changed (parameter changed: …); N.B. 1 missing"), or "" where no list prints a
    note on the code. Findings are worked out for the rows' differing codes only."""
    if "note_status" not in rows or rows.empty:
        return [""] * len(rows)
    status = rows["note_status"].fillna("").astype(str).tolist()
    codes = set(rows.loc[rows["note_status"] == "changed", "canonical"].astype(str))
    summary = (note_views.cell_summary(note_views.note_findings(notes, aligned, codes))
               if codes else {})
    return [summary.get((str(c), str(s)), "differs") if st == "changed" else
            "same" if st == "same" else ""
            for c, s, st in zip(rows["canonical"].tolist(), rows["source"].tolist(), status,
                                strict=True)]


def gap_table(rows: pd.DataFrame, *, carried: Mapping[str, str] | None = None,
              labels: Mapping[str, str] | None = None,
              notes: Sequence[str] | None = None) -> pd.DataFrame:
    """Selected gaps (select_gaps) as shown: a link to Compare per row (carrying the
    comparison), the list's label, the status with its mark, the origin in words, the text
    (else the reference's), the parameters, and with `notes` (`note_words` of the rows) how
    the notes stand. Links cost ~60 ms per 10k rows, so the page builds this for the rows it
    draws, and for the download when clicked."""
    names = labels or {}
    # Plain lists first: iterating Arrow-backed string columns item by item is slow.
    shown_codes, texts, ref_texts = (rows[c].tolist() for c in ("canonical", "text", "ref_text"))
    return pd.DataFrame({
        "code": compare_links(shown_codes, carried or {}),
        "canonical": rows["canonical"].astype(str).to_numpy(),
        "jurisdiction": [names.get(str(s), str(s)) for s in rows["source"].tolist()],
        "status": [status_cell(str(s)) for s in rows["status"].tolist()],
        "origin": [origin_word(str(o)) for o in rows["origin"].tolist()],
        "text": [t if isinstance(t, str) and t else
                 f"(reference: {r})" if isinstance(r, str) and r.strip() else ""
                 for t, r in zip(texts, ref_texts, strict=True)],
        "parameters": rows["parameters"].fillna("").astype(str).to_numpy(),
        **({"notes": list(notes)} if notes is not None else {}),
    }).reset_index(drop=True)


def gap_download(table: pd.DataFrame) -> pd.DataFrame:
    """The Gaps table for a spreadsheet: plain status words, no links."""
    out = table.drop(columns=["code"]).copy()
    out["status"] = [str(s).split(" ", 1)[-1] for s in out["status"]]
    return out


def gap_counts(rows: pd.DataFrame, sources: Sequence[str]) -> pd.DataFrame:
    """Gaps per list and status: one row per list of `sources` (in that order), one column
    per divergence."""
    pairs = (rows["source"].astype(str) + "\t" + rows["status"].astype(str)).value_counts()
    found = {tuple(str(key).split("\t")): int(n) for key, n in pairs.items()}
    return pd.DataFrame([[found.get((s, d), 0) for d in DIVERGENCES] for s in sources],
                        index=list(sources), columns=list(DIVERGENCES))


def gap_bars(rows: pd.DataFrame, sources: Sequence[str], labels: Mapping[str, str],
             link: Callable[[str, str], str] | None = None) -> str:
    """The gaps per jurisdiction as stacked bars (one segment per divergence, each linking
    through `link(source, status)` to the gaps of that list and status)."""
    counts = gap_counts(rows, sources)
    bars = [(labels.get(source, source),
             [html_tables.Segment(status_word(status),
                                  int(counts.loc[source, status]), STATUS_COLOURS[status],
                                  link(source, status) if link else None)
              for status in DIVERGENCES])
            for source in counts.index if int(counts.loc[source].sum())]
    if not bars:
        return ""
    return html_tables.BARS_CSS + html_tables.bars_html(
        bars, "Gaps per jurisdiction and divergence")


READ_CSS = """
<style>
.hz-read{border:1px solid #d0d0d0;border-radius:6px;padding:8px 12px;margin:4px 0 10px 0;
 font-size:0.9rem;line-height:1.45}
.hz-read h4{font-size:1rem;margin:0 0 6px 0;padding:0}
.hz-read .hz-pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;align-items:start}
@media (max-width:900px){.hz-read .hz-pair{grid-template-columns:1fr}}
.hz-read .hz-side{white-space:pre-wrap;overflow-wrap:anywhere}
.hz-read .hz-label{font-size:0.78rem;color:#444;font-weight:600;margin-bottom:2px}
.hz-read .hz-meta{font-size:0.75rem;color:#555;margin-top:6px}
</style>
"""


def gap_reading(row: Mapping[str, object], labels: Mapping[str, str],
                decimal_comma: Mapping[str, bool]) -> str:
    """One gap in full: this list's text with the words that differ in substance from the
    reference marked (editorial noise hidden), beside the reference wording; the parameters
    that differ; citation and version. Escaped HTML for `st.html`."""
    source, ref_source = str(row["source"]), str(row.get("reference_source") or "")
    status = str(row["status"])
    text = str(row.get("text") or "")
    ref_text = str(row.get("ref_text") or "")
    if text and ref_text and status in ("editorial", "substantive"):
        body = diff_html(ref_text, text, editorial=False,
                         ref_comma=decimal_comma.get(ref_source, False),
                         comma=decimal_comma.get(source, False))
    elif text:
        body = html.escape(text)
    else:
        body = ('<i>Not in this list, although its copy covers this part of the list in '
                "detail.</i>" if status == "absent" else "<i>No text here.</i>")
    reference = (html.escape(ref_text) if ref_text else "<i>No other list holds it.</i>")
    meta = [f"status: {html.escape(status_cell(status))}",
            f"origin: {html.escape(origin_word(str(row.get('origin', ''))))}"]
    if row.get("parameters"):
        meta.append(f"parameters that differ: {html.escape(str(row['parameters']))}")
    if row.get("note_status"):
        meta.append("notes: " + ("differ from the reference text's (below)"
                                 if row["note_status"] == "changed" else "the same"))
    for field in ("citation", "version", "location"):
        if row.get(field):
            meta.append(f"{field}: {html.escape(str(row[field]))}")
    code = html.escape(str(row["canonical"]))
    return (DIFF_CSS + READ_CSS + f'<div class="hz-read"><h4>{code} · '
            f"{html.escape(labels.get(source, source))}</h4>"
            f'<div class="hz-pair"><div><div class="hz-label">This list (words that differ in '
            f'substance marked)</div><div class="hz-side">{body}</div></div>'
            f'<div><div class="hz-label">Reference wording: '
            f"{html.escape(labels.get(ref_source, ref_source) or 'none')}</div>"
            f'<div class="hz-side">{reference}</div></div></div>'
            f'<div class="hz-meta">{" · ".join(meta)}</div></div>')
