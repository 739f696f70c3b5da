"""What every page shares: URL parameters (checked, joined, links), natural code order, list
labels, and the status marks, colours and legend.

URL values are untrusted: `parse_list` and `pick` keep only allowed values, `is_safe_code` says
whether a text may be shown as a code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from harmonize.compare.crosswalk import ORIGINS, STATUSES
from harmonize.present import export

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


def compare_links(codes: Iterable[Any], carried: Mapping[str, str]) -> list[str]:
    """`page_link("compare", code=c, **carried)` for each code (`carried`: the reference list
    and date, so a link opened in a new tab shows the same comparison), each distinct code
    encoded once (a table of every gap has 11k rows)."""
    encoded: dict[str, str] = {}
    links = []
    for code in codes:
        text = str(code)
        if text not in encoded:
            encoded[text] = page_link("compare", **carry({"code": text}, carried))
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


def comparison_params(reference: str, as_of: str, default_reference: str) -> dict[str, str]:
    """`ref` and `asof` for a link, each left out at its default, so the next page compares
    with the same reference list as of the same date."""
    carried: dict[str, str] = {}
    if reference != default_reference:
        carried["ref"] = reference
    if as_of:
        carried["asof"] = as_of
    return carried


def carry(params: Mapping[str, str | Sequence[str] | None],
          carried: Mapping[str, str]) -> dict[str, str]:
    """`params` without empty values, plus the `carried` ones they do not set themselves."""
    query = clean_params(params)
    return query | {k: v for k, v in carried.items() if k not in query}


def link_maker(page: str, carried: Mapping[str, str]) -> Callable[..., str]:
    """A maker of relative links to `page` with query parameters and the `carried` ones (worked
    out once: a heatmap asks for a hundred links)."""
    return lambda **params: page_link(page, **carry(params, carried))


# -- lists and statuses -----------------------------------------------------------------------

# How a jurisdiction code reads on screen: Wassenaar is a regime, and analysts say UK.
JURISDICTION_NAMES: dict[str, str] = {"WA": "Wassenaar", "GB": "UK"}
# Status words as people write them (the data keeps its hyphenated ids).
STATUS_WORDS: dict[str, str] = {"not-detailed": "not detailed"}
# Origins in words: where a code comes from (harmonize.compare.crosswalk.origin_of).
ORIGIN_WORDS: dict[str, str] = {
    "wassenaar": "Wassenaar",
    "other-regime": "other regime",
    "plurilateral": "several lists, not Wassenaar",
    "national": "one list only",
    "not compared": "not compared",
}
ORIGIN_HELP: dict[str, str] = {
    "wassenaar": "in the Wassenaar Arrangement's dual-use list, the backbone the others follow",
    "other-regime": "agreed in another regime: the third digit 1-4 of the number marks the "
                    "Missile Technology Control Regime, the Nuclear Suppliers Group, the "
                    "Australia Group or the Chemical Weapons Convention",
    "plurilateral": "held by several of the loaded lists but not by Wassenaar: controls a "
                    "group of states agreed outside the regimes (e.g. the US 900-series and "
                    "the EU/UK 500-series for quantum and semiconductor items)",
    "national": "held by one loaded list only: a national control (e.g. US 3A090, UK PL "
                "codes, Canada 5506)",
    "not compared": "in a list kept apart from the comparison (munitions lists, Annex IV)",
}
UNPLACED_HELP = ("text the reader found but could not attach to an entry, paragraph or note "
                 "(general notes, category headings, definitions): kept and listed on the "
                 "Sources page, never dropped")


def jurisdiction_name(code: str) -> str:
    return JURISDICTION_NAMES.get(code, code)


def list_names(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Source id and list id -> the list's name as its publisher gives it."""
    names: dict[str, str] = {}
    for source_id, source in manifest.get("sources", {}).items():
        for lst in source.get("lists", []):
            names[str(lst["id"])] = str(lst.get("list_name") or lst["id"])
            names.setdefault(str(source_id), names[str(lst["id"])])
    return names


def source_labels(specs: Sequence[Any], names: Mapping[str, str] | None = None
                  ) -> dict[str, str]:
    """Source id -> "US · Commerce Control List" (jurisdiction first: what analysts scan for;
    the list's id only when its name is unknown)."""
    known = names or {}
    return {s.id: f"{jurisdiction_name(s.jurisdiction)} · {known.get(s.id, s.id)}"
            for s in specs}


def short_labels(specs: Sequence[Any]) -> dict[str, str]:
    """Source id -> its jurisdiction ("US", "EU", "Wassenaar"): narrow columns and charts."""
    return {s.id: jurisdiction_name(s.jurisdiction) for s in specs}


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def origin_word(origin: str) -> str:
    return ORIGIN_WORDS.get(origin, origin)


def status_cell(status: str) -> str:
    """Mark and word: "🟧 substantive" ('' for no status)."""
    return f"{STATUS_MARKS[status]} {status_word(status)}" if status in STATUS_MARKS else ""


def status_short(status: str) -> str:
    """Mark and shape for narrow matrix cells: "🟧 ≠" ('' for no status)."""
    return f"{STATUS_MARKS[status]} {STATUS_GLYPHS[status]}" if status in STATUS_MARKS else ""


def status_legend() -> list[tuple[str, str, str]]:
    """(mark and shape, status in words, meaning) for every status, in STATUSES order."""
    return [(status_short(s), status_word(s), export.STATUS_LEGEND[s]) for s in STATUSES]


def origin_legend() -> list[tuple[str, str]]:
    """(origin in words, what it means) for every origin."""
    return [(ORIGIN_WORDS[o], ORIGIN_HELP[o]) for o in (*ORIGINS, "not compared")]


def origin_options() -> tuple[str, ...]:
    return ORIGINS
