"""Canada: the Export Control List (SOR/89-202) and "A Guide to Canada's Export Control List".

One module, two formats, chosen by the file suffix:

- `.xml`: the regulation as Justice Canada consolidates it (LIMS `regulation_web.dtd`). Its
  schedule marks every item as an element (`<Provision><Label>5504</Label>...`), so rows are
  built straight from the tree; the shared segmenter is not needed. Group 5 (Canada's own items:
  `5400` US-origin goods, `5504` strategic goods, `5505` catch-all, `5506` emerging technologies)
  is there in full, as are items `3-01`/`3-02`, `8000` and the Arms Trade Treaty items `9-1`...
  Groups 1, 2, 3, 4, 6 and 7 are only a sentence pointing to the Guide. Each group therefore is
  a row of its own (`CA-G1`...), with detailed=False where its item text lives in the Guide:
  Canada's dual-use list is "not detailed" in this copy, never absent.
- `.html`/`.htm`: the Guide (Global Affairs Canada). Its Group 1 is the Wassenaar dual-use list
  printed `1-5.A.1.`; those lines go through the shared segmenter into canonical Wassenaar codes
  (`5A001.j`) under the source id "ca-ecl-guide".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from harmonize.codes import canonical_code, is_family_code
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.safexml import html_parser, parse_xml
from harmonize.ingest.segmenter import (
    NOTE_WORDS,
    CodeStyle,
    Line,
    Unplaced,
    in_document_order,
    note_kind,
    segment,
)
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from harmonize.model import ListRow
from loaders.ca_ecl.meta import GUIDE_GROUPS, GUIDE_META, META, NATIONAL_GROUPS

LIMS_NS = "http://justice.gc.ca/lims"
_LIMS_ID = f"{{{LIMS_NS}}}id"
_PIT_DATE = f"{{{LIMS_NS}}}pit-date"
_CURRENT_DATE = f"{{{LIMS_NS}}}current-date"
_IN_FORCE = f"{{{LIMS_NS}}}inforce-start-date"

# Item numbers as the schedule prints them: "5504" (Groups 5 and 8), "3-01", "9-1".
ITEM_LABEL = re.compile(r"^(?:\d{4}|\d-\d{1,2})$")
GROUP_LABEL = re.compile(r"^GROUP\s+(?P<n>\d{1,2})$", re.IGNORECASE)
# Sub-item labels: (1) subitem, (a) paragraph, (i) subparagraph, (A) clause, (I) subclause.
SUB_LABEL = re.compile(r"^\(?(?P<label>\d{1,3}|[a-z]{1,5}|[A-Z]{1,5})\)?$")
NOTE_MARKER = re.compile(rf"^{NOTE_WORDS}\s*[.:]?$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse(path: Path) -> list[ParsedList]:
    """Read one raw file: the regulation (.xml) or the Guide (.html/.htm)."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return [parse_regulation(path)]
    if suffix in (".html", ".htm"):
        return [parse_guide(path)]
    raise LoaderError(path, "file name",
                      f"suffix {suffix!r}: expected .xml (regulation) or .html/.htm (Guide)")


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
        return _checked_date(pit, path, "Regulation/@lims:pit-date")
    consolidated = consolidation_date(root)
    if consolidated:
        return _checked_date(consolidated, path, "Identification/ConsolidationDate")
    current = (root.get(_CURRENT_DATE) or "").strip()
    if current:
        return _checked_date(current, path, "Regulation/@lims:current-date")
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


def _checked_date(text: str, path: Path, where: str) -> str:
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


def _label(provision: etree._Element) -> str:
    return " ".join((provision.findtext("Label") or "").split())


def _location(element: etree._Element) -> str:
    lims_id = element.get(_LIMS_ID)
    return f"lims:id {lims_id}" if lims_id else f"line {element.sourceline}"


@dataclass
class _Context:
    """What the schedule walk knows at a point: group, subject headings, collected output."""

    path: Path
    rows: list[ListRow] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    group: str = ""
    group_row: ListRow | None = None
    group_has_items: bool = False
    headings: list[str] = field(default_factory=list)  # level-2 / level-3 subject headings
    history: list[str] = field(default_factory=list)


