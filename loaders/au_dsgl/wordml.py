"""Australia's DSGL: the DOCX read with lxml from the zip (WordprocessingML): paragraphs in
order with their style and left indent, table rows, auto-numbered labels rebuilt from
numbering.xml, Symbol-font characters and non-breaking hyphens as text."""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from harmonize.ingest import glyphs
from harmonize.ingest.rawfiles import read_zip_member
from harmonize.ingest.safexml import parse_xml
from harmonize.ingest.source import LoaderError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TWIPS_PER_STEP = 567.0  # one indentation step of the List (1 cm)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or table row) of the DOCX, in document order."""

    index: int  # position among the w:p of the body (a table row: its first w:p)
    style: str
    text: str  # tabs kept: they separate the parts of a code
    indent: float | None  # left indent in steps of 567 twips (direct formatting, else style)
    in_table: bool = False
    objects: int = 0  # embedded equations or pictures, whose content is not text
    # The text with white space collapsed, read by every block, part and sub-list test: set
    # once here (functools.cached_property takes a lock on every read in Python 3.11).
    flat: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "flat", " ".join(self.text.split()))

    @property
    def location(self) -> str:
        return f"w:p {self.index}"


# --- Reading the DOCX -------------------------------------------------------------------------
def extract_paragraphs(path: Path) -> list[Paragraph]:
    """Every paragraph of the body in order. A table row becomes one paragraph whose cells are
    joined by " | " (so that a cell "B.1." is not read as a paragraph label)."""
    document, styles, numbering = _read_parts(path)
    body = document.find(_W + "body")
    if body is None:
        raise LoaderError(path, "word/document.xml", "no w:body element")
    indents = _style_indents(styles)
    numbers = _Numbering(numbering)
    styled = _styled_runs(body)
    out: list[Paragraph] = []
    index = itertools.count()
    for block in _blocks(body):
        if block.tag == _W + "p":
            out.append(_paragraph(block, next(index), indents, numbers, styled))
            continue
        for row in block.iterfind(_W + "tr"):
            first, cells = -1, []
            for cell in row.iterfind(_W + "tc"):
                texts = []
                for p in cell.iter(_W + "p"):
                    position = next(index)
                    first = position if first < 0 else first
                    texts.append(" ".join(_walk(p, styled)[0].split()))
                cells.append(" ".join(t for t in texts if t))
            if first >= 0:
                text = " | ".join(c for c in cells if c)
                out.append(Paragraph(first, "table", text, None, in_table=True))
    return out


