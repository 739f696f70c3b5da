"""A versus B: two or three lists compared with each other (not with the reference list) for a
lens, real differences only.

A code differs between the chosen lists when one holds it and another, whose copy covers that
part of the list in detail, lacks it ("missing"), when two hold it with texts that differ
beyond editorial variation ("wording"), or when two hold it with notes that differ ("notes":
one prints a note the other lacks, or their notes differ in substance; `note_differences`):
the editorial keys of the texts
(`editorial_rules.editorial_key`, with each list's decimal style) decide, so quotes, spelling,
punctuation and decimal commas never count, and the word diffs shown mark only words that
differ in substance. A list whose copy is silent there (`not-detailed`) is neither a difference
nor a match. Every differing code keeps the reference list's wording beside it (the header's
reference: the page shows what the header says).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from harmonize.compare.editorial_rules import editorial_key
from harmonize.present import html_tables
from harmonize.present.views import notes as note_views
from harmonize.present.views.common import STATUS_COLOURS, natural_order, origin_word
from harmonize.present.views.diffs import DIFF_CSS, diff_html

HELD = ("identical", "editorial", "substantive", "national")
KINDS: dict[str, str] = {
    "missing": "held by one, missing from another",
    "wording": "wording differs in substance",
}
NOTES_DIFFER = "notes differ"
COUNTS: dict[str, tuple[str, str]] = {  # per list: (label, colour)
    "holds": ("holds it, another lacks it", STATUS_COLOURS["national"]),
    "lacks": ("lacks it, another holds it", STATUS_COLOURS["absent"]),
    "wording": ("wording differs", STATUS_COLOURS["substantive"]),
    "notes": (NOTES_DIFFER, "#56B4E9"),  # Okabe-Ito sky blue
}


def note_differences(aligned: pd.DataFrame, notes: pd.DataFrame, sources: Sequence[str],
                     codes: set[str] | None = None) -> dict[str, list[str]]:
    """Code -> the chosen lists holding it whose notes on it differ from another chosen
    holder's (`notes.signatures`; copies silent on the code are left out)."""
    chosen = list(sources)
    cells = aligned[aligned["source"].isin(chosen) & aligned["status"].isin(HELD)]
    if codes is not None:
        cells = cells[cells["canonical"].isin(codes)]
    held: dict[str, list[str]] = {}
    for code, source in zip(cells["canonical"], cells["source"], strict=True):
        held.setdefault(str(code), []).append(str(source))
    wanted = {c for c, s in held.items() if len(s) > 1}
    signature = note_views.signatures(notes[notes["canonical"].isin(wanted)
                                            & notes["source"].isin(chosen)])
    out: dict[str, list[str]] = {}
    for code in wanted:
        said = [(s, signature.get((code, s))) for s in held[code]]
        differing = {s for s, a in said if any(note_views.notes_differ(a, b) for _, b in said)}
        if differing:
            out[code] = [s for s in chosen if s in differing]
    return out


def with_notes(rows: pd.DataFrame, aligned: pd.DataFrame, sources: Sequence[str],
               note_codes: Mapping[str, list[str]],
               decimal_comma: Mapping[str, bool] | None = None) -> pd.DataFrame:
    """`differences` rows with `notes` (the lists whose notes differ, `note_differences`),
    and the codes on which only the notes differ, in code order."""
    extra = set(note_codes) - set(rows["canonical"])
    more = differences(aligned, sources, extra, decimal_comma, note_codes) if extra else None
    noted: list[list[str]] = [list(note_codes.get(str(c), [])) for c in rows["canonical"]]
    out = rows.assign(notes=pd.Series(noted, index=rows.index, dtype=object))
    if more is None or more.empty:
        return out
    both = pd.concat([out, more], ignore_index=True) if len(out) else more
    return (both.assign(_o=natural_order(both["canonical"])).sort_values("_o")
            .drop(columns="_o").reset_index(drop=True))