def regulation_rows(schedule: etree._Element, path: Path) -> tuple[list[ListRow], list[Unplaced],
                                                                      list[str]]:
    """Rows of the schedule, in order: group rows, items, their sub-items and notes.
    Returns rows, unplaced text and the schedule's amendment history."""
    ctx = _Context(path)
    for child in schedule:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag == "Heading":
            _heading(child, ctx)
        elif tag == "Provision":
            _schedule_provision(child, ctx)
        elif tag == "HistoricalNote":
            ctx.history.extend(element_text(item) for item in child.iter("HistoricalNoteSubItem"))
        elif tag == "ScheduleFormHeading":
            title = " ".join(element_text(part) for part in child if isinstance(part.tag, str))
            ctx.unplaced.append(Unplaced(_location(child), title, "before the first entry"))
        else:
            text = element_text(child)
            if text:
                ctx.unplaced.append(Unplaced(_location(child), text,
                                             f"unexpected <{tag}> in the schedule"))
    return ctx.rows, ctx.unplaced, ctx.history


def _heading(heading: etree._Element, ctx: _Context) -> None:
    title_element = heading.find("TitleText")
    title = element_text(title_element) if title_element is not None else ""
    group = GROUP_LABEL.match(_label(heading))
    if group:
        number = str(int(group["n"]))
        ctx.group, ctx.group_has_items, ctx.headings = number, False, []
        ctx.group_row = ListRow(
            code=f"GROUP {number}", canonical=f"CA-G{number}", parent="", depth=0, kind="entry",
            text=title, location=_location(heading), entry=f"CA-G{number}",
            national=number in NATIONAL_GROUPS, detailed=number not in GUIDE_GROUPS,
            details={"group": number, "group_title": title,
                     "described_in_guide": number in GUIDE_GROUPS},
        )
        ctx.rows.append(ctx.group_row)
        return
    if not ctx.group:
        ctx.unplaced.append(Unplaced(_location(heading), title, "before the first entry"))
        return
    # Subject headings inside a group ("Strategic Goods and Technology"): level 2 opens a
    # topic, level 3 a sub-topic. They describe the items that follow.
    level = heading.get("level", "2")
    ctx.headings = [*ctx.headings[:1], title] if level == "3" and ctx.headings else [title]


def _schedule_provision(provision: etree._Element, ctx: _Context) -> None:
    label = _label(provision)
    if ITEM_LABEL.match(label):
        _item(provision, label, ctx)
        return
    if not label and ctx.group_row is not None and not ctx.group_has_items:
        # The group's own wording ("Goods and technology, as described in Group 1 of the
        # Guide ...") and its lettered list belong to the group row.
        row = ctx.group_row
        text = own_text(provision)
        if text:
            row.text = f"{row.text} — {text}" if row.text else text
        _sub_provisions(provision, row, [], ctx)
        return
    text = element_text(provision)
    reason = ("before the first entry" if ctx.group_row is None
              else f"provision {label!r} is neither an item nor Group {ctx.group} wording")
    ctx.unplaced.append(Unplaced(_location(provision), text, reason))


def _item(provision: etree._Element, label: str, ctx: _Context) -> None:
    canonical = canonical_code(label)
    if canonical is None or is_family_code(canonical):
        raise LoaderError(ctx.path, _location(provision), f"item number {label!r} not understood")
    footnotes: list[str] = []
    text = own_text(provision, footnotes)
    details: dict[str, Any] = {"group": ctx.group}
    if ctx.headings:
        details["headings"] = list(ctx.headings)
    if not text and ctx.headings:
        # Items such as 5504 open straight with subitems; their subject heading is the only
        # text naming them ("Strategic Goods and Technology").
        text, details["text_from_heading"] = ctx.headings[-1], True
    if provision.find("Text/Repealed") is not None:
        details["repealed"] = True
    _add_provision_details(provision, details, footnotes)
    row = ListRow(
        code=label, canonical=canonical, parent="", depth=0, kind="entry", text=text,
        location=_location(provision), entry=canonical,
        national=ctx.group in NATIONAL_GROUPS, details=details,
    )
    ctx.rows.append(row)
    ctx.group_has_items = True
    _sub_provisions(provision, row, [], ctx)


