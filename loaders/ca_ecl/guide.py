"""Canada, "A Guide to Canada's Export Control List" (HTML): Group 1 (the Wassenaar dual-use
list printed `1-5.A.1.`) through the shared segmenter, as the list "ca-ecl-guide"."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from harmonize.codes import canonical_code
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.safexml import html_parser
from harmonize.ingest.segmenter import (
    NOTE_WORDS,
    CodeStyle,
    Line,
    Unplaced,
    in_document_order,
    segment,
)
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from loaders.ca_ecl.lims import checked_date
from loaders.ca_ecl.meta import GUIDE_META

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
                return checked_date(meta.get("content").strip()[:10], path, f"meta {name}")
    for time in document.iter("time"):
        if time.get("property") == "dateModified":
            value = (time.get("datetime") or time.text_content()).strip()[:10]
            return checked_date(value, path, "time[property=dateModified]")
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
