"""EU dual-use list: Regulation (EU) 2021/821, Annex I (and Annex IV), consolidated text.

Two formats, one pipeline:

- PRIMARY, the EUR-Lex consolidated HTML (`CELEX:02021R0821-YYYYMMDD`). `read_html` turns the
  document into the same line stream the derived markdown holds: annex titles
  (`p.title-annex-*`) become `## ANNEX I`, other titles (`p.title-gr-seq-level-*`,
  `p.title-division-*`) `#### ...` headings; a point (`div.grid-container.grid-list`, marker in
  `.grid-list-column-1`, content in `.grid-list-column-2`) becomes `marker text`, indented three
  spaces per enclosing point; `span.italics`/`em` become `*...*` (EUR-Lex sets notes in
  italics), `span.boldface` `**...**`, superscripts `<sup>...</sup>`; a two-cell table row whose
  first cell is a point marker or an entry code is a point in a layout table (no border, no
  `p.tbl-*` cells), any other row `| a | b |`; a title that starts with an entry code, and a
  bold code, are read as an entry heading. Amendment arrows (`p.modref`, `►M5`), footnotes
  and the document header tables are left out. The version is the consolidation date: the
  text's own header line (`02021R0821 — EN — 21.09.2026 — ...`), else the CELEX
  `02021R0821-YYYYMMDD` in the document or its file name.
  The structure was learnt from public EUR-Lex parsers (the consolidated-text classes listed in
  legalize-dev/legalize-pipeline `fetcher/eu/parser.py`, the converter that made the derived
  markdown below); no real EUR-Lex HTML was available here, so the HTML test fixture is
  hand-made in that structure.
- The DERIVED markdown of the same text (legalize-eu `32021R0821.md`), read line by line:
  entry headings are the code glued to the heading (`5A001Telecommunications ...`), points
  `a.` / `1.` indented three spaces per level, notes in italics (`*Note 1:*`, `*N.B.*`).

From the line stream (`annex_i_stream`):

- the Annex I text before the first entry (general notes, acronyms, definitions) and every
  category preface (from a heading to the next entry) are reported as unplaced; so are
  "None." lines (empty product groups whose group heading this copy lacks), note blocks that
  sit at the end of an entry, name a different code and precede the next product group (group
  or part prefaces, e.g. the Cryptography Note before 5A002), and blocks that cannot belong to
  the entry they follow (the Deposition Techniques table of 2E003.f, the APP technical note at
  the end of Category 4): their headings are absent in the derived copy;
- points are placed by their indentation. EU 500-series entries reproduce the numbering of the
  Wassenaar entry they extend, with gaps (`3A501.a.15` is the first point of 3A501.a,
  `2E503.g` the only point of 2E503); the shared segmenter only accepts a gap-free sequence, so
  it is fed gap-free labels in the same tree and the printed codes are put back afterwards
  (every point is checked to land where its indentation puts it, or the parse fails);
- a note attaches to the deepest point whose indentation is left of the note's marker (the
  derived copy indents a note one level right of what it annotates, like that point's own
  sub-points); a note block (marker and its italic lines, with the note's own a./b. list) is
  one row. Italic text with no marker (lost in the derived copy) is a note all the same.

Superscripts are written as printed, in Unicode superscript characters (`10<sup>9</sup>` ->
`10⁹`, `10<sup>-7</sup>` -> `10⁻⁷`, `cm<sup>3</sup>` -> `cm³`, `(<sup>10</sup>B)` -> `(¹⁰B)`),
the representation every loader shares (harmonize.ingest.glyphs).

Annex IV (items needing a licence even within the Union) is its own list (`eu-annex-iv`): one
row per table row; its codes are references to Annex I items at any depth (`6A001.a.1.b.`),
so every row is an entry-kind row (depth 0) whose canonical code is the Annex I code it names
and whose `entry` is that code's entry. A code listed in both parts (1E201, 3E201) is one row
whose text gives both, marked by part. The text around the tables (the Category 0 rule with
its exceptions, the MTCR exemption) is reported, not expanded into rows.

Nothing here is national: every Annex I code is EU-level, 500-series codes included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from harmonize.codes import canonical_code, entry_code
from harmonize.ingest import glyphs
from harmonize.ingest.segmenter import CodeStyle, Line, Unplaced, segment
from harmonize.model import ListRow, SourceInfo
from loaders.base import LoaderError, ParsedList, ShapeError, SourceMeta, finish, read_utf8

META = SourceMeta(
    source_id="eu-annex-i",
    jurisdiction="EU",
    list_name="Annex I to Regulation (EU) 2021/821",
    publisher="Publications Office of the EU (EUR-Lex)",
    # Refresh asks for the consolidated version of a date: CELEX:02021R0821-YYYYMMDD.
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821",
    format="EUR-Lex HTML (consolidated text); derived markdown accepted",
    licence="© European Union, reuse authorised (Commission Decision 2011/833/EU)",
    citation="Regulation (EU) 2021/821, Annex I",
    file_patterns=("*.html", "*.htm", "*.xhtml", "*.md"),
    # Annex I of the 2025 consolidation holds 384 entry headings (Wassenaar's list ~250).
    expected_entries=(300, 520),
)
ANNEX_IV_ID = "eu-annex-iv"
ANNEX_IV_NAME = "Annex IV to Regulation (EU) 2021/821"
ANNEX_IV_CITATION = "Regulation (EU) 2021/821, Annex IV"
ANNEX_IV_EXPECTED = (30, 150)  # 68 rows in the 2026 consolidation

ENTRY_CODE = r"\d[A-E]\d{3}"
# Entry heading as the segmenter sees it: code, then the heading (glued or after a space).
STYLE = CodeStyle(
    "eu-annex-i",
    re.compile(rf"^(?P<code>{ENTRY_CODE})(?![\d.])\s*(?P<rest>.*)$"),
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1. ... 90.
)
# Independent count of entry headings in the raw lines: a code at the start of a line (the
# derived copy prints 1C225 and 1C226 after one space), not followed by a paragraph dot.
HEADING_COUNT = re.compile(rf"^\s{{0,3}}({ENTRY_CODE})(?![\d.])\s*\S")

ANNEX_TITLE = re.compile(r"^##\s+ANNEX\s+(?P<n>[IVXLC]+)\s*$")
HEADING = re.compile(r"^#{1,6}\s")
LABEL_LINE = re.compile(r"^(?P<label>[a-z]|\d{1,2})\.(?:\s+(?P<rest>\S.*))?$")
# "b Microwave or millimetre wave items as follows:", "12 Clostridium perfringens ..." (3A501.b,
# 1C351.c.12 lost their dot in the derived copy): a point only where that label is next.
UNDOTTED_LABEL = re.compile(r"^(?P<label>[a-z]|\d{1,2})\s+(?P<rest>[A-Z\"“‘'].*)$")
# "1. a. Voltage rating ..." (3A201.a.1.a): a point and its first sub-point on one line.
FIRST_SUBPOINT = re.compile(r"^(?P<label>a|1)\.\s+(?P<rest>\S.*)$")
# Italic (note) text: "*...*", also after a dash or a point label ("— *Array processors;*",
# "a. *Civil cellular ...*", "*a.* *Marketing purpose;*").
ITALIC_LINE = re.compile(r"^(?:[—–•-]\s*)?(?:\**(?:[a-z]|\d{1,2})\.\**\s*)?\*")
NONE_LINE = re.compile(r"^None\.?$")
FOOTNOTE_REF = re.compile(r"^\(<sup>\d{1,3}</sup>\)$")
NOTE_WORD = re.compile(
    r"^(?P<word>Technical\s+Notes?|Notes?|Nota\s+Bene)(?:\s*(?P<num>\d{1,2}))?\s*"
    r"(?P<sep>[.:]|$)\s*(?P<rest>.*)$"
)
NB_WORD = re.compile(r"^(?P<word>N\.\s?B)\s*\.?\s*(?:(?P<num>\d{1,2})\s*\.?)?\s*(?P<rest>.*)$")
# A titled note ("Note to the Cryptography Note:"): a marker whose title is its text.
TITLED_NOTE = re.compile(r"^(?:Technical\s+)?Notes?\s+to\s+.{1,60}:$")
CATEGORY_TITLE = re.compile(r"\bCATEGORY\s+(?P<n>\d)\b", re.IGNORECASE)
PART_TITLE = re.compile(r"^PART\s+(?P<n>[IVX]+)\b", re.IGNORECASE)
SUP = re.compile(r"<sup>\s*(?P<sup>.*?)\s*</sup>", re.DOTALL)
TAG = re.compile(r"</?(?:sub|span|em|i|b|strong)>")
TABLE_ROW = re.compile(r"^\|\s*(?P<code>[^|]*?)\s*\|\s*(?P<text>.*?)\s*\|?\s*$")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
EMPHASIS = re.compile(r"\*{2,3}(?P<text>[^*]+?)\*{2,3}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CELEX_DATE = re.compile(r"0\d{4}R\d{4}-(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
# The consolidated text's own header: "02021R0821 — EN — 21.09.2026 — 012.001 — 1".
CONSOLIDATION_LINE = re.compile(
    r"0\d{4}R\d{4}\s*[—–-]\s*EN\s*[—–-]\s*(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4})"
)


@dataclass(frozen=True)
class SourceLine:
    """One line of the annexes in the derived-markdown dialect (see the module doc)."""

    text: str  # leading spaces = indentation; *italic*, **bold**, <sup>...</sup>
    location: str  # "line 5801" (of the markdown, or of the HTML element's start tag)


@dataclass(frozen=True)
class RawDocument:
    """What the format layer hands on: the lines and where the version date can be read."""

    lines: list[SourceLine]
    version: str


# -- text -----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Readable text: emphasis stars dropped, superscripts rendered, spaces collapsed."""
    value = SUP.sub(_superscript, text)
    value = TAG.sub("", value)
    value = value.replace("*", "")
    return " ".join(value.split())