def _add_provision_details(provision: etree._Element, details: dict[str, Any],
                           footnotes: list[str]) -> None:
    in_force = provision.get(_IN_FORCE)
    if in_force:
        details["in_force_since"] = in_force
    scope = destinations(provision)
    if scope:
        details["destinations"] = scope
    if footnotes:
        details["footnotes"] = footnotes
    history = [element_text(h) for h in provision.findall("HistoricalNote")]
    if history:
        details["history"] = history
    margin = [element_text(m) for m in provision.findall("MarginalNote")]
    if margin:
        details["marginal_note"] = " ".join(margin)


def _sub_provisions(provision: etree._Element, parent: ListRow, labels: list[str],
                    ctx: _Context) -> None:
    """Paragraph and note rows for the sub-provisions of `provision` (recursively)."""
    for child in provision:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag in ("Label", "Text", "HistoricalNote", "MarginalNote"):
            continue
        if tag != "Provision":
            text = element_text(child)
            if text:
                ctx.unplaced.append(Unplaced(_location(child), text,
                                             f"unexpected <{tag}> in {parent.code}"))
            continue
        printed = _label(child)
        if not printed:
            _unlabelled(child, parent, ctx)
            continue
        match = SUB_LABEL.match(printed)
        if match is None:
            raise LoaderError(ctx.path, _location(child),
                              f"sub-item label {printed!r} in {parent.code} not understood")
        path = [*labels, match["label"]]
        canonical = _sub_code(parent.entry, path, ctx.path, child)
        footnotes: list[str] = []
        text = own_text(child, footnotes)
        details: dict[str, Any] = {}
        _add_provision_details(child, details, footnotes)
        row = ListRow(
            code=parent.code + f"({match['label']})", canonical=canonical,
            parent=parent.canonical, depth=len(path), kind="paragraph", text=text,
            location=_location(child), entry=parent.entry, national=parent.national,
            detailed=True, details=details,
        )
        ctx.rows.append(row)
        _sub_provisions(child, row, path, ctx)


def _sub_code(entry: str, labels: list[str], path: Path, element: etree._Element) -> str:
    if entry.startswith("CA-G"):  # group rows use synthetic codes canonical_code() does not know
        return ".".join([entry, *labels])
    code = canonical_code(".".join([entry, *labels]))
    if code is None:
        raise LoaderError(path, _location(element), f"no code for {entry} {labels}")
    return code


def _unlabelled(provision: etree._Element, parent: ListRow, ctx: _Context) -> None:
    """An unlabelled sub-provision: a NOTE block (marker line, then its numbered texts), or
    loose text, which is kept in the parent's text and reported."""
    marker = own_text(provision)
    if NOTE_MARKER.match(marker):
        parts = []
        for part in provision.findall("Provision"):
            label = _label(part).strip("()")
            body = " ".join(element_text(c) for c in part  # nested provisions included
                            if isinstance(c.tag, str) and etree.QName(c).localname != "Label")
            parts.append(f"{label}. {body}" if label else body)
        ctx.rows.append(ListRow(
            code=parent.code, canonical=parent.canonical, parent=parent.canonical,
            depth=parent.depth + 1, kind=note_kind(marker), text=" ".join(parts),
            location=_location(provision), entry=parent.entry, national=parent.national,
            detailed=True,
        ))
        return
    text = element_text(provision)
    if text:
        parent.text = f"{parent.text} {text}".strip()
        ctx.unplaced.append(Unplaced(_location(provision), text,
                                     f"unlabelled provision in {parent.code}, kept in its text"))


def list_schedule(root: etree._Element, path: Path) -> etree._Element:
    """The schedule that is the list (group headings inside); not the "AMENDMENTS NOT IN
    FORCE" schedule LIMS appends when amendments are registered but not yet in force."""
    found = [
        schedule for schedule in root.iter("Schedule")
        if schedule.get("id") != NOT_IN_FORCE_ID
        and any(GROUP_LABEL.match(_label(h)) for h in schedule.findall("Heading"))
    ]
    if len(found) != 1:
        raise LoaderError(path, "Regulation",
                          f"{len(found)} schedules with GROUP headings, expected 1: "
                          "not the Export Control List, or its layout changed")
    return found[0]


