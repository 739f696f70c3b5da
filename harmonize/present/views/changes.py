"""Changes: what changed in a list between two kept versions (added, removed and modified
entries and paragraphs, with the words that differ), and the measures register around them.

The versions themselves and what counts as a change come from harmonize.compare.changes; this
module shapes them for the page: one row per change with both texts, the reading list as
escaped HTML, the register's measures that name a changed code or fall between the two
versions, and the versions a register measure points to.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from harmonize.compare import changes as version_changes
from harmonize.present.views.common import natural_order
from harmonize.present.views.diffs import DIFF_CSS, diff_html

CHANGE_KINDS = ("added", "removed", "modified")
CHANGE_COLOURS = {"added": "#009E73", "removed": "#CC79A7", "modified": "#E69F00"}
# The list a register measure of a jurisdiction changes (the register's jurisdiction codes).
LIST_OF_JURISDICTION = {"WA": "wassenaar", "EU": "eu-annex-i", "US": "us-ccl", "GB": "uk-sel",
                        "AU": "au-dsgl", "NO": "no-list-ii", "CA": "ca-ecl"}


def lists_with_versions(versions: Sequence[Any]) -> dict[str, list[Any]]:
    """List id -> its kept versions oldest first (history.ListVersion), for lists with two or
    more (nothing to compare otherwise)."""
    by_list: dict[str, list[Any]] = {}
    for version in versions:
        by_list.setdefault(version.list_id, []).append(version)
    return {k: sorted(v, key=lambda x: x.version) for k, v in sorted(by_list.items())
            if len(v) >= 2}


def change_rows(old: pd.DataFrame, new: pd.DataFrame, include_editorial: bool = False
                ) -> tuple[pd.DataFrame, int]:
    """(one row per change: code, change, editorial, old text, new text, in code order; the
    number of editorial-only changes left out)."""
    found = version_changes.compare_frames("", "", "", old, new, include_editorial)
    before, after = version_changes.keyed_texts(old), version_changes.keyed_texts(new)
    rows = [{"code": c, "change": "added", "editorial": False, "old": "", "new": after[c]}
            for c in found.added]
    rows += [{"code": c, "change": "removed", "editorial": False, "old": before[c], "new": ""}
             for c in found.removed]
    rows += [{"code": m["canonical"], "change": "modified", "editorial": bool(m["editorial"]),
              "old": before[m["canonical"]], "new": after[m["canonical"]]}
             for m in found.modified]
    table = pd.DataFrame(rows, columns=["code", "change", "editorial", "old", "new"])
    if len(table):
        table = (table.assign(_o=natural_order(table["code"])).sort_values(["_o", "change"])
                 .drop(columns="_o").reset_index(drop=True))
    return table, found.editorial


def filter_changes(rows: pd.DataFrame, kinds: Sequence[str] = (), query: str = "",
                   codes: set[str] | None = None) -> pd.DataFrame:
    """Changes of the chosen kinds, whose code starts with the query or whose texts contain
    every word of it, and (with `codes`) only codes a lens tags."""
    out = rows
    if kinds:
        out = out[out["change"].isin(list(kinds))]
    if codes is not None:
        out = out[out["code"].isin(codes)]
    text = query.strip().lower()
    if text:
        hay = (out["code"].str.lower() + " " + out["old"].str.lower() + " "
               + out["new"].str.lower())
        mask = out["code"].str.lower().str.startswith(text)
        words = pd.Series(True, index=out.index)
        for word in text.split():
            words &= hay.str.contains(word, regex=False)
        out = out[mask | words]
    return out


def names_code(measure_codes: str, code: str) -> bool:
    """True when a register row's codes ("4A005; 4D004") name `code`, an entry above it, or a
    paragraph below it."""
    for named in (c.strip() for c in str(measure_codes).split(";")):
        if named and (code == named or code.startswith(named + ".")
                      or named.startswith(code + ".")):
            return True
    return False


def register_between(register: pd.DataFrame, jurisdiction: str, codes: Sequence[str],
                     after: str, until: str) -> pd.DataFrame:
    """Register measures (measures.as_table) of the list's jurisdiction dated after the older
    version and up to the newer one (published or effective), or naming a changed code."""
    if register.empty:
        return register
    first = register["date_published"].where(register["date_published"] != "",
                                             register["date_effective"])
    dated = (register["jurisdiction"] == jurisdiction) & (first > after) & (first <= until)
    changed = list(codes)
    naming = register["codes"].map(lambda named: any(names_code(named, c) for c in changed))
    return register[dated | naming].assign(first=first[dated | naming]).sort_values("first")


def measures_of(register: pd.DataFrame, code: str) -> list[tuple[str, str]]:
    """(id, title) of the register rows that name `code`."""
    hits = register[register["codes"].map(lambda named: names_code(named, code))]
    return list(zip(hits["id"].astype(str), hits["title"].astype(str), strict=True))


def versions_around(measure: Mapping[str, Any], lists: Mapping[str, Sequence[Any]]
                    ) -> tuple[str, str, str] | None:
    """(list id, from, to): the kept versions of the measure's list that bracket its date (the
    last before it and the first on or after it), or None when the list has no such pair."""
    list_id = LIST_OF_JURISDICTION.get(str(measure.get("jurisdiction", "")))
    date = str(measure.get("date_published") or measure.get("date_effective") or "")
    versions = lists.get(list_id or "", [])
    if not date or len(versions) < 2 or list_id is None:
        return None
    before = [v for v in versions if v.text_version < date]
    after = [v for v in versions if v.text_version >= date]
    if not before or not after:
        return None
    return list_id, before[-1].version, after[0].version


_KIND_WORDS = {"added": "added", "removed": "removed", "modified": "modified"}
CHANGES_CSS = DIFF_CSS + """
<style>
.hz-change{border-top:1px solid #e3e3e3;padding:5px 0;font-size:0.88rem;line-height:1.4}
.hz-change .hz-ch{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.hz-change .hz-c{font-family:monospace;font-weight:700}
.hz-change .hz-k{font-size:0.72rem;font-weight:600;border-radius:9px;padding:0 7px;color:#111}
.hz-change .hz-x{white-space:pre-wrap;overflow-wrap:anywhere;max-height:12em;overflow:auto}
.hz-change .hz-r{font-size:0.75rem;color:#444}
</style>
"""


def changes_html(rows: pd.DataFrame, link: Callable[[str, str], str],
                 register: Callable[[str], list[tuple[str, str]]],
                 measure_link: Callable[[str], str], editorial: bool = False,
                 decimal_comma: bool = False) -> str:
    """The changes as a reading list: each code (linked through `link(code, change)` to the
    lists side by side as of the right version), what happened to it, its text (for a
    modification the new text with the words that differ in substance marked: with
    `editorial`, every word that differs), and the register measures that name it."""
    items = []
    for row in rows.itertuples(index=False):
        change = str(row.change)
        colour = CHANGE_COLOURS[change]
        if change == "modified":
            body = diff_html(str(row.old), str(row.new), editorial=editorial or bool(
                row.editorial), ref_comma=decimal_comma, comma=decimal_comma)
        elif change == "removed":
            body = f'<del class="hz-del">{html.escape(str(row.old))}</del>'
        else:
            body = f'<ins class="hz-ins">{html.escape(str(row.new))}</ins>'
        kind = _KIND_WORDS[change] + (" (editorial only)" if bool(row.editorial) else "")
        named = register(str(row.code))
        measures = ("" if not named else '<div class="hz-r">In the register: ' + "; ".join(
            f'<a href="{html.escape(measure_link(mid), quote=True)}" target="_self">'
            f"{html.escape(title)}</a>" for mid, title in named) + "</div>")
        items.append(
            f'<div class="hz-change"><div class="hz-ch"><a class="hz-c" target="_self" '
            f'href="{html.escape(link(str(row.code), change), quote=True)}">'
            f"{html.escape(str(row.code))}</a>"
            f'<span class="hz-k" style="background:{colour}33;border:1px solid {colour}">'
            f"{html.escape(kind)}</span></div>"
            f'<div class="hz-x">{body}</div>{measures}</div>')
    return CHANGES_CSS + "".join(items)