def differences(aligned: pd.DataFrame, sources: Sequence[str],
                codes: set[str] | None = None,
                decimal_comma: Mapping[str, bool] | None = None,
                note_codes: Mapping[str, list[str]] | None = None) -> pd.DataFrame:
    """One row per code on which the chosen lists really differ, in code order: origin,
    `holders`, `missing` (lists whose detailed copy lacks it), `silent` (copies without text
    there), `wording` (holders whose texts differ beyond editorial variation), `notes` (with
    `note_codes`, `note_differences`: holders whose notes differ), the reference wording and
    its list, and per list its status (`status:<id>`) and text."""
    chosen = list(sources)
    notes_of = note_codes or {}
    rows = aligned[aligned["source"].isin(chosen)]
    if codes is not None:
        rows = rows[rows["canonical"].isin(codes)]
    columns = ["canonical", "origin", "holders", "missing", "silent", "wording", "notes",
               "ref_text", "reference_source"]
    if rows.empty or len(chosen) < 2:
        return pd.DataFrame(columns=columns)
    wide = rows.pivot(index="canonical", columns="source",
                      values=["status", "text"]).reindex(columns=chosen, level=1)
    commas = decimal_comma or {}
    first = rows.drop_duplicates("canonical").set_index("canonical")
    records = []
    for code in wide.index:
        status = {s: str(wide.at[code, ("status", s)]) for s in chosen}
        holders = [s for s in chosen if status[s] in HELD]
        missing = [s for s in chosen if status[s] == "absent"]
        keys = {s: editorial_key(str(wide.at[code, ("text", s)]), commas.get(s, False))
                for s in holders}
        wording = [s for s in holders if any(keys[s] != keys[o] for o in holders)]
        noted = list(notes_of.get(str(code), []))
        if not holders or not (missing or wording or noted):
            continue
        record = {"canonical": code, "origin": str(first.at[code, "origin"]),
                  "holders": holders, "missing": missing,
                  "silent": [s for s in chosen if status[s] == "not-detailed"],
                  "wording": wording, "notes": noted,
                  "ref_text": str(first.at[code, "ref_text"] or ""),
                  "reference_source": str(first.at[code, "reference_source"] or "")}
        for s in chosen:
            text = wide.at[code, ("text", s)]
            record[f"status:{s}"] = status[s]
            record[f"text:{s}"] = text if isinstance(text, str) else ""
        records.append(record)
    table = pd.DataFrame(records)
    if table.empty:
        return pd.DataFrame(columns=columns)
    return (table.assign(_o=natural_order(table["canonical"])).sort_values("_o")
            .drop(columns="_o").reset_index(drop=True))


def select(rows: pd.DataFrame, kinds: Sequence[str] = (), query: str = "",
           notes_only: bool = False) -> pd.DataFrame:
    """Differences of the chosen kinds (`notes_only`: the codes whose notes differ) whose code
    starts with the query or whose texts hold every word of it."""
    out = rows
    if notes_only and len(out):
        out = out[out["notes"].map(bool)] if "notes" in out else out.iloc[0:0]
    if kinds and len(out):
        keep = pd.Series(False, index=out.index)
        if "missing" in kinds:
            keep |= out["missing"].map(bool)
        if "wording" in kinds:
            keep |= out["wording"].map(bool)
        out = out[keep]
    text = query.strip().lower()
    if text and len(out):
        texts = out[[c for c in out.columns if c.startswith("text:")] + ["ref_text"]]
        hay = out["canonical"].str.lower() + " " + texts.fillna("").agg(" ".join, axis=1
                                                                        ).str.lower()
        words = pd.Series(True, index=out.index)
        for word in text.split():
            words &= hay.str.contains(word, regex=False)
        out = out[out["canonical"].str.lower().str.startswith(text) | words]
    return out


def counts(rows: pd.DataFrame, sources: Sequence[str]) -> pd.DataFrame:
    """Per chosen list: the codes it holds that another lacks, those it lacks that another
    holds, those whose wording differs from another holder's, those whose notes differ from
    another holder's."""
    table = {s: dict.fromkeys(COUNTS, 0) for s in sources}
    noted = rows["notes"].tolist() if "notes" in rows else [[]] * len(rows)
    columns = (rows[c].tolist() for c in ("holders", "missing", "wording"))
    for (holders, missing, wording), notes in zip(zip(*columns, strict=True), noted,
                                                  strict=True):
        for s in sources:
            table[s]["holds"] += bool(missing) and s in holders
            table[s]["lacks"] += s in missing
            table[s]["wording"] += s in wording
            table[s]["notes"] += s in notes
    return pd.DataFrame.from_dict(table, orient="index", columns=list(COUNTS))


