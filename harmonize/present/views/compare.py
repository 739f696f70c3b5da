"""Compare: one code across lists. The rows and notes of a code, its neighbours, the cards
with word-level differences (escaped HTML for `st.html`), the parameters that differ and an
entry's licensing details.

Safety rule for HTML: every piece of legal or user text goes through `html.escape` before it is
put into markup (`diff_html`, `compare_html`); the page hands that markup to `st.html`, which
does not read markdown, so legal text is never interpreted as markdown or HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from harmonize.compare.textnorm import extract_parameters, parameter_differences
from harmonize.model import NOTE_KINDS
from harmonize.present import html_tables
from harmonize.present.views import notes as note_views
from harmonize.present.views.common import (
    STATUS_COLOURS,
    STATUS_MARKS,
    STATUS_TINTS,
    natural_key,
    origin_word,
    status_word,
)
from harmonize.present.views.diffs import DIFF_CSS, diff_html


def scope_codes(index: pd.DataFrame, canonical: str, below: bool) -> list[str]:
    """The code, and with `below` every paragraph under it, in natural order."""
    codes = index["canonical"]
    if below:
        hit = codes[(codes == canonical) | codes.str.startswith(canonical + ".")]
    else:
        hit = codes[codes == canonical]
    return sorted(hit, key=natural_key)


def neighbours(index: pd.DataFrame, canonical: str) -> dict[str, str]:
    """Parent, previous and next code of the same entry (for moving around in Compare)."""
    entry = canonical.split(".")[0]
    codes = sorted(index.loc[index["canonical"].str.split(".").str[0] == entry, "canonical"],
                   key=natural_key)
    out: dict[str, str] = {}
    if "." in canonical:
        out["up"] = canonical.rsplit(".", 1)[0]
    if canonical in codes:
        i = codes.index(canonical)
        if i > 0:
            out["previous"] = codes[i - 1]
        if i + 1 < len(codes):
            out["next"] = codes[i + 1]
    return out


def compare_rows(aligned: pd.DataFrame, canonical: str,
                 sources: Sequence[str] = ()) -> pd.DataFrame:
    rows = aligned[aligned["canonical"] == canonical]
    if sources:
        rows = rows[rows["source"].isin(list(sources))]
        order = {s: i for i, s in enumerate(sources)}
        rows = rows.assign(_o=rows["source"].map(order)).sort_values("_o").drop(columns="_o")
    return rows.reset_index(drop=True)


def notes_for(frame: pd.DataFrame, canonical: str, list_ids: Sequence[str]) -> pd.DataFrame:
    """Notes (Note, Technical Note, N.B.) attached to the code in the given lists."""
    rows = frame[frame["kind"].isin(NOTE_KINDS) & (frame["canonical"] == canonical)
                 & frame["source_id"].isin(list(list_ids))]
    return rows[["source_id", "kind", "text", "location"]].reset_index(drop=True)


def printed_codes(frame: pd.DataFrame, canonical: str) -> dict[str, str]:
    """List id -> the code as that list prints it."""
    rows = frame[frame["kind"].isin(["entry", "paragraph"]) & (frame["canonical"] == canonical)]
    return {str(s): str(c) for s, c in zip(rows["source_id"], rows["code"], strict=True)}


def _link(url: str, label: str) -> str:
    if not url.startswith(("https://", "http://")):
        return html.escape(label)
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(label)}</a>")


# Cards keep their own height (no stretching to the tallest of a row); long texts scroll inside
# their card; texts the same as the reference's fold away (issue 16: 8,000-16,000 px pages).
COMPARE_CSS = DIFF_CSS + """
<style>
.hz-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px;
 margin:4px 0 10px 0;align-items:start}
.hz-card{border:1px solid #d0d0d0;border-radius:6px;padding:6px 9px;background:#fff;
 font-size:0.88rem;line-height:1.4;overflow-wrap:anywhere}
.hz-head{display:flex;justify-content:space-between;gap:6px;align-items:baseline;
 margin-bottom:3px;font-weight:600}
