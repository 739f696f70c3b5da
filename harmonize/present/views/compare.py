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
from typing import Any

import pandas as pd

from harmonize.compare.textnorm import extract_parameters, parameter_differences
from harmonize.model import NOTE_KINDS
from harmonize.present import html_tables
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


def compare_html(canonical: str, rows: pd.DataFrame, notes: pd.DataFrame,
                 printed: dict[str, str], list_of: Mapping[str, Sequence[str]],
                 labels: dict[str, str], urls: dict[str, str], origin: str,
                 decimal_comma: Mapping[str, bool] | None = None,
                 folded: bool = False) -> str:
    """One code across lists as a grid of cards: status, text with the words that differ from
    the reference, notes, citation (linked to the publisher) and version; with `folded`, the
    grid sits in a closed disclosure whose summary shows the code, each list's status mark and
    the reference wording's start. All text is escaped; the result is meant for `st.html`."""
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
        note_html = "".join(
            f'<div class="hz-note"><b>{html.escape(str(n.kind).replace("-", " ").title())}'
            f":</b> {html.escape(str(n.text))}</div>"
            for n in own.itertuples(index=False))
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