def _read_parts(path: Path) -> tuple[etree._Element, etree._Element | None, etree._Element | None]:
    """document.xml, styles.xml and numbering.xml; LoaderError when the file is not a DOCX."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise LoaderError(path, "zip", "no word/document.xml: not a Word document")
            parts = [
                parse_xml(read_zip_member(path, archive, name), path, name)
                if name in names else None
                for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml")
            ]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise LoaderError(path, "zip", f"not a readable DOCX: {exc}") from exc
    document, styles, numbering = parts
    assert document is not None  # checked above
    return document, styles, numbering


def _blocks(body: etree._Element) -> Iterator[etree._Element]:
    """Top-level paragraphs and tables, looking inside content controls (w:sdt)."""
    for child in body:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def _attr(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(_W + name)
    return str(value) if value is not None else None


def _paragraph(p: etree._Element, index: int, indents: dict[str, dict[str, int]],
               numbers: _Numbering, styled: set[etree._Element]) -> Paragraph:
    props = _first_children(next(p.iterchildren(_PPR), None), (_PSTYLE, _NUMPR, _IND))
    style = (props[_PSTYLE].get(_VAL) if _PSTYLE in props else None) or ""
    ind = dict(indents.get(style, {}))  # Word's order: style, then numbering, then direct
    text, objects = _walk(p, styled)
    num_pr = props.get(_NUMPR)
    if num_pr is not None:
        num_id = _attr(num_pr.find(_W + "numId"), "val") or "0"
        ilvl = int(_attr(num_pr.find(_W + "ilvl"), "val") or 0)
        ind.update(numbers.indents.get((num_id, ilvl), {}))
        label = numbers.label(num_id, ilvl)
        if label:
            text = f"{label}\t{text.lstrip()}"
    direct = props.get(_IND)
    if direct is not None:
        ind.update(_ind_values(direct))
    indent = ind.get("left", 0) / _TWIPS_PER_STEP  # no indentation anywhere: the margin
    return Paragraph(index, style, text, indent, objects=objects)


def _first_children(parent: etree._Element | None,
                    tags: tuple[str, ...]) -> dict[str, etree._Element]:
    """The first child of each of `tags` (what `find` gives, in one pass: lxml's `find` goes
    through its Python path engine, a few microseconds a call on thousands of paragraphs)."""
    found: dict[str, etree._Element] = {}
    if parent is not None:
        for child in parent.iterchildren(*tags):
            found.setdefault(str(child.tag), child)
    return found


_T, _TAB, _NO_BREAK_HYPHEN, _SYM = _W + "t", _W + "tab", _W + "noBreakHyphen", _W + "sym"
_BREAKS = (_W + "br", _W + "cr")
_OBJECTS = (_W + "object", _W + "drawing", _W + "pict")  # embedded equations, pictures
_PPR, _RPR, _RFONTS = _W + "pPr", _W + "rPr", _W + "rFonts"
_PSTYLE, _NUMPR, _IND = _W + "pStyle", _W + "numPr", _W + "ind"
_VERT_ALIGN, _POSITION, _VAL = _W + "vertAlign", _W + "position", _W + "val"
_INTEGER = re.compile(r"-?\d+")


def _styled_runs(body: etree._Element) -> set[etree._Element]:
    """The runs whose properties may change how their text prints (a font, a raise or a
    lowering): the only ones `_styled` needs to look at (lxml keeps one proxy per element while
    it is referenced, so the runs met later are these very objects)."""
    return {run for prop in body.iter(_RFONTS, _VERT_ALIGN, _POSITION)
            if (props := prop.getparent()) is not None and (run := props.getparent()) is not None}


def _walk(paragraph: etree._Element, styled: set[etree._Element]) -> tuple[str, int]:
    """The paragraph's text as printed and its number of embedded objects, in one pass;
    `styled`: the runs `_styled` must look at (`_styled_runs`)."""
    parts: list[str] = []
    objects = 0
    for node in paragraph.iter(_T, _TAB, _NO_BREAK_HYPHEN, _SYM, *_BREAKS, *_OBJECTS):
        tag = node.tag
        if tag == _T:
            text = node.text
            if text:
                run = node.getparent()
                parts.append(_styled(text, run) if run in styled else text)
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _SYM:
            char = _symbol(_attr(node, "char") or "", _attr(node, "font") or "Symbol")
            parts.append(_styled(char, node.getparent(), symbol_done=True))
        elif tag in _BREAKS:  # line break inside a paragraph
            parts.append(" ")
        else:
            objects += 1
    return "".join(parts), objects


def _styled(text: str, run: etree._Element | None, symbol_done: bool = False) -> str:
    """A run's text as printed: set in Symbol -> Unicode; raised or lowered (`w:vertAlign`) ->
    marked as a superscript or subscript (harmonize.ingest.glyphs)."""
    rpr = run.find(_RPR) if run is not None else None
    if rpr is None or not text:
        return text
    if not symbol_done:
        fonts = rpr.find(_RFONTS)
        if fonts is not None and glyphs.is_symbol_font(
                fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi") or ""):
            text = glyphs.symbol_text(text, ascii_too=True)
    vert_align = rpr.find(_VERT_ALIGN)
    align = vert_align.get(_VAL) if vert_align is not None else None
    # Raised or lowered by hand (w:position, half-points) also prints a script: "12.7 x 10" +
    # a run "3" raised 3 pt in 8 pt type.
    shift = rpr.find(_POSITION)
    position = (shift.get(_VAL) if shift is not None else None) or "0"
    raised = int(position) if _INTEGER.fullmatch(position) else 0
    if align == "superscript" or raised > 0:
        return glyphs.superscript(text)
    if align == "subscript" or raised < 0:
        return glyphs.subscript(text)
    return text


def _symbol(char: str, font: str) -> str:
    """A `w:sym` character (a font position such as F06D) as Unicode where the font is Symbol;
    another font's private-use character stays as it is (and shows as unmapped)."""
    if not re.fullmatch(r"[0-9A-Fa-f]{4}", char):
        return ""
    code = int(char, 16)
    return glyphs.symbol_char(code) if glyphs.is_symbol_font(font) else chr(code)


