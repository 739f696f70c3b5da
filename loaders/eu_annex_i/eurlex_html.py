"""EU Annex I: the EUR-Lex consolidated HTML read into the markdown dialect of `dialect`
(see the package's `parse` module doc for the classes it reads)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import lxml.html
from lxml import etree

from harmonize.ingest.rawfiles import read_raw
from harmonize.ingest.safexml import html_parser
from harmonize.ingest.source import LoaderError
from loaders.eu_annex_i.dialect import (
    ANNEX_TITLE,
    ENTRY_CODE,
    STYLE,
    RawDocument,
    SourceLine,
    clean_text,
)

CELEX_DATE = re.compile(r"0\d{4}R\d{4}-(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
# The consolidated text's own header: "02021R0821 — EN — 21.09.2026 — 012.001 — 1".
CONSOLIDATION_LINE = re.compile(
    r"0\d{4}R\d{4}\s*[—–-]\s*EN\s*[—–-]\s*(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4})"
)


# -- the EUR-Lex HTML -------------------------------------------------------------------------

_SKIP_CLASSES = ("modref", "arrow", "disclaimer", "hd-modifiers", "hd-toc", "footnote",
                 "separator")
_MOD_MARKER = re.compile(r"[►▼◄▲][A-Z]?\d*")
_ITALIC_CLASSES = ("italics", "italic")
_BOLD_CLASSES = ("boldface", "bold")
_SUP_CLASSES = ("superscript",)
_INLINE_TAGS = {"span", "a", "em", "i", "b", "strong", "sup", "sub", "br", "abbr", "q", "u",
                "font", "small", "img"}
BOLD_CODE = re.compile(rf"^\*\*(?P<code>{ENTRY_CODE})\*\*\s*")  # "**5A001**Telecommunications"
_MARKER_TEXT = re.compile(rf"^(?:[a-z]|\d{{1,2}})\.?$|^{ENTRY_CODE}$")


def read_html(path: Path) -> RawDocument:
    """Lines of the consolidated HTML (see the module doc) and its consolidation date."""
    data = read_raw(path)
    try:
        root = lxml.html.fromstring(data, parser=html_parser())
    except (etree.ParserError, ValueError) as error:
        raise LoaderError(path, "whole file", f"not HTML: {error}") from error
    lines: list[SourceLine] = []
    _walk(root, 0, lines)
    if not any(ANNEX_TITLE.match(line.text) for line in lines):
        raise LoaderError(path, "whole file", "no ANNEX title (p.title-annex-*): "
                          "not an EUR-Lex text of Regulation (EU) 2021/821")
    return RawDocument(lines, html_version(root, data, path))


def html_version(root: lxml.html.HtmlElement, data: bytes, path: Path) -> str:
    """The consolidation date: the text's own header line, else the CELEX of the document (in
    its links or metadata), else the file name."""
    text = root.text_content()
    header = CONSOLIDATION_LINE.search(text)
    if header:
        return f"{header['y']}-{header['m']}-{header['d']}"
    for source in (text, data.decode("utf-8", "replace"), path.name):
        celex = CELEX_DATE.search(source)
        if celex:
            return f"{celex['y']}-{celex['m']}-{celex['d']}"
    raise LoaderError(path, "document header",
                      "no consolidation date (no '02021R0821 — EN — DD.MM.YYYY' line and no "
                      "CELEX 02021R0821-YYYYMMDD in the document or its file name)")


def _classes(element: etree._Element) -> list[str]:
    return str(element.get("class") or "").split()


def _has_class(element: etree._Element, names: Iterable[str]) -> bool:
    classes = _classes(element)
    return any(name in classes or any(c.startswith(name) for c in classes) for name in names)


def _location(element: etree._Element) -> str:
    return f"line {element.sourceline}" if element.sourceline else "element"


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _skipped(element: etree._Element) -> bool:
    tag = _tag(element)
    if not tag or tag in ("script", "style", "head", "hr", "nav", "button"):
        return True
    return _has_class(element, _SKIP_CLASSES)


def _render(child: etree._Element) -> str:
    """One inline element in the markdown dialect (its tail excluded)."""
    tag = _tag(child)
    if not tag or _skipped(child):
        return ""
    if tag == "br":
        return " "
    inner = _inline(child)
    if not inner.strip():
        return inner
    if tag == "sup" or _has_class(child, _SUP_CLASSES):
        return f"<sup>{inner.strip()}</sup>"
    if tag in ("em", "i") or _has_class(child, _ITALIC_CLASSES):
        return f"*{inner.strip()}*"
    if tag in ("strong", "b") or _has_class(child, _BOLD_CLASSES):
        return f"**{inner.strip()}**"
    return inner


def _inline(element: etree._Element) -> str:
    """An element's text in the markdown dialect (emphasis, superscripts), markers dropped."""
    parts = [element.text or ""]
    for child in element:
        parts.extend((_render(child), child.tail or ""))
    return " ".join(_MOD_MARKER.sub("", "".join(parts)).split())