def _superscript(match: re.Match[str]) -> str:
    # Marked as raised; rendered as Unicode superscripts when the rows are finished
    # (harmonize.ingest.glyphs): 10<sup>9</sup> -> 10⁹, cm<sup>3</sup> -> cm³.
    return glyphs.superscript(match.group("sup"))


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


# -- the derived markdown -----------------------------------------------------------------------


def read_markdown(path: Path) -> RawDocument:
    """Lines of the derived markdown and the consolidation date from its front matter."""
    text = read_utf8(path, "UTF-8 text")[1].replace("\r\n", "\n")
    lines = text.split("\n")
    front: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip().strip('"').strip("'")
    version = front.get("last_updated", "")
    if not ISO_DATE.match(version):
        raise LoaderError(path, "front matter",
                          f"no consolidation date (last_updated: {version!r}); "
                          "not a derived copy of Regulation (EU) 2021/821")
    located = [SourceLine(line.rstrip(), f"line {number}")
               for number, line in enumerate(lines, start=1)]
    return RawDocument(located, version)


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
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoaderError(path, "whole file", f"cannot read: {error}") from error
    if not data.strip():
        raise LoaderError(path, "whole file", "empty or unreadable file")
    # lxml's HTML parser never fetches anything (no DTD, no network).
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.fromstring(data, parser=parser)
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