def _style_indents(styles: etree._Element | None) -> dict[str, dict[str, int]]:
    """Effective w:ind of each paragraph style (attributes inherited along w:basedOn)."""
    if styles is None:
        return {}
    own: dict[str, dict[str, int]] = {}
    based_on: dict[str, str] = {}
    for style in styles.iter(_W + "style"):
        style_id = _attr(style, "styleId") or ""
        base = _attr(style.find(_W + "basedOn"), "val")
        if base:
            based_on[style_id] = base
        ind = style.find(f"{_W}pPr/{_W}ind")
        own[style_id] = _ind_values(ind) if ind is not None else {}
    resolved: dict[str, dict[str, int]] = {}
    for style_id in own:
        chain: list[str] = []
        current = style_id
        while current and current not in chain:  # stops on a basedOn cycle too
            chain.append(current)
            current = based_on.get(current, "")
        merged: dict[str, int] = {}
        for name in reversed(chain):
            merged.update(own.get(name, {}))
        resolved[style_id] = merged
    return resolved


def _ind_values(ind: etree._Element) -> dict[str, int]:
    values: dict[str, int] = {}
    for key in ("left", "start", "hanging", "firstLine"):
        raw = ind.get(_W + key)
        if raw is not None and re.fullmatch(r"-?\d+", raw):
            values["left" if key == "start" else key] = int(raw)
    return values


class _Numbering:
    """Labels of Word auto-numbered paragraphs (w:numPr), which are not in the text."""

    def __init__(self, numbering: etree._Element | None) -> None:
        # (numId, level) -> (number format, label template such as "%2.", start value)
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.indents: dict[tuple[str, int], dict[str, int]] = {}  # w:ind of each level
        self.counters: dict[str, list[int]] = {}
        if numbering is None:
            return
        abstract: dict[str, dict[int, etree._Element]] = {
            _attr(node, "abstractNumId") or "": {
                int(_attr(lvl, "ilvl") or 0): lvl for lvl in node.iter(_W + "lvl")
            }
            for node in numbering.iter(_W + "abstractNum")
        }
        for num in numbering.iter(_W + "num"):
            num_id = _attr(num, "numId") or ""
            nodes = dict(abstract.get(_attr(num.find(_W + "abstractNumId"), "val") or "", {}))
            for override in num.iter(_W + "lvlOverride"):
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    nodes[int(_attr(override, "ilvl") or 0)] = lvl
            levels = {ilvl: _level_spec(lvl) for ilvl, lvl in nodes.items()}
            for ilvl, lvl in nodes.items():
                ind = lvl.find(f"{_W}pPr/{_W}ind")
                self.indents[(num_id, ilvl)] = _ind_values(ind) if ind is not None else {}
            for override in num.iter(_W + "lvlOverride"):
                ilvl = int(_attr(override, "ilvl") or 0)
                start = _attr(override.find(_W + "startOverride"), "val")
                if start is not None and start.isdigit() and ilvl in levels:
                    levels[ilvl] = (*levels[ilvl][:2], int(start))
            for ilvl, spec in levels.items():
                self.levels[(num_id, ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> str:
        """The label Word prints on the next paragraph of list `num_id` at level `ilvl`."""
        spec = self.levels.get((num_id, ilvl))
        if spec is None or ilvl > 8:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        counters[ilvl + 1:] = [0] * (8 - ilvl)  # a level restarts the levels below it
        fmt, template, _ = spec
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""
        for level in range(ilvl + 1):
            level_fmt, _, start = self.levels.get((num_id, level), spec)
            number = _format_number(counters[level] + start - 1, level_fmt)
            template = template.replace(f"%{level + 1}", number)
        return template


def _level_spec(lvl: etree._Element) -> tuple[str, str, int]:
    start = _attr(lvl.find(_W + "start"), "val")
    return (
        _attr(lvl.find(_W + "numFmt"), "val") or "decimal",
        _attr(lvl.find(_W + "lvlText"), "val") or "",
        int(start) if start and start.isdigit() else 1,
    )


def _format_number(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for number, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while value >= number:
                roman, value = roman + numeral, value - number
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(value)
