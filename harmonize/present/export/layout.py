"""How each column looks and prints: width, kind (wrapped text, count, ratio, date, link,
status), row heights that fit wrapped text, and page set-up (paper, orientation, fit to width
with text no smaller than 8 pt, repeated header rows, header and footer).

Widths are in Excel's character units (the default font's digit width). LibreOffice draws
them about a fifth wider where Arial is missing (DejaVu Sans), so page fitting counts the
wider of the two. Row heights come from wrapping the text at word boundaries, so wrapped text
never runs into the next row on either program.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

FONT = "Arial"
FONT_SIZE = 10
MIN_PRINTED_PT = 8.0
# The smallest print scale, in percent: text printed at FONT_SIZE x scale >= MIN_PRINTED_PT
# with a margin. Scales are set, not left to "fit to page": LibreOffice's fit-to-width shrinks
# further to round the page count (measured: 79 % where 82 % fitted, with a page header).
MIN_SCALE_PERCENT = 82
MIN_SCALE = (MIN_SCALE_PERCENT + 0.5) / 100  # widths are fitted with half a percent to spare
MARGIN_IN = 0.3  # left and right
MARGIN_TOP_IN, MARGIN_BOTTOM_IN, HEADER_IN = 0.5, 0.5, 0.2
DEFAULT_ROW_PT = 13.5  # one line of 10 pt text
PAPERS = {"a4": (9, 595.0, 842.0), "letter": (1, 612.0, 792.0)}  # code, width, height (pt)
LINE_PT = 11.8  # one line of 10 pt text: 11.7 pt in LibreOffice (DejaVu Sans), 11.5 in Arial
ROW_PAD_PT = 3.0
MAX_ROW_PT = 409.0  # Excel's highest row
MIN_WRAP_WIDTH = 18.0


@dataclass(frozen=True)
class Col:
    width: float
    kind: str = "text"  # text, wrap, int, ratio, date, datetime, link, status


_BY_NAME: dict[str, Col] = {
    "code": Col(13), "list": Col(10.5), "jurisdiction": Col(12), "status": Col(11, "status"),
    "origin": Col(11), "kind": Col(9), "lens": Col(22, "wrap"), "lens name": Col(34, "wrap"),
    "lenses": Col(24, "wrap"), "Wassenaar mark": Col(14, "wrap"),
    "reasons for control": Col(24, "wrap"), "item heading": Col(19, "wrap"),
    "text": Col(40, "wrap"), "reference wording": Col(40, "wrap"), "reference list": Col(10),
    "parameters": Col(16, "wrap"), "list version": Col(11, "date"), "mapped from": Col(12),
    "citation": Col(34, "wrap"), "place in the file read": Col(16), "link": Col(30, "link"),
    "list name": Col(24, "wrap"), "role": Col(12, "wrap"), "version": Col(11, "date"),
    "copy": Col(26, "wrap"), "caveats": Col(44, "wrap"), "where to read it": Col(26, "wrap"),
    "publisher": Col(24, "wrap"), "licence": Col(20, "wrap"), "file read": Col(18),
    "sha256": Col(18), "imported at": Col(17, "datetime"), "term": Col(18, "wrap"),
    "meaning": Col(80, "wrap"), "sheet": Col(12, "wrap"), "column or value": Col(24, "wrap"),
    "total": Col(8, "int"), "comparable": Col(11, "int"), "same": Col(8, "int"),
    "share same": Col(10, "ratio"), "identical": Col(9, "int"), "editorial": Col(9, "int"),
    "substantive": Col(11, "int"), "absent": Col(8, "int"), "national": Col(9, "int"),
    "not detailed": Col(9, "int"), "list a": Col(12), "list b": Col(12),
    "agreement": Col(11, "ratio"), "agree": Col(8, "int"), "both hold": Col(8, "int"),
    "considered": Col(10, "int"), "id": Col(22, "wrap"), "title": Col(30, "wrap"),
    "instrument": Col(20, "wrap"), "type": Col(12, "wrap"), "date_published": Col(11, "date"),
    "date_effective": Col(11, "date"), "date_rescinded": Col(11, "date"),
    "codes": Col(16, "wrap"), "url": Col(30, "link"), "verified": Col(8),
    "verified_against": Col(40, "wrap"), "summary": Col(44, "wrap"), "notes": Col(30, "wrap"),
    "code in that list": Col(12), "same control as": Col(12), "why": Col(60, "wrap"),
    "reviewed": Col(24, "wrap"), "previous version": Col(11, "date"),
    "version compared": Col(11, "date"), "change": Col(10), "difference": Col(70, "wrap"),
    "cell": Col(8), "part": Col(6, "int"), "item": Col(24, "wrap"), "value": Col(62, "wrap"),
    "filter": Col(24, "wrap"),
    # Notes (and the note columns of Gaps, Summary and Agreement)
    "note differences": Col(30, "wrap"), "same, notes differ": Col(10, "int"),
    "agree, notes differ": Col(10, "int"), "note": Col(11, "wrap"),
    "note status": Col(11, "wrap"), "reason": Col(16, "wrap"), "note text": Col(40, "wrap"),
    "reference note text": Col(40, "wrap"), "reference version": Col(11, "date"),
    "reference citation": Col(34, "wrap"),
    # Parties (harmonize.present.parties_view) and the party lists read
    "party": Col(26, "wrap"), "country": Col(9, "wrap"), "listed_by": Col(9),
    "us_lists": Col(34, "wrap"), "eu_lists": Col(34, "wrap"), "first_us": Col(11, "date"),
    "first_eu": Col(11, "date"), "aliases": Col(30, "wrap"), "matched_by": Col(40, "wrap"),
    "party_id": Col(24), "source": Col(22), "format": Col(20, "wrap"),
    "files read": Col(8, "int"), "records": Col(8, "int"),
}
# Columns named by a list id hold a status (Matrix), a text (Texts) or a ratio (Agreement).
LIST_COLUMN = {"Matrix": Col(11, "status"), "Texts": Col(40, "wrap"),
               "Agreement": Col(11, "ratio")}
# Where a sheet needs another width than the column's usual one.
BY_SHEET = {("Summary", "lens"): Col(30, "wrap"), ("Gaps", "notes"): Col(8)}


def column_specs(frame: pd.DataFrame, sheet: str, list_ids: set[str]) -> list[Col]:
    specs = []
    for name in map(str, frame.columns):
        if (sheet, name) in BY_SHEET:
            specs.append(BY_SHEET[(sheet, name)])
        elif name in list_ids and sheet in LIST_COLUMN:
            specs.append(LIST_COLUMN[sheet])
        elif name in _BY_NAME:
            specs.append(_BY_NAME[name])
        else:
            specs.append(_guess(frame[name], name))
    return specs


def _guess(values: pd.Series, name: str) -> Col:
    """A column nobody described (the dashboard's one-table downloads): by its content."""
    if pd.api.types.is_bool_dtype(values):
        return Col(max(8, len(name) + 2))
    if pd.api.types.is_integer_dtype(values):
        return Col(max(8, len(name) + 2), "int")
    if pd.api.types.is_float_dtype(values):
        return Col(max(9, len(name) + 2), "number")
    lengths = values.astype(str).str.len() if len(values) else pd.Series([0])
    longest = float(lengths.quantile(0.9)) if len(lengths) else 0.0
    if longest > 40:
        return Col(40, "wrap")
    return Col(min(30.0, max(8.0, longest + 2, len(name) + 2)))


def px(width: float) -> float:
    """Pixels of a column `width` characters wide in Excel (a 7 px digit)."""
    return math.floor(width * 7 + 5)


def printed_pt(width: float) -> float:
    """Points a column `width` characters wide takes on paper at 100 %, the wider of Excel
    (Arial: 7 px a character) and LibreOffice without Arial (DejaVu Sans: 6.35 pt)."""
    return max(px(width) * 0.75, (width + 0.71) * 6.35)


def printable_pt(paper: str, landscape: bool) -> float:
    _, width, height = PAPERS[paper]
    return (height if landscape else width) - 2 * MARGIN_IN * 72


def fit_widths(specs: list[Col], printed: int, paper: str, landscape: bool,
               fill: bool = False) -> list[Col]:
    """Narrow the wrapped columns among the first `printed` until the printed part fits the
    paper's width at MIN_SCALE or more (wider columns give up more). With `fill` (a table
    of several pages), widen them instead until it fills that width: wrapped text takes
    fewer lines, and the sheet fewer pages."""
    budget = printable_pt(paper, landscape) / MIN_SCALE
    widths = [c.width for c in specs]
    wrapped = [i for i in range(min(printed, len(specs))) if specs[i].kind == "wrap"]
    total = sum(printed_pt(w) for w in widths[:printed])
    if fill and wrapped and total < budget:
        grow = (budget - total) / 6.35 - 0.5
        share = sum(widths[i] for i in wrapped)
        for i in wrapped:
            widths[i] += math.floor(grow * widths[i] / share * 10) / 10
    for _ in range(50):
        total = sum(printed_pt(w) for w in widths[:printed])
        if total <= budget:
            break
        narrowable = [i for i in wrapped if widths[i] > MIN_WRAP_WIDTH]
        if not narrowable:
            break
        excess = (total - budget) / 6.35 + 0.2
        share = sum(widths[i] for i in narrowable)
        for i in narrowable:
            cut = math.ceil(excess * widths[i] / share * 10) / 10
            widths[i] = max(MIN_WRAP_WIDTH, round(widths[i] - cut, 1))
    return [Col(w, c.kind) for w, c in zip(widths, specs, strict=True)]


def fits(specs: list[Col], printed: int, paper: str, landscape: bool) -> bool:
    return print_scale(specs, printed, paper, landscape) >= MIN_SCALE_PERCENT


def print_scale(specs: list[Col], printed: int, paper: str, landscape: bool) -> int:
    """The largest scale (percent, at most 100) at which the first `printed` columns fit the
    paper's width, counting the wider of Excel's and LibreOffice's columns."""
    total = sum(printed_pt(c.width) for c in specs[:printed]) or 1.0
    return min(100, math.floor(100 * printable_pt(paper, landscape) / total))


def chars_per_line(width: float) -> int:
    """Characters of 10 pt text one line of a `width` column holds: 1.18 a character unit
    in Excel with Arial (4.4 pt an average character of the lists' texts) and 1.25 in
    LibreOffice with DejaVu Sans (5.1 pt), less a reserve for lines of wide letters."""
    return max(3, int(width * 1.1))


def text_lines(text: str, per_line: int) -> int:
    """Lines `text` takes when wrapped at word boundaries into `per_line` characters."""
    if not text:
        return 1
    total = 0
    for part in text.split("\n"):
        size = len(part)
        if size <= per_line:
            total += 1
        elif size > 6 * per_line:  # long: the average loss to word wrapping, ~8 %
            total += -(-size * 100 // (per_line * 92))
        else:
            total += _wrapped(part, per_line)
    return total


def _wrapped(text: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in text.split(" "):
        size = len(word)
        if used and used + 1 + size <= per_line:
            used += 1 + size
            continue
        if used:
            lines += 1
        extra = max(0, size - 1) // per_line  # a word longer than a line breaks inside
        lines += extra
        used = size - extra * per_line
    return lines


def row_height(lines: int) -> float:
    if lines <= 1:
        return DEFAULT_ROW_PT
    return min(MAX_ROW_PT, lines * LINE_PT + ROW_PAD_PT)


def escape_header(text: str, limit: int = 110) -> str:
    """Text for a page header or footer: '&' doubled (it starts a code), kept short."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("&", "&&")
