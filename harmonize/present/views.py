"""Pure functions that shape the harmonization results for the dashboard's pages.

No Streamlit here: every function takes plain data (the analysis, DataFrames, strings) and
returns DataFrames, plotly figures, HTML strings or bytes, so the pages stay thin and every
rule (search, filters, matrices, the diff rendering, the safe downloads) is unit-tested.

Safety rule for HTML: every piece of legal or user text goes through `html.escape` before it is
put into markup (`diff_html`, `compare_html`); the pages hand that markup to `st.html`, which
does not read markdown, so legal text is never interpreted as markdown or HTML.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from harmonize.codes import canonical_code, is_family_code
from harmonize.compare.crosswalk import ORIGINS, STATUSES
from harmonize.compare.textnorm import extract_parameters, parameter_differences, word_diff
from harmonize.model import NOTE_KINDS
from harmonize.paths import datasets_dir
from harmonize.present import export

DATASETS = datasets_dir()
PARTNERS_FILE = DATASETS / "partners.csv"
WORLD_TOPOJSON = DATASETS / "world_110m.json"

# Okabe-Ito colours (colour-blind safe) for charts; the light tints of export.STATUS_FILLS for
# backgrounds, so the screen and the spreadsheets use the same colours.
STATUS_COLOURS: dict[str, str] = {
    "identical": "#0072B2",
    "editorial": "#009E73",
    "substantive": "#E69F00",
    "absent": "#CC79A7",
    "national": "#F0E442",
    "not-detailed": "#999999",
}
STATUS_TINTS: dict[str, str] = {k: "#" + v for k, v in export.STATUS_FILLS.items()}
# Coloured marks for table cells (the word follows, so colour is never the only cue).
STATUS_MARKS: dict[str, str] = {
    "identical": "🟦", "editorial": "🟩", "substantive": "🟧", "absent": "🟪",
    "national": "🟨", "not-detailed": "⬜",
}
# A shape per status as well, so compact cells never rely on colour alone.
STATUS_GLYPHS: dict[str, str] = {
    "identical": "=", "editorial": "≈", "substantive": "≠", "absent": "∅",
    "national": "★", "not-detailed": "…",
}
DIVERGENCES = ("national", "absent", "substantive", "editorial")
SHARE_METRICS: dict[str, str] = {
    "same": "Same text (identical + editorial)",
    "identical": "Identical",
    "editorial": "Editorial differences only",
    "substantive": "Substantive differences",
    "absent": "Absent",
}
CATEGORIES: dict[str, str] = {
    "0": "0 Nuclear materials, facilities and equipment",
    "1": "1 Special materials and related equipment",
    "2": "2 Materials processing",
    "3": "3 Electronics",
    "4": "4 Computers",
    "5": "5 Telecommunications and information security",
    "6": "6 Sensors and lasers",
    "7": "7 Navigation and avionics",
    "8": "8 Marine",
    "9": "9 Aerospace and propulsion",
    "other": "Other numbering (munitions, national codes)",
}
PARTNER_GROUPS: dict[str, str] = {
    "initiative-founder": "Initiative founder (10 Dec 2021)",
    "initiative-supporter": "Initiative supporter at launch",
    "code-of-conduct": "Code of Conduct signatory (30 Mar 2023)",
    "wassenaar": "Wassenaar participant",
    "eu-member": "EU member state",
}
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,40}$")
_NATURAL = re.compile(r"(\d+)")


# -- URL parameters ---------------------------------------------------------------------------


def parse_list(value: str | Sequence[str] | None, allowed: Iterable[str]) -> list[str]:
    """A comma-separated URL value (or a list of them) -> the allowed items, in order, once."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    known = list(allowed)
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if part in known and part not in out:
            out.append(part)
    return out


def join_list(values: Iterable[str]) -> str:
    return ",".join(values)


def pick(value: str | None, allowed: Iterable[str], default: str) -> str:
    """`value` when it is one of `allowed`, else `default` (URL values are untrusted)."""
    return value if value is not None and value in list(allowed) else default


def is_safe_code(text: str) -> bool:
    """True for text that can be shown as a code anywhere (letters, digits, dots, hyphens)."""
    return bool(_SAFE_CODE.match(text))


def clean_params(params: Mapping[str, str | Sequence[str] | None]) -> dict[str, str]:
    """Query parameters without empty values, lists joined with commas."""
    clean: dict[str, str] = {}
    for key, value in params.items():
        if value is None or value == "" or (not isinstance(value, str) and not value):
            continue
        clean[key] = value if isinstance(value, str) else join_list(value)
    return clean


def page_link(page: str, **params: str | Sequence[str] | None) -> str:
    """A relative link to a page with its query parameters (empty values left out)."""
    query = urlencode(clean_params(params), safe=",")
    return f"{page}?{query}" if query else page