def bars(rows: pd.DataFrame, sources: Sequence[str], labels: Mapping[str, str]) -> str:
    """`counts` as stacked bars, one per list."""
    table = counts(rows, sources).to_dict(orient="index")
    return html_tables.BARS_CSS + html_tables.bars_html(
        [(labels.get(s, s), [html_tables.Segment(COUNTS[k][0], int(table[s][k]),
                                                 COUNTS[k][1]) for k in COUNTS])
         for s in sources], "Differences per list")


def candidate_targets(rows: pd.DataFrame, aligned: pd.DataFrame
                      ) -> dict[tuple[str, str], list[str]]:
    """(holding list, entry) -> the chosen lists that lack that whole entry (a counterpart may
    sit under another number there): the entries to find candidates for, and where."""
    part = aligned[aligned["status"].isin(HELD)]
    held = set(zip(part["canonical"], part["source"], strict=True))
    targets: dict[tuple[str, str], list[str]] = {}
    for code, holders, missing in zip(rows["canonical"].tolist(), rows["holders"].tolist(),
                                      rows["missing"].tolist(), strict=True):
        entry = str(code).split(".")[0]
        lacking = [s for s in missing if (entry, s) not in held]
        if lacking:
            known = targets.setdefault((str(holders[0]), entry), [])
            known += [s for s in lacking if s not in known]
    return targets


@dataclass(frozen=True)
class Candidate:
    source: str
    code: str
    score: float
    reason: str


VERSUS_CSS = DIFF_CSS + """
<style>
.hz-vs{border-top:1px solid #dcdcdc;padding:6px 0 8px 0;font-size:0.86rem;line-height:1.4}
.hz-vs-head{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline;margin-bottom:4px}
.hz-vs-head .hz-c{font-family:monospace;font-weight:700;font-size:0.95rem}
.hz-vs-head .hz-k{font-size:0.72rem;border-radius:9px;padding:0 7px;border:1px solid #888}
.hz-vs-grid{display:grid;gap:8px;align-items:start}
.hz-vs-cell{overflow-wrap:anywhere}
.hz-vs-cell .hz-l{font-size:0.74rem;font-weight:600;color:#333}
.hz-vs-cell .hz-x{white-space:pre-wrap;max-height:11em;overflow:auto}
.hz-vs-cell.hz-ref{background:#f6f6f6;border-radius:4px;padding:0 6px}
.hz-vs-cand{font-size:0.76rem;color:#333;margin-top:3px}
</style>
"""


def _cell(row: pd.Series, source: str, base: str | None, labels: Mapping[str, str],
          decimal_comma: Mapping[str, bool]) -> str:
    status = str(row[f"status:{source}"])
    text = str(row[f"text:{source}"] or "")
    if source in row["missing"]:
        body, mark = "<i>Not in this list (its copy covers this part in detail).</i>", "lacks it"
    elif status == "not-detailed":
        body, mark = "<i>No paragraph text in the loaded copy: silent, not absent.</i>", "silent"
    elif base and source != base and source in row["wording"]:
        body = diff_html(str(row[f"text:{base}"]), text, editorial=False,
                         ref_comma=decimal_comma.get(base, False),
                         comma=decimal_comma.get(source, False))
        mark = f"wording differs from {labels.get(base, base).split(' · ')[0]}"
    else:
        body = html.escape(text)
        mark = "holds it" if row["missing"] else "same in substance" if source not in row[
            "wording"] else "wording differs"
    return (f'<div class="hz-vs-cell"><div class="hz-l">{html.escape(labels.get(source, source))}'
            f' · {html.escape(mark)}</div><div class="hz-x">{body}</div></div>')