# -- regions ---------------------------------------------------------------------------------


def annex_region(lines: list[SourceLine], annex: str, path: Path) -> list[SourceLine]:
    """The lines of one annex: from its `## ANNEX n` title to the next annex title."""
    start = next((i for i, line in enumerate(lines)
                  if (m := ANNEX_TITLE.match(line.text)) and m["n"] == annex), None)
    if start is None:
        raise LoaderError(path, "whole file", f"no 'ANNEX {annex}' title: truncated or not "
                          "the text of Regulation (EU) 2021/821")
    end = next((i for i in range(start + 1, len(lines)) if ANNEX_TITLE.match(lines[i].text)),
               len(lines))
    return lines[start + 1:end]


def count_headings(lines: Iterable[SourceLine], path: Path) -> dict[str, str]:
    """Entry headings in the raw lines (code -> location), independent of the segmenter;
    a code printed twice is an error, since the segmenter would merge the two."""
    seen: dict[str, str] = {}
    for line in lines:
        match = HEADING_COUNT.match(line.text)
        if match:
            code = match.group(1)
            if code in seen:
                raise LoaderError(path, line.location,
                                  f"entry heading {code} printed twice (first at {seen[code]})")
            seen[code] = line.location
    return seen


# -- Annex I: tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One non-blank line of Annex I, classified."""

    kind: str  # heading, entry, label, undotted, italic, none, table, text
    indent: int
    body: str  # the line without its indentation, markup kept
    location: str