def compare_links(codes: Iterable[Any], reference: str) -> list[str]:
    """`page_link("compare", code=c, ref=reference)` for each code, each distinct code encoded
    once (a table of every gap has 11k rows)."""
    encoded: dict[str, str] = {}
    links = []
    for code in codes:
        text = str(code)
        if text not in encoded:
            encoded[text] = page_link("compare", code=text, ref=reference)
        links.append(encoded[text])
    return links


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand codes are sorted on every run
def natural_key(code: str) -> tuple[Any, ...]:
    """Sort key that puts 5A001.j.2 before 5A001.j.10."""
    return tuple(int(p) if p.isdigit() else p for p in _NATURAL.split(code))


def natural_order(codes: pd.Series) -> pd.Series:
    """Rank of each code in natural order (for sorting a frame by code)."""
    ranks = {c: i for i, c in enumerate(sorted(set(codes.astype(str)), key=natural_key))}
    return codes.astype(str).map(ranks)


# -- sources ----------------------------------------------------------------------------------


def source_labels(specs: Sequence[Any]) -> dict[str, str]:
    """Source id -> "EU · eu-annex-i" (jurisdiction first: what analysts scan for)."""
    return {s.id: f"{s.jurisdiction} · {s.id}" for s in specs}


def source_versions(manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per loaded list: jurisdiction, list, version of the legal text, import date."""
    rows = []
    for sid in sorted(manifest.get("sources", {})):
        src = manifest["sources"][sid]
        for lst in src["lists"]:
            rows.append({
                "source": sid, "list": lst["id"], "jurisdiction": lst["jurisdiction"],
                "list name": lst["list_name"], "version": lst["version"],
                "imported": str(src["imported_at"]).replace("T", " ").replace("Z", " UTC"),
                "entries": lst.get("entries", 0), "paragraphs": lst.get("paragraphs", 0),
            })
    return pd.DataFrame(rows, columns=["source", "list", "jurisdiction", "list name", "version",
                                       "imported", "entries", "paragraphs"])


def list_urls(manifest: dict[str, Any]) -> dict[str, str]:
    """List id and source id -> the publisher's URL of that list (http(s) only)."""
    urls: dict[str, str] = {}
    for sid, src in manifest.get("sources", {}).items():
        for lst in src["lists"]:
            url = str(lst.get("url") or src.get("url") or "")
            if url.startswith(("https://", "http://")):
                urls[str(lst["id"])] = url
                urls.setdefault(sid, url)
    return urls


# -- overview ---------------------------------------------------------------------------------


def lens_shares(lens_scores: pd.DataFrame, metric: str = "same") -> pd.DataFrame:
    """Lens scores with `share` = the metric's count over the comparable codes (codes whose
    loaded copy is detailed). NaN where nothing is comparable (never 0: silence is not 0)."""
    if metric not in SHARE_METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    frame = lens_scores.copy()
    # The scores say what each share stands on (codes held by one list alone and cells not
    # compared are left out); older tables only knew the copies' silence.
    comparable = (frame["comparable"] if "comparable" in frame.columns
                  else frame["total"] - frame["not_detailed"])
    count = frame["identical"] + frame["editorial"] if metric == "same" else frame[metric]
    frame["comparable"] = comparable
    frame["share"] = (count / comparable.where(comparable > 0)).astype(float)
    return frame


def lens_matrix(lens_scores: pd.DataFrame, lens_ids: Sequence[str], sources: Sequence[str],
                metric: str = "same") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(share matrix, tooltip matrix), lenses as rows and sources as columns."""
    shares = lens_shares(lens_scores, metric)
    values = shares.pivot(index="lens", columns="source", values="share").reindex(
        index=list(lens_ids), columns=list(sources))
    tips: dict[tuple[str, str], str] = {}
    for row in shares.itertuples(index=False):
        value = float(row.share)  # type: ignore[arg-type]
        share = "not comparable" if value != value else f"{value:.0%}"
        tips[(str(row.lens), str(row.source))] = (
            f"{SHARE_METRICS[metric]}: {share}\nidentical {row.identical} · editorial "
            f"{row.editorial} · substantive {row.substantive}\nabsent {row.absent} · national "
            f"{row.national} · not detailed {row.not_detailed}\ncodes in lens: {row.total}, "
            f"comparable: {row.comparable}")
    hover = pd.DataFrame([[tips.get((str(lens), str(source)), "") for source in values.columns]
                          for lens in values.index], index=values.index, columns=values.columns)
    return values, hover


def agreement_tips(square: pd.DataFrame, pairwise: pd.DataFrame,
                   labels: Mapping[str, str]) -> pd.DataFrame:
    """The tooltip of each agreement cell: the two lists and the counts behind the share."""
    counts: dict[tuple[str, str], str] = {}
    for row in pairwise.itertuples(index=False):
        text = f"agree on {row.agree} of {row.considered} codes (both hold {row.both_hold})"
        counts[(str(row.a), str(row.b))] = counts[(str(row.b), str(row.a))] = text

    def tip(a: str, b: str) -> str:
        detail = "the same list" if a == b else counts.get((a, b), "not comparable")
        return f"{labels.get(a, a)} vs {labels.get(b, b)}: {detail}"

    return pd.DataFrame([[tip(str(a), str(b)) for b in square.columns] for a in square.index],
                        index=square.index, columns=square.columns, dtype=object)


def headline(aligned: pd.DataFrame, frame: pd.DataFrame, specs: Sequence[Any]) -> dict[str, int]:
    """Headline figures: lists, codes compared, divergences by status."""
    status = aligned["status"].value_counts()
    return {
        "lists loaded": int(frame["source_id"].nunique()) if len(frame) else 0,
        "jurisdictions compared": len(specs),
        "codes compared": int(aligned["canonical"].nunique()) if len(aligned) else 0,
        "substantive differences": int(status.get("substantive", 0)),
        "absent": int(status.get("absent", 0)),
        "national controls": int(status.get("national", 0)),
    }


# -- explorer ---------------------------------------------------------------------------------


def category_of_code(code: str) -> str:
    return code[0] if is_family_code(code) else "other"


def explorer_index(frame: pd.DataFrame, aligned: pd.DataFrame, tags: pd.DataFrame,
                   sources: Sequence[str]) -> pd.DataFrame:
    """One row per code found in any loaded list: its text (the reference's, else the first
    list's), origin, lenses, the lists holding it, a status column per compared source, and a
    lower-case haystack (codes as printed, texts, notes) for word search."""
    keyed = frame[frame["kind"].isin(["entry", "paragraph"])]
    keyed = keyed.astype({"canonical": object, "source_id": object, "text": object,
                          "code": object})
    notes = frame[frame["kind"].isin(NOTE_KINDS)].astype({"canonical": object, "text": object})
    lists = keyed.groupby("canonical")["source_id"].agg(lambda s: ", ".join(sorted(set(s))))
    first_text = keyed.drop_duplicates("canonical").set_index("canonical")["text"]
    first_kind = keyed.drop_duplicates("canonical").set_index("canonical")["kind"].astype(object)
    printed = keyed.groupby("canonical")["code"].agg(lambda s: " ".join(sorted(set(s))))
    texts = keyed.groupby("canonical")["text"].agg(" ".join)
    note_texts = notes.groupby("canonical")["text"].agg(" ".join)

    if len(aligned):
        per_code = aligned.drop_duplicates("canonical").set_index("canonical")
        status = aligned.pivot(index="canonical", columns="source", values="status").reindex(
            columns=list(sources))
        mapped = aligned[aligned["mapped_from"] != ""].groupby("canonical")["mapped_from"].agg(
            lambda s: " ".join(sorted(set(s))))
        mapped_away = set(aligned.loc[aligned["mapped_from"] != "", "mapped_from"])
    else:
        per_code = pd.DataFrame(columns=["origin", "ref_text", "kind"])
        status = pd.DataFrame(columns=list(sources))
        mapped = pd.Series(dtype=object)
        mapped_away = set()
    codes = sorted((set(keyed["canonical"]) - mapped_away) | set(per_code.index), key=natural_key)
    index = pd.DataFrame({"canonical": codes})
    index["category"] = index["canonical"].map(category_of_code)
    ref_text = per_code["ref_text"].reindex(codes) if len(per_code) else pd.Series(
        index=codes, dtype=object)
    index["text"] = [r if isinstance(r, str) and r else (t if isinstance(t, str) else "")
                     for r, t in zip(ref_text.to_numpy(), first_text.reindex(codes).to_numpy(),
                                     strict=True)]
    origin = per_code["origin"].reindex(codes) if len(per_code) else pd.Series(
        index=codes, dtype=object)
    index["origin"] = origin.fillna("not compared").to_numpy()
    kind = per_code["kind"].reindex(codes) if len(per_code) else pd.Series(index=codes,
                                                                           dtype=object)
    index["kind"] = kind.fillna(first_kind.reindex(codes)).fillna("paragraph").to_numpy()
    lens_of = tags.groupby("canonical")["lens"].agg(lambda s: "; ".join(sorted(s))) if len(
        tags) else pd.Series(dtype=object)
    index["lenses"] = lens_of.reindex(codes).fillna("").to_numpy()
    index["lists"] = lists.reindex(codes).fillna("").to_numpy()
    for source in sources:
        column = status[source].reindex(codes) if source in status.columns else pd.Series(
            index=codes, dtype=object)
        index[f"status:{source}"] = column.fillna("").astype(object).to_numpy()
    hay = (index["canonical"] + " " + printed.reindex(codes).fillna("").to_numpy() + " "
           + mapped.reindex(codes).fillna("").to_numpy() + " "
           + texts.reindex(codes).fillna("").to_numpy() + " "
           + note_texts.reindex(codes).fillna("").to_numpy())
    index["haystack"] = hay.str.lower()
    return index.reset_index(drop=True)


@dataclass(frozen=True)
class SearchResult:
    rows: pd.DataFrame
    mode: str  # "all", "code", "code-prefix", "words"
    canonical: str | None  # the code the query normalised to, when it is a code


def search(index: pd.DataFrame, query: str) -> SearchResult:
    """Search by code in any publisher's style (the code and the paragraphs below it), else by
    words (every word must occur in the code's texts, notes or printed codes)."""
    text = query.strip()
    if not text:
        return SearchResult(index, "all", None)
    code = canonical_code(text)
    if code:
        codes = index["canonical"]
        hit = (codes == code) | codes.str.startswith(code + ".")
        if hit.any():
            return SearchResult(index[hit], "code", code)
        loose = codes.str.upper().str.startswith(code.upper())
        if loose.any() and len(code) >= 2:
            return SearchResult(index[loose], "code-prefix", code)
    words = [w for w in re.split(r"\s+", text.lower()) if w]
    mask = pd.Series(True, index=index.index)
    for word in words:
        mask &= index["haystack"].str.contains(word, regex=False)
    return SearchResult(index[mask], "words", code)


def filter_index(rows: pd.DataFrame, *, sources: Sequence[str] = (),
                 categories: Sequence[str] = (), lens_codes: set[str] | None = None,
                 statuses: Sequence[str] = (), origins: Sequence[str] = ()) -> pd.DataFrame:
    """Filters of the Explorer. `statuses` keeps codes where any of `sources` (all when
    empty) has one of the statuses."""
    out = rows
    if categories:
        out = out[out["category"].isin(list(categories))]
    if lens_codes is not None:
        out = out[out["canonical"].isin(lens_codes)]
    if origins:
        out = out[out["origin"].isin(list(origins))]
    if statuses:
        columns = [c for c in out.columns if c.startswith("status:")
                   and (not sources or c.split(":", 1)[1] in sources)]
        if columns:
            mask = out[columns].isin(list(statuses)).any(axis=1)
            out = out[mask]
        else:
            out = out.iloc[0:0]
    return out


def lens_code_set(tags: pd.DataFrame, book: Any, lens: str) -> set[str]:
    """Every code a lens (and its sub-lenses) tags."""
    family = {x.id for x in book.family(lens)}
    return set(tags.loc[tags["lens"].isin(family), "canonical"])


def status_cell(status: str) -> str:
    """Mark and word: "🟧 substantive" ('' for no status)."""
    return f"{STATUS_MARKS[status]} {status}" if status in STATUS_MARKS else ""


def status_short(status: str) -> str:
    """Mark and shape for narrow matrix cells: "🟧 ≠" ('' for no status)."""
    return f"{STATUS_MARKS[status]} {STATUS_GLYPHS[status]}" if status in STATUS_MARKS else ""


def explorer_table(rows: pd.DataFrame, sources: Sequence[str], labels: dict[str, str],
                   reference: str, limit: int | None = None) -> pd.DataFrame:
    """The Explorer's table: code (a link to Compare), origin, text, one status per source."""
    part = rows if limit is None else rows.head(limit)
    table = pd.DataFrame({
        "code": compare_links(part["canonical"], reference),
        "origin": part["origin"].to_numpy(),
        "text": part["text"].to_numpy(),
    })
    for source in sources:
        column = part.get(f"status:{source}")
        values = column.to_numpy() if column is not None else [""] * len(part)
        table[labels.get(source, source)] = [status_short(str(v)) for v in values]
    table["lenses"] = part["lenses"].to_numpy()
    return table


def plain_table(rows: pd.DataFrame, sources: Sequence[str], labels: dict[str, str]) -> pd.DataFrame:
    """The Explorer's table for downloads: plain codes and status words."""
    table = pd.DataFrame({
        "canonical": rows["canonical"].to_numpy(), "kind": rows["kind"].to_numpy(),
        "origin": rows["origin"].to_numpy(), "text": rows["text"].to_numpy(),
        "lenses": rows["lenses"].to_numpy(), "lists": rows["lists"].to_numpy(),
    })
    for source in sources:
        column = rows.get(f"status:{source}")
        table[labels.get(source, source)] = (column.to_numpy() if column is not None
                                             else [""] * len(rows))
    return table


# -- compare ----------------------------------------------------------------------------------


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


def diff_html(reference: str, text: str) -> str:
    """`text` with word-level differences from `reference` marked: words only in the reference
    struck through (<del>), words only in this text underlined (<ins>). Everything escaped."""
    parts: list[str] = []
    for op in word_diff(reference, text):
        if op["op"] == "equal":
            parts.append(html.escape(op["b"]))
            continue
        if op["a"]:
            parts.append(f'<del class="hz-del">{html.escape(op["a"])}</del>')
        if op["b"]:
            parts.append(f'<ins class="hz-ins">{html.escape(op["b"])}</ins>')
    return " ".join(parts)


def _link(url: str, label: str) -> str:
    if not url.startswith(("https://", "http://")):
        return html.escape(label)
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(label)}</a>")


COMPARE_CSS = """
<style>
.hz-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px;
 margin:4px 0 14px 0}
.hz-card{border:1px solid #d0d0d0;border-radius:6px;padding:8px 10px;background:#fff;
 font-size:0.9rem;line-height:1.4;overflow-wrap:anywhere}
.hz-head{display:flex;justify-content:space-between;gap:6px;align-items:baseline;
 margin-bottom:4px;font-weight:600}
.hz-badge{font-size:0.75rem;font-weight:600;border-radius:10px;padding:1px 8px;
 border:1px solid #888;white-space:nowrap;color:#111}
.hz-meta{font-size:0.75rem;color:#555;margin-top:6px}
.hz-text{white-space:pre-wrap}
.hz-note{font-size:0.82rem;border-left:3px solid #999;padding-left:6px;margin-top:6px;
 white-space:pre-wrap}
.hz-silent{color:#555;font-style:italic}
del.hz-del{background:#F4D1E1;text-decoration:line-through;color:#6b2d4f}
ins.hz-ins{background:#FBE3C4;text-decoration:underline;color:#5a3a00}
.hz-code{font-family:monospace;font-size:1rem;font-weight:700;margin:10px 0 2px 0}
.hz-legend{font-size:0.8rem;color:#333;margin-bottom:6px}
</style>
"""

_SILENCE = {
    "absent": "Not in this list: its copy covers this part of the list in detail.",
    "not-detailed": "The loaded copy has no paragraph text here: silence is not absence in law.",
}


def compare_html(canonical: str, rows: pd.DataFrame, notes: pd.DataFrame,
                 printed: dict[str, str], list_of: Mapping[str, Sequence[str]],
                 labels: dict[str, str], urls: dict[str, str], origin: str) -> str:
    """One code across lists as a grid of cards: status, text with the word-level differences
    from the reference, notes, citation (linked to the publisher) and version. All text is
    escaped; the result is meant for `st.html`."""
    cards = []
    for row in rows.itertuples(index=False):
        source = str(row.source)
        status = str(row.status)
        tint = STATUS_TINTS.get(status, "#FFFFFF")
        badge = (f'<span class="hz-badge" style="background:{tint}">'
                 f"{html.escape(STATUS_MARKS.get(status, ''))} {html.escape(status)}</span>")
        lists = list(list_of.get(source, [source]))
        code = next((printed[x] for x in lists if x in printed), "")
        text = str(row.text or "")
        if not text:
            body = f'<div class="hz-silent">{html.escape(_SILENCE.get(status, ""))}</div>'
        elif status in ("editorial", "substantive") and isinstance(row.ref_text, str):
            body = f'<div class="hz-text">{diff_html(row.ref_text, text)}</div>'
        else:
            body = f'<div class="hz-text">{html.escape(text)}</div>'
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
            meta.append(f"compared with {html.escape(str(row.reference_source))}")
        cards.append(
            f'<div class="hz-card" style="border-top:4px solid '
            f'{STATUS_COLOURS.get(status, "#999")}">'
            f'<div class="hz-head"><span>{html.escape(labels.get(source, source))}</span>'
            f"{badge}</div>{body}{note_html}"
            f'<div class="hz-meta">{" · ".join(meta)}</div></div>')
    head = (f'<div class="hz-code">{html.escape(canonical)} '
            f'<span class="hz-badge">origin: {html.escape(origin)}</span></div>')
    return head + '<div class="hz-grid">' + "".join(cards) + "</div>"


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


# -- gaps -------------------------------------------------------------------------------------


def select_gaps(gap_rows: pd.DataFrame, *, statuses: Sequence[str] = (),
                origins: Sequence[str] = (), query: str = "",
                hide_national_absent: bool = False) -> pd.DataFrame:
    """Gaps (rows of analysis.gaps) filtered by status, origin and words/code, in code order.

    `hide_national_absent` drops the `absent` rows of codes only one list holds (origin
    national): every other list lacks them by definition, the `national` row says it all."""
    rows = gap_rows
    if hide_national_absent:
        rows = rows[~((rows["status"] == "absent") & (rows["origin"] == "national"))]
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
    return (rows.assign(_o=natural_order(rows["canonical"])).sort_values(["_o", "source"])
            .drop(columns="_o"))


def gap_table(rows: pd.DataFrame, *, reference: str = "",
              labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Selected gaps (select_gaps) as shown: a link to Compare per row, the list's label, the
    status with its mark, the text (else the reference's). Links cost ~60 ms per 10k rows,
    so the page builds this for the rows it draws, and for the download when clicked."""
    names = labels or {}
    # Plain lists first: iterating Arrow-backed string columns item by item is slow.
    shown_codes, texts, ref_texts = (rows[c].tolist() for c in ("canonical", "text", "ref_text"))
    return pd.DataFrame({
        "code": compare_links(shown_codes, reference),
        "canonical": rows["canonical"].astype(str).to_numpy(),
        "jurisdiction": [names.get(str(s), str(s)) for s in rows["source"].tolist()],
        "status": [status_cell(str(s)) for s in rows["status"].tolist()],
        "origin": rows["origin"].astype(str).to_numpy(),
        "text": [t if isinstance(t, str) and t else
                 f"(reference: {r})" if isinstance(r, str) and r.strip() else ""
                 for t, r in zip(texts, ref_texts, strict=True)],
        "parameters": rows["parameters"].fillna("").astype(str).to_numpy(),
    }).reset_index(drop=True)


def gap_download(table: pd.DataFrame) -> pd.DataFrame:
    """The Gaps table for a spreadsheet: plain status words, no links."""
    out = table.drop(columns=["code"]).copy()
    out["status"] = [str(s).split(" ", 1)[-1] for s in out["status"]]
    return out


# -- partners ---------------------------------------------------------------------------------


def load_partners(path: Path | None = None) -> pd.DataFrame:
    """The partners file (datasets/partners.csv): one row per state and group."""
    target = path or PARTNERS_FILE
    frame = pd.read_csv(target, dtype=str, keep_default_na=False)
    missing = {"iso3", "iso2", "state", "group", "role", "since", "source"} - set(frame.columns)
    if missing:
        raise ValueError(f"{target}: missing column(s) {sorted(missing)}")
    unknown = set(frame["group"]) - set(PARTNER_GROUPS)
    if unknown:
        raise ValueError(f"{target}: unknown group(s) {sorted(unknown)}")
    return frame


def partner_lists(iso2: str, groups: set[str], specs: Sequence[Any]) -> list[tuple[str, str]]:
    """(source id, why it applies) for a partner: its own list, the EU list for EU members,
    the Wassenaar list for participants."""
    out = []
    for spec in specs:
        if spec.jurisdiction == iso2:
            out.append((spec.id, "national list"))
        elif spec.jurisdiction == "EU" and "eu-member" in groups:
            out.append((spec.id, "EU list (member state)"))
        elif spec.jurisdiction == "WA" and "wassenaar" in groups:
            out.append((spec.id, "regime list (participant)"))
    return out


def partner_table(partners: pd.DataFrame, specs: Sequence[Any],
                  lens_scores: pd.DataFrame, lenses: Sequence[str]) -> pd.DataFrame:
    """One row per partner state: groups, loaded lists that apply, and the share of each lens
    its own list (else the EU list for EU members) holds with the same text as the reference."""
    shares = lens_shares(lens_scores, "same") if len(lens_scores) else pd.DataFrame(
        columns=["lens", "source", "share"])
    share_of = {(str(r.lens), str(r.source)): r.share for r in shares.itertuples(index=False)}
    records = []
    for iso3, rows in partners.groupby("iso3", sort=False):
        groups = set(rows["group"])
        iso2 = str(rows["iso2"].iloc[0])
        applies = partner_lists(iso2, groups, specs)
        scored = next((s for s, why in applies if why == "national list"), None) or next(
            (s for s, why in applies if why.startswith("EU")), None)
        record: dict[str, Any] = {
            "iso3": str(iso3), "state": str(rows["state"].iloc[0]),
            "groups": "; ".join(PARTNER_GROUPS[g] for g in PARTNER_GROUPS if g in groups),
            "initiative": _initiative_role(groups),
            "wassenaar": "wassenaar" in groups, "eu": "eu-member" in groups,
            "lists loaded": "; ".join(f"{s} ({why})" for s, why in applies),
            "scored on": scored or "",
        }
        for lens in lenses:
            value = share_of.get((lens, scored)) if scored else None
            number = float(value) if value is not None else float("nan")  # type: ignore[arg-type]
            record[lens] = None if number != number else number
        records.append(record)
    return pd.DataFrame(records)


def _initiative_role(groups: set[str]) -> str:
    for group, label in (("initiative-founder", "founder"),
                         ("initiative-supporter", "supporter"),
                         ("code-of-conduct", "Code of Conduct signatory")):
        if group in groups:
            return label
    return ""


MAP_MODES: dict[str, str] = {
    "initiative": "Export Controls and Human Rights Initiative",
    "wassenaar": "Wassenaar participants",
    "eu": "EU member states",
    "score": "Lens score of the partner's list",
}
_INITIATIVE_COLOURS = {"founder": "#0072B2", "supporter": "#56B4E9",
                       "Code of Conduct signatory": "#009E73", "": "#E6E6E6"}


def partner_map(table: pd.DataFrame, mode: str, lens: str | None = None) -> go.Figure:
    """World choropleth by ISO3 (discrete Okabe-Ito colours, or a blue scale for scores)."""
    hover = [
        f"<b>{html.escape(str(state))}</b><br>{html.escape(str(groups))}<br>lists: "
        f"{html.escape(str(lists) or 'none loaded')}"
        for state, groups, lists in zip(table.get("state", []), table.get("groups", []),
                                        table.get("lists loaded", []), strict=True)
    ]
    fig = go.Figure()
    if mode == "score" and lens:
        values = table[lens].astype(float) if lens in table.columns else pd.Series(dtype=float)
        keep = values.notna()
        fig.add_trace(go.Choropleth(
            locations=table.loc[keep, "iso3"], z=values[keep], locationmode="ISO-3",
            zmin=0, zmax=1, colorscale=[[0.0, "#F7F7F7"], [0.5, "#7FB3D9"], [1.0, "#0072B2"]],
            colorbar={"title": {"text": "same text"}, "tickformat": ".0%"},
            text=[h for h, k in zip(hover, keep, strict=True) if k],
            hovertemplate="%{text}<br>share: %{z:.0%}<extra></extra>",
            marker={"line": {"color": "#555", "width": 0.5}}))
    else:
        if mode == "initiative":
            categories = table["initiative"].fillna("")
            colours = _INITIATIVE_COLOURS
        else:
            flag = table["wassenaar" if mode == "wassenaar" else "eu"].astype(bool)
            label = MAP_MODES[mode]
            categories = flag.map({True: label, False: ""})
            colours = {label: "#0072B2", "": "#E6E6E6"}
        for name, colour in colours.items():
            if not name:
                continue
            chosen = (categories == name).to_numpy(dtype=bool)
            if not chosen.any():
                continue
            fig.add_trace(go.Choropleth(
                locations=table.loc[chosen, "iso3"], z=[1] * int(chosen.sum()),
                locationmode="ISO-3", colorscale=[[0, colour], [1, colour]], showscale=False,
                text=[h for h, k in zip(hover, chosen, strict=True) if k], name=name,
                hovertemplate="%{text}<extra></extra>", showlegend=False,
                marker={"line": {"color": "#555", "width": 0.5}}))
    fig.update_geos(showcountries=True, countrycolor="#BBBBBB", showland=True,
                    landcolor="#F4F4F4", showocean=False, showframe=False,
                    projection_type="natural earth", lataxis_range=[-58, 85])
    fig.update_layout(height=430, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def map_legend(mode: str) -> list[tuple[str, str]]:
    """(colour, label) pairs for the discrete map modes."""
    if mode == "initiative":
        return [(c, n) for n, c in _INITIATIVE_COLOURS.items() if n]
    if mode in ("wassenaar", "eu"):
        return [("#0072B2", MAP_MODES[mode])]
    return []


# -- measures ---------------------------------------------------------------------------------


def filter_measures(table: pd.DataFrame, *, jurisdictions: Sequence[str] = (),
                    types: Sequence[str] = (), statuses: Sequence[str] = (),
                    lenses: Sequence[str] = (), query: str = "") -> pd.DataFrame:
    """The register (measures.as_table) filtered; a lens matches its sub-lenses too."""
    rows = table
    if jurisdictions:
        rows = rows[rows["jurisdiction"].isin(list(jurisdictions))]
    if types:
        rows = rows[rows["type"].isin(list(types))]
    if statuses:
        rows = rows[rows["status"].isin(list(statuses))]
    if lenses:
        def hit(value: str) -> bool:
            own = [v.strip() for v in str(value).split(";") if v.strip()]
            return any(v == lens or v.startswith(lens + ".") for v in own for lens in lenses)
        rows = rows[rows["lenses"].map(hit)]
    text = query.strip().lower()
    if text:
        hay = (rows["id"] + " " + rows["title"] + " " + rows["citation"] + " " + rows["codes"]
               + " " + rows["summary"] + " " + rows["instrument"]).str.lower()
        mask = pd.Series(True, index=rows.index)
        for word in text.split():
            mask &= hay.str.contains(word, regex=False)
        rows = rows[mask]
    return rows.reset_index(drop=True)


MEASURE_STATUS_COLOURS = {"in-force": "#0072B2", "proposed": "#E69F00", "rescinded": "#CC79A7"}
_MEASURE_SYMBOLS = {"in-force": "circle", "proposed": "diamond-open", "rescinded": "x"}


def measures_timeline(table: pd.DataFrame) -> go.Figure:
    """One marker per measure at its first date (published, else effective), by jurisdiction,
    coloured and shaped by status; a rescinded measure has a line to its rescission."""
    fig = go.Figure()
    if table.empty:
        fig.update_layout(height=200)
        return fig
    first = table["date_published"].where(table["date_published"] != "", table["date_effective"])
    for status, colour in MEASURE_STATUS_COLOURS.items():
        part = table[(table["status"] == status) & (first != "")]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(first[part.index]), y=part["jurisdiction"], mode="markers",
            name=status, marker={"color": colour, "size": 12,
                                 "symbol": _MEASURE_SYMBOLS[status],
                                 "line": {"width": 2, "color": colour}},
            text=[html.escape(t) for t in part["title"]],
            customdata=part[["id", "type"]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d} %{y}<br>%{text}<br>%{customdata[1]} · "
                          "%{customdata[0]}<extra>" + status + "</extra>"))
    for row in table[(table["date_rescinded"] != "") & (first != "")].itertuples():
        fig.add_trace(go.Scatter(
            x=pd.to_datetime([first.loc[row.Index], row.date_rescinded]),  # type: ignore[index]
            y=[row.jurisdiction, row.jurisdiction], mode="lines",
            line={"color": MEASURE_STATUS_COLOURS["rescinded"], "dash": "dot"},
            showlegend=False, hoverinfo="skip"))
    height = max(260, 36 * table["jurisdiction"].nunique() + 120)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.15}, xaxis={"title": None},
                      yaxis={"title": None, "categoryorder": "category descending"})
    return fig


# -- downloads --------------------------------------------------------------------------------


def table_xlsx(frame: pd.DataFrame, title: str, filters: Sequence[tuple[str, str]]) -> bytes:
    """A one-sheet workbook: the filters on top, the table below (see export.write_table_xlsx)."""
    return export.write_table_xlsx(frame, title, filters)


def table_csv(frame: pd.DataFrame, filters: Sequence[tuple[str, str]]) -> bytes:
    """UTF-8 CSV (BOM for Excel): `# filter: value` lines, a blank line, then the table.
    Values go through export.csv_safe (formula-like text is written as text)."""
    head = io.StringIO()
    writer = csv.writer(head, lineterminator="\r\n")
    for key, value in filters:
        writer.writerow([f"# {export.clean_text(key)}: {export.clean_text(value)}"])
    writer.writerow([])
    body = export.write_csv({"Table": frame.fillna("")}, ["Table"])
    return "\ufeff".encode() + head.getvalue().encode("utf-8") + body.removeprefix(
        "\ufeff".encode())


def topojson_url(path: Path | None = None) -> str | None:
    """The world map's TopoJSON as a data: URL prefix for plotly's `topojsonURL`, so the map
    draws without reaching plotly's CDN (offline machines); None when the file is absent."""
    import base64

    target = path or WORLD_TOPOJSON
    if not target.is_file():
        return None
    encoded = base64.b64encode(target.read_bytes()).decode("ascii")
    return f"data:application/json;base64,{encoded}#/"


def status_legend() -> list[tuple[str, str, str]]:
    """(mark and shape, status, meaning) for every status, in STATUSES order."""
    return [(status_short(s), s, export.STATUS_LEGEND[s]) for s in STATUSES]


def origin_options() -> tuple[str, ...]:
    return ORIGINS


# -- versions ---------------------------------------------------------------------------------


def timeline_table(timeline: dict[str, Any]) -> pd.DataFrame:
    """One row per list: the first kept version holding the code, the versions that changed
    it, the one that dropped it, and how many versions are kept (the first kept version is not
    a date of adoption when older versions are not loaded)."""
    rows = [{
        "list": item["list"],
        "first kept version with it": item["first"] or "",
        "changed in": ", ".join(item["changed"]),
        "dropped in": item["dropped"] or "",
        "versions kept": len(item["versions"]),
        "earliest kept": item["versions"][0] if item["versions"] else "",
    } for item in timeline["lists"]]
    return pd.DataFrame(rows, columns=["list", "first kept version with it", "changed in",
                                       "dropped in", "versions kept", "earliest kept"])


def changes_table(changes: dict[str, Any]) -> pd.DataFrame:
    """Added, removed and modified codes between two versions, one row each (diffs as text)."""
    rows = [{"code": c, "change": "added", "difference": ""} for c in changes["added"]]
    rows += [{"code": c, "change": "removed", "difference": ""} for c in changes["removed"]]
    rows += [{"code": m["canonical"], "change": "modified", "difference": str(m["diff"])}
             for m in changes["modified"]]
    return pd.DataFrame(rows, columns=["code", "change", "difference"])


def versions_table(versions: Sequence[Any]) -> pd.DataFrame:
    """The kept versions per list (history and current)."""
    grouped: dict[str, list[str]] = {}
    for version in versions:
        grouped.setdefault(version.list_id, []).append(version.text_version)
    return pd.DataFrame([{"list": k, "versions": len(v), "dates": ", ".join(sorted(v))}
                         for k, v in sorted(grouped.items())],
                        columns=["list", "versions", "dates"])