def _reference_cell(row: pd.Series, sources: Sequence[str], labels: Mapping[str, str],
                    reference: str, reference_id: str) -> str:
    """The reference wording beside a difference: the reference list's text; where that list
    lacks the code, the text most lists share, saying whose it is (and not repeating a chosen
    list's text)."""
    ref_source = str(row["reference_source"])
    text = str(row["ref_text"])
    if ref_source == reference_id:
        head, body = f"Reference wording · {reference}", html.escape(text)
    elif not ref_source:
        head, body = "Reference wording", "<i>No list holds a text here.</i>"
    else:
        owner = labels.get(ref_source, ref_source)
        head = f"Reference wording · not in {reference}; the text most lists share"
        body = (f"<i>as {html.escape(owner.split(' · ')[0])} above</i>" if ref_source in sources
                else f"{html.escape(text)} <i>({html.escape(owner)})</i>")
    return (f'<div class="hz-vs-cell hz-ref"><div class="hz-l">{html.escape(head)}</div>'
            f'<div class="hz-x">{body}</div></div>')


def versus_html(rows: pd.DataFrame, sources: Sequence[str], labels: Mapping[str, str],
                reference: str, reference_id: str, decimal_comma: Mapping[str, bool],
                link: Callable[[str], str],
                candidates: Mapping[tuple[str, str], Sequence[Candidate]]) -> str:
    """The differences as a reading list: per code, a link to the lists side by side (same tab),
    what differs, each chosen list's text (words that differ in substance from the first
    holder's marked), the reference wording (`reference`: the reference list in words,
    `reference_id` its id) and, where a whole entry is missing from a list, candidate
    counterparts in the chosen lists only."""
    width = f"grid-template-columns:repeat({len(sources) + 1},minmax(0,1fr))"
    items = []
    for _, row in rows.iterrows():
        code = str(row["canonical"])
        holders = list(row["holders"])
        base = next((s for s in sources if s in holders), None)
        tags = []
        if row["missing"]:
            tags.append("missing from " + ", ".join(labels.get(s, s).split(" · ")[0]
                                                    for s in row["missing"]))
        if row["wording"]:
            tags.append("wording differs")
        noted = list(row.get("notes", []) or [])
        if noted:
            tags.append(f"{NOTES_DIFFER}: " + ", ".join(labels.get(s, s).split(" · ")[0]
                                                        for s in noted))
        cells = "".join(_cell(row, s, base, labels, decimal_comma) for s in sources)
        items_ref = _reference_cell(row, sources, labels, reference, reference_id)
        entry = code.split(".")[0]
        found = [c for s in row["missing"] for c in candidates.get((s, entry), [])]
        leads = ("" if not found else '<div class="hz-vs-cand">Candidate counterparts '
                 "(leads by similar wording, not alignments): " + "; ".join(
                     f"{html.escape(labels.get(c.source, c.source).split(' · ')[0])} "
                     f'<a href="{html.escape(link(c.code), quote=True)}" target="_self">'
                     f"{html.escape(c.code)}</a> ({c.score:.2f}, {html.escape(c.reason)})"
                     for c in found) + "</div>")
        items.append(
            f'<div class="hz-vs"><div class="hz-vs-head"><span class="hz-c">{html.escape(code)}'
            f"</span>" + "".join(f'<span class="hz-k">{html.escape(t)}</span>' for t in tags)
            + f'<span class="hz-k">origin: {html.escape(origin_word(str(row["origin"])))}</span>'
            f'<a href="{html.escape(link(code), quote=True)}" target="_self">side by side →</a>'
            f'</div><div class="hz-vs-grid" style="{width}">{cells}{items_ref}</div>{leads}</div>')
    return VERSUS_CSS + "".join(items)


def candidates_for(found: pd.DataFrame, targets: Mapping[tuple[str, str], Sequence[str]],
                   top: int = 3) -> dict[tuple[str, str], list[Candidate]]:
    """Ranked candidates (candidates.rank_candidates over the chosen lists' entries, for the
    `targets` of candidate_targets) keyed by (list that lacks the entry, entry): only
    candidates in that list, `top` at most each."""
    out: dict[tuple[str, str], list[Candidate]] = {}
    for row in found.itertuples(index=False):
        entry = str(row.for_entry)
        lacking = str(row.source)
        if lacking in targets.get((str(row.for_source), entry), []):
            kept = out.setdefault((lacking, entry), [])
            if len(kept) < top:
                kept.append(Candidate(lacking, str(row.canonical), float(str(row.score)),
                                      str(row.reason)))
    return out
