"""Canada, the regulation: reading Justice Canada's LIMS XML (`regulation_web.dtd`) safely, its
version dates, the text of its elements, and the independent count of group and item headings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from harmonize.codes import canonical_code
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.safexml import parse_xml
from harmonize.ingest.source import LoaderError

LIMS_NS = "http://justice.gc.ca/lims"
LIMS_ID = f"{{{LIMS_NS}}}id"
_PIT_DATE = f"{{{LIMS_NS}}}pit-date"
_CURRENT_DATE = f"{{{LIMS_NS}}}current-date"
IN_FORCE = f"{{{LIMS_NS}}}inforce-start-date"

# Item numbers as the schedule prints them: "5504" (Groups 5 and 8), "3-01", "9-1".
ITEM_LABEL = re.compile(r"^(?:\d{4}|\d-\d{1,2})$")
GROUP_LABEL = re.compile(r"^GROUP\s+(?P<n>\d{1,2})$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- the regulation (XML) ---------------------------------------------------------------------


def read_regulation(path: Path) -> tuple[str, etree._Element]:
    """The raw text (for the independent heading count) and the parsed root element."""
    data, raw_text = read_utf8(path, "a Justice Canada XML")
    root = parse_xml(data, path)  # never fetches the DOCTYPE's DTD, never expands an entity
    if etree.QName(root).localname != "Regulation":
        raise LoaderError(path, "root element",
                          f"<{etree.QName(root).localname}> is not a LIMS <Regulation>")
    return raw_text, root


def parse_version(root: etree._Element, path: Path) -> str:
    """ISO date of the legal text: the point in time of the consolidation (`lims:pit-date`),
    else the consolidation date, else `lims:current-date`."""
    pit = (root.get(_PIT_DATE) or "").strip()
    if pit:
        return checked_date(pit, path, "Regulation/@lims:pit-date")
    consolidated = consolidation_date(root)
    if consolidated:
        return checked_date(consolidated, path, "Identification/ConsolidationDate")
    current = (root.get(_CURRENT_DATE) or "").strip()
    if current:
        return checked_date(current, path, "Regulation/@lims:current-date")
    raise LoaderError(path, "Regulation metadata",
                      "no lims:pit-date, ConsolidationDate or lims:current-date")


def consolidation_date(root: etree._Element) -> str:
    """`<ConsolidationDate><Date><YYYY>..` as ISO, '' when absent."""
    date = root.find("Identification/ConsolidationDate/Date")
    if date is None:
        return ""
    parts = [(date.findtext(tag) or "").strip() for tag in ("YYYY", "MM", "DD")]
    if not all(p.isdigit() for p in parts):
        return ""
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"


def checked_date(text: str, path: Path, where: str) -> str:
    try:
        if ISO_DATE.match(text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise LoaderError(path, where, f"{text!r} is not a YYYY-MM-DD date")


_ITEM_HEADING_RAW = re.compile(
    r"<Provision\b(?P<attrs>[^>]*)>\s*<Label>\s*(?P<label>\d{4}|\d-\d{1,2})\s*</Label>")
_GROUP_HEADING_RAW = re.compile(
    r"<Heading\b(?P<attrs>[^>]*)>\s*<Label>\s*GROUP\s+(?P<n>\d{1,2})\s*</Label>", re.IGNORECASE)
_LIMS_ID_RAW = re.compile(r'lims:id="(?P<id>[^"]+)"')
_SCHEDULE_RAW = re.compile(r"<Schedule\b(?P<attrs>[^>]*)>(?P<body>.*?)</Schedule>", re.DOTALL)
_NOT_IN_FORCE_RAW = re.compile(r'\bid="NifProvs"')
NOT_IN_FORCE_ID = "NifProvs"  # LIMS id of the schedule holding "AMENDMENTS NOT IN FORCE"


def count_headings(raw_text: str) -> dict[str, str]:
    """Independent count, by regex on the raw XML, of what should become entries: every group
    heading (`CA-G5`) and every item number (`5504`) in the schedule -> its lims:id."""
    seen: dict[str, str] = {}
    for schedule in _SCHEDULE_RAW.finditer(raw_text):
        if _NOT_IN_FORCE_RAW.search(schedule["attrs"]):
            continue  # amendments not yet in force at the point in time are not the list
        body = schedule["body"]
        for match in _GROUP_HEADING_RAW.finditer(body):
            seen[f"CA-G{int(match['n'])}"] = _raw_location(match["attrs"])
        for match in _ITEM_HEADING_RAW.finditer(body):
            code = canonical_code(match["label"]) or match["label"]
            seen[code] = _raw_location(match["attrs"])
    return seen


def _raw_location(attrs: str) -> str:
    found = _LIMS_ID_RAW.search(attrs)
    return f"lims:id {found['id']}" if found else "schedule"


def element_text(element: etree._Element, footnotes: list[str] | None = None) -> str:
    """Text of an element with inline markup flattened: superscripts as `^5`, footnotes moved
    out to `footnotes`, entity references left as written (`&name;`: never expanded)."""
    return " ".join(_raw_text(element, footnotes).split())


def _raw_text(element: etree._Element, footnotes: list[str] | None) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            if local == "Footnote":
                if footnotes is not None:
                    footnotes.append(element_text(child))
            elif local == "FootnoteRef":
                pass  # the marker only; the footnote text goes to `footnotes`
            elif local == "Sup":
                parts.append("^" + _raw_text(child, footnotes))
            else:
                parts.append(_raw_text(child, footnotes))
        elif isinstance(child, etree._Entity):
            parts.append(child.text or "")  # "&name;" as written: visible, never expanded
        parts.append(child.tail or "")
    return "".join(parts)


def own_text(provision: etree._Element, footnotes: list[str] | None = None) -> str:
    """Text of a provision's direct <Text> children (not of its sub-provisions)."""
    return " ".join(element_text(t, footnotes) for t in provision.findall("Text")).strip()


def destinations(provision: etree._Element) -> list[str]:
    """The italic destination scope printed in parentheses, e.g. "(All destinations other than
    the United States)", from a provision's own text."""
    found: list[str] = []
    for text in provision.findall("Text"):
        for emphasis in text.iter("Emphasis"):
            tail = (emphasis.tail or "").lstrip()
            value = element_text(emphasis)
            if value and tail.startswith(")"):
                found.append(value)
    return found


def label_of(provision: etree._Element) -> str:
    return " ".join((provision.findtext("Label") or "").split())


def location_of(element: etree._Element) -> str:
    lims_id = element.get(LIMS_ID)
    return f"lims:id {lims_id}" if lims_id else f"line {element.sourceline}"