def amendments_not_in_force(root: etree._Element) -> list[str]:
    """One line per amendment the consolidation prints as not yet in force (citation and its
    opening words), so a version without e.g. item 5506 says that 5506 is coming."""
    found = []
    for piece in root.iter("RelatedOrNotInForce"):
        heading = piece.find("Heading")
        citation = element_text(heading).lstrip("— ").strip() if heading is not None else ""
        section = piece.find("Section")
        words = own_text(section) if section is not None else ""
        items = [_label(p) for p in piece.iter("Provision") if ITEM_LABEL.match(_label(p))]
        line = f"{citation}: {words}" if words else citation
        found.append(f"{line} (item {', '.join(items)})" if items else line)
    return found


def schedule_lines(schedule: etree._Element) -> list[Line]:
    """The schedule as read, one line per heading and provision (label and own text; indent:
    how many provisions it sits in): the line stream kept beside the parse."""
    lines = []
    for element in schedule.iter("Heading", "Provision"):
        title = element.find("TitleText")
        text = element_text(title) if title is not None else own_text(element)
        depth = sum(1 for _ in element.iterancestors("Provision"))
        lines.append(Line(" ".join(filter(None, [_label(element), text])), _location(element),
                          float(depth)))
    return lines


def parse_regulation(path: Path, check_counts: bool = True) -> ParsedList:
    """The regulation's schedule as one list (source id "ca-ecl")."""
    raw_text, root = read_regulation(path)
    version = parse_version(root, path)
    schedule = list_schedule(root, path)
    rows, unplaced, history = regulation_rows(schedule, path)
    headings = count_headings(raw_text)
    group5_seen = sum(1 for code in headings if re.fullmatch(r"5\d{3}", code))
    group5_rows = sum(1 for r in rows if r.kind == "entry" and re.fullmatch(r"5\d{3}", r.canonical))
    notes = [
        f"version = point in time {version}; consolidated to "
        f"{consolidation_date(root) or 'unknown'}",
        f"Group 5: {group5_seen} item headings in the raw XML, {group5_rows} entries produced",
        "Groups " + ", ".join(sorted(GUIDE_GROUPS)) + " are described in the Guide: their rows "
        "(CA-G1 ...) are detailed=False until the Guide is loaded",
        "sections 1-2 of the body (definitions, destinations per group) are not rows",
    ]
    if history:
        notes.append(f"schedule amendment history: {len(history)} entries, "
                     f"latest {history[-1].split(';')[-1].strip()}")
    notes.extend(f"amendment not in force at {version}: {text}"
                 for text in amendments_not_in_force(root))
    # Rows carry their own detailed flag (finish() must not overwrite it); the list as a whole
    # details no Wassenaar-family category until the Guide is loaded.
    meta = dataclasses.replace(META, detailed_categories=None)
    parsed = finish(path, meta, source_info(META, version), rows, headings, unplaced, notes,
                    check_counts=check_counts, lines=schedule_lines(schedule))
    parsed.detailed_categories = META.detailed_categories
    return parsed


# -- the Guide (HTML) ---------------------------------------------------------------------------

GUIDE_ENTRY = re.compile(
    r"^(?P<code>1\s*-\s*\d\s*\.\s*[A-E]\s*\.\s*\d{1,3}\s*\.?)(?:\s+(?P<rest>.*))?$")
GUIDE_STYLE = CodeStyle(
    "ca-guide",
    GUIDE_ENTRY,
    noise=(re.compile(r"^(?:Top of page|Back to top|Return to (?:top|footnote.*))$", re.I),),
    is_national=lambda canonical: False,  # Group 1 is the Wassenaar list as such
)
GROUP_HEADING = re.compile(r"^Group\s+(?P<n>\d{1,2})\b", re.IGNORECASE)
NOTE_HEADING = re.compile(rf"^{NOTE_WORDS}\b", re.I)
_LINE_LABEL = re.compile(r"^(?:[a-z]|\d{1,2})\s?\.(?:\s|$)")

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "li", "main", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer",
                        "form", "head", "svg", "button"})
_INDENT_TAGS = frozenset({"ol", "ul", "blockquote", "dd"})
_MARGIN_CLASSES = {"mrgn-lft-xs": 1, "mrgn-lft-sm": 2, "mrgn-lft-md": 3, "mrgn-lft-lg": 4,
                   "mrgn-lft-xl": 5}


@dataclass(frozen=True)
class HtmlLine:
    """One block of the Guide's text, with what the HTML says about it."""

    text: str
    location: str
    indent: float
    heading_level: int | None = None  # 1-6 for h1-h6


