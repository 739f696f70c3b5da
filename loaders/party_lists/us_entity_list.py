"""Derived copies of the US end-user lists, read to cross-check the eCFR XML (us-ear-744).

- `*entity_list*.json`: `{"list_id", "source_file", "extracted", "count", "entities": [{"name",
  "aliases", "country", "address", "federal_register", "notes", …}]}` — a third party's
  conversion of Supplement No. 4 (no licence review policy column; `notes` holds the licence
  requirement). Subordinate institutions and affiliates are folded into their parent's aliases.
- `*meu*.json`: the same shape for Supplement No. 7.
- `*mieu*.csv`: `Type,Name,Alias,Country,Topics,Program,Date,End date,Source URL` (ISO country
  codes, the date the § 744.22 list took effect).

The records carry `copy_of = "us-ear-744"`: the store parses them and compares counts and names
with the XML; parties are built from them only when the XML is not loaded.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from harmonize.ingest.parties import (
    Listing,
    PartyListInfo,
    PartyParse,
    PartyRecord,
    PartySourceMeta,
    slug,
    unique_ids,
)
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.segmenter import Unplaced
from harmonize.ingest.source import LoaderError
from loaders.party_lists.entity_text import citation_dates, split_addresses
from loaders.party_lists.us_ear_744 import (
    ENTITY_LIST,
    LIST_NAMES,
    MEU_LIST,
    MEU_POLICY,
    MEU_REQUIREMENT,
    MIEU_LIST,
    MIEU_POLICY,
    MIEU_REQUIREMENT,
    PROGRAM,
)

META = PartySourceMeta(
    source_id="us-entity-list",
    jurisdiction="US",
    publisher="Derived copies of BIS lists (third-party JSON and CSV)",
    url="",
    format="derived JSON / CSV",
    licence="US public domain text; converters' terms",
    file_patterns=("*entity_list*.json", "*meu*.json", "*mieu*.csv"),
    copy_of="us-ear-744",
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIEU_COLUMNS = ("Type", "Name", "Alias", "Country")


def parse(files: list[Path]) -> PartyParse:
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    notes: list[str] = []
    stated: dict[str, int] = {}
    lists: list[PartyListInfo] = []
    for path in sorted(files):
        name = path.name.casefold()
        if name.endswith(".csv") and "mieu" in name:
            found, bad = _mieu_csv(path)
            list_id, version = MIEU_LIST, ""
        elif name.endswith(".json"):
            list_id = MEU_LIST if "meu" in name and "entity" not in name else ENTITY_LIST
            found, bad, version, count = _json(path, list_id)
            if count is not None:
                stated[list_id] = count
                if count != len(found) + len(bad):
                    notes.append(f"{path.name}: states {count} entries, holds "
                                 f"{len(found) + len(bad)}")
        else:
            notes.append(f"{path.name}: not read (no reader for this file)")
            continue
        records += found
        unplaced += bad
        lists.append(PartyListInfo(list_id, LIST_NAMES[list_id] + " — derived copy", "US",
                                   version, f"{path.name} (derived from 15 CFR Part 744)", ""))
    return PartyParse(unique_ids(records), lists, unplaced, notes, stated)


def _json(path: Path, list_id: str
          ) -> tuple[list[PartyRecord], list[Unplaced], str, int | None]:
    _, text = read_utf8(path, "JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoaderError(path, f"line {error.lineno}", f"not JSON: {error.msg}") from error
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise LoaderError(path, "top level", "no 'entities' list")
    version = str(data.get("extracted") or "")
    version = version if ISO_DATE.match(version) else ""
    count = data.get("count") if isinstance(data.get("count"), int) else None
    # Each entity starts on its own line in pretty-printed files: find it for the location.
    starts = [m.start() for m in re.finditer(r'\{\s*"name"', text)]
    newlines = [m.start() for m in re.finditer("\n", text)]
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    for index, entry in enumerate(data["entities"]):
        line = bisect.bisect(newlines, starts[index]) + 1 if index < len(starts) else 0
        where = f"{path.name}:{line}" if line else f"{path.name}:entities[{index}]"
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            unplaced.append(Unplaced(where, json.dumps(entry, ensure_ascii=False)[:500],
                                     "entity without a name"))
            continue
        records.append(_json_record(entry, list_id, where))
    return records, unplaced, version, count


def _json_record(entry: dict[str, Any], list_id: str, where: str) -> PartyRecord:
    name = " ".join(str(entry["name"]).split())
    country = str(entry.get("country") or "")
    citation = str(entry.get("federal_register") or "")
    dates = citation_dates(citation)
    requirement = str(entry.get("notes") or "") if list_id == ENTITY_LIST else MEU_REQUIREMENT
    listing = Listing(
        source=META.source_id, jurisdiction="US", list_id=list_id,
        list_name=LIST_NAMES[list_id], program=PROGRAM,
        measure=("Licence requirement (Entity List, § 744.11)" if list_id == ENTITY_LIST
                 else "Licence requirement (MEU List, § 744.21)"),
        listed_on=min(dates) if dates else "",
        citation=f"{LIST_NAMES[list_id].split('(')[-1].rstrip(')')}; {citation}".strip("; "),
        licence_requirement=requirement,
        licence_review_policy="" if list_id == ENTITY_LIST else MEU_POLICY)
    aliases = tuple(" ".join(str(a).split()) for a in entry.get("aliases") or [] if str(a).strip())
    return PartyRecord(
        record_id=f"{list_id}:{slug(country)}:{slug(name)}", name=name, listing=listing,
        aliases=aliases, country=country,
        addresses=tuple(split_addresses(str(entry.get("address") or ""))), location=where)


def _mieu_csv(path: Path) -> tuple[list[PartyRecord], list[Unplaced]]:
    _, text = read_utf8(path, "CSV")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in MIEU_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise LoaderError(path, "line 1", f"header lacks {', '.join(missing)}")
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    for row in reader:
        where = f"{path.name}:{reader.line_num}"
        name = " ".join((row.get("Name") or "").split())
        date = (row.get("Date") or "").strip()
        if not name or None in row or (date and not ISO_DATE.match(date)):
            unplaced.append(Unplaced(where, ",".join(str(v) for v in row.values()),
                                     "no name, extra cells or a date not YYYY-MM-DD"))
            continue
        listing = Listing(
            source=META.source_id, jurisdiction="US", list_id=MIEU_LIST,
            list_name=LIST_NAMES[MIEU_LIST], program=PROGRAM,
            measure="Licence requirement (military-intelligence end users, § 744.22)",
            listed_on=date, citation=f"15 CFR 744.22(f)(2); {row.get('Source URL') or ''}",
            licence_requirement=MIEU_REQUIREMENT, licence_review_policy=MIEU_POLICY)
        alias = (row.get("Alias") or "").strip()
        country = (row.get("Country") or "").strip()
        records.append(PartyRecord(
            record_id=f"{MIEU_LIST}:{slug(country)}:{slug(name)}", name=name, listing=listing,
            aliases=tuple(a.strip() for a in alias.split(";") if a.strip()), country=country,
            location=where))
    return records, unplaced