def _is_block(child: etree._Element) -> bool:
    return bool(_tag(child)) and _tag(child) not in _INLINE_TAGS and not _skipped(child)


def _walk(element: etree._Element, depth: int, lines: list[SourceLine],
          nodes: list[etree._Element] | None = None, lead: str | None = None) -> None:
    """Block children in document order; the inline run between two blocks is one line.
    `nodes`/`lead` let a point walk its body after taking the first paragraph as its head."""
    children = list(element) if nodes is None else nodes
    run = [element.text or ""] if lead is None else [lead]
    for child in children:
        if _is_block(child):
            _emit(lines, depth, "".join(run), element)
            run = []
            _block(child, depth, lines)
        else:
            run.append(_render(child))
        run.append(child.tail or "")
    _emit(lines, depth, "".join(run), element)


def _emit(lines: list[SourceLine], depth: int, text: str, element: etree._Element) -> None:
    text = BOLD_CODE.sub(r"\g<code> ", " ".join(_MOD_MARKER.sub("", text).split()))
    if text:
        lines.append(SourceLine("   " * depth + text, _location(element)))


def _is_title(element: etree._Element) -> bool:
    return any(c.startswith(("title-", "oj-ti-", "stitle-", "oj-doc-ti")) for c in
               _classes(element)) or _tag(element) in ("h1", "h2", "h3", "h4", "h5", "h6")


def _block(element: etree._Element, depth: int, lines: list[SourceLine]) -> None:
    tag = _tag(element)
    if tag == "p" or _is_title(element):
        text = _inline(element)
        annex = re.fullmatch(r"ANNEX\s+([IVXLC]+)", clean_text(text))
        if annex:
            lines.append(SourceLine(f"## ANNEX {annex.group(1)}", _location(element)))
        elif _is_title(element) and not STYLE.entry_heading.match(clean_text(text)):
            lines.append(SourceLine(f"#### {text}", _location(element)))
        else:
            _emit(lines, depth, text, element)
    elif tag == "div" and "grid-container" in _classes(element):
        _grid_point(element, depth, lines)
    elif tag == "table":
        content = _content_table(element)
        for row in element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
            _table_row(row, depth, lines, content)
    elif tag in ("ul", "ol"):
        for item in element.iter("li"):
            _emit(lines, depth, _inline(item), item)
    else:
        _walk(element, depth, lines)


def _point(marker: str, body: etree._Element, depth: int, element: etree._Element,
           lines: list[SourceLine]) -> None:
    """One point: `marker head` where the head is the body's text up to its first block (or
    its first paragraph); the rest of the body one level deeper. An entry code as marker
    opens an entry, whose points stay at the entry's own level."""
    marker = clean_text(marker)  # a bold or italic marker is the marker all the same
    children = list(body)
    head = [body.text or ""]
    index = 0
    while index < len(children) and not _is_block(children[index]):
        head.extend((_render(children[index]), children[index].tail or ""))
        index += 1
    lead = ""
    if index < len(children) and _tag(children[index]) == "p" and \
            not _is_title(children[index]) and not clean_text("".join(head)):
        head.append(_inline(children[index]))
        lead = children[index].tail or ""
        index += 1
    text = " ".join(_MOD_MARKER.sub("", "".join(head)).split())
    lines.append(SourceLine("   " * depth + f"{marker} {text}".strip(), _location(element)))
    inner = depth if re.fullmatch(ENTRY_CODE, marker) else depth + 1
    _walk(body, inner, lines, nodes=children[index:], lead=lead)


def _grid_point(element: etree._Element, depth: int, lines: list[SourceLine]) -> None:
    columns = [c for c in element if _tag(c) == "div"]
    marker_cell = next((c for c in columns if _has_class(c, ("grid-list-column-1",))), None)
    body_cell = next((c for c in columns if _has_class(c, ("grid-list-column-2",))), None)
    if marker_cell is None or body_cell is None:
        _walk(element, depth, lines)
        return
    _point(_inline(marker_cell), body_cell, depth, element, lines)


def _content_table(table: etree._Element) -> bool:
    """A data table (bordered, or cells in p.tbl-*), not a layout table for points."""
    if str(table.get("border") or "") not in ("", "0"):
        return True
    return any(c.startswith("tbl-") for p in table.iter("p") for c in _classes(p))


def _table_row(row: etree._Element, depth: int, lines: list[SourceLine], content: bool) -> None:
    cells = [c for c in row if _tag(c) in ("td", "th")]
    if not cells:
        return
    first = clean_text(_inline(cells[0]))
    if not content and len(cells) == 2 and _MARKER_TEXT.match(first):
        # A layout row (Official Journal style): marker cell + content cell.
        marker = first if first.endswith(".") or re.fullmatch(ENTRY_CODE, first) else first + "."
        _point(marker, cells[1], depth, row, lines)
        return
    texts = [_inline(cell).replace("|", "/") for cell in cells]
    lines.append(SourceLine("| " + " | ".join(texts) + " |", _location(row)))