def tokenize(lines: Iterable[SourceLine]) -> Iterator[Token]:
    for line in lines:
        body = line.text.strip()
        if not body:
            continue
        indent = indent_of(line.text)
        if HEADING.match(body):
            kind = "heading"
        elif indent <= 3 and STYLE.entry_heading.match(body):
            kind = "entry"
        elif ITALIC_LINE.match(body):
            kind = "italic"
        elif LABEL_LINE.match(body):
            kind = "label"
        elif UNDOTTED_LABEL.match(body):
            kind = "undotted"
        elif NONE_LINE.match(body):
            kind = "none"
        elif body.startswith("|"):
            kind = "table"
        else:
            kind = "text"
        yield Token(kind, indent, body, line.location)


@dataclass(frozen=True)
class Marker:
    kind: str  # the marker the segmenter reads: "Note", "Technical Note", "N.B."
    printed: str  # "Note 1", "N.B.2", "" when the copy prints no marker
    rest: str  # text after the marker on the same line


def note_marker(text: str) -> Marker | None:
    """The note marker opening a (cleaned) italic line, if any."""
    nb = NB_WORD.match(text)
    if nb:
        printed = "N.B." + (nb["num"] or "")
        return Marker("N.B.", printed, nb["rest"])
    if TITLED_NOTE.match(text):
        return Marker("Technical Note" if text.startswith("Technical") else "Note",
                      text.rstrip(":"), text)
    word = NOTE_WORD.match(text)
    if word and (word["sep"] or not word["rest"]):
        kind = "Technical Note" if word["word"].startswith("Technical") else "Note"
        printed = " ".join(word["word"].split()) + (f" {word['num']}" if word["num"] else "")
        return Marker(kind, printed, word["rest"])
    return None


# -- Annex I: items (points, note blocks, text) -------------------------------------------------


@dataclass
class NoteBlock:
    marker: Marker
    indent: int
    location: str
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t for t in [self.marker.rest, *self.texts] if t)


@dataclass
class Item:
    """What one entry holds, in order: a point, a note block, a line of text, or a line that
    belongs to no entry (reason set)."""

    kind: str  # point, note, text, outside
    token: Token
    note: NoteBlock | None = None
    reason: str = ""


def entry_items(tokens: list[Token], code: str) -> list[Item]:
    """Group an entry's tokens: italic lines into note blocks; a "None." line or a block the
    entry cannot hold (a table, text left of every point after the points began) makes the
    rest of the entry's tokens `outside`."""
    items: list[Item] = []
    outside = ""
    last_was_note = False
    for token in tokens:
        if outside:
            items.append(Item("outside", token, reason=outside))
            continue
        if token.kind == "none":
            outside = (f"product group preface after {code} (the copy prints 'None.' for an "
                       "empty group and lacks the group headings)")
            items.append(Item("outside", token, reason="empty product group ('None.')"))
            continue
        if token.kind == "table" or (token.kind == "text" and token.indent == 0 and
                                     any(i.kind in ("point", "note") for i in items)):
            outside = (f"table or text after {code} whose heading this copy lacks "
                       "(not part of the entry)")
            items.append(Item("outside", token, reason=outside))
            continue
        if last_was_note and items[-1].note is not None and FOOTNOTE_REF.match(token.body):
            items[-1].note.texts.append(clean_text(token.body))  # "(<sup>10</sup>)" in a note
            continue
        if token.kind == "italic":
            text = clean_text(token.body)
            marker = note_marker(text)
            if marker is not None:
                block = NoteBlock(marker, token.indent, token.location)
                items.append(Item("note", token, note=block))
            elif last_was_note and items[-1].note is not None:
                items[-1].note.texts.append(text)
            else:  # italic text without a marker: a note whose marker the copy lost
                block = NoteBlock(Marker("Note", "", ""), token.indent, token.location, [text])
                items.append(Item("note", token, note=block))
            last_was_note = True
            continue
        last_was_note = False
        if token.kind in ("label", "undotted"):
            items.append(Item("point", token))
        else:
            items.append(Item("text", token))
    return items