def read_guide(path: Path) -> tuple[str, Any]:
    """Raw HTML text and the parsed document."""
    data, raw_text = read_utf8(path, "an HTML page")
    try:
        document = lxml_html.document_fromstring(data, parser=html_parser("utf-8"))
    except (etree.ParserError, ValueError) as error:
        raise LoaderError(path, "whole file", f"not HTML: {error}") from error
    return raw_text, document


def parse_guide_version(document: Any, path: Path) -> str:
    """Date of the Guide's text: the page's dcterms.modified (or dcterms.issued, or the
    "Date modified" footer of Canada.ca pages)."""
    for name in ("dcterms.modified", "dcterms.issued"):
        for meta in document.iter("meta"):
            if (meta.get("name") or "").lower() == name and meta.get("content"):
                return _checked_date(meta.get("content").strip()[:10], path, f"meta {name}")
    for time in document.iter("time"):
        if time.get("property") == "dateModified":
            value = (time.get("datetime") or time.text_content()).strip()[:10]
            return _checked_date(value, path, "time[property=dateModified]")
    raise LoaderError(path, "<head>", "no dcterms.modified / dcterms.issued / dateModified date")


def extract_guide_lines(document: Any) -> list[HtmlLine]:
    """The page's main content as lines, one per block (paragraph, list item, heading...).
    List items of an <ol> whose text does not print its label get the label the list shows."""
    mains = document.xpath("//main | //*[@property='mainContentOfPage']")
    body = document.find("body")
    top = mains[0] if mains else (body if body is not None else document)
    out: list[HtmlLine] = []
    _walk(top, 0.0, None, out)
    return out


