"""The party model: who is listed, where, by which rule (end users, not items).

One `PartyRecord` is one listing as a list prints it: the name, aliases, country, addresses and
identifiers the list gives, plus the `Listing` (source, jurisdiction, list, programme, measure,
date listed, citation, and the licence requirement and review policy where the list has them).
Records of the same party on several lists are grouped later (harmonize.compare.parties); the
store keeps records exactly as read.

Party readers (`loaders/party_lists/`) return a `PartyParse`: the records, the rows they could
not read (`Unplaced`, with file and line: nothing is dropped silently) and notes on what they
left out. `records_frame` turns records into the table the store writes; `validate_parties`
checks it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from harmonize.ingest.segmenter import Unplaced

KINDS = ("organization", "person", "vessel", "other")
JURISDICTIONS = ("US", "EU")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PartySchemaError(ValueError):
    """A table of party records does not match the model."""


@dataclass(frozen=True)
class Listing:
    """Where and by which rule a party is listed."""

    source: str  # source id (import folder), e.g. "us-ear-744"
    jurisdiction: str  # "US" or "EU"
    list_id: str  # e.g. "us-entity-list", "eu-32014R0833"
    list_name: str  # e.g. "Entity List (15 CFR 744, Supp. No. 4)"
    program: str  # e.g. "EAR Part 744", "EU-RUS: Restrictive measures … Russia …"
    measure: str  # e.g. "Licence requirement", "Asset freeze", "Export control"
    listed_on: str  # ISO date of the first listing the source states; "" when it states none
    citation: str  # the rule that listed it (Federal Register, CELEX and annex)
    licence_requirement: str = ""
    licence_review_policy: str = ""


@dataclass(frozen=True)
class PartyRecord:
    """One listed party as one list prints it."""

    record_id: str  # stable across versions: list id + country + name slug, or CELEX + record id
    name: str
    listing: Listing
    aliases: tuple[str, ...] = ()
    previous_names: tuple[str, ...] = ()
    kind: str = "organization"  # one of KINDS
    country: str = ""  # as printed by the list ("RUSSIA", "Russian")
    addresses: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # "INN: 7718077239", "IMO: 9123456"
    remarks: str = ""  # the list's own reason or note
    part_of: str = ""  # the listed entity it belongs to (subordinate institutions, affiliates)
    location: str = ""  # file:line of the row in the raw file


@dataclass(frozen=True)
class PartySourceMeta:
    """What a party reader declares about its source (like `harmonize.ingest.source.SourceMeta`)."""

    source_id: str  # folder name in an import directory
    jurisdiction: str
    publisher: str
    url: str
    format: str
    licence: str
    file_patterns: tuple[str, ...]  # globs of the files the reader parses, all of them
    # Another source this one is a derived copy of: parsed to cross-check that source, and used
    # for parties only when that source is not loaded.
    copy_of: str = ""


@dataclass(frozen=True)
class PartyListInfo:
    """One list a party source holds (a source can hold several: Entity List, MEU, MIEU)."""

    list_id: str
    list_name: str
    jurisdiction: str
    version: str  # ISO date of the legal text or copy ("" when the file gives none)
    citation: str
    url: str


@dataclass
class PartyParse:
    """What a party reader made of one source folder."""

    records: list[PartyRecord]
    lists: list[PartyListInfo]
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Entries per list as the file counts them, for cross-checks: the count a derived copy
    # states about itself, or the table rows with a citation of their own in the official text
    # (subordinates printed inside a row are records of their own, not rows).
    stated_counts: dict[str, int] = field(default_factory=dict)


COLUMNS: dict[str, str] = {
    "record_id": "string",
    "source_id": "string",
    "jurisdiction": "string",
    "list_id": "string",
    "list_name": "string",
    "program": "string",
    "measure": "string",
    "listed_on": "string",
    "citation": "string",
    "licence_requirement": "string",
    "licence_review_policy": "string",
    "name": "string",
    "aliases": "object",
    "previous_names": "object",
    "kind": "string",
    "country": "string",
    "addresses": "object",
    "identifiers": "object",
    "remarks": "string",
    "part_of": "string",
    "location": "string",
    "version": "string",
}
LIST_COLUMNS = ("aliases", "previous_names", "addresses", "identifiers")


def records_frame(records: list[PartyRecord], versions: dict[str, str]) -> pd.DataFrame:
    """Records as the stored table (one row per listing); `versions` maps list id -> version."""
    record_fields = [f.name for f in dataclasses.fields(PartyRecord) if f.name != "listing"]
    listing_fields = [f.name for f in dataclasses.fields(Listing)]
    rows = []
    for record in records:  # field by field: dataclasses.asdict is ten times slower here
        row = {name: getattr(record, name) for name in record_fields}
        listing = record.listing
        row.update({name: getattr(listing, name) for name in listing_fields})
        row["source_id"] = row.pop("source")
        row["version"] = versions.get(listing.list_id, "")
        for column in LIST_COLUMNS:
            row[column] = list(row[column])
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(COLUMNS)))


def empty_parties() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=list(COLUMNS)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column, dtype in COLUMNS.items():
        if dtype == "string":
            frame[column] = frame[column].fillna("").astype("string")
        else:
            # Parquet gives list columns back as numpy arrays: lists of str again.
            frame[column] = [[str(x) for x in v] if isinstance(v, (list, tuple, np.ndarray))
                             else [] for v in frame[column]]
    return frame


def validate_parties(frame: pd.DataFrame) -> None:
    """Raise PartySchemaError naming the first problem: columns, kinds, jurisdictions, dates,
    empty names, duplicate record ids."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise PartySchemaError(f"missing columns: {', '.join(missing)}")
    if frame.empty:
        return
    checks = (
        (~frame["kind"].isin(KINDS), "kind not one of " + ", ".join(KINDS)),
        (~frame["jurisdiction"].isin(JURISDICTIONS), "unknown jurisdiction"),
        (frame["name"].str.strip() == "", "empty name"),
        (~(frame["listed_on"].eq("") | frame["listed_on"].str.match(ISO_DATE.pattern)),
         "listed_on not an ISO date"),
        (frame["record_id"].duplicated(), "duplicate record id"),
    )
    for bad, what in checks:
        if bool(bad.any()):
            first = frame[bad.fillna(True).astype(bool)].iloc[0]
            raise PartySchemaError(f"{what}: {first['record_id']} ({first['location']})")


def slug(text: str) -> str:
    """A lower-case ASCII-ish id part: letters and digits joined by '-'."""
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")[:80] or "x"


def unique_ids(records: list[PartyRecord]) -> list[PartyRecord]:
    """The records with duplicate ids made unique by a '~2', '~3' suffix, in order (a list can
    print the same name twice under one country, e.g. two offices)."""
    seen: dict[str, int] = {}
    out = []
    for record in records:
        count = seen.get(record.record_id, 0) + 1
        seen[record.record_id] = count
        out.append(record if count == 1 else
                   dataclasses.replace(record, record_id=f"{record.record_id}~{count}"))
    return out
