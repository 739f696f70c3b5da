"""Canada, the regulation: the schedule as rows (group rows, items, sub-items, notes),
built straight from the LIMS tree (the shared segmenter is not needed)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from harmonize.codes import canonical_code, is_family_code
from harmonize.ingest.segmenter import (
    NOTE_WORDS,
    Line,
    Unplaced,
    note_kind,
)
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from harmonize.model import ListRow
from loaders.ca_ecl.lims import (
    GROUP_LABEL,
    IN_FORCE,
    ITEM_LABEL,
    NOT_IN_FORCE_ID,
    consolidation_date,
    count_headings,
    destinations,
    element_text,
    label_of,
    location_of,
    own_text,
    parse_version,
    read_regulation,
)
from loaders.ca_ecl.meta import GUIDE_GROUPS, META, NATIONAL_GROUPS

# Sub-item labels: (1) subitem, (a) paragraph, (i) subparagraph, (A) clause, (I) subclause.
SUB_LABEL = re.compile(r"^\(?(?P<label>\d{1,3}|[a-z]{1,5}|[A-Z]{1,5})\)?$")
NOTE_MARKER = re.compile(rf"^{NOTE_WORDS}\s*[.:]?$", re.IGNORECASE)


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
            ctx.unplaced.append(Unplaced(location_of(child), title, "before the first entry"))
        else:
            text = element_text(child)
            if text:
                ctx.unplaced.append(Unplaced(location_of(child), text,
                                             f"unexpected <{tag}> in the schedule"))
    return ctx.rows, ctx.unplaced, ctx.history


def _heading(heading: etree._Element, ctx: _Context) -> None:
    title_element = heading.find("TitleText")
    title = element_text(title_element) if title_element is not None else ""
    group = GROUP_LABEL.match(label_of(heading))
    if group:
        number = str(int(group["n"]))
        ctx.group, ctx.group_has_items, ctx.headings = number, False, []
        ctx.group_row = ListRow(
            code=f"GROUP {number}", canonical=f"CA-G{number}", parent="", depth=0, kind="entry",
            text=title, location=location_of(heading), entry=f"CA-G{number}",
            national=number in NATIONAL_GROUPS, detailed=number not in GUIDE_GROUPS,
            details={"group": number, "group_title": title,
                     "described_in_guide": number in GUIDE_GROUPS},
        )
        ctx.rows.append(ctx.group_row)
        return
    if not ctx.group:
        ctx.unplaced.append(Unplaced(location_of(heading), title, "before the first entry"))
        return
    # Subject headings inside a group ("Strategic Goods and Technology"): level 2 opens a
    # topic, level 3 a sub-topic. They describe the items that follow.
    level = heading.get("level", "2")
    ctx.headings = [*ctx.headings[:1], title] if level == "3" and ctx.headings else [title]


def _schedule_provision(provision: etree._Element, ctx: _Context) -> None:
    label = label_of(provision)
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
    ctx.unplaced.append(Unplaced(location_of(provision), text, reason))


def _item(provision: etree._Element, label: str, ctx: _Context) -> None:
    canonical = canonical_code(label)
    if canonical is None or is_family_code(canonical):
        raise LoaderError(ctx.path, location_of(provision), f"item number {label!r} not understood")
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
        location=location_of(provision), entry=canonical,
        national=ctx.group in NATIONAL_GROUPS, details=details,
    )
    ctx.rows.append(row)
    ctx.group_has_items = True
    _sub_provisions(provision, row, [], ctx)


def _add_provision_details(provision: etree._Element, details: dict[str, Any],
                           footnotes: list[str]) -> None:
    in_force = provision.get(IN_FORCE)
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
                ctx.unplaced.append(Unplaced(location_of(child), text,
                                             f"unexpected <{tag}> in {parent.code}"))
            continue
        printed = label_of(child)
        if not printed:
            _unlabelled(child, parent, ctx)
            continue
        match = SUB_LABEL.match(printed)
        if match is None:
            raise LoaderError(ctx.path, location_of(child),
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
            location=location_of(child), entry=parent.entry, national=parent.national,
            detailed=True, details=details,
        )
        ctx.rows.append(row)
        _sub_provisions(child, row, path, ctx)


def _sub_code(entry: str, labels: list[str], path: Path, element: etree._Element) -> str:
    if entry.startswith("CA-G"):  # group rows use synthetic codes canonical_code() does not know
        return ".".join([entry, *labels])
    code = canonical_code(".".join([entry, *labels]))
    if code is None:
        raise LoaderError(path, location_of(element), f"no code for {entry} {labels}")
    return code


def _unlabelled(provision: etree._Element, parent: ListRow, ctx: _Context) -> None:
    """An unlabelled sub-provision: a NOTE block (marker line, then its numbered texts), or
    loose text, which is kept in the parent's text and reported."""
    marker = own_text(provision)
    if NOTE_MARKER.match(marker):
        parts = []
        for part in provision.findall("Provision"):
            label = label_of(part).strip("()")
            body = " ".join(element_text(c) for c in part  # nested provisions included
                            if isinstance(c.tag, str) and etree.QName(c).localname != "Label")
            parts.append(f"{label}. {body}" if label else body)
        ctx.rows.append(ListRow(
            code=parent.code, canonical=parent.canonical, parent=parent.canonical,
            depth=parent.depth + 1, kind=note_kind(marker), text=" ".join(parts),
            location=location_of(provision), entry=parent.entry, national=parent.national,
            detailed=True,
        ))
        return
    text = element_text(provision)
    if text:
        parent.text = f"{parent.text} {text}".strip()
        ctx.unplaced.append(Unplaced(location_of(provision), text,
                                     f"unlabelled provision in {parent.code}, kept in its text"))


def list_schedule(root: etree._Element, path: Path) -> etree._Element:
    """The schedule that is the list (group headings inside); not the "AMENDMENTS NOT IN
    FORCE" schedule LIMS appends when amendments are registered but not yet in force."""
    found = [
        schedule for schedule in root.iter("Schedule")
        if schedule.get("id") != NOT_IN_FORCE_ID
        and any(GROUP_LABEL.match(label_of(h)) for h in schedule.findall("Heading"))
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
        items = [label_of(p) for p in piece.iter("Provision") if ITEM_LABEL.match(label_of(p))]
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
        lines.append(Line(" ".join(filter(None, [label_of(element), text])), location_of(element),
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
