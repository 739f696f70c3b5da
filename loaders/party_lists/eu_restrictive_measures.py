"""EU restrictive measures: persons and entities listed per regulation, one CSV per CELEX.

Each `<CELEX>.csv` has the 45-column header `celex,recordId,programKey,annex,measure,startDate,
reason,schema,name,alias,weakAlias,previousName,country,nationality,jurisdiction,birthDate,…,
address,phone,email,website,notes`: one row per listed person, entity, vessel or asset, with
multiple values joined by "; ". An empty regime is a file with the header only. An optional
`*programs*.csv` (`regime_id,program_keys,has_lists,framework_celexes,name`) names the regimes.

Dates (`startDate`) come as "23.6.2023", "9 August 2025" or "26 Feb. 2011". A row with the wrong
number of cells, no name or an unreadable date is reported with its file and line.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from harmonize.ingest.parties import (
    Listing,
    PartyListInfo,
    PartyParse,
    PartyRecord,
    PartySourceMeta,
    unique_ids,
)
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.segmenter import Unplaced
from harmonize.ingest.source import LoaderError

META = PartySourceMeta(
    source_id="eu-restrictive-measures",
    jurisdiction="EU",
    publisher="Council of the European Union (Official Journal); consolidated per regulation",
    url="https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content",
    format="CSV, one file per CELEX (45 columns)",
    licence="EU legal texts; this derived copy CC BY-NC 4.0 (reference only)",
    file_patterns=("3*.csv", "*programs*.csv"),
)
HEADER = [
    "celex",
    "recordId",
    "programKey",
    "annex",
    "measure",
    "startDate",
    "reason",
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
IDENTIFIERS = {
    "registrationNumber": "Registration",
    "taxNumber": "Tax",
    "idNumber": "ID",
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "kppCode": "KPP",
    "okpoCode": "OKPO",
    "leiCode": "LEI",
    "swiftBic": "SWIFT/BIC",
    "imoNumber": "IMO",
    "mmsi": "MMSI",
    "passportNumber": "Passport",
}
KIND = {
    "Person": "person",
    "LegalEntity": "organization",
    "Company": "organization",
    "Organization": "organization",
    "Vessel": "vessel",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
CELEX = re.compile(r"^3(?P<year>\d{4})(?P<type>[RDL])(?P<number>\d{4})$")


def parse(files: list[Path]) -> PartyParse:
    programs: dict[str, str] = {}
    for path in files:
        if "program" in path.name.casefold():
            programs.update(_programs(path))
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    notes: list[str] = []
    lists: list[PartyListInfo] = []
    empty = []
    for path in sorted(p for p in files if CELEX.match(p.stem)):
        found, bad, program_key = _regulation(path, programs)
        records += found
        unplaced += bad
        if not found and not bad:
            empty.append(path.stem)
            continue
        lists.append(
            PartyListInfo(
                f"eu-{path.stem}",
                regulation_name(path.stem),
                "EU",
                "",
                f"CELEX {path.stem}" + (f" ({program_key})" if program_key else ""),
                f"https://eur-lex.europa.eu/eli/reg/{_eli(path.stem)}",
            )
        )
    if empty:
        notes.append(f"{len(empty)} regulation file(s) with no listed party: {', '.join(empty)}")
    notes.append("the files carry no consolidation date: list versions are left empty")
    return PartyParse(unique_ids(records), lists, unplaced, notes)


def regulation_name(celex: str) -> str:
    """'32014R0833' -> 'Regulation (EU) No 833/2014' ('Decision' for D)."""
    match = CELEX.match(celex)
    if not match:
        return celex
    year, number = int(match["year"]), int(match["number"])
    if match["type"] != "R":  # CFSP decisions and directives: year/number
        return f"{'Decision' if match['type'] == 'D' else 'Directive'} {year}/{number}"
    # Regulations from 2015 on are numbered year/number; earlier ones number/year, and (EC)
    # before the Lisbon Treaty (1 December 2009).
    return (
        f"Regulation (EU) {year}/{number}"
        if year >= 2015
        else f"Regulation ({'EU' if year >= 2010 else 'EC'}) No {number}/{year}"
    )


def _eli(celex: str) -> str:
    match = CELEX.match(celex)
    return f"{int(match['year'])}/{int(match['number'])}/oj" if match else celex


def _programs(path: Path) -> dict[str, str]:
    """CELEX -> regime name, from the programmes map."""
    _, text = read_utf8(path, "CSV")
    names: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        for celex in (row.get("framework_celexes") or "").split(";"):
            if celex.strip() and row.get("name"):
                names[celex.strip()] = " ".join(str(row["name"]).split())
    return names


def parse_date(text: str) -> str | None:
    """'23.6.2023' / '9 August 2025' / '26 Feb. 2011' -> ISO; '' -> ''; else None."""
    text = text.strip()
    if not text:
        return ""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    else:
        match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", text)
        if not match or match[2].casefold() not in MONTHS:
            return None
        day, month, year = int(match[1]), MONTHS[match[2].casefold()], int(match[3])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _regulation(
    path: Path, programs: dict[str, str]
) -> tuple[list[PartyRecord], list[Unplaced], str]:
    _, text = read_utf8(path, "CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if [h.strip() for h in header] != HEADER:
        raise LoaderError(
            path,
            "line 1",
            f"header is not the 45-column restrictive-measures "
            f"header (got {len(header)} columns: {', '.join(header[:6])}…)",
        )
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    program_key = ""
    for cells in reader:
        where = f"{path.name}:{reader.line_num}"
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            unplaced.append(
                Unplaced(
                    where,
                    ",".join(cells)[:500],
                    f"{len(cells)} cells, the header has {len(HEADER)}",
                )
            )
            continue
        row = dict(zip(HEADER, cells, strict=True))
        listed_on = parse_date(row["startDate"])
        name = " ".join(row["name"].split())
        if not name or listed_on is None or row["celex"] != path.stem:
            why = (
                "no name"
                if not name
                else f"date {row['startDate']!r} not understood"
                if listed_on is None
                else f"celex {row['celex']!r} is not the file's"
            )
            unplaced.append(Unplaced(where, ",".join(cells)[:500], why))
            continue
        program_key = program_key or row["programKey"]
        records.append(_record(path, row, name, listed_on, where, programs))
    return records, unplaced, program_key


def _record(
    path: Path, row: dict[str, str], name: str, listed_on: str, where: str, programs: dict[str, str]
) -> PartyRecord:
    celex = path.stem
    regime = programs.get(celex, "")
    annex = row["annex"].strip()
    listing = Listing(
        source=META.source_id,
        jurisdiction="EU",
        list_id=f"eu-{celex}",
        list_name=regulation_name(celex),
        program=f"{row['programKey']}" + (f": {regime}" if regime else ""),
        measure=row["measure"].strip(),
        listed_on=listed_on,
        citation=f"{regulation_name(celex)}"
        + (f", Annex {annex}" if annex else "")
        + f" (CELEX {celex})",
    )
    identifiers = tuple(
        f"{label}: {value}"
        for column, label in IDENTIFIERS.items()
        for value in _split(row[column])
    )
    country = row["country"] or row["jurisdiction"] or row["nationality"] or row["flag"]
    return PartyRecord(
        record_id=f"eu-{celex}:{annex}:{row['recordId'].strip() or where}",
        name=name,
        listing=listing,
        aliases=_split(row["alias"]) + _split(row["weakAlias"]),
        previous_names=_split(row["previousName"]),
        kind=KIND.get(row["schema"], "other"),
        country=country.strip(),
        addresses=_split(row["address"]),
        identifiers=identifiers,
        remarks=" ".join(row["reason"].split()),
        location=where,
    )
