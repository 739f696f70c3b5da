"""EU Annex IV (items needing a licence even within the Union): one entry-kind row per
table row, whose canonical code is the Annex I code it names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from harmonize.codes import canonical_code, entry_code
from harmonize.ingest.segmenter import Line, Unplaced
from harmonize.ingest.source import ParsedList, finish
from harmonize.model import ListRow, SourceInfo
from loaders.eu_annex_i.dialect import (
    ENTRY_CODE,
    HEADING,
    RawDocument,
    SourceLine,
    annex_region,
    clean_text,
    consolidated_url,
)
from loaders.eu_annex_i.meta import ANNEX_IV_META, META

PART_TITLE = re.compile(r"^PART\s+(?P<n>[IVX]+)\b", re.IGNORECASE)
TABLE_ROW = re.compile(r"^\|\s*(?P<code>[^|]*?)\s*\|\s*(?P<text>.*?)\s*\|?\s*$")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
EMPHASIS = re.compile(r"\*{2,3}(?P<text>[^*]+?)\*{2,3}")


# -- Annex IV -----------------------------------------------------------------------------------


def parse_annex_iv(path: Path, raw: RawDocument, check_counts: bool = True) -> ParsedList:
    """One entry-kind row per table row (see the module doc)."""
    region = annex_region(raw.lines, "IV", path)
    part = ""
    rows: dict[str, ListRow] = {}
    seen: dict[str, str] = {}
    unplaced: list[Unplaced] = []
    for line in region:
        body = line.text.strip()
        if not body or TABLE_RULE.match(body):
            continue
        if HEADING.match(body):
            title = clean_text(body.lstrip("#"))
            numbered = PART_TITLE.match(title)
            if numbered:
                part = numbered["n"].upper()
            continue
        cells = TABLE_ROW.match(body) if body.startswith("|") else None
        canonical = canonical_code(clean_text(cells["code"])) if cells else None
        if cells is None or canonical is None or not re.match(ENTRY_CODE, canonical):
            unplaced.append(Unplaced(line.location, clean_text(body),
                                     "Annex IV text outside the item tables"))
            continue
        printed, text = clean_text(cells["code"]), clean_text(cells["text"])
        emphasis = [clean_text(m["text"]) for m in EMPHASIS.finditer(cells["text"])]
        seen.setdefault(canonical, line.location)
        row = rows.get(canonical)
        if row is None:
            rows[canonical] = ListRow(
                code=printed, canonical=canonical, parent="", depth=0, kind="entry", text=text,
                location=line.location, entry=entry_code(canonical),
                details={"part": [part], "emphasis": emphasis},
            )
        else:  # listed in both parts: one row, the text of each part marked
            parts: list[str] = row.details["part"]
            if len(parts) == 1:
                row.text = f"(Part {parts[0]}) {row.text}"
            row.text = f"{row.text} (Part {part}) {text}"
            parts.append(part)
            row.details["emphasis"] = [*row.details["emphasis"], *emphasis]
            row.details.setdefault("also_at", []).append(line.location)
    info = SourceInfo(ANNEX_IV_META.source_id, META.jurisdiction, ANNEX_IV_META.list_name,
                      raw.version, ANNEX_IV_META.citation, consolidated_url(raw.version))
    notes = [
        "Annex IV codes name Annex I items at any depth; each is an entry-kind row (depth 0) "
        "whose canonical code is the Annex I code and whose `entry` is its entry",
        f"{len(unplaced)} line(s) of Annex IV outside the tables reported (the Category 0 "
        "rule with its exceptions and the MTCR exemption are not expanded into rows)",
    ]
    return finish(path, ANNEX_IV_META, info, list(rows.values()), count_annex_iv(region),
                  unplaced, notes, check_counts=check_counts,
                  lines=[Line(line.text, line.location) for line in region if line.text.strip()])


def count_annex_iv(region: Iterable[SourceLine]) -> dict[str, str]:
    """Codes in the first cell of the Annex IV tables (code -> first location)."""
    seen: dict[str, str] = {}
    for line in region:
        match = re.match(r"^\|\s*\**(\d[A-E]\d{3}(?:\.?[a-z0-9]{1,2})*)\.?\**\s*\|",
                         line.text.strip())
        if match:
            code = canonical_code(match.group(1))
            if code:
                seen.setdefault(code, line.location)
    return seen
