"""US end-user lists from the official eCFR XML of 15 CFR Part 744.

- Supplement No. 4, the Entity List: one `<TABLE>` in `<DIV9 N="Supplement No. 4 to Part 744">`,
  columns Country | Entity | License requirement | License review policy | Federal Register
  citation. The country cell is filled on a country's first row only. A row whose requirement,
  policy and citation cells are empty continues the entity above it: its subordinate
  institutions (`<E T="03">Subordinate institution</E>` blocks), its affiliated entities
  (`Affiliated entities:` then one `<E T="03">Name,</E>` per entity) or addresses that apply to
  the entity and its subordinates. Subordinates and affiliates become records of their own,
  `part_of` the entity, with its requirement, policy and citation.
- Supplement No. 7, the Military End-User (MEU) List: Country | Entity | Federal Register
  citation; group headings ("The following eight subordinate institutions of X:") and rows
  without a citation, which carry the citation of the row above (noted on the record).
- § 744.22(f)(2): military-intelligence end users, one paragraph per country
  ("(iii) *Cuba.* Directorate of Military Intelligence (DIM) and Directorate of Military
  Counterintelligence (CIM).").

Parsed with the CCL loader's XML parser (no entity expansion, no network; gzip as the
versioner may send it) and its issue-date rule. Rows that cannot be read are returned
as `Unplaced` with the file and line; "[Reserved]" rows are counted in the notes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from harmonize.ingest.parties import (
    Listing,
    PartyListInfo,
    PartyParse,
    PartyRecord,
    PartySourceMeta,
    slug,
    unique_ids,
)
from harmonize.ingest.safexml import parse_xml
from harmonize.ingest.segmenter import Unplaced
from harmonize.ingest.source import LoaderError
from loaders.party_lists.entity_text import (
    EntityText,
    citation_dates,
    clean,
    legal_form_next,
    split_addresses,
    split_entity,
)
from loaders.us_ccl.ecfr_xml import parse_version_xml, read_xml_bytes

META = PartySourceMeta(
    source_id="us-ear-744",
    jurisdiction="US",
    publisher="US Department of Commerce, Bureau of Industry and Security (eCFR)",
    url="https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=744",
    format="eCFR versioner XML",
    licence="US public domain",
    file_patterns=("*.xml", "*744*.xml.companion"),
)
ENTITY_LIST = "us-entity-list"
MEU_LIST = "us-meu-list"
MIEU_LIST = "us-mieu"
LIST_CITATIONS = {
    "us-entity-list": "15 CFR Part 744, Supplement No. 4",
    "us-meu-list": "15 CFR Part 744, Supplement No. 7",
    "us-mieu": "15 CFR 744.22(f)(2)",
}
LIST_NAMES = {
    ENTITY_LIST: "Entity List (15 CFR 744, Supp. No. 4)",
    MEU_LIST: "Military End-User List (15 CFR 744, Supp. No. 7)",
    MIEU_LIST: "Military-intelligence end users (15 CFR 744.22(f)(2))",
}
PROGRAM = "EAR Part 744: end-user and end-use controls"
# The MEU and MIEU tables have no requirement or policy columns: the sections say them.
MEU_REQUIREMENT = "Items listed in Supplement No. 2 to part 744 (§ 744.21(a)(1))"
MEU_POLICY = "Presumption of denial (§ 744.21(e)(1))"
MIEU_REQUIREMENT = "Any item subject to the EAR (§ 744.22(a))"
MIEU_POLICY = "Presumption of denial (§ 744.22(e))"
E_START, E_END = "\x01", "\x02"  # around <E> (italic) text in a cell
SUBORDINATE_LABEL = re.compile(r"^subordinate instit\w*:?$", re.I)
GROUP_HEADING = re.compile(r"^the following \w+ subordinate instit\w* of (?P<of>.+?):?$", re.I)
# "X (CETC 13) subordinate institution: Y, …" (singular; "and two subordinate institutions:"
# after an alias list only announces the rows below).
INLINE_SUBORDINATE = re.compile(r"^(?P<of>.+?)\s+subordinate instit\w*?ion:\s*(?P<rest>.+)$",
                                re.I | re.S)
DEPARTMENT = re.compile(r"^the following (?P<who>.+?) entities:\s*(?P<rest>.*)$", re.I | re.S)
ROMAN = re.compile(r"^\((?P<num>[ivx]+)\)\s*(?P<country>[^.]+(?:\.[^.]*?)?)\.\s+(?P<body>.+)$")


def parse(files: list[Path]) -> PartyParse:
    """Entity List, MEU List and MIEU from the one Part 744 XML file."""
    if len(files) != 1:
        raise LoaderError(", ".join(map(str, files)) or "(none)", "folder",
                          "expected one eCFR XML file of Part 744")
    path = files[0]
    root = parse_xml(read_xml_bytes(path), path)
    version = _version(path, root)
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    notes: list[str] = []
    rows: dict[str, int] = {}
    if _div(root, "DIV9", "Supplement No. 4") is None:
        raise LoaderError(path, "Supplement No. 4", "no <DIV9 N=\"Supplement No. 4 to Part 744\">"
                          ": not the Part 744 XML?")
    for number, list_id in (("Supplement No. 4", ENTITY_LIST), ("Supplement No. 7", MEU_LIST)):
        supplement = _div(root, "DIV9", number)
        if supplement is None:
            notes.append(f"no {number} ({LIST_NAMES[list_id]}) in this file")
            continue
        reader = _TableReader(path, list_id)
        reader.read(supplement)
        rows[list_id] = reader.rows
        records += reader.records
        unplaced += reader.unplaced
        notes += reader.notes
    section = _div(root, "DIV8", "744.22")
    if section is not None:
        mieu, problems = _mieu(path, section)
        records += mieu
        rows[MIEU_LIST] = len(mieu)
        unplaced += problems
    else:
        notes.append("no § 744.22 in this file: no military-intelligence end users read")
    latest = max((d for r in records for d in [r.listing.listed_on] if d), default="")
    if not version:
        notes.append("the file states no issue date (no date attribute, no sidecar, no date "
                     f"in the file name): version left empty; latest listing date read {latest}")
    citation = f"eCFR as of {version}" if version else "eCFR, issue date not stated"
    url = META.url.format(date=version or "current")
    lists = [PartyListInfo(list_id, LIST_NAMES[list_id], "US", version,
                           f"{LIST_CITATIONS[list_id]} ({citation})", url)
             for list_id in (ENTITY_LIST, MEU_LIST, MIEU_LIST)
             if any(r.listing.list_id == list_id for r in records)]
    return PartyParse(unique_ids(records), lists, unplaced, notes, rows)


def _version(path: Path, root: etree._Element) -> str:
    """The eCFR issue date as the CCL loader finds it (a date attribute, a sidecar
    `<file>.meta.json`, or the file name); '' when none says it."""
    try:
        return parse_version_xml(path, root, root)
    except LoaderError:
        return ""


def _div(root: etree._Element, tag: str, number: str) -> etree._Element | None:
    for div in root.iter(tag):
        label = (div.get("N") or "").strip()
        if label == number or label.startswith(number + " "):
            return div
    return None


def cell_text(cell: etree._Element) -> str:
    """A cell's text with `<br/>` as a line break and italic `<E>` text marked."""
    parts = [cell.text or ""]
    for child in cell:
        if isinstance(child, etree._Entity):  # never resolved: kept as written ("&name;")
            parts.append(child.text or "")
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag == "E":
            inner = "".join(child.itertext())
            # "and"/"or" in italics join addresses and aliases: plain words, not markers.
            parts.append(inner if inner.strip() in ("and", "or", "") else
                         f"{E_START}{inner}{E_END}")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