.hz-badge{font-size:0.75rem;font-weight:600;border-radius:10px;padding:1px 8px;
 border:1px solid #888;white-space:nowrap;color:#111}
.hz-meta{font-size:0.72rem;color:#555;margin-top:4px}
.hz-text{white-space:pre-wrap;max-height:13.5em;overflow:auto}
.hz-note{font-size:0.8rem;border-left:3px solid #999;padding-left:6px;margin-top:4px;
 white-space:pre-wrap;max-height:8em;overflow:auto}
.hz-silent{color:#555;font-style:italic}
.hz-card details summary{cursor:pointer;color:#333;font-size:0.82rem}
.hz-code{font-family:monospace;font-size:1rem;font-weight:700;margin:8px 0 2px 0}
details.hz-below{border-top:1px solid #e3e3e3;padding:3px 0}
details.hz-below>summary{cursor:pointer;display:flex;gap:10px;align-items:baseline;
 font-size:0.86rem;list-style-position:outside}
details.hz-below>summary .hz-c{font-family:monospace;font-weight:700;min-width:7.5em}
details.hz-below>summary .hz-m{white-space:nowrap}
details.hz-below>summary .hz-t{color:#333;overflow:hidden;text-overflow:ellipsis;
 white-space:nowrap;flex:1}
.hz-legend{font-size:0.8rem;color:#333;margin-bottom:6px}
</style>
"""
# Notes against the reference text's notes: a card's line and the notes side by side.
NOTES_CSS = """
<style>
.hz-nline{font-size:0.8rem;margin-top:5px}
.hz-nb{font-size:0.72rem;font-weight:600;border-radius:9px;padding:0 7px;border:1px solid #888;
 color:#111;white-space:nowrap}
.hz-nsbs{margin:0 0 10px 0;font-size:0.84rem}
.hz-nsbs>details{border-top:1px dashed #d6d6d6;padding:2px 0}
.hz-nsbs>details>summary{cursor:pointer}
.hz-nsbs .hz-ngrid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));
 gap:6px;margin:4px 0}
.hz-ncell{border-left:3px solid #999;padding-left:6px;overflow-wrap:anywhere}
.hz-ncell .hz-text{max-height:10em}
.hz-ncell .hz-label{font-size:0.78rem;color:#333}
.hz-nsbs .hz-meta,.hz-nsbs .hz-legend{font-size:0.72rem;color:#555}
</style>
"""
COMPARE_CSS += NOTES_CSS

_SILENCE = {
    "absent": "Not in this list: its copy covers this part of the list in detail.",
    "not-detailed": "The loaded copy has no paragraph text here: silence is not absence in law.",
}


def _body(row: Any, decimal_comma: Mapping[str, bool]) -> str:
    """A card's text: folded when the same as the reference's; with the substantive words that
    differ marked (editorial noise hidden, the editorial marks one click away)."""
    status, text = str(row.status), str(row.text or "")
    if not text:
        return f'<div class="hz-silent">{html.escape(_SILENCE.get(status, ""))}</div>'
    escaped = f'<div class="hz-text">{html.escape(text)}</div>'
    ref = row.ref_text if isinstance(row.ref_text, str) else ""
    if status == "identical" and str(row.source) != str(row.reference_source):
        return f"<details><summary>Same text as the reference</summary>{escaped}</details>"
    if status == "editorial" and ref:
        every = diff_html(ref, text)
        return ('<details><summary>Same as the reference but for editorial details (quotes, '
                f'spelling, punctuation)</summary><div class="hz-text">{every}</div></details>')
    if status == "substantive" and ref:
        commas = (decimal_comma.get(str(row.reference_source), False),
                  decimal_comma.get(str(row.source), False))
        marked = diff_html(ref, text, editorial=False, ref_comma=commas[0], comma=commas[1])
        return (f'<div class="hz-text">{marked}</div><details><summary>every difference, '
                f'editorial ones too</summary><div class="hz-text">{diff_html(ref, text)}'
                "</div></details>")
    return escaped


# A note finding's tint: the paragraph status it resembles (changed ~ substantive, missing ~
# absent, only here ~ national).
NOTE_TINTS = {"changed": STATUS_TINTS["substantive"], "missing": STATUS_TINTS["absent"],
              "only here": STATUS_TINTS["national"], "editorial": STATUS_TINTS["editorial"],
              "identical": STATUS_TINTS["identical"]}


@dataclass(frozen=True)
class CodeNotes:
    """The notes of one code as Compare shows them: the notes table's rows of the code (one
    per note and list), each list's findings against the reference text's notes, and where
    each note text is printed."""

    rows: pd.DataFrame
    findings: pd.DataFrame
    printed: Mapping[tuple[str, str], note_views.Printed] = field(default_factory=dict)

    @property
    def cells(self) -> dict[tuple[str, str], note_views.CellNotes]:
        return note_views.cell_notes(self.findings)


def code_notes(notes: pd.DataFrame, aligned: pd.DataFrame, frame: pd.DataFrame,
               codes: Sequence[str], list_of: Mapping[str, Sequence[str]]
               ) -> dict[str, CodeNotes]:
    """`CodeNotes` of each of `codes` from the analysis' notes table, aligned cells and rows
    (worked out together: where the texts are printed is one pass over the rows)."""
    wanted = set(codes)
    rows = notes[notes["canonical"].isin(wanted)]
    findings = note_views.note_findings(rows, aligned, wanted)
    every = pd.concat([findings, rows.assign(against_text=rows["text"],
                                             against_printed=rows["printed"])[
        ["source", "against", "text", "against_text", "printed", "against_printed"]]],
        ignore_index=True)
    printed = note_views.where_printed(frame, every, list_of) if len(rows) else {}
    return {code: CodeNotes(rows[rows["canonical"] == code],
                            findings[findings["canonical"] == code], printed)
            for code in codes}


def _note_badge(finding: str) -> str:
    return (f'<span class="hz-nb" style="background:{NOTE_TINTS.get(finding, "#fff")}">'
            f"{html.escape(note_views.finding_word(finding))}</span>")


def _printed_meta(where: note_views.Printed | None, label: str) -> str:
    parts = [html.escape(label)]
    if where is not None:
        parts += [html.escape(x) for x in (where.citation, f"version {where.version}"
                                           if where.version else "",
                                           f"at {where.location}" if where.location else "")
                  if x]
    return f'<div class="hz-meta">{" · ".join(parts)}</div>'


def _card_notes(source: str, reference: str, own: pd.DataFrame, notes: CodeNotes | None,
                labels: Mapping[str, str]) -> str:
    """A card's notes: how they stand against the reference text's notes (one line), then the
    list's own notes (each scrolls inside its box)."""
    texts = "".join(
        f'<div class="hz-note"><b>{html.escape(str(n.kind).replace("-", " ").title())}'
        f":</b> {html.escape(str(n.text))}</div>" for n in own.itertuples(index=False))
    cell = notes.cells.get((notes_code(notes), source)) if notes is not None else None
    line = ""
    if cell is not None:
        line = (f'<div class="hz-nline"><b>Notes:</b> {_note_badge(cell.status)} '
                f"{html.escape(cell.words())}</div>")
    elif notes is not None and source == reference and len(own):
        line = '<div class="hz-nline"><b>Notes:</b> the reference for the others</div>'
    return line + texts


def notes_code(notes: CodeNotes) -> str:
    return str(notes.rows["canonical"].iloc[0]) if len(notes.rows) else ""


def notes_side_by_side(canonical: str, notes: CodeNotes, shown: Sequence[str],
                       labels: Mapping[str, str],
                       decimal_comma: Mapping[str, bool] | None = None,
                       reference: str = "") -> str:
    """Each note of the code with its texts side by side, folded: the note compared against
    first (the `reference` text's, else the first list printing it), then each shown list's
    text with its finding, the reason and the words that differ in substance marked, each
    text with its list, citation, version and place. '' without notes."""
    if notes.rows.empty:
        return ""
    commas = decimal_comma or {}
    found = {(int(n), str(s)): row for n, s, row in zip(
        notes.findings["note"], notes.findings["source"],
        notes.findings.itertuples(index=False), strict=True)}
    items = []
    for note, group in notes.rows.groupby("note", sort=True):
        number = int(str(note))
        against = str(group["against"].iloc[0])
        text_of = dict(zip(group["source"], group["text"].fillna(""), strict=True))
        label = note_views.note_label(str(group["key"].iloc[0]), str(group["kind"].iloc[0]))
        tags = []
        if reference:
            short = labels.get(reference, reference).split(" · ")[0]
            tags.append(f"{short} prints it" if reference == against else
                        f"not in {short}, compared with "
                        f"{labels.get(against, against).split(' · ')[0]}'s")
        cells = []
        for source in [against, *(s for s in shown if s != against)]:
            row = found.get((number, source))
            if source != against and row is None:
                continue
            own = labels.get(source, source)
            if row is not None:
                tags.append(f"{own.split(' · ')[0]}: "
                            f"{note_views.finding_word(str(row.finding))}")
            text = str(row.text) if row is not None else text_of.get(source, "")
            if row is not None and row.finding == "missing":
                body = "<i>Not printed in this list.</i>"
            elif row is not None and row.finding == "changed" and row.against_text:
                body = diff_html(str(row.against_text), text, editorial=False,
                                 ref_comma=commas.get(against, False),
                                 comma=commas.get(source, False))
            else:
                body = html.escape(text)
            head = (_note_badge(str(row.finding)) if row is not None else "")
            if source == against:
                head += " the note compared against"
            reason = (f'<div class="hz-meta">why: {html.escape(str(row.reason))}</div>'
                      if row is not None and row.reason else "")
            cells.append(
                f'<div class="hz-ncell"><div class="hz-label"><b>{html.escape(own)}</b> '
                f'{head}</div><div class="hz-text">{body}</div>{reason}'
                + (_printed_meta(notes.printed.get((source, text)), own) if text else "")
                + "</div>")
        summary = f"<b>{html.escape(label)}</b> · " + html.escape(" · ".join(tags))
        items.append(f"<details><summary>{summary}</summary>"
                     f'<div class="hz-ngrid">{"".join(cells)}</div></details>')
    return (f'<div class="hz-nsbs"><div class="hz-legend">Notes on {html.escape(canonical)}, '
            "each against the note of the code&#39;s reference text (open one to read the "
            "texts side by side):</div>" + "".join(items) + "</div>")


def compare_html(canonical: str, rows: pd.DataFrame, notes: pd.DataFrame,
                 printed: dict[str, str], list_of: Mapping[str, Sequence[str]],
                 labels: dict[str, str], urls: dict[str, str], origin: str,
                 decimal_comma: Mapping[str, bool] | None = None,
                 folded: bool = False, compared_notes: CodeNotes | None = None) -> str:
    """One code across lists as a grid of cards: status, text with the words that differ from
    the reference, notes (with `compared_notes`: how they stand against the reference text's,
    and each note side by side below the grid), citation (linked to the publisher) and
    version; with `folded`, the grid sits in a closed disclosure whose summary shows the code,
    each list's status mark and the reference wording's start. All text is escaped; the result
    is meant for `st.html`."""
    commas = decimal_comma or {}
    cards = []
    for row in rows.itertuples(index=False):
        source = str(row.source)
        status = str(row.status)
        tint = STATUS_TINTS.get(status, "#FFFFFF")
        badge = (f'<span class="hz-badge" style="background:{tint}">'
                 f"{html.escape(STATUS_MARKS.get(status, ''))} "
                 f"{html.escape(status_word(status))}</span>")
        lists = list(list_of.get(source, [source]))
        code = next((printed[x] for x in lists if x in printed), "")
        text = str(row.text or "")
        own = notes[notes["source_id"].isin(lists)]
        note_html = _card_notes(source, str(row.reference_source), own, compared_notes,
                                labels)
        meta = []
        if code:
            meta.append(f"printed as <code>{html.escape(code)}</code>")
        if isinstance(row.mapped_from, str) and row.mapped_from:
            meta.append(f"mapped from {html.escape(row.mapped_from)} (reviewed crosswalk)")
        if isinstance(row.citation, str) and row.citation:
            meta.append(_link(urls.get(lists[0], urls.get(source, "")), row.citation))
        if isinstance(row.version, str) and row.version:
            meta.append(f"version {html.escape(row.version)}")
        if isinstance(row.location, str) and row.location:
            meta.append(f"at {html.escape(row.location)}")
        if text and status in ("editorial", "substantive"):
            against = str(row.reference_source)
            meta.append(f"compared with {html.escape(labels.get(against, against))}")
        cards.append(
            f'<div class="hz-card" style="border-top:4px solid '
            f'{STATUS_COLOURS.get(status, "#999")}">'
            f'<div class="hz-head"><span>{html.escape(labels.get(source, source))}</span>'
            f"{badge}</div>{_body(row, commas)}{note_html}"
            f'<div class="hz-meta">{" · ".join(meta)}</div></div>')
    grid = '<div class="hz-grid">' + "".join(cards) + "</div>"
    if compared_notes is not None:
        reference = next((str(r) for r in rows["reference_source"] if isinstance(r, str)), "")
        grid += notes_side_by_side(canonical, compared_notes, [str(s) for s in rows["source"]],
                                   labels, commas, reference)
    if folded:
        marks = " ".join(STATUS_MARKS.get(str(s), "") for s in rows["status"])
        start = next((str(t) for t in rows["ref_text"] if isinstance(t, str) and t), "")
        return (f'<details class="hz-below"><summary><span class="hz-c">'
                f'{html.escape(canonical)}</span><span class="hz-m">{html.escape(marks)}</span>'
                f'<span class="hz-t">{html.escape(start[:200])}</span></summary>{grid}'
                "</details>")
    head = (f'<div class="hz-code">{html.escape(canonical)} '
            f'<span class="hz-badge">origin: {html.escape(origin_word(origin))}</span></div>')
    return head + grid


def uncompared_html(canonical: str, held: pd.DataFrame,
                    names: Mapping[str, str] | None = None) -> str:
    """A code of a list kept apart from the comparison (munitions, Annex IV): its texts, each
    under its list's name (`names`: list id -> name)."""
    known = names or {}
    items = "".join(
        f'<div class="hz-card"><div class="hz-head"><span>'
        f"{html.escape(known.get(str(row.source_id), str(row.source_id)))}"
        f'</span><span class="hz-badge">not compared</span></div>'
        f'<div class="hz-text">{html.escape(str(row.text))}</div></div>'
        for row in held.itertuples(index=False))
    return (f'<div class="hz-code">{html.escape(canonical)}</div>'
            f'<div class="hz-grid">{items}</div>')


def parameter_table(rows: pd.DataFrame, decimal_comma: dict[str, bool],
                    labels: dict[str, str]) -> pd.DataFrame:
    """Per list with a substantive difference: the parameters printed only in the reference
    text and only in this list's text (value, unit and comparison as printed)."""
    records = []
    for row in rows.itertuples(index=False):
        if row.status != "substantive":
            continue
        ref_source = str(row.reference_source)
        ours = extract_parameters(str(row.text), decimal_comma.get(str(row.source), False))
        theirs = extract_parameters(str(row.ref_text or ""), decimal_comma.get(ref_source, False))
        diff = parameter_differences(theirs, ours)
        records.append({
            "list": labels.get(str(row.source), str(row.source)),
            "compared with": labels.get(ref_source, ref_source),
            "only in the reference": "; ".join(diff["reference"]) or "–",
            "only in this list": "; ".join(diff["list"]) or "–",
            "summary": str(row.parameters),
        })
    return pd.DataFrame(records, columns=["list", "compared with", "only in the reference",
                                          "only in this list", "summary"])


def entry_details(frame: pd.DataFrame, entry: str,
                  list_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Reasons for control, licence requirement rows, licence exceptions and related controls of
    an entry, for each list that records them (the US CCL's details JSON)."""
    rows = frame[(frame["kind"] == "entry") & (frame["canonical"] == entry)
                 & frame["source_id"].isin(list(list_ids))]
    out = []
    for row in rows.itertuples(index=False):
        try:
            details = json.loads(str(row.details or "{}"))
        except json.JSONDecodeError:
            details = {}
        if not isinstance(details, dict):
            details = {}
        requirements = details.get("licence_requirements") or []
        exceptions = details.get("licence_exceptions") or {}
        related = details.get("related_controls") or ""
        reasons = str(row.reasons or "")
        if not (reasons or requirements or exceptions or related):
            continue
        out.append({
            "list": str(row.source_id),
            "reasons": reasons,
            "requirements": pd.DataFrame(
                [{"control": str(r.get("control", "")),
                  "country chart": str(r.get("country_chart", ""))}
                 for r in requirements if isinstance(r, dict)],
                columns=["control", "country chart"]),
            "exceptions": pd.DataFrame(
                [{"exception": str(k), "eligibility": str(v)} for k, v in exceptions.items()]
                if isinstance(exceptions, dict) else [], columns=["exception", "eligibility"]),
            "related": str(related),
        })
    return out


def entry_details_html(details: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    """`entry_details` as escaped HTML: per list, the reasons for control, then its licence
    requirements and exceptions as tables that wrap their text (a grid cut it), then the
    related controls."""
    parts = [html_tables.CSS]
    for item in details:
        name = labels.get(str(item["list"]), str(item["list"]))
        reasons = ", ".join(r.strip() for r in str(item["reasons"]).split(",") if r.strip())
        parts.append(f'<p style="margin:8px 0 2px 0"><b>{html.escape(name)}</b> · reasons for '
                     f"control: {html.escape(reasons or '–')}</p>")
        for table, caption in ((item["requirements"], "Licence requirements"),
                               (item["exceptions"], "Licence exceptions")):
            if len(table):
                parts.append(f'<p style="margin:4px 0 0 0;font-size:0.8rem;color:#444">'
                             f"{caption}</p>"
                             + html_tables.table_html(table, caption=f"{caption}, {name}"))
        if item["related"]:
            parts.append('<p style="margin:4px 0;font-size:0.85rem;white-space:pre-wrap">'
                         f"<b>Related controls:</b> {html.escape(str(item['related']))}</p>")
    return "".join(parts)
