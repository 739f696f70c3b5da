"""The Explorer: one row per code of every loaded list (text, origin, lenses, a status per
compared list, a search haystack), search by code in any style or by words, its filters and
tables."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import pandas as pd

from harmonize.codes import canonical_code, is_family_code
from harmonize.model import NOTE_KINDS
from harmonize.present.views.common import compare_links, natural_key, origin_word, status_short

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
    mode: str  # "all", "code", "code-prefix", "words" (every word), "ranked" (see `rank`)
    canonical: str | None  # the code the query normalised to, when it is a code


def search(index: pd.DataFrame, query: str, every_word: bool = True) -> SearchResult:
    """Search by code in any publisher's style (the code and the paragraphs below it); other
    text: with `every_word`, the codes whose texts, notes or printed codes contain every word,
    else mode "ranked" with no rows (the page asks the concept search, `rank`)."""
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
    if not every_word:
        return SearchResult(index.iloc[0:0], "ranked", code)
    words = [w for w in re.split(r"\s+", text.lower()) if w]
    mask = pd.Series(True, index=index.index)
    for word in words:
        mask &= index["haystack"].str.contains(word, regex=False)
    return SearchResult(index[mask], "words", code)


@dataclass(frozen=True)
class Ranked:
    """Concept and full-text search results: the index rows of the codes found, best first,
    with `score` and `why` columns, and the register's measures found."""

    rows: pd.DataFrame
    measures: list[dict[str, Any]]


def rank(index: pd.DataFrame, results: Sequence[Mapping[str, Any]], mapped: Mapping[str, str],
         labels: Mapping[str, str]) -> Ranked:
    """Results of harmonize.compare.search (one per list row or measure) as codes of the
    Explorer's index: each code once, at its best row's score, with why that row matched and
    in which list. `mapped`: a code as a list prints it -> the code it is aligned under (a
    reviewed crosswalk mapping)."""
    best: dict[str, tuple[float, str]] = {}
    found_measures: list[dict[str, Any]] = []
    for result in results:
        source = str(result["source"])
        if result.get("kind") == "measure":
            found_measures.append(dict(result))
            continue
        code = str(result["canonical"])
        code = mapped.get(code, code)
        score = float(result["score"])
        if code not in best or score > best[code][0]:
            best[code] = (score, f"{labels.get(source, source)}: {result['why']}")
    rows = index[index["canonical"].isin(list(best))]
    order = {code: rank for rank, code in enumerate(
        sorted(best, key=lambda c: (-best[c][0], natural_key(c))))}
    rows = rows.assign(score=[best[c][0] for c in rows["canonical"]],
                       why=[best[c][1] for c in rows["canonical"]],
                       _o=rows["canonical"].map(order))
    return Ranked(rows.sort_values("_o").drop(columns="_o"), found_measures)


def measures_html(found: Sequence[Mapping[str, Any]], link: Callable[[str], str]) -> str:
    """Register measures a search found: each title linked to it (same tab), with why it
    matched. Escaped HTML."""
    items = "".join(
        f'<li><a href="{html.escape(link(str(m["canonical"])), quote=True)}" target="_self">'
        f'{html.escape(str(m["text"]).split(". ", 1)[0])}</a> <span style="color:#555;'
        f'font-size:0.8rem">— {html.escape(str(m["why"]))}</span></li>' for m in found)
    return ('<p style="margin:0;font-size:0.9rem"><b>In the measures register</b> (rules '
            f'beyond the lists)</p><ul style="margin:0 0 6px 0">{items}</ul>')


def filter_index(rows: pd.DataFrame, *, sources: Sequence[str] = (),
                 categories: Sequence[str] = (), lens_codes: AbstractSet[str] | None = None,
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


def explorer_table(rows: pd.DataFrame, sources: Sequence[str], labels: dict[str, str],
                   carried: Mapping[str, str], limit: int | None = None) -> pd.DataFrame:
    """The Explorer's table: code (a link to Compare carrying the comparison), origin in
    words, text, one status per source, and why it matched when the rows are ranked."""
    part = rows if limit is None else rows.head(limit)
    # Columns gathered first and the frame made once (each column added to a frame cost
    # ~0.5 ms, on every filter change); plain lists, as Arrow-backed columns read item by item
    # are slow.
    columns: dict[str, Any] = {"code": compare_links(part["canonical"].tolist(), carried)}
    if "why" in part.columns:
        columns["why"] = part["why"].tolist()
    columns["origin"] = [origin_word(str(o)) for o in part["origin"].tolist()]
    columns["text"] = part["text"].tolist()
    marks: dict[str, str] = {}
    for source in sources:
        column = part.get(f"status:{source}")
        values = column.tolist() if column is not None else [""] * len(part)
        columns[labels.get(source, source)] = [
            marks[v] if v in marks else marks.setdefault(v, status_short(str(v)))
            for v in values]
    columns["lenses"] = part["lenses"].tolist()
    return pd.DataFrame(columns)


def plain_table(rows: pd.DataFrame, sources: Sequence[str], labels: dict[str, str]) -> pd.DataFrame:
    """The Explorer's table for downloads: plain codes and status words."""
    table = pd.DataFrame({
        "canonical": rows["canonical"].to_numpy(), "kind": rows["kind"].to_numpy(),
        "origin": rows["origin"].to_numpy(), "text": rows["text"].to_numpy(),
        "lenses": rows["lenses"].to_numpy(), "lists": rows["lists"].to_numpy(),
    })
    if "why" in rows.columns:
        table["why it matched"] = rows["why"].to_numpy()
    for source in sources:
        column = rows.get(f"status:{source}")
        table[labels.get(source, source)] = (column.to_numpy() if column is not None
                                             else [""] * len(rows))
    return table