def group_prefaces(items: list[Item], code: str, next_code: str | None) -> None:
    """The note blocks that end an entry and precede the next product group are that group's
    (or part's) preface when they come after the last block naming the entry and start with
    a block at the left margin: mark them outside."""
    if next_code is None or next_code[:2] == code[:2]:
        return
    start = len(items)
    while start > 0 and items[start - 1].kind == "note":
        start -= 1
    blocks = [item.note for item in items[start:] if item.note is not None]
    naming = [i for i, block in enumerate(blocks) if code in block.text]
    first = next((i for i in range(naming[-1] + 1 if naming else 0, len(blocks))
                  if blocks[i].indent == 0), None)
    if first is None:
        return
    for item in items[start + first:]:
        item.kind = "outside"
        item.reason = f"product group or part preface before {next_code} (heading absent)"


# -- Annex I: the outline of points ---------------------------------------------------------------


@dataclass
class _Node:
    indent: int
    label: str  # as printed
    fed: str  # label fed to the segmenter
    code: str  # printed canonical code
    fed_code: str


@dataclass
class Stream:
    """What the segmenter is fed, and what is needed to put the printed codes back."""

    lines: list[Line] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    points: list[tuple[str, str, str]] = field(default_factory=list)  # location, fed, printed
    printed_code: dict[str, str] = field(default_factory=dict)  # fed code -> printed code
    printed_seen: set[str] = field(default_factory=set)
    note_attach: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    undotted: list[str] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    unmarked_notes: int = 0


