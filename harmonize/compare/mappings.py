"""Reviewed mappings between codes that differ (`datasets/crosswalk.csv`).

A row maps a source's code onto the code of the same control in another numbering (US 4A906 =
EU 4A506). Columns:
- `source`, `code`, `maps_to`, `reason`, `reviewed` (who or what compared which texts);
- `scope`: `subtree` (default: the code and every paragraph below it) or `code` (that row only);
- `labels`: how the paragraphs below translate: `same` (default, label for label), `renumber`
  (by position: the source's `b.1` under a target paragraph whose children are letters becomes
  `b.13.a`), or `canada` (Canada's scheme: item number, (a), (i), (A), (I) -> a, 1, a, 1).

Mapped rows align under the target code (the printed one kept in `mapped_from`); references
inside a mapped source's texts are translated the same way, so "specified in 4A901.b" in the
Australian text reads as its counterpart "4A506.b".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harmonize.codes import canonical_code, is_family_code
from harmonize.paths import datasets_dir

COLUMNS = ["source", "code", "maps_to", "reason", "reviewed", "scope", "labels"]
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


@dataclass(frozen=True)
class Mapping:
    source: str
    code: str
    maps_to: str
    reason: str
    reviewed: str
    scope: str = "subtree"
    labels: str = "same"
    # Read for every text of the mapped source (`translate_references`): worked out once.
    family: bool = field(init=False, repr=False, compare=False)
    entry: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", is_family_code(self.code))
        object.__setattr__(self, "entry", self.code.split(".")[0])

    def describe(self) -> dict[str, str]:
        return {"source": self.source, "code": self.code, "maps_to": self.maps_to,
                "reason": self.reason, "reviewed": self.reviewed}


def load_crosswalk(path: Path | None = None) -> pd.DataFrame:
    """Reviewed equivalences between codes that differ (`datasets/crosswalk.csv`)."""
    target = path or datasets_dir() / "crosswalk.csv"
    if not target.is_file():
        return pd.DataFrame(columns=COLUMNS)
    with target.open(encoding="utf-8", newline="") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, start=1)
                    if not line.startswith("#")]  # comment lines explain the file
    rows = list(csv.DictReader(line for _, line in numbered))
    for (number, _), row in zip(numbered[1:], rows, strict=False):
        where = f"{target}: line {number}"
        if not row.get("source") or not row.get("code") or not row.get("maps_to"):
            raise ValueError(f"{where}: source, code and maps_to are required")
        if not row.get("reason"):
            raise ValueError(f"{where}: every mapping needs its reason")
        row["scope"] = (row.get("scope") or "subtree").strip()
        row["labels"] = (row.get("labels") or "same").strip()
        if row["scope"] not in ("subtree", "code"):
            raise ValueError(f"{where}: scope must be subtree or code, not {row['scope']!r}")
        if row["labels"] not in ("same", "renumber", "canada"):
            raise ValueError(f"{where}: labels must be same, renumber or canada")
    return pd.DataFrame(rows, columns=COLUMNS).fillna("")


def as_mappings(crosswalk: pd.DataFrame) -> list[Mapping]:
    """The rows as `Mapping`s, the most specific code first (it wins over its ancestors)."""
    frame = crosswalk.reindex(columns=COLUMNS).astype(object).fillna("")
    out = [Mapping(str(r.source), str(r.code), str(r.maps_to), str(r.reason), str(r.reviewed),
                   str(r.scope) or "subtree", str(r.labels) or "same")
           for r in frame.itertuples(index=False)]
    return sorted(out, key=lambda m: (-len(m.code), m.source, m.code))


def _ordinal(label: str, kind: str) -> int:
    if kind == "digit":
        return int(label)
    if kind == "roman":
        values = [_ROMAN[c] for c in label.lower()]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                   for i, v in enumerate(values))
    return ord(label.lower()) - ord("a") + 1


def _kind(label: str, depth: int, scheme: str) -> str:
    """What a source label is: a digit, a letter or a roman numeral."""
    if label.isdigit():
        return "digit"
    if scheme == "canada":  # item number, (a), (i), (A), (I), then again
        return ("letter", "roman", "letter", "roman")[(depth - 2) % 4] if depth >= 2 else "digit"
    return "letter"


def _render(ordinal: int, depth: int) -> str:
    """A label in the family style at a depth below the entry: 1 -> a, 2 -> 1, 3 -> a..."""
    return chr(ord("a") + ordinal - 1) if depth % 2 else str(ordinal)


def translate(canonical: str, mapping: Mapping) -> str | None:
    """`canonical` (a code of the mapping's source) as its counterpart, or None if the mapping
    does not cover it."""
    if canonical == mapping.code:
        return mapping.maps_to
    if mapping.scope != "subtree" or not canonical.startswith(mapping.code + "."):
        return None
    suffix = canonical[len(mapping.code) + 1:].split(".")
    if mapping.labels == "same":
        return mapping.maps_to + "." + ".".join(suffix)
    source_depth = mapping.code.count(".")
    target_depth = mapping.maps_to.count(".")
    labels = []
    for offset, label in enumerate(suffix, start=1):
        ordinal = _ordinal(label, _kind(label, source_depth + offset, mapping.labels))
        labels.append(_render(ordinal, target_depth + offset))
    return mapping.maps_to + "." + ".".join(labels)


def mapped_code(canonical: str, source: str, mappings: list[Mapping]) -> tuple[str, Mapping | None]:
    """The code `canonical` of `source` aligns under, and the mapping that says so."""
    for mapping in mappings:
        if mapping.source == source:
            target = translate(canonical, mapping)
            if target is not None:
                return target, mapping
    return canonical, None


def apply_crosswalk(rows: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Rename mapped codes (and their paragraphs) to their counterpart's code, keeping the
    printed one in `mapped_from`, so mapped pairs align like same-code paragraphs."""
    rows = rows.assign(mapped_from="")
    mappings = as_mappings(crosswalk)
    if not mappings:
        return rows
    sources = {m.source for m in mappings}
    entries = {m.code.split(".")[0] for m in mappings}
    candidates = rows["source"].isin(sources) & rows["entry"].isin(entries)
    targets = [mapped_code(c, s, mappings)[0] for c, s in zip(
        rows.loc[candidates, "canonical"], rows.loc[candidates, "source"], strict=True)]
    changed = [t != c for t, c in zip(targets, rows.loc[candidates, "canonical"], strict=True)]
    index = rows.index[candidates][changed]
    new = [t for t, ch in zip(targets, changed, strict=True) if ch]
    rows.loc[index, "mapped_from"] = rows.loc[index, "canonical"]
    rows.loc[index, "canonical"] = new
    rows.loc[index, "entry"] = [c.split(".")[0] for c in new]
    return rows


_REFERENCE = re.compile(r"(?<![\w.])\d(?:\.\s?[A-E]\.\s?\d{1,3}|[A-E]\d{3})"
                        r"(?:\.(?:[a-z]|\d{1,2}|[A-Z]|[ivx]+)(?![\w]))*\.?(?![\w])")


# Canada's drafting refers to the levels of the same item by name: "clause (A)",
# "subparagraph (c)(iii)"; the name gives the level of the last label.
_CANADA_REFERENCE = re.compile(
    r"\b(subclause|clause|sub-?paragraph|paragraph)\s+((?:\([A-Za-z0-9]{1,5}\))+)")
_CANADA_LEVEL = {"paragraph": 2, "subparagraph": 3, "sub-paragraph": 3, "clause": 4,
                 "subclause": 5}


def _canada_references(text: str, code: str, mine: list[Mapping], source: str) -> str:
    parts = code.split(".")

    def swap(match: re.Match[str]) -> str:
        labels = re.findall(r"\(([A-Za-z0-9]{1,5})\)", match.group(2))
        first = _CANADA_LEVEL[match.group(1).lower()] - len(labels) + 1
        if first < 1 or len(parts) < first:
            return match.group(0)
        target, mapping = mapped_code(".".join(parts[:first] + labels), source, mine)
        return target if mapping is not None else match.group(0)

    return _CANADA_REFERENCE.sub(swap, text)


def by_source(mappings: list[Mapping]) -> dict[str, list[Mapping]]:
    """The mappings of each source, in their order (most specific code first): what
    `translate_references` looks through, split once per run rather than once per text."""
    out: dict[str, list[Mapping]] = {}
    for mapping in mappings:
        out.setdefault(mapping.source, []).append(mapping)
    return out


def translate_references(text: str, source: str, mappings: list[Mapping],
                         code: str = "") -> str:
    """References in a mapped source's text read as their counterparts ("4A901.b" in the
    Australian text -> "4A506.b"; Canada's "clause (A)" in 5506.2.c.ii.B -> "4A506.a"), so a
    self-reference does not read as a difference. `code` is the row's own printed code.
    `mappings` may be all rows or the source's own (`by_source`)."""
    mine = [m for m in mappings if m.source == source]
    if not mine:
        return text
    if code and any(m.labels == "canada" for m in mine) and (
            "clause" in text or "paragraph" in text):
        text = _canada_references(text, code, mine, source)
    family = [m for m in mine if m.family]
    if not family or not any(m.entry in text for m in family):
        return text

    def swap(match: re.Match[str]) -> str:
        code = canonical_code(match.group(0))
        if code is None:
            return match.group(0)
        target, mapping = mapped_code(code, source, family)
        return target if mapping is not None else match.group(0)

    return _REFERENCE.sub(swap, text)


def mappings_for(canonical: str, crosswalk: pd.DataFrame) -> list[tuple[str, str, Mapping]]:
    """(source, printed code, mapping) for every reviewed mapping joining `canonical` to a
    code of another numbering, from either side: `4A906` (US) and `4A506` (EU) both find the
    US row. The first tuple item is the source whose code is mapped."""
    found = []
    for mapping in as_mappings(crosswalk):
        target = translate(canonical, mapping)
        if target is not None:
            found.append((mapping.source, canonical, mapping))
        elif canonical == mapping.maps_to or canonical.startswith(mapping.maps_to + "."):
            found.append((mapping.source, "", mapping))
    return found


def _roman(number: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + numeral, number - value
    return out


def _source_label(ordinal: int, depth: int, scheme: str) -> str:
    """A label as the source prints it at `depth` below its entry."""
    if scheme == "canada":
        if depth < 2:
            return str(ordinal)
        step = (depth - 2) % 4
        label = chr(ord("a") + ordinal - 1) if step in (0, 2) else _roman(ordinal)
        return label.upper() if step >= 2 else label
    return chr(ord("a") + ordinal - 1) if depth % 2 else str(ordinal)


def back(target: str, mapping: Mapping) -> str:
    """The source's own code for `target` under `mapping` (the inverse of `translate`)."""
    if target == mapping.maps_to or mapping.scope != "subtree" or not target.startswith(
            mapping.maps_to + "."):
        return mapping.code
    suffix = target[len(mapping.maps_to) + 1:].split(".")
    if mapping.labels == "same":
        return mapping.code + "." + ".".join(suffix)
    source_depth = mapping.code.count(".")
    labels = [_source_label(int(label) if label.isdigit() else ord(label) - ord("a") + 1,
                            source_depth + offset, mapping.labels)
              for offset, label in enumerate(suffix, start=1)]
    return mapping.code + "." + ".".join(labels)