FAMILY = re.compile(r"(?:Corporation|Concern|Holding|Group|Academy)$")


def _families(table: etree._Element) -> set[str]:
    """Group names printed before a member's own name in three or more rows
    ("Tactical Missile Corporation, Joint Stock Company Avangard, 78 Oktyabrskaya …")."""
    counts: dict[str, int] = {}
    for row in table.iter("TR"):
        cells = row.findall("TD")
        if len(cells) > 1:
            prefix = plain(cell_text(cells[1])).split(", ", 1)[0]
            counts[prefix] = counts.get(prefix, 0) + 1
    return {p for p, n in counts.items() if n >= 3 and FAMILY.search(p)}


def _subordinate_segments(raw: str) -> list[str]:
    """A cell split at each italic "Subordinate institution" label: the text before the first
    label, then one segment per subordinate."""
    return re.split(f"{E_START}\\s*subordinate instit\\w*:?\\s*{E_END}", raw, flags=re.I)


def plain(text: str) -> str:
    return clean(text.replace(E_START, "").replace(E_END, ""))


class _TableReader:
    """Rows of the Entity List or MEU table into records."""

    def __init__(self, path: Path, list_id: str) -> None:
        self.path, self.list_id = path, list_id
        self.records: list[PartyRecord] = []
        self.unplaced: list[Unplaced] = []
        self.notes: list[str] = []
        self.country = ""
        self.parent: PartyRecord | None = None  # the last entity with its own citation
        self.parent_cells = ("", "", "")  # its citation, requirement and policy as printed
        self.group = ""  # MEU: "The following … subordinate institutions of X:" -> X
        self.reserved = 0
        self.inherited = 0
        self.problems: list[str] = []
        self.rows = 0  # rows with an entity and a citation of their own (or carrying one)
        self.families: set[str] = set()  # "Tactical Missile Corporation" of "X, Y" rows

    def where(self, row: etree._Element) -> str:
        return f"{self.path.name}:{row.sourceline}"

    def read(self, supplement: etree._Element) -> None:
        tables = supplement.findall(".//TABLE")
        if not tables:
            raise LoaderError(self.path, supplement.get("N") or "supplement", "no <TABLE>")
        for table in tables:
            self.families = _families(table)
            header = [" ".join(plain(cell_text(th)).split()).casefold()
                      for th in table.iter("TH")]
            columns = self._columns(table, header)
            for row in table.iter("TR"):
                cells = row.findall("TD")
                if not cells:
                    continue  # the header row
                if len(cells) == 1 and re.match(r"\d+\s", plain(cell_text(cells[0]))):
                    # A table footnote ("1 For this entity, …"), marked in the requirement
                    # column by a superscript number: kept as a note of the list.
                    self.notes.append(f"{LIST_NAMES[self.list_id].split(' (')[0]} footnote "
                                      f"{plain(cell_text(cells[0]))}")
                    continue
                if len(cells) != len(header):
                    self.unplaced.append(Unplaced(
                        self.where(row), plain(" | ".join(cell_text(c) for c in cells)),
                        f"{len(cells)} cells where the header has {len(header)}"))
                    continue
                self._row(row, {role: cell_text(cells[i]) for role, i in columns.items()})
        label = LIST_NAMES[self.list_id].split(" (")[0]
        if self.reserved:
            self.notes.append(f"{label}: {self.reserved} '[Reserved]' row(s) (no entity)")
        if self.inherited:
            self.notes.append(f"{label}: {self.inherited} row(s) without a citation of their "
                              "own carry the citation of the row above")
        if self.problems:
            self.notes.append(f"{label}: {len(self.problems)} alias list(s) whose announced "
                              f"count differs from the aliases read, e.g. {self.problems[0]}")

    def _columns(self, table: etree._Element, header: list[str]) -> dict[str, int]:
        roles = {"country": "country", "entity": "entity", "license requirement": "requirement",
                 "license review policy": "policy", "federal register citation": "citation"}
        found = {role: header.index(name) for name, role in roles.items() if name in header}
        needed = ["country", "entity", "citation"]
        if self.list_id == ENTITY_LIST:
            needed += ["requirement", "policy"]
        missing = [r for r in needed if r not in found]
        if missing:
            raise LoaderError(self.path, f"line {table.sourceline}",
                              f"table header {header} lacks {', '.join(missing)}")
        return found

    def _row(self, row: etree._Element, cells: dict[str, str]) -> None:
        country = plain(cells["country"])
        if country:
            self.country, self.parent, self.group = country, None, ""
        entity_raw = cells["entity"]
        entity = plain(entity_raw)
        # Several citations stand on lines of their own: one line, "; " between them.
        citation = "; ".join(c.strip(" .") for c in plain(cells["citation"]).split("\n")
                             if c.strip(" ."))
        if entity.casefold().strip("[]. ") == "reserved":
            self.reserved += 1
            return
        if not entity:
            self.unplaced.append(Unplaced(self.where(row), plain(" | ".join(cells.values())),
                                          "row without an entity"))
            return
        own = bool(citation or plain(cells.get("requirement", "")))
        if own:
            self.parent_cells = (citation, plain(cells.get("requirement", "")),
                                 plain(cells.get("policy", "")))
        heading = GROUP_HEADING.match(entity)
        if heading:  # MEU: "The following seven subordinate institutions of X:"
            self.group = heading["of"].strip()
            return
        if SUBORDINATE_LABEL.match(entity):
            return  # a label before each subordinate (MEU; "instituion" sic in the text)
        if not own and self.list_id == MEU_LIST:
            self._inherited_row(row, entity)
        elif not own:
            self._continuation(row, entity_raw)
        else:
            self.group = ""
            self.rows += 1
            self._entity_row(row, entity_raw)

    def _entity_row(self, row: etree._Element, raw: str) -> None:
        """A row with its own citation: the entity, and any subordinates printed in it."""
        segments = _subordinate_segments(raw)
        head = plain(segments[0])
        inline = INLINE_SUBORDINATE.match(head)  # "X (CETC 13) subordinate institution: Y, …"
        department = DEPARTMENT.match(head)  # "The following Department of … entities: —…"
        if inline:
            self.parent = self._record(row, split_entity(inline["rest"]), *self.parent_cells,
                                       part_of=inline["of"].strip())
        elif department:
            self.parent = self._record(
                row, EntityText(name=department["who"].strip()), *self.parent_cells,
                remark="Entities: " + "; ".join(
                    tidy for tidy in (p.strip(" ;.") for p in
                                      re.split(r"—", department["rest"])) if tidy))
        elif head.split(", ", 1)[0] in self.families and not legal_form_next(
                head.split(", ", 1)[1]):
            family, rest = head.split(", ", 1)
            self.parent = self._record(row, split_entity(rest), *self.parent_cells,
                                       part_of=family)
        else:
            self.parent = self._record(row, split_entity(head), *self.parent_cells)
        for segment in segments[1:]:
            self._record(row, split_entity(plain(segment)), *self.parent_cells,
                         part_of=self.parent.name)

    def _inherited_row(self, row: etree._Element, entity: str) -> None:
        """MEU: an entity row without a citation (a group's subordinate)."""
        if self.parent is None and not self.parent_cells[0]:
            self.unplaced.append(Unplaced(self.where(row), entity,
                                          "row without a citation and no entity above it"))
            return
        self.inherited += 1
        self.rows += 1
        record = self._record(row, split_entity(entity), *self.parent_cells, part_of=self.group,
                              remark="citation carried from the row above (the row has none)")
        self.parent = self.parent or record

    def _record(self, row: etree._Element, text: EntityText, citation: str, requirement: str,
                policy: str, part_of: str = "", remark: str = "") -> PartyRecord:
        if self.list_id == MEU_LIST:
            requirement, policy = MEU_REQUIREMENT, MEU_POLICY
        dates = citation_dates(citation)
        measure = ("Licence requirement (Entity List, § 744.11)" if self.list_id == ENTITY_LIST
                   else "Licence requirement (MEU List, § 744.21)")
        listing = Listing(
            source=META.source_id, jurisdiction="US", list_id=self.list_id,
            list_name=LIST_NAMES[self.list_id], program=PROGRAM, measure=measure,
            listed_on=min(dates) if dates else "",
            citation=f"{LIST_NAMES[self.list_id].split('(')[-1].rstrip(')')}; "
                     f"{citation.rstrip('. ')}".strip("; "),
            licence_requirement=requirement, licence_review_policy=policy)
        self.problems += [f"{text.name}: {p}" for p in text.problems]
        name = text.name or "(unnamed)"
        record = PartyRecord(
            record_id=f"{self.list_id}:{slug(self.country)}:{slug(name)}", name=name,
            listing=listing, aliases=tuple(text.aliases), previous_names=tuple(text.previous_names),
            kind="organization", country=self.country, addresses=tuple(text.addresses),
            remarks=remark, part_of=part_of, location=self.where(row))
        self.records.append(record)
        return record

    def _continuation(self, row: etree._Element, raw: str) -> None:
        """Subordinate institutions, affiliated entities or shared addresses of the entity
        above."""
        parent = self.parent
        text = plain(raw)
        if parent is None:
            self.unplaced.append(Unplaced(self.where(row), text,
                                          "continuation row with no entity above it"))
            return
        lead = plain(raw)
        if lead.casefold().startswith("the following addresses apply"):
            self._add_addresses(parent, lead.split(":", 1)[-1])
            return
        read = 0
        entities: list[EntityText] = []
        if lead.casefold().startswith("affiliated entities"):
            # One italic name per affiliate, its aliases and address after it.
            blocks = re.split(f"{E_START}(.*?){E_END}", raw, flags=re.S)
            entities = [split_entity(f"{plain(label)} {plain(body)}")
                        for label, body in zip(blocks[1::2], blocks[2::2], strict=True)]
        else:
            entities = [split_entity(plain(s)) for s in _subordinate_segments(raw)[1:]]
        for entity in entities:
            if entity.name:
                self._record(row, entity, *self.parent_cells, part_of=parent.name)
                read += 1
        if not read:
            self.unplaced.append(Unplaced(self.where(row), text,
                                          f"continuation of {parent.name} not understood"))

    def _add_addresses(self, parent: PartyRecord, text: str) -> None:
        extra = tuple(split_addresses(text))
        index = self.records.index(parent)
        updated = replace(parent, addresses=parent.addresses + extra)
        self.records[index] = updated
        self.parent = updated
        for i, record in enumerate(self.records):  # its subordinates share them
            if record.part_of == parent.name and record.location >= parent.location:
                self.records[i] = replace(record, addresses=record.addresses + extra)


