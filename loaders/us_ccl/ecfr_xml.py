"""US CCL: the eCFR versioner XML (`title-15-<date>.xml`, or gzip as the API may send it)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

from lxml import etree

from harmonize.ingest.decompress import DecompressionError, gunzip_bounded, is_gzip
from harmonize.ingest.safexml import parse_xml as parse_xml_root
from harmonize.ingest.segmenter import Unplaced
from harmonize.ingest.source import LoaderError, ParsedList
from loaders.us_ccl.build import finish_ccl
from loaders.us_ccl.meta import META, REASON_CODES, SUPPLEMENT
from loaders.us_ccl.records import NOTE_MARKER, RawBlock, RawEntry, split_designator

ISO_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


# -- XML (eCFR versioner) ---------------------------------------------------------------------
HEADING_XML = re.compile(r"<FP-[12]>\s*<B>\s*(\d[A-E]\d{3})\s")
STRUCTURAL = re.compile(
    r"^(Category\s+\d|Part\s+\d|[A-E]\.\s|License\s+Requirements|List\s+Based\s+License"
    r"|List\s+of\s+Items\s+Controlled|Special\s+Conditions\s+for\s+STA)", re.IGNORECASE,
)
SECTION_LINE = re.compile(r"^(License\s+Requirements|List\s+Based\s+License\s+Exceptions.*"
                          r"|List\s+of\s+Items\s+Controlled|Special\s+Conditions\s+for\s+STA)\s*:?$",
                          re.IGNORECASE)
FIELD_LINE = re.compile(r"^(?P<key>[A-Z][A-Za-z()/ ]{1,40}?)\s*:\s*(?P<value>.*)$")


def count_headings_xml(raw_text: str) -> dict[str, str]:
    """ECCN headings by an independent regex on the raw XML: canonical -> 'line N'."""
    start = raw_text.find(f'N="{SUPPLEMENT}"')
    if start < 0:
        return {}
    end = raw_text.find("<DIV9", start + 1)
    body = raw_text[start:] if end < 0 else raw_text[start:end]
    line_base = raw_text.count("\n", 0, start) + 1
    found: dict[str, str] = {}
    for match in HEADING_XML.finditer(body):
        found.setdefault(match[1], f"line {line_base + body.count(chr(10), 0, match.start())}")
    return found


def read_xml_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if is_gzip(data):  # the versioner may answer gzip
        try:
            return gunzip_bounded(data)
        except DecompressionError as error:
            raise LoaderError(path, "whole file", str(error)) from None
    return data


def find_supplement(root: etree._Element) -> etree._Element | None:
    for div in root.iter("DIV9"):
        if (div.get("N") or "").strip().startswith(SUPPLEMENT):
            return div
    if root.tag == "DIV9" and (root.get("N") or "").startswith(SUPPLEMENT):
        return root
    return None


def element_text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_version_xml(path: Path, root: etree._Element, supplement: etree._Element) -> str:
    """The issue date: a date attribute in the file, else a sidecar, else the file name."""
    for element in (root, supplement):
        for name, value in element.attrib.items():
            if "date" in str(name).lower():
                match = ISO_DATE.search(str(value))
                if match:
                    return match[1]
    sidecar = path.with_name(path.name + ".meta.json")
    if sidecar.is_file():
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise LoaderError(sidecar, "whole file", f"sidecar is not JSON: {error}") from error
        for key in ("version", "ecfrIssueDate", "date", "url"):
            match = ISO_DATE.search(str(meta.get(key, ""))) if isinstance(meta, dict) else None
            if match:
                return match[1]
    match = ISO_DATE.search(path.name)
    if match:
        return match[1]
    raise LoaderError(path, "version", "no issue date: no date attribute, no "
                      f"{sidecar.name} and no YYYY-MM-DD in the file name")


def _table_rows(table: etree._Element) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    body: list[list[str]] = []
    for tr in table.iter("TR"):
        cells = [c for c in tr if c.tag in ("TH", "TD")]
        texts = [element_text(c) for c in cells]
        if cells and all(c.tag == "TH" for c in cells) and not header:
            header = texts
        elif any(texts):
            body.append(texts)
    return header, body


def _is_licence_table(header: list[str], body: list[list[str]]) -> bool:
    names = " ".join(header or (body[0] if body else [])).lower()
    return "country chart" in names or names.startswith("control")


class _XmlReader:
    """Walk the supplement in document order and collect RawEntry records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[RawEntry] = []
        self.unplaced: list[Unplaced] = []
        self.entry: RawEntry | None = None
        self.between_entries = False  # after a category heading, before the next entry
        self.note_count = 0
        self.skipped_tables: list[str] = []

    def where(self, element: etree._Element) -> str:
        return f"line {element.sourceline} <{element.tag!s}>"

    def walk(self, parent: etree._Element) -> None:
        for element in parent:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            if tag in ("DIV", "EXTRACT", "GPOTABLE_DIV"):
                self.walk(element)
            elif tag in ("FP-2", "FP-1", "FP"):
                self.flush_paragraph(element)
            elif tag in ("HD1", "HD2", "HD3"):
                self.heading(element)
            elif tag == "P":
                self.block(element, element_text(element))
            elif tag == "NOTE":
                self.note(element)
            elif tag == "TABLE":
                self.table(element)
            elif tag in ("HEAD", "CITA", "SOURCE", "AUTH", "PRTPAGE"):
                continue
            else:
                text = element_text(element)
                if text:
                    self.unplace(element, text, f"element <{tag}> not read")

    def unplace(self, element: etree._Element, text: str, reason: str) -> None:
        self.unplaced.append(Unplaced(self.where(element), text, reason))

    def heading(self, element: etree._Element) -> None:
        text = element_text(element)
        if not text:
            return
        if re.match(r"^(Category|Part)\s+\d", text, re.IGNORECASE):
            self.between_entries = True
            return
        if STRUCTURAL.match(text):
            return  # group letters and section titles: structure, not content
        if self.entry is None or self.between_entries:
            self.unplace(element, text, "before the first entry" if self.entry is None
                         else "category text between entries")
        else:
            self.unplace(element, text, f"subheading inside {self.entry.eccn}")

    def flush_paragraph(self, element: etree._Element) -> None:
        text = element_text(element)
        first = element[0] if len(element) else None
        leading = (element.text or "").strip()
        if first is not None and first.tag == "B" and not leading:
            match = re.match(r"^(\d[A-E]\d{3})\s+(.*)$", element_text(first))
            if match:
                rest = text[len(element_text(first)):].strip()
                heading = re.sub(r"\s+([.,;:])", r"\1", " ".join(f"{match[2]} {rest}".split()))
                self.entry = RawEntry(eccn=match[1], heading=heading, location=self.where(element))
                self.entries.append(self.entry)
                self.between_entries = False
                return
        if not text:
            return
        if self.outside_entry(element, text):
            return
        self.field(element, text)

    def field(self, element: etree._Element, text: str) -> None:
        assert self.entry is not None
        details = self.entry.details
        if SECTION_LINE.match(text):
            return
        match = FIELD_LINE.match(text)
        if not match:
            self.block(element, text)
            return
        key, value = match["key"].strip(), match["value"].strip()
        lowered = key.lower()
        if NOTE_MARKER.match(key):
            self.block(element, text)
        elif lowered == "reason for control":
            self.entry.reasons = value
        elif lowered in ("related controls", "related definitions", "unit", "control(s)"):
            details[lowered.replace(" ", "_").replace("(s)", "s")] = value
        elif lowered == "items":
            if value:
                self.block(element, value)
        elif re.fullmatch(r"[A-Z]{2,4}", key) and key not in REASON_CODES:
            details.setdefault("licence_exceptions", {})[key] = value
            if key == "STA":
                details["sta_special_conditions"] = text
        else:
            details.setdefault("other_fields", []).append(text)

    def outside_entry(self, element: etree._Element, text: str) -> bool:
        """Text before the first entry or between entries is reported, not attached."""
        if self.entry is not None and not self.between_entries:
            return False
        self.unplace(element, text, "before the first entry" if self.entry is None
                     else "category text between entries")
        return True

    def block(self, element: etree._Element, text: str, group: str | None = None,
              marker: str = "") -> None:
        if not text:
            return
        if self.outside_entry(element, text) or self.entry is None:
            return
        label, rest = split_designator(text)
        self.entry.blocks.append(RawBlock(rest, self.where(element), label, group, marker))

    def note(self, element: etree._Element) -> None:
        self.note_count += 1
        group = f"note-{self.note_count}"
        marker = " ".join(element_text(h) for h in element if h.tag == "HED")
        for child in element:
            if child.tag != "HED":
                self.block(child, element_text(child), group, marker)

    def table(self, element: etree._Element) -> None:
        header, body = _table_rows(element)
        if self.entry is None or self.between_entries:
            self.unplace(element, " | ".join(header), "table outside an entry")
            return
        if _is_licence_table(header, body):
            rows = self.entry.details.setdefault("licence_requirements", [])
            for cells in body:
                if len(cells) >= 2 and cells[1]:
                    rows.append({"control": cells[0], "country_chart": cells[1]})
                elif cells and cells[0]:
                    rows.append({"control": cells[0], "country_chart": cells[0],
                                 "single_cell_row": True})
            return
        # Any other table (e.g. a process/substrate matrix) is kept as note text, flattened.
        self.skipped_tables.append(self.entry.eccn)
        flat = "; ".join(" | ".join(r) for r in [header, *body] if r)
        self.entry.blocks.append(RawBlock(f"Table: {flat}", self.where(element), None,
                                          f"table-{element.sourceline}", "Table"))


def parse_xml(path: Path, check_counts: bool = True) -> list[ParsedList]:
    data = read_xml_bytes(path)
    root = parse_xml_root(data, path)
    supplement = find_supplement(root)
    if supplement is None:
        raise LoaderError(path, f"<{root.tag!s}>", f'no <DIV9 N="{SUPPLEMENT}">: not the CCL part')
    version = parse_version_xml(path, root, supplement)
    reader = _XmlReader(path)
    reader.walk(supplement)
    seen = Counter(e.eccn for e in reader.entries)
    doubled = [c for c, n in seen.items() if n > 1]
    if doubled:
        first = next(e for e in reader.entries if e.eccn == doubled[0])
        raise LoaderError(path, first.location, f"ECCN heading repeated: {', '.join(doubled[:5])}")
    headings = count_headings_xml(data.decode("utf-8", errors="replace"))
    notes = []
    if reader.skipped_tables:
        notes.append("non-licence tables kept as note text in: "
                     + ", ".join(sorted(set(reader.skipped_tables))))
    meta = dataclasses.replace(META, detailed_categories=None)
    return [finish_ccl(path, meta, version, reader.entries, headings, reader.unplaced,
                    check_counts, "eCFR XML", notes)]