def _walk(element: Any, indent: float, derived_label: str | None, out: list[HtmlLine]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
    indent = indent + _margin(element)
    buffer: list[str] = [element.text or ""]
    pending_label = [derived_label]

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if not text:
            return
        if pending_label[0] is not None and not _LINE_LABEL.match(text):
            text = f"{pending_label[0]}. {text}"
        pending_label[0] = None
        out.append(HtmlLine(text, f"line {element.sourceline}", indent, level))

    next_label = _ol_counter(element) if tag == "ol" else None
    child_indent = indent + (1.0 if tag in _INDENT_TAGS else 0.0)
    for child in element:
        child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if not child_tag or child_tag in _SKIP_TAGS:
            buffer.append(child.tail or "")
            continue
        if child_tag == "br":
            flush()
        elif child_tag in _BLOCK_TAGS:
            flush()
            label = next_label() if next_label is not None and child_tag == "li" else None
            _walk(child, child_indent, label, out)
        else:
            buffer.append(_inline_text(child))
        buffer.append(child.tail or "")
    flush()


def _inline_text(element: Any) -> str:
    """Text of an inline element; a superscript reads `10^3` rather than `103`."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() not in _SKIP_TAGS:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    text = "".join(parts)
    return "^" + text if isinstance(element.tag, str) and element.tag.lower() == "sup" else text


def _margin(element: Any) -> float:
    classes = (element.get("class") or "").split()
    return float(sum(_MARGIN_CLASSES.get(c, 0) for c in classes))


def _ol_counter(ol: Any) -> Callable[[], str]:
    """Successive labels an ordered list displays for its <li>s (a., b. ... or 1., 2. ...)."""
    alpha = (ol.get("type") or "").strip() == "a" or "lst-lwr-alph" in (ol.get("class") or "")
    try:
        numbers = itertools.count(int(ol.get("start") or 1))
    except ValueError:
        numbers = itertools.count(1)

    def next_label() -> str:
        number = next(numbers)
        return chr(ord("a") + number - 1) if alpha else str(number)

    return next_label


def split_guide_groups(lines: list[HtmlLine]) -> tuple[list[HtmlLine], Counter[str], bool]:
    """Group 1's lines, the count of lines elsewhere (per group or section), and whether a
    Group 1 heading was found. A heading as high as the group's own ends the group."""
    group1: list[HtmlLine] = []
    elsewhere: Counter[str] = Counter()
    region, region_level, found = "front matter", 0, False
    for line in lines:
        if line.heading_level is not None:
            group = GROUP_HEADING.match(line.text)
            if group:
                region, region_level = f"Group {int(group['n'])}", line.heading_level
                found = found or region == "Group 1"
                continue
            if region_level and line.heading_level <= region_level:
                region, region_level = f"section '{line.text[:60]}'", 0
        if region == "Group 1":
            group1.append(line)
        else:
            elsewhere[region] += 1
    return group1, elsewhere, found


def guide_segment_lines(lines: list[HtmlLine]) -> tuple[list[Line], list[Unplaced], int]:
    """Group 1 lines as segmenter Lines. Structural headings (categories, product groups) are
    kept out of entry text; what follows one up to the next entry (category notes) is reported
    as unplaced rather than glued to the previous entry."""
    out: list[Line] = []
    unplaced: list[Unplaced] = []
    structural = 0
    after_heading = ""
    for line in lines:
        is_entry = bool(GUIDE_ENTRY.match(line.text))
        if line.heading_level is not None and not is_entry and not NOTE_HEADING.match(line.text):
            structural += 1
            after_heading = line.text
            continue
        if is_entry:
            after_heading = ""
        if after_heading:
            unplaced.append(Unplaced(line.location, line.text,
                                     f"outside any entry (after heading '{after_heading[:60]}')"))
            continue
        out.append(Line(line.text, line.location, indent=line.indent))
    return out, unplaced, structural


_GUIDE_GROUP_RAW = re.compile(
    r"<h(?P<level>[1-6])\b[^>]*>\s*(?:<[^>]+>\s*)*Group\s+(?P<n>\d{1,2})\b", re.IGNORECASE)
_GUIDE_ITEM_RAW = re.compile(
    r"<(?:p|li|h[1-6]|dt|dd|td|th|div)\b[^>]*>\s*"
    r"(?:</?(?:strong|b|span|a|em|i)\b[^>]*>\s*)*"
    r"(?P<code>1\s*-\s*\d\s*\.\s*[A-E]\s*\.\s*\d{1,3}\s*\.?)"
    r"(?!\s*(?:[a-z]|\d{1,2})\s*\.)(?=\s|<|&nbsp;|&#160;|$)",
    re.IGNORECASE,
)


def count_guide_headings(raw_html: str) -> dict[str, str]:
    """Independent count, by regex on the raw HTML, of Group 1 entry headings: a block that
    opens with a code such as `1-5.A.1.` (not `1-5.A.1.j.`) -> line number."""
    start = next((m for m in _GUIDE_GROUP_RAW.finditer(raw_html) if int(m["n"]) == 1), None)
    if start is None:
        return {}
    level = int(start["level"])
    end_match = re.compile(rf"<h[1-{level}]\b", re.IGNORECASE).search(raw_html, start.end())
    end = end_match.start() if end_match else len(raw_html)
    seen: dict[str, str] = {}
    for match in _GUIDE_ITEM_RAW.finditer(raw_html, start.end(), end):
        code = canonical_code(match["code"])
        if code:
            seen.setdefault(code, f"line {raw_html.count(chr(10), 0, match.start()) + 1}")
    return seen


def parse_guide(path: Path, check_counts: bool = True) -> ParsedList:
    """Group 1 of the Guide as one list (source id "ca-ecl-guide")."""
    raw_html, document = read_guide(path)
    version = parse_guide_version(document, path)
    group1, elsewhere, found = split_guide_groups(extract_guide_lines(document))
    if not found:
        raise LoaderError(path, "headings", "no 'Group 1' heading: not the Guide's HTML?")
    lines, outside, structural = guide_segment_lines(group1)
    seg = segment(lines, GUIDE_STYLE)
    canonical_link = document.xpath("//link[@rel='canonical']/@href")
    info = dataclasses.replace(source_info(GUIDE_META, version),
                               url=str(canonical_link[0]) if canonical_link else GUIDE_META.url)
    notes = [
        f"{structural} structural headings of Group 1 (categories, product groups) kept out of "
        "entry text",
        "not parsed (outside Group 1): "
        + (", ".join(f"{name}: {count} lines" for name, count in elsewhere.items()) or "nothing"),
    ]
    if seg.dropped_noise:
        notes.append(f"{seg.dropped_noise} navigation lines dropped")
    unplaced = in_document_order([*outside, *seg.unplaced])
    return finish(path, GUIDE_META, info, seg.rows, count_guide_headings(raw_html), unplaced,
                  notes, check_counts=check_counts, lines=seg.lines)