def _mieu(path: Path, section: etree._Element) -> tuple[list[PartyRecord], list[Unplaced]]:
    """§ 744.22(f)(2)(i)-(x): 'Country. Name (ACRONYM) and Name.' per paragraph."""
    records: list[PartyRecord] = []
    unplaced: list[Unplaced] = []
    cita = section.find("CITA")
    history = " ".join("".join(cita.itertext()).split()).strip("[] ") if cita is not None else ""
    in_list = False
    for paragraph in section.iter("P"):
        text = " ".join("".join(paragraph.itertext()).split())
        if text.startswith("(2)") and "military-intelligence end user" in text.casefold():
            in_list = True
            continue
        if not in_list:
            continue
        match = ROMAN.match(text)
        if not match:
            if text.startswith("("):
                unplaced.append(Unplaced(f"{path.name}:{paragraph.sourceline}", text,
                                         "§ 744.22(f)(2) paragraph not read as 'Country. Names.'"))
            continue
        country = match["country"].strip()
        if country.casefold().startswith("other countries"):
            continue  # points back at the paragraphs above: names no entity
        body = match["body"].rstrip(". ")
        # "X (ACR) and the Y": names are joined by "and" after an acronym in brackets; an
        # "and" inside a name ("Research and Intelligence") has none before it.
        names = re.split(r"(?<=\))\s+and\s+(?:the\s+)?(?=[A-Z])", body)
        for name in names:
            name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
            acronym = re.search(r"\(([A-Z][A-Za-z0-9-]+)\)$", name)
            aliases = (acronym[1],) if acronym else ()
            listing = Listing(
                source=META.source_id, jurisdiction="US", list_id=MIEU_LIST,
                list_name=LIST_NAMES[MIEU_LIST], program=PROGRAM,
                measure="Licence requirement (military-intelligence end users, § 744.22)",
                listed_on="", citation=f"15 CFR 744.22(f)(2)({match['num']}); section: {history}",
                licence_requirement=MIEU_REQUIREMENT, licence_review_policy=MIEU_POLICY)
            records.append(PartyRecord(
                record_id=f"{MIEU_LIST}:{slug(country)}:{slug(name)}", name=name,
                listing=listing, aliases=aliases, kind="organization", country=country,
                location=f"{path.name}:{paragraph.sourceline}",
                remarks="§ 744.22 names no listing date per entity"))
    return records, unplaced
