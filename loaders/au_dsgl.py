"""Australia, Defence and Strategic Goods List 2024 (F2024L01024), official DOCX.

The DOCX holds both Parts of the List, and both are returned:
- `au-dsgl`: Part 2, the dual-use list (categories 0-9). Its "Sensitive" and "Very sensitive"
  sub-lists (tables after category 9) are not rows: they set `sensitivity` on the rows they name.
- `au-dsgl-ml`: Part 1, the munitions list (`ML1` ... `ML22`, and Australia's own non-military
  lethal goods `ML901` ... `ML910`).

How the Word file prints the List (what this loader relies on):
- Codes are split by tabs: an entry heading is `5.⇥A.⇥001.⇥Telecommunications ...`, sometimes
  with a slip (`1⇥C.⇥001.`, `3.⇥A.⇥901⇥`, `A.⇥002.⇥o.⇥3.` without its category digit).
- A paragraph opens with its label (`j.⇥IP network ...`) in a style whose left indent grows one
  step (567 twips) a level: `DL0Aa` 1701, `DL0Aa1` 2268, `DL0Aa1a` 2835 ... (Part 1: half a step
  further, 851, 1418 ...). Notes use note styles (`DL0ANote`, `DL0AaTechH`, `MLNB` ...) and
  their own lists sit between the steps.
- At a page or block start a paragraph is printed with its full code: `5.⇥A.⇥001.⇥j.⇥1.⇥...`.
- A few lists are Word auto-numbered (`w:numPr`): their labels are rebuilt from numbering.xml.
- Word's non-breaking hyphen is an element (`w:noBreakHyphen`), read as "-" ("dual-use").
The DOCX is read with lxml from the zip (no entity expansion, no network): python-docx would
also work but does not give numbering labels and is slower.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from harmonize.codes import canonical_code
from harmonize.ingest import glyphs
from harmonize.ingest.segmenter import CodeStyle, Line, Segmented, Unplaced, segment
from harmonize.model import ListRow
from loaders.base import (
    LoaderError,
    ParsedList,
    SourceMeta,
    finish,
    read_zip_member,
    source_info,
)

META = SourceMeta(
    source_id="au-dsgl",
    jurisdiction="AU",
    list_name="Defence and Strategic Goods List 2024, Part 2 (dual-use)",
    publisher="Australian Government, Department of Defence (Federal Register of Legislation)",
    url="https://www.legislation.gov.au/F2024L01024/latest",
    format="DOCX",
    licence="CC BY 4.0 (Federal Register of Legislation)",
    citation="Defence and Strategic Goods List 2024 (F2024L01024)",
    file_patterns=("*.docx",),
    expected_entries=(300, 450),
)
ML_META = dataclasses.replace(
    META,
    source_id="au-dsgl-ml",
    list_name="Defence and Strategic Goods List 2024, Part 1 (munitions)",
    expected_entries=(25, 45),
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Safe parser: no entity expansion, no network; huge_tree for the 5 MB document.xml.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_TWIPS_PER_STEP = 567.0  # one indentation step of the List (1 cm)
_PART2_GRID = 0.0  # Part 2 paragraph labels sit on whole steps (1701, 2268 ... twips)
_PART1_GRID = 0.5  # Part 1 paragraph labels sit on half steps (851, 1418 ... twips)


# --- Codes and styles ---------------------------------------------------------------------------
# A code opening a paragraph (tabs between its parts). Part 2 tolerates the file's slips.
_DUAL_CODE = re.compile(
    r"^\s*(?:(?P<cat>\d)\s*\.?\s*)?(?P<group>[A-E])\s*\.?\s*(?P<num>\d{3})(?!\d)\s*\.?"
)
_ML_CODE = re.compile(r"^\s*ML\s?\d{1,3}(?!\d)\s*\.?")
_GROUP_DOT = re.compile(r"^\s*[A-E]\s*\.")
# One paragraph label ("j." or "12.") followed by white space or the end of the text.
_LABEL_RUN = re.compile(r"(?P<label>[a-z]|\d{1,2})\s*\.(?:\s+|$)")

DUAL_STYLE = CodeStyle(
    name="au-dsgl",
    # Matched by the segmenter on whitespace-collapsed text: "5. A. 001. Telecommunications ..."
    entry_heading=re.compile(
        r"^(?P<code>\d\s?\.?\s?[A-E]\s?\.?\s?\d{3}(?!\d)\.?)(?:\s+(?P<rest>.*))?$"
    ),
    # Australia's own entries: x9xx numbers (3A901, 3B901, 3B902, 3D901, 3D902, 3E901, 4A901,
    # 4D901, 4E901 in 2024) are outside the Wassenaar/EU numbering, whose third character is a
    # regime digit 0-5; the EU prints its own plurilateral additions as 5xx.
    is_national=lambda canonical: bool(re.match(r"^\d[A-E]9\d\d(\.|$)", canonical)),
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1C350.1 ... 1C350.91
    indent_tolerance=0.25,  # steps of 567 twips: a quarter step tells levels apart
    nested_note_lists=True,  # safe here: styled paragraphs close notes (Line.list_item)
    note_indent_margin=0.25,  # notes sit half a step right of the paragraph they annotate
)
ML_STYLE = CodeStyle(
    name="au-dsgl-ml",
    entry_heading=re.compile(r"^(?P<code>ML\s?\d{1,3}(?!\d)\.?)(?:\s+(?P<rest>.*))?$"),
    # ML901-ML910: Australia's non-military lethal goods, beyond the Wassenaar ML1-ML22.
    is_national=lambda canonical: bool(re.match(r"^ML9\d\d(\.|$)", canonical)),
    indent_tolerance=0.25,
    nested_note_lists=True,
    note_indent_margin=0.25,
)

# Independent count of entries in the raw text: an entry code opening a paragraph and followed
# by text (heading text, or the first paragraph label where, as for 9E101, the entry has none).
_DUAL_HEADING_RAW = re.compile(
    r"^\s*(?P<cat>\d)\s*\.?\s*(?P<group>[A-E])\s*\.?\s*(?P<num>\d{3})(?!\d)\s*\.?[ \t]+\S"
)
_ML_HEADING_RAW = re.compile(r"^\s*ML\s?(?P<num>\d{1,3})(?!\d)\s*\.?[ \t]+\S")

# Part boundaries, on whitespace-collapsed text (the table of contents repeats the titles with
# a page number after them, so the whole text must match).
_PART1 = re.compile(r"^Part\s*1\s*[—–-]\s*Munitions\s+list$", re.IGNORECASE)
_PART2 = re.compile(r"^Part\s*2\s*[—–-]\s*Dual-?\s?use\s+list$", re.IGNORECASE)
_SUB_LIST = re.compile(r"^(Very\s+)?sensitive\s+list\s+of\s+dual-?\s?use", re.IGNORECASE)
# Headings that open a block of Part 2. Each block is segmented on its own so that the notes
# printed under a heading (category notes, the Cryptography Note) are reported as text before
# the block's first entry instead of being attached to the last entry of the block before.
_BLOCK_HEADINGS = (
    re.compile(r"^Category\s+\d\s*[—–-]"),
    re.compile(r"^Part\s*[12]\s*[—–-]\s*[“\"]?(?:TELECOMMUNICATIONS|INFORMATION\s+SECURITY)", re.I),
    # "0.⇥A.⇥Systems, Equipment and Components"; Category 5 adds its Part: "5.⇥A.⇥1.⇥Systems"
    re.compile(
        r"^\d\s*\.?\s*[A-E]\s*\.?\s*(?:\d\s*\.?\s*)?(?:Systems|Test|Materials|Software|Technology)\b"
    ),
    re.compile(r"^TABLE\b"),  # a table printed after the entries (2E003.f's, after 2E301)
)
_TABLE_BLOCK = re.compile(r"^TABLE\b")

_MONTHS = {
    name: number for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)
}
_DATED = re.compile(r"^(?:Dated|Compilation date:?)\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b")

# Styles the List uses for Notes, Technical Notes, N.B.s and their lists (and formulas in them).
_NOTE_STYLE = re.compile(r"note|nb|tech|formula", re.IGNORECASE)
_NOTE_MARKER = re.compile(
    r"^\s*(?:Technical\s+Notes?|Nota\s+Bene|N\.\s?B\.|Notes?)(?:\s+\d{1,2})?\s*(?:[.:]|$)"
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or table row) of the DOCX, in document order."""

    index: int  # position among the w:p of the body (a table row: its first w:p)
    style: str
    text: str  # tabs kept: they separate the parts of a code
    indent: float | None  # left indent in steps of 567 twips (direct formatting, else style)
    in_table: bool = False
    objects: int = 0  # embedded equations or pictures, whose content is not text

    @property
    def location(self) -> str:
        return f"w:p {self.index}"

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


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
    out: list[Paragraph] = []
    index = itertools.count()
    for block in _blocks(body):
        if block.tag == _W + "p":
            out.append(_paragraph(block, next(index), indents, numbers))
            continue
        for row in block.iterfind(_W + "tr"):
            first, cells = -1, []
            for cell in row.iterfind(_W + "tc"):
                texts = []
                for p in cell.iter(_W + "p"):
                    position = next(index)
                    first = position if first < 0 else first
                    texts.append(" ".join(_run_text(p).split()))
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
                etree.fromstring(read_zip_member(path, archive, name), _PARSER)
                if name in names else None
                for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml")
            ]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise LoaderError(path, "zip", f"not a readable DOCX: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise LoaderError(path, "word/*.xml", f"malformed XML: {exc}") from exc
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
               numbers: _Numbering) -> Paragraph:
    ppr = p.find(_W + "pPr")
    style = (_attr(ppr.find(_W + "pStyle"), "val") if ppr is not None else None) or ""
    ind = dict(indents.get(style, {}))  # Word's order: style, then numbering, then direct
    text = _run_text(p)
    num_pr = ppr.find(_W + "numPr") if ppr is not None else None
    if num_pr is not None:
        num_id = _attr(num_pr.find(_W + "numId"), "val") or "0"
        ilvl = int(_attr(num_pr.find(_W + "ilvl"), "val") or 0)
        ind.update(numbers.indents.get((num_id, ilvl), {}))
        label = numbers.label(num_id, ilvl)
        if label:
            text = f"{label}\t{text.lstrip()}"
    direct = ppr.find(_W + "ind") if ppr is not None else None
    if direct is not None:
        ind.update(_ind_values(direct))
    indent = ind.get("left", 0) / _TWIPS_PER_STEP  # no indentation anywhere: the margin
    objects = sum(1 for _ in p.iter(_W + "object", _W + "drawing", _W + "pict"))
    return Paragraph(index, style, text, indent, objects=objects)


def _run_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_W + "t", _W + "tab", _W + "noBreakHyphen", _W + "sym",
                               _W + "br", _W + "cr"):
        tag = node.tag[len(_W):] if isinstance(node.tag, str) else ""
        if tag == "t":
            parts.append(_styled(node.text or "", node.getparent()))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag == "sym":
            char = _symbol(_attr(node, "char") or "", _attr(node, "font") or "Symbol")
            parts.append(_styled(char, node.getparent(), symbol_done=True))
        else:  # line break inside a paragraph
            parts.append(" ")
    return "".join(parts)


def _styled(text: str, run: etree._Element | None, symbol_done: bool = False) -> str:
    """A run's text as printed: set in Symbol -> Unicode; raised or lowered (`w:vertAlign`) ->
    marked as a superscript or subscript (harmonize.ingest.glyphs)."""
    rpr = run.find(_W + "rPr") if run is not None else None
    if rpr is None or not text:
        return text
    fonts = rpr.find(_W + "rFonts")
    if not symbol_done and fonts is not None and glyphs.is_symbol_font(
            _attr(fonts, "ascii") or _attr(fonts, "hAnsi") or ""):
        text = glyphs.symbol_text(text, ascii_too=True)
    align = _attr(rpr.find(_W + "vertAlign"), "val")
    # Raised or lowered by hand (w:position, half-points) also prints a script: "12.7 x 10" +
    # a run "3" raised 3 pt in 8 pt type.
    position = _attr(rpr.find(_W + "position"), "val") or "0"
    raised = int(position) if re.fullmatch(r"-?\d+", position) else 0
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


# --- Where things are -----------------------------------------------------------------------
def parse_version(paragraphs: Iterable[Paragraph]) -> str | None:
    """ISO date the instrument was made ("Dated 14 August 2024"), or None when not printed."""
    for paragraph in paragraphs:
        match = _DATED.match(paragraph.flat)
        if match and match[2].lower() in _MONTHS:
            day, month, year = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def split_parts(
    path: Path, paragraphs: list[Paragraph]
) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
    """Part 1 (munitions), Part 2 categories 0-9, and the sensitive sub-lists after them."""
    part1 = _find(paragraphs, _PART1)
    part2 = _find(paragraphs, _PART2)
    if part2 is None:
        raise LoaderError(path, "document", "no 'Part 2—Dual-use list' heading: not the DSGL?")
    end = _find(paragraphs, _SUB_LIST, after=part2)
    end = len(paragraphs) if end is None else end
    munitions = paragraphs[part1 + 1:part2] if part1 is not None and part1 < part2 else []
    return munitions, paragraphs[part2 + 1:end], paragraphs[end:]


def _find(paragraphs: list[Paragraph], pattern: re.Pattern[str], after: int = -1) -> int | None:
    for position, paragraph in enumerate(paragraphs):
        if position > after and not paragraph.in_table and pattern.match(paragraph.flat):
            return position
    return None


def split_blocks(paragraphs: list[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    """Part 2 cut at category, Category 5 Part, product-group and table headings."""
    blocks: list[tuple[str, list[Paragraph]]] = [("", [])]
    for paragraph in paragraphs:
        if not paragraph.in_table and any(h.match(paragraph.flat) for h in _BLOCK_HEADINGS):
            blocks.append((paragraph.flat, []))
        else:
            blocks[-1][1].append(paragraph)
    return [block for block in blocks if block[0] or block[1]]


# --- From paragraphs to the segmenter's lines ---------------------------------------------------
def to_lines(paragraphs: list[Paragraph], code: re.Pattern[str], grid_offset: float) -> list[Line]:
    """The shared segmenter's lines for one block of the List.

    - A full paragraph code (`5.⇥A.⇥001.⇥j.⇥1.⇥text`) becomes the restated entry heading, one
      `restates` step per label on the way, and the paragraph itself.
    - A paragraph opening with two labels (`1.⇥a.⇥text`) becomes `1.` and `a. text`.
    - Note-styled text without a marker continues the note before it and is merged into it, so
      that the items of a note's own list never pass for paragraphs.
    - A label in a paragraph style, on this Part's indentation grid (`grid_offset`), is list
      text (`Line.list_item`): it closes a note printed between a paragraph and its children.
    """
    lines: list[Line] = []
    kept = [p for p in paragraphs if p.text.strip()]
    category = ""  # category digit of the last code seen, for a code printed without it
    for position, paragraph in enumerate(kept):
        text = re.sub(r"^(\s*N\.\s?B\.)(\d)", r"\1 \2", paragraph.text)  # "N.B.1:" -> "N.B. 1:"
        note = bool(_NOTE_STYLE.search(paragraph.style))
        match = _code_at_start(code, paragraph)
        if match:
            category = match.groupdict().get("cat") or category
            labels, rest_at = _leading_labels(text, match.end())
            rest = text[rest_at:].strip()
            if labels and _note_item_in_disguise(kept, position, labels[-1]):
                # A note list item printed with a full code between two items of that list.
                _add_note_text(lines, f"{labels[-1]}. {rest}", paragraph)
            elif labels:
                entry = _entry_part(match, category)
                lines.extend(_full_code_lines(paragraph, entry, labels, rest))
            else:
                lines.append(Line(text, paragraph.location, paragraph.indent))
            continue
        if note and not _NOTE_MARKER.match(text) and lines and _is_note(lines[-1]):
            _add_note_text(lines, text, paragraph)
            continue
        labels, rest_at = _leading_labels(text, 0)
        list_item = (
            bool(labels) and bool(paragraph.style) and not note and not paragraph.in_table
            and paragraph.indent is not None and _on_grid(paragraph.indent, grid_offset)
        )
        if len(labels) > 1 and not note and _alternating(labels):
            first = paragraph.indent - len(labels) + 1 if paragraph.indent is not None else None
            for depth, label in enumerate(labels[:-1]):
                indent = first + depth if first is not None else None
                lines.append(Line(f"{label}.", paragraph.location, indent, list_item=list_item))
            lines.append(Line(f"{labels[-1]}. {text[rest_at:].strip()}", paragraph.location,
                              paragraph.indent, list_item=list_item))
            continue
        lines.append(Line(text, paragraph.location, paragraph.indent, note, list_item))
    return lines


def _code_at_start(code: re.Pattern[str], paragraph: Paragraph) -> re.Match[str] | None:
    match = code.match(paragraph.text) if not paragraph.in_table else None
    if match and "cat" in code.groupindex and not match["cat"]:
        # Without its category digit, a code must at least print "A." to be told from prose.
        return match if _GROUP_DOT.match(paragraph.text) else None
    return match


def _leading_labels(text: str, start: int) -> tuple[list[str], int]:
    """Labels right at `start` ("j.⇥1.⇥a.⇥") and where the text after them begins."""
    labels: list[str] = []
    position = start
    while True:
        at = position + (len(text[position:]) - len(text[position:].lstrip()))
        match = _LABEL_RUN.match(text, at)
        if not match:
            return labels, position
        labels.append(match["label"])
        position = match.end()


def _entry_part(match: re.Match[str], category: str) -> str:
    """The entry code of a full code, as printed; a Part 2 code printed without its category
    digit (`A.⇥002.⇥o.⇥3.` inside 8A002) gets the digit of the codes before it."""
    printed = " ".join(match.group().split())
    if "cat" in match.re.groupindex and not match["cat"] and category:
        return f"{category}. {printed}"
    return printed


def _full_code_lines(
    paragraph: Paragraph, printed: str, labels: list[str], rest: str
) -> list[Line]:
    """`5.⇥A.⇥001.⇥j.⇥1.⇥text` -> `5. A. 001.` (restates the entry), `j.` (one step down),
    `1. text` (the paragraph). Indents follow the one-step-per-level layout, so that the levels
    passed through keep an indent the segmenter can compare later siblings with."""
    first = paragraph.indent - len(labels) + 1 if paragraph.indent is not None else None
    lines = [Line(printed, paragraph.location)]
    for depth, label in enumerate(labels):
        last = depth == len(labels) - 1
        lines.append(Line(
            f"{label}. {rest}" if last else f"{label}.", paragraph.location,
            first + depth if first is not None else None, list_item=last, restates=not last,
        ))
    return lines


def _is_note(line: Line) -> bool:
    return line.note or bool(_NOTE_MARKER.match(line.text))


def _add_note_text(lines: list[Line], text: str, paragraph: Paragraph) -> None:
    """Append note text to the note line before it, or start a note-styled line."""
    if lines and _is_note(lines[-1]):
        last = lines[-1]
        lines[-1] = Line(f"{last.text} {text.strip()}", last.location, last.indent, note=True)
    else:
        lines.append(Line(text, paragraph.location, paragraph.indent, note=True))


def _alternating(labels: list[str]) -> bool:
    return all(a.isdigit() != b.isdigit() for a, b in itertools.pairwise(labels))


def _on_grid(indent: float, offset: float) -> bool:
    return abs((indent - offset) - round(indent - offset)) < 0.1


def _note_item_in_disguise(kept: list[Paragraph], position: int, label: str) -> bool:
    """True when the paragraphs before and after are note-styled items labelled just before
    and just after `label` (ML910.e of the 2024 List is a note item printed as a full code)."""
    if not 0 < position < len(kept) - 1 or len(label) != 1 or not label.isalpha():
        return False
    before, after = kept[position - 1], kept[position + 1]
    return (
        bool(_NOTE_STYLE.search(before.style)) and bool(_NOTE_STYLE.search(after.style))
        and _leading_labels(before.text, 0)[0][:1] == [chr(ord(label) - 1)]
        and _leading_labels(after.text, 0)[0][:1] == [chr(ord(label) + 1)]
    )


# --- Independent heading count -----------------------------------------------------------------
def count_headings(
    raw_lines: Iterable[tuple[str, str]], heading: re.Pattern[str]
) -> dict[str, str]:
    """Entry codes opening a paragraph of the raw text (code -> location of the first), found by
    a regex of their own rather than by the segmenter, for `loaders.base.reconcile`."""
    seen: dict[str, str] = {}
    for location, text in raw_lines:
        match = heading.match(text)
        code = canonical_code(text[: match.end() - 1]) if match else None
        if code and code not in seen:
            seen[code] = location
    return seen


def raw_lines(paragraphs: Iterable[Paragraph]) -> list[tuple[str, str]]:
    """(location, text) of the paragraphs outside tables: the raw text the count reads."""
    return [(p.location, p.text) for p in paragraphs if not p.in_table]


# --- Sensitive and Very sensitive lists -----------------------------------------------------
_SUB_CODES = re.compile(r"^(?P<codes>\d[A-E]\d{3}[^|]*?)\s*\|")
_FULL_CODE = re.compile(r"^\d[A-E]\d{3}(?:\.[a-z0-9]+)*$")
_SHORT_CODE = re.compile(r"^(?:[a-z]|\d{1,2})(?:\s*\.\s*(?:[a-z]|\d{1,2}))*\.?$")


def sensitive_codes(paragraphs: Iterable[Paragraph]) -> dict[str, str]:
    """Codes named by the Sensitive ("sensitive") and Very sensitive ("very-sensitive") lists:
    the first cell of each table row."""
    level = ""
    found: dict[str, str] = {}
    for paragraph in paragraphs:
        heading = _SUB_LIST.match(paragraph.flat) if not paragraph.in_table else None
        if heading:
            level = "very-sensitive" if heading[1] else "sensitive"
            continue
        match = _SUB_CODES.match(paragraph.flat) if paragraph.in_table and level else None
        for code in expand_codes(match["codes"]) if match else []:
            if found.get(code) != "very-sensitive":
                found[code] = level
    return found


def expand_codes(cell: str) -> list[str]:
    """A code cell, abbreviated after its first code, as canonical codes:
    `7D003.d.1. to 4. & 7.` -> 7D003.d.1, .d.2, .d.3, .d.4, .d.7;
    `6A002.a.1.a., b. and c.` -> 6A002.a.1.a, .a.1.b, .a.1.c."""
    codes: list[str] = []
    previous: list[str] = []
    ranging = False
    for part in re.split(r"\s*(,|&|\band\b|\bto\b)\s*", cell.strip()):
        if part in ("", ",", "&", "and"):
            continue
        if part == "to":
            ranging = True
            continue
        canonical = canonical_code(part) or ""
        if _FULL_CODE.match(canonical):
            labels = canonical.split(".")
        elif previous and _SHORT_CODE.match(part):
            tail = [t for t in re.split(r"\s*\.\s*", part.strip(" .")) if t]
            labels = previous[: len(previous) - len(tail)] + tail
        else:
            continue  # prose in the code cell: nothing to mark
        if ranging and len(labels) == len(previous):
            codes.extend(_label_range(previous, labels))
        else:
            codes.append(".".join(labels))
        previous, ranging = labels, False
    return list(dict.fromkeys(codes))


def _label_range(first: list[str], last: list[str]) -> list[str]:
    """The codes after `first` up to `last`, which differ from it in their last label only."""
    start, stop = first[-1], last[-1]
    if start.isdigit() and stop.isdigit():
        labels = [str(n) for n in range(int(start) + 1, int(stop) + 1)]
    elif start.isalpha() and stop.isalpha():
        labels = [chr(c) for c in range(ord(start) + 1, ord(stop) + 1)]
    else:
        labels = [stop]
    return [".".join([*first[:-1], label]) for label in labels]


def mark_sensitivity(rows: list[ListRow], codes: dict[str, str]) -> list[str]:
    """Set `sensitivity` on each listed code and on the rows below it; return the listed codes
    that name no entry or paragraph (deleted items the sub-lists still mention)."""
    for row in rows:
        code = row.canonical
        while code and code not in codes:
            code = code.rsplit(".", 1)[0] if "." in code else ""
        if code:
            row.sensitivity = codes[code]
    produced = {r.canonical for r in rows if r.kind in ("entry", "paragraph")}
    return sorted(c for c in codes if c not in produced)


# --- Parse --------------------------------------------------------------------------------------
def segment_dual_use(paragraphs: list[Paragraph]) -> tuple[Segmented, int]:
    """Segment Part 2 block by block (see `_BLOCK_HEADINGS`); a table printed apart from its
    entry is reported unplaced rather than glued to the entry before it. Returns the rows and
    unplaced text, and the number of blocks."""
    out = Segmented()
    blocks = split_blocks(paragraphs)
    for heading, body in blocks:
        if _TABLE_BLOCK.match(heading):
            out.unplaced.extend(
                Unplaced(p.location, p.flat, f"in '{heading}', printed apart from its entry")
                for p in body if p.flat
            )
            continue
        part = segment(to_lines(body, _DUAL_CODE, _PART2_GRID), DUAL_STYLE)
        out.rows.extend(part.rows)
        out.unplaced.extend(part.unplaced)
        out.dropped_noise += part.dropped_noise
    return out, len(blocks)


def parse(path: Path, *, check_counts: bool = True) -> list[ParsedList]:
    """Part 2 (dual-use) as `au-dsgl`, then Part 1 (munitions) as `au-dsgl-ml`.
    `check_counts=False` skips the expected entry counts (for small hand-made files)."""
    path = Path(path)
    paragraphs = extract_paragraphs(path)
    version = parse_version(paragraphs[:300])
    if version is None:
        raise LoaderError(path, "cover page", "no 'Dated <day> <month> <year>': version unknown")
    munitions, dual_use, sub_lists = split_parts(path, paragraphs)

    dual, blocks = segment_dual_use(dual_use)
    listed = sensitive_codes(sub_lists)
    not_rows = mark_sensitivity(dual.rows, listed)
    notes = [
        f"Part 2 read as {blocks} blocks cut at category, Category 5 Part, product-group and "
        "table headings; text under such a heading before its first entry (category notes, "
        "the Cryptography Note) is reported unplaced as 'before the first entry'.",
        f"Sensitive and Very sensitive lists ({len(sub_lists)} paragraphs and table rows from "
        f"{sub_lists[0].location}) are not rows: their {len(listed)} codes set `sensitivity` on "
        "those rows and the rows below them (a sub-list may narrow an item; its wording is not "
        "kept)." if sub_lists else "No Sensitive or Very sensitive list after category 9.",
        "The EPUB rendition beside the DOCX is not parsed.",
    ]
    if not_rows:
        notes.append(f"Sensitive-list codes naming no row of Part 2: {', '.join(not_rows)}.")
    with_objects = [p.location for p in dual_use if p.objects]
    if with_objects:
        notes.append(
            f"Embedded equations or pictures, not text, not read: {', '.join(with_objects)}."
        )
    lists = [
        finish(path, META, source_info(META, version), dual.rows,
               count_headings(raw_lines(dual_use), _DUAL_HEADING_RAW), dual.unplaced, notes,
               check_counts=check_counts)
    ]
    if munitions:
        ml = segment(to_lines(munitions, _ML_CODE, _PART1_GRID), ML_STYLE)
        lists.append(
            finish(path, ML_META, source_info(ML_META, version), ml.rows,
                   count_headings(raw_lines(munitions), _ML_HEADING_RAW), ml.unplaced,
                   ["The EPUB rendition beside the DOCX is not parsed."],
                   check_counts=check_counts)
        )
    return lists


def unplaced_reasons(unplaced: Iterable[Unplaced]) -> dict[str, int]:
    """Counts of unplaced text by reason (the label of a 'does not continue' folded away)."""
    counts: dict[str, int] = {}
    for item in unplaced:
        key = "label does not continue" if item.reason.startswith("label ") else item.reason
        counts[key] = counts.get(key, 0) + 1
    return counts