def _next(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _first_label(like: str) -> str:
    return "1" if like.isdigit() else "a"


def _same_type(a: str, b: str) -> bool:
    return a.isdigit() == b.isdigit()


class Outline:
    """The points of one entry, placed by indentation (three spaces a level; the derived copy
    is off by one space in places, so indents are read in steps of three)."""

    def __init__(self, stream: Stream, code: str, path: Path) -> None:
        self.stream, self.code, self.path = stream, code, path
        self.stack: list[_Node] = []

    def sibling(self, indent: int, label: str) -> _Node | None:
        """Close deeper points and return the open point that `label` follows, if any.

        The derived copy sometimes prints a point at the wrong indentation: a first sub-point
        at its parent's indentation (1C010.e.1 under 1C010.e), or the next point of that
        sub-list one level deeper (1C010.e.2). A label of the other type than the open point
        at its indentation is that point's first sub-point ("1." under "e.") when it starts a
        list; otherwise it continues an open point of its own type higher up.
        """
        while self.stack and self.stack[-1].indent > indent:
            self.stack.pop()
        other_type_here = False
        while self.stack and self.stack[-1].indent == indent:
            top = self.stack[-1]
            if _same_type(top.label, label):
                return self.stack.pop()
            if label == _first_label(label):
                self.stream.regrouped.append(f"{top.code}.{label}")
                return None
            other_type_here = True
            self.stack.pop()
        if other_type_here:
            for k in range(len(self.stack) - 1, -1, -1):
                node = self.stack[k]
                if _same_type(node.label, label) and label == _next(node.label):
                    del self.stack[k:]
                    self.stream.regrouped.append(node.code.rsplit(".", 1)[0] + f".{label}")
                    return node
        return None

    def place(self, token: Token) -> None:
        indent = token.indent - token.indent % 3
        dotted = LABEL_LINE.match(token.body)
        match = dotted or UNDOTTED_LABEL.match(token.body)
        assert match is not None
        label, rest = match["label"], match["rest"] or ""
        previous = self.sibling(indent, label)
        if not dotted:
            expected = _next(previous.label) if previous else None
            if label != expected:  # not a lost dot after all: plain text
                if previous is not None:
                    self.stack.append(previous)
                self.stream.lines.append(Line(clean_text(token.body), token.location))
                return
            self.stream.undotted.append(self.printed(label))
        sub = FIRST_SUBPOINT.match(rest)
        if sub and not _same_type(sub["label"], label):
            self.open(previous, indent, label, "", token)
            self.open(None, indent + 3, sub["label"], sub["rest"], token)
            return
        self.open(previous, indent, label, rest, token)

    def printed(self, label: str) -> str:
        return f"{self.stack[-1].code if self.stack else self.code}.{label}"

    def open(self, previous: _Node | None, indent: int, label: str, rest: str,
             token: Token) -> None:
        location = token.location
        parent = self.stack[-1] if self.stack else None
        parent_code = parent.code if parent else self.code
        if previous is None:
            fed = _first_label(label) if parent is None else "a" if parent.fed.isdigit() else "1"
            if label != _first_label(label):
                self.stream.gaps.append(f"{parent_code}.{label}")
        else:
            fed = _next(previous.fed)
            if label != _next(previous.label):
                self.stream.gaps.append(f"{parent_code}.{label}")
        printed = f"{parent_code}.{label}"
        if printed in self.stream.printed_seen:
            if previous is not None:
                self.stack.append(previous)
            self.stream.unplaced.append(Unplaced(location, clean_text(token.body),
                                                 f"point {printed} printed twice"))
            self.stream.lines.append(Line(clean_text(token.body), location))
            return
        if not re.fullmatch(r"[a-z]|\d{1,2}", fed):
            raise LoaderError(self.path, location,
                              f"point {printed}: more points than labels can number")
        node = _Node(indent, label, fed, printed,
                     f"{parent.fed_code if parent else self.code}.{fed}")
        self.stack.append(node)
        self.stream.printed_code[node.fed_code] = printed
        self.stream.printed_seen.add(printed)
        self.stream.points.append((location, node.fed_code, printed))
        self.stream.lines.append(Line(f"{fed}. {clean_text(rest)}".strip(), location,
                                      indent=float(indent), list_item=True))


def feed_entry(stream: Stream, entry: Token, items: list[Item], path: Path) -> None:
    """Feed one entry: heading, points (gap-free labels, by indentation), note blocks."""
    match = STYLE.entry_heading.match(entry.body)
    assert match is not None
    code = match["code"]
    stream.lines.append(Line(f"{code} {clean_text(match['rest'])}".strip(), entry.location))
    outline = Outline(stream, code, path)
    for item in items:
        token = item.token
        if item.kind == "outside":
            text = clean_text(token.body)
            if item.note is not None:
                text = f"{item.note.marker.printed}: {item.note.text}".lstrip(": ")
            stream.unplaced.append(Unplaced(token.location, text, item.reason))
        elif item.kind == "text":
            stream.lines.append(Line(clean_text(token.body), token.location))
        elif item.kind == "note" and item.note is not None:
            _feed_note(stream, item.note, code, outline.stack)
        elif item.kind == "point":
            outline.place(token)


def _feed_note(stream: Stream, block: NoteBlock, code: str, stack: list[_Node]) -> None:
    # Attach to the deepest open point left of the marker (see the module doc).
    attached = [n for n in stack if n.indent < block.indent]
    target = attached[-1].code if attached else code
    depth = target.count(".") + 1
    stream.note_attach[block.location] = (target, depth, block.marker.printed)
    if not block.marker.printed:
        stream.unmarked_notes += 1
    stream.lines.append(Line(f"{block.marker.kind}: {block.text}".strip(), block.location,
                             indent=float(block.indent), note=True))


def annex_i_stream(region: list[SourceLine], path: Path) -> Stream:
    """Turn the Annex I lines into the segmenter's input (see the module doc)."""
    tokens = list(tokenize(region))
    stream = Stream()
    entries = [i for i, t in enumerate(tokens) if t.kind == "entry"]
    if not entries:
        raise LoaderError(path, "Annex I", "no entry heading (e.g. '1A001...'): not Annex I")
    for token in tokens[: entries[0]]:
        stream.unplaced.append(Unplaced(token.location, clean_text(token.body),
                                        "before the first entry"))
    for n, start in enumerate(entries):
        end = entries[n + 1] if n + 1 < len(entries) else len(tokens)
        body = tokens[start + 1:end]
        heading = next((i for i, t in enumerate(body) if t.kind == "heading"), len(body))
        code_match = STYLE.entry_heading.match(tokens[start].body)
        assert code_match is not None
        code = code_match["code"]
        next_code = None
        if heading == len(body) and n + 1 < len(entries):
            next_match = STYLE.entry_heading.match(tokens[entries[n + 1]].body)
            next_code = next_match["code"] if next_match else None
        items = entry_items(body[:heading], code)
        group_prefaces(items, code, next_code)
        feed_entry(stream, tokens[start], items, path)
        titles = [CATEGORY_TITLE.search(clean_text(t.body)) for t in body[heading:]
                  if t.kind == "heading"]
        category = next((m["n"] for m in titles if m), "")
        preface = f"category {category} preface" if category else "preface under a heading"
        for token in body[heading:]:
            stream.unplaced.append(Unplaced(token.location, clean_text(token.body), preface))
    return stream


# -- Annex I: segment and restore the printed codes --------------------------------------------


def restore_codes(rows: list[ListRow], stream: Stream, path: Path) -> list[ListRow]:
    """Check every point landed where its indentation puts it; put the printed codes back and
    attach notes by indentation."""
    placed: dict[str, list[str]] = {}
    for row in rows:
        if row.kind == "paragraph":
            placed.setdefault(row.location, []).append(row.canonical)
    for location, fed, printed in stream.points:
        if fed not in placed.get(location, []):
            got = ", ".join(placed.get(location, [])) or "no paragraph"
            raise LoaderError(path, location, f"point {printed} was placed as {got}: the "
                              "indentation and the label sequence disagree")
    for row in rows:
        if row.kind == "paragraph":
            printed = stream.printed_code[row.canonical]
            row.parent = stream.printed_code.get(row.parent, row.parent)
            row.canonical = row.code = printed
        elif row.kind != "entry" and row.location in stream.note_attach:
            target, depth, marker = stream.note_attach[row.location]
            row.canonical = row.parent = row.code = target
            row.depth = depth
            if marker:
                row.details = {"marker": marker}
        elif row.kind != "entry":  # a plain "Note: ..." line the segmenter took as a note
            row.canonical = row.parent = row.code = stream.printed_code.get(row.canonical,
                                                                             row.canonical)
    return rows


def parse_annex_i(path: Path, raw: RawDocument, check_counts: bool = True) -> ParsedList:
    region = annex_region(raw.lines, "I", path)
    stream = annex_i_stream(region, path)
    seg = segment(stream.lines, STYLE)
    rows = restore_codes(seg.rows, stream, path)
    unplaced = [*stream.unplaced, *seg.unplaced]
    reasons: dict[str, int] = {}
    for item in unplaced:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    notes = [f"unplaced lines: {count} x {reason}" for reason, count in sorted(reasons.items())]
    if stream.gaps:
        notes.append(f"{len(stream.gaps)} point(s) continue a numbering with gaps, kept as "
                     f"printed: {', '.join(stream.gaps)}")
    if stream.regrouped:
        notes.append("point(s) printed at another point's indentation, placed by label: "
                     f"{', '.join(stream.regrouped)}")
    if stream.undotted:
        notes.append(f"point label(s) printed without a dot: {', '.join(stream.undotted)}")
    if stream.unmarked_notes:
        notes.append(f"{stream.unmarked_notes} note(s) printed in italics without a marker "
                     "(kept as notes)")
    info = SourceInfo(META.source_id, META.jurisdiction, META.list_name, raw.version,
                      META.citation, consolidated_url(raw.version))
    return finish(path, META, info, rows, count_headings(region, path), unplaced, notes,
                  check_counts=check_counts)


def consolidated_url(version: str) -> str:
    return f"{META.url}-{version.replace('-', '')}"


# -- Annex IV -----------------------------------------------------------------------------------


def parse_annex_iv(path: Path, raw: RawDocument, check_counts: bool = True) -> ParsedList:
    """One entry-kind row per table row (see the module doc)."""
    region = annex_region(raw.lines, "IV", path)
    part = ""
    rows: dict[str, ListRow] = {}
    seen: dict[str, str] = {}
    unplaced: list[Unplaced] = []
    for line in region:
        body = line.text.strip()
        if not body or TABLE_RULE.match(body):
            continue
        if HEADING.match(body):
            title = clean_text(body.lstrip("#"))
            numbered = PART_TITLE.match(title)
            if numbered:
                part = numbered["n"].upper()
            continue
        cells = TABLE_ROW.match(body) if body.startswith("|") else None
        canonical = canonical_code(clean_text(cells["code"])) if cells else None
        if cells is None or canonical is None or not re.match(ENTRY_CODE, canonical):
            unplaced.append(Unplaced(line.location, clean_text(body),
                                     "Annex IV text outside the item tables"))
            continue
        printed, text = clean_text(cells["code"]), clean_text(cells["text"])
        emphasis = [clean_text(m["text"]) for m in EMPHASIS.finditer(cells["text"])]
        seen.setdefault(canonical, line.location)
        row = rows.get(canonical)
        if row is None:
            rows[canonical] = ListRow(
                code=printed, canonical=canonical, parent="", depth=0, kind="entry", text=text,
                location=line.location, entry=entry_code(canonical),
                details={"part": [part], "emphasis": emphasis},
            )
        else:  # listed in both parts: one row, the text of each part marked
            parts: list[str] = row.details["part"]
            if len(parts) == 1:
                row.text = f"(Part {parts[0]}) {row.text}"
            row.text = f"{row.text} (Part {part}) {text}"
            parts.append(part)
            row.details["emphasis"] = [*row.details["emphasis"], *emphasis]
            row.details.setdefault("also_at", []).append(line.location)
    if check_counts:
        low, high = ANNEX_IV_EXPECTED
        if not low <= len(rows) <= high:
            raise ShapeError(path, "Annex IV", f"{len(rows)} items, expected {low}-{high}: "
                             "has the format changed?")
    info = SourceInfo(ANNEX_IV_ID, META.jurisdiction, ANNEX_IV_NAME, raw.version,
                      ANNEX_IV_CITATION, consolidated_url(raw.version))
    notes = [
        "Annex IV codes name Annex I items at any depth; each is an entry-kind row (depth 0) "
        "whose canonical code is the Annex I code and whose `entry` is its entry",
        f"{len(unplaced)} line(s) of Annex IV outside the tables reported (the Category 0 "
        "rule with its exceptions and the MTCR exemption are not expanded into rows)",
    ]
    return finish(path, META, info, list(rows.values()), count_annex_iv(region), unplaced,
                  notes, check_counts=False)


def count_annex_iv(region: Iterable[SourceLine]) -> dict[str, str]:
    """Codes in the first cell of the Annex IV tables (code -> first location)."""
    seen: dict[str, str] = {}
    for line in region:
        match = re.match(r"^\|\s*\**(\d[A-E]\d{3}(?:\.?[a-z0-9]{1,2})*)\.?\**\s*\|",
                         line.text.strip())
        if match:
            code = canonical_code(match.group(1))
            if code:
                seen.setdefault(code, line.location)
    return seen


# -- entry points -------------------------------------------------------------------------------


def extract_lines(path: Path) -> RawDocument:
    """The format layer: HTML (.html/.htm/.xhtml) or the derived markdown (.md)."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return read_html(path)
    if suffix in (".md", ".markdown"):
        return read_markdown(path)
    raise LoaderError(path, "file name",
                      f"suffix {suffix!r}: expected EUR-Lex HTML (.html) or the derived .md")


def parse_file(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Annex I and Annex IV of one file; `check_counts=False` for small hand-made fixtures."""
    raw = extract_lines(path)
    return [parse_annex_i(path, raw, check_counts), parse_annex_iv(path, raw, check_counts)]


def parse(path: Path) -> list[ParsedList]:
    """Read one raw file: the EUR-Lex consolidated HTML or the derived markdown."""
    return parse_file(path)
