"""The comparison workbook (xlsx), written with XlsxWriter (openpyxl reads it back in tests).

XlsxWriter was chosen by measurement (benchmarks/bench.py, export section): it writes the same
cells faster than openpyxl's write-only mode, and it sets everything the workbook needs
(exact table ranges, page set-up, print areas, header and footer, document properties).

Sheets: Cover, About, Dictionary, Summary, Agreement, Matrix, Gaps, Notes, Texts, Measures,
Crosswalk, Changes (when an earlier version is kept), Parties (when party lists are given),
Long texts (when a cell was cut). Each
table's range covers exactly its header and its rows; an empty table is a header and a note,
not a table. Every string is written as a string (never a formula); formula-like text also gets
Excel's quote prefix.
"""

from __future__ import annotations

import io
import numbers
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from harmonize.present.export import layout
from harmonize.present.export.cells import LongTexts, clean_text, is_formula_like
from harmonize.present.export.dictionary import (
    CLASSIFICATION,
    DISCLAIMER,
    SHEETS,
    STATUS_FILLS,
)
from harmonize.present.export.frames import MATRIX_FIXED, title_of
from harmonize.present.export.layout import Col
from harmonize.present.export.notes import NOTES_ON_PAPER
from harmonize.present.export.scope import TOOL, ExportScope

HEADER_FILL = "#1F4E79"
LINK_LIMIT = 65_000  # Excel stores at most 65,530 links per sheet; the rest stay text
TABLE_STYLE = "Table Style Light 9"
LONG_TABLE = 40  # rows: a table that takes several pages fills the paper's width
PARTIES_ON_PAPER = "first_eu"  # the Parties table prints up to this column
SAME = "(same as above)"
TEXTS_NOTE = (
    "For reading on screen: every code's text in each list chosen, side by side ({codes} codes "
    "x {lists} lists), beside the reference wording. Not set for printing: on paper, the "
    "Matrix gives every code's status in each list and the Gaps sheet every text that "
    "diverges, beside the reference wording. To print this sheet, clear its print area "
    "(Excel: Page Layout > Print Area > Clear Print Area).")
SAME_AS_REFERENCE = "(same as the reference wording)"


class _Formats:
    """The workbook's cell formats, made once (XlsxWriter shares them between cells)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": layout.FONT, "font_size": layout.FONT_SIZE, "valign": "top",
                "border": 1, "border_color": "#C8C8C8"}
        self.by_kind: dict[str, Format] = {
            "text": wb.add_format(base),
            "wrap": wb.add_format({**base, "text_wrap": True}),
            "int": wb.add_format({**base, "num_format": "#,##0"}),
            "number": wb.add_format({**base, "num_format": "0.####"}),
            "ratio": wb.add_format({**base, "num_format": "0.0%"}),
            "date": wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
            "datetime": wb.add_format({**base, "num_format": 'yyyy-mm-dd hh:mm "UTC"',
                                       "align": "left"}),
            "link": wb.add_format({**base, "font_color": "#0563C1", "underline": 1}),
            "status": wb.add_format(base),
        }
        self.quoted = {kind: wb.add_format({**base, "quote_prefix": True,
                                            **({"text_wrap": True} if kind == "wrap" else {})})
                       for kind in ("text", "wrap")}
        # A text equal to the cell above shows these words; the cell keeps its full text.
        self.same = wb.add_format({**base, "text_wrap": True, "italic": True,
                                   "font_color": "#595959", "num_format": f';;;"{SAME}"'})
        self.same_as_reference = wb.add_format({
            **base, "text_wrap": True, "italic": True, "font_color": "#595959",
            "num_format": f';;;"{SAME_AS_REFERENCE}"'})
        self.status = {s: wb.add_format({**base, "bg_color": "#" + fill})
                       for s, fill in STATUS_FILLS.items()}
        self.header = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                     "bg_color": HEADER_FILL, "text_wrap": True,
                                     "valign": "vcenter"})
        self.title = wb.add_format({"font_name": layout.FONT, "font_size": 16, "bold": True,
                                    "text_wrap": True, "valign": "top"})
        self.heading = wb.add_format({"font_name": layout.FONT, "font_size": 12, "bold": True})
        self.label = wb.add_format({"font_name": layout.FONT, "font_size": layout.FONT_SIZE,
                                    "bold": True, "text_wrap": True, "valign": "top"})
        self.prose = wb.add_format({"font_name": layout.FONT, "font_size": layout.FONT_SIZE,
                                    "text_wrap": True, "valign": "top"})
        self.blank_line = wb.add_format({"font_name": layout.FONT,
                                         "font_size": layout.FONT_SIZE, "bottom": 1})
        self.link_wrap = wb.add_format({**base, "font_color": "#0563C1", "underline": 1,
                                        "text_wrap": True})
        self.note = wb.add_format({"font_name": layout.FONT, "font_size": layout.FONT_SIZE,
                                   "italic": True})
        self.note_box = wb.add_format({"font_name": layout.FONT, "font_size": layout.FONT_SIZE,
                                       "italic": True, "text_wrap": True, "valign": "top",
                                       "bg_color": "#FFF6C2", "border": 1})


class _Book:
    def __init__(self, target: str | Path | IO[bytes], title: str, made: str,
                 paper: str, list_ids: Iterable[str]) -> None:
        if paper not in layout.PAPERS:
            raise ValueError(f"paper {paper!r}: choose one of {', '.join(layout.PAPERS)}")
        destination: Any = str(target) if isinstance(target, str | Path) else target
        self.wb = xlsxwriter.Workbook(destination, {
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "in_memory": True,
            "default_format_properties": {"font_name": layout.FONT,
                                          "font_size": layout.FONT_SIZE}})
        self.wb.set_properties({
            "title": title, "subject": "Comparison of export control lists",
            "author": TOOL, "manager": "", "company": "", "category": "export controls",
            "keywords": "export controls, dual-use, comparison",
            "comments": f"Made by {TOOL} on {made}. See the Cover and About sheets.",
            "created": _when(made) or datetime.now(),
        })
        self.fmt = _Formats(self.wb)
        self.title, self.made, self.paper = title, made, paper
        self.list_ids = set(list_ids)
        self.long = LongTexts()
        self.names: set[str] = set()

    # -- sheets ---------------------------------------------------------------------------------

    def sheet(self, name: str, landscape: bool = True) -> Worksheet:
        ws = self.wb.add_worksheet(name)
        paper_code = layout.PAPERS[self.paper][0]
        ws.set_paper(paper_code)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=layout.MARGIN_IN, right=layout.MARGIN_IN,
                       top=layout.MARGIN_TOP_IN, bottom=layout.MARGIN_BOTTOM_IN)
        ws.set_default_row(layout.DEFAULT_ROW_PT)
        # Header and footer at 10 pt like the cells: 8 pt or more at the smallest scale, in
        # LibreOffice too (which scales them with the sheet whatever the file says).
        ws.set_header(f"&L&10{layout.escape_header(self.title)}"
                      f"&R&10Made {layout.escape_header(self.made[:10])}",
                      {"margin": layout.HEADER_IN, "scale_with_doc": False})
        ws.set_footer("&L&10&A&C&10" + layout.escape_header(TOOL) + "&R&10Page &P of &N",
                      {"margin": layout.HEADER_IN, "scale_with_doc": False})
        ws.hide_gridlines(0)  # on screen only; print relies on the cell borders
        return ws

    def specs(self, frame: pd.DataFrame, sheet: str) -> list[Col]:
        return layout.column_specs(frame, sheet, self.list_ids)

    def set_columns(self, ws: Worksheet, specs: Sequence[Col]) -> None:
        for index, spec in enumerate(specs):
            ws.set_column(index, index, spec.width, self.fmt.by_kind.get(spec.kind))

    def page_fit(self, ws: Worksheet, specs: list[Col], printed: int, landscape: bool) -> None:
        """Print at the scale that fits the printed columns to the paper's width, when the
        text stays at 8 pt or more; else at the smallest such scale, the columns going on
        over further pages (the first column repeated)."""
        scale = layout.print_scale(specs, printed, self.paper, landscape)
        if scale < layout.MIN_SCALE_PERCENT:
            scale = layout.MIN_SCALE_PERCENT
            ws.repeat_columns(0)
        ws.set_print_scale(scale)

    def table(self, ws: Worksheet, frame: pd.DataFrame, first_row: int, name: str,
              specs: Sequence[Col], empty_note: str = "none in this scope",
              brief_repeats: Sequence[str] = (), label_links: dict[str, str] | None = None,
              brief_beside: str | None = None) -> int:
        """Header and rows from `first_row`, as an Excel table whose range covers exactly the
        header and the rows (an empty frame: header and a note, no table). Returns the last
        row written. A cell of a `brief_repeats` column equal to the one above shows
        "(same as above)" (a number format: the cell keeps its full text) and takes no
        height; so does a cell of a later column equal to the `brief_beside` column's in its
        row ("(same as the reference wording)"). `label_links` makes a column's cells links to
        the addresses of another."""
        fmt = self.fmt
        headers = [clean_text(str(c)) for c in frame.columns]
        per_line = [layout.chars_per_line(s.width) for s in specs]
        ws.set_row(first_row, layout.row_height(max(
            layout.text_lines(h, p) for h, p in zip(headers, per_line, strict=True))))
        if frame.empty:
            for col, header in enumerate(headers):
                ws.write_string(first_row, col, header, fmt.header)
            ws.write_string(first_row + 1, 0, f"({empty_note})", fmt.note)
            return first_row + 1
        # Column by column: each column's kind is resolved once (the rows' heights add up).
        lines = [1] * len(frame)
        links = 0
        columns = [str(c) for c in frame.columns]
        beside_at = columns.index(brief_beside) if brief_beside in columns else len(columns)
        beside = frame[brief_beside].tolist() if brief_beside in columns else None
        for col, column in enumerate(frame.columns):
            links += self.column(ws, frame[column].tolist(), first_row + 1, col, specs[col],
                                 str(column) in brief_repeats, lines, LINK_LIMIT - links,
                                 beside if col > beside_at else None)
        # Every row's height is set: LibreOffice would otherwise work out its own from the
        # cell's full text (also where a cell reads "(same as above)").
        for row, count in enumerate(lines, start=first_row + 1):
            ws.set_row(row, layout.row_height(count))
        for label, target in (label_links or {}).items():
            if label in columns and target in columns:
                col = columns.index(label)
                for row, (text, url) in enumerate(zip(frame[label].tolist(),
                                                      frame[target].tolist(), strict=True),
                                                  start=first_row + 1):
                    if isinstance(url, str) and url.startswith("https://") and text:
                        ws.write_url(row, col, url, self.fmt.link_wrap,
                                     string=clean_text(str(text)))
        last = first_row + len(frame)
        ws.add_table(first_row, 0, last, len(headers) - 1, {
            "name": self.table_name(name), "style": TABLE_STYLE, "autofilter": True,
            "columns": [{"header": h or f"Column{i + 1}", "header_format": fmt.header}
                        for i, h in enumerate(headers)]})
        return last

    def column(self, ws: Worksheet, values: list[Any], first: int, col: int, spec: Col,
               brief: bool, lines: list[int], links_left: int,
               beside: list[Any] | None = None) -> int:
        """One column's cells from row `first`; wrapped text raises `lines` (per row); a text
        equal to the one above (`brief`) or to `beside` in its row reads briefly. Returns the
        number of links written."""
        fmt = self.fmt
        kind = spec.kind
        plain = fmt.by_kind[kind]
        quoted = fmt.quoted["wrap" if kind == "wrap" else "text"]
        number = fmt.by_kind[kind if kind in ("int", "ratio", "number") else "number"]
        per_line = layout.chars_per_line(spec.width)
        write_string, write_number = ws.write_string, ws.write_number
        sheet, fit, status = ws.get_name(), self.long.fit, fmt.status
        above: Any = None
        links = 0
        for index, value in enumerate(values):
            row = first + index
            if isinstance(value, str):
                if not value:
                    above = None
                    continue
                if kind in ("date", "datetime"):
                    when = _when(value)
                    if when is not None:
                        ws.write_datetime(row, col, when, plain)
                        continue
                text = fit(clean_text(value), sheet, row, col)
                if kind == "link" and text.startswith("https://") and links < links_left:
                    ws.write_url(row, col, text, plain, string=text)
                    links += 1
                    continue
                # Formula-like text keeps its quote prefix (written in full below).
                brief_ok = not is_formula_like(text)
                if brief and brief_ok and text == above:
                    write_string(row, col, text, fmt.same)
                    continue
                if beside is not None and brief_ok and value == beside[index]:
                    write_string(row, col, text, fmt.same_as_reference)
                    continue
                if kind == "wrap":
                    count = layout.text_lines(text, per_line)
                    if count > lines[index]:
                        lines[index] = count
                above = text
                if is_formula_like(text):
                    write_string(row, col, text, quoted)
                elif kind == "status":
                    write_string(row, col, text, status.get(text, plain))
                else:
                    write_string(row, col, text, plain)
            elif value is None or (isinstance(value, float) and value != value):
                above = None
            elif isinstance(value, bool | np.bool_):
                ws.write_boolean(row, col, bool(value), fmt.by_kind["text"])
            elif isinstance(value, numbers.Real):
                write_number(row, col, value, number)
            else:
                write_string(row, col, clean_text(str(value)), fmt.by_kind["text"])
        return links

    def table_name(self, name: str) -> str:
        base = re.sub(r"\W", "_", name)
        base = base if re.match(r"[A-Za-z_]", base) else f"T_{base}"
        candidate, n = base[:250], 2
        while candidate.lower() in self.names or re.fullmatch(r"(?i)[a-z]{1,3}\d+|r\d*c\d*",
                                                              candidate):
            candidate, n = f"{base[:245]}_{n}", n + 1
        self.names.add(candidate.lower())
        return candidate

    def data_sheet(self, name: str, frame: pd.DataFrame, *, landscape: bool = True,
                   printed_until: str | None = None, freeze_cols: int = 1,
                   print_area: bool = False, empty_note: str = "none in this scope",
                   brief_repeats: Sequence[str] = (), brief_beside: str | None = None,
                   screen_only: str = "") -> None:
        """One table on its own sheet: header repeated on every printed page, panes frozen
        under it, columns up to `printed_until` on paper (all when None); `brief_repeats` and
        `brief_beside` as in `table`. A `screen_only` sheet opens with that note, which is all
        it prints (its print area)."""
        ws = self.sheet(name, landscape)
        columns = [str(c) for c in frame.columns]
        printed = columns.index(printed_until) + 1 if printed_until in columns else len(columns)
        specs = layout.fit_widths(self.specs(frame, name), printed, self.paper, landscape,
                                  fill=len(frame) > LONG_TABLE)
        # Columns off the paper (for filtering and citing) stay on one line: they do not
        # make rows taller.
        specs = [Col(c.width, "text" if i >= printed and c.kind == "wrap" else c.kind)
                 for i, c in enumerate(specs)]
        self.set_columns(ws, specs)
        top = 0
        if screen_only:
            span = sum(s.width for s in specs[:printed])
            ws.set_row(0, layout.row_height(layout.text_lines(
                screen_only, layout.chars_per_line(span))))
            ws.merge_range(0, 0, 0, max(printed - 1, 1), screen_only, self.fmt.note_box)
            top = 1
        last = self.table(ws, frame, top, name, specs, empty_note, brief_repeats,
                          brief_beside=brief_beside)
        ws.freeze_panes(top + 1, min(freeze_cols, len(columns)))
        ws.repeat_rows(top)
        self.page_fit(ws, specs, printed, landscape)
        if screen_only:
            ws.print_area(0, 0, 0, max(printed - 1, 1))
        elif print_area or printed < len(columns):
            ws.print_area(0, 0, last, printed - 1)

    def close(self) -> None:
        if self.long.rows:
            frame = pd.DataFrame(self.long.rows, columns=["sheet", "cell", "part", "text"])
            self.long = LongTexts()  # the full texts themselves are never cut again
            self.data_sheet("Long texts", frame, freeze_cols=0)
        self.wb.close()


def _when(value: str) -> datetime | None:
    """An ISO date or UTC timestamp as a datetime (Excel stores dates as numbers)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        if "T" in text:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None
    return None


# -- the comparison workbook ------------------------------------------------------------------


def write_xlsx(frames: dict[str, pd.DataFrame], scope: ExportScope,
               target: str | Path | IO[bytes], paper: str = "a4") -> None:
    """Write the comparison workbook of `comparison_frames` (paper: "a4" or "letter")."""
    list_ids = _list_ids(frames)
    book = _Book(target, title_of(frames), scope.generated_at, paper, list_ids)
    present = _sheets_present(frames)
    _cover(book, frames.get("Scope"), present)
    _about(book, frames["Sources"], frames.get("Terms"), _scope_item(frames, "Lens"))
    book.data_sheet("Dictionary", frames["Dictionary"], landscape=False, freeze_cols=0)
    book.data_sheet("Summary", frames["Summary"], printed_until="share same", print_area=True)
    _summary_scale(book, frames["Summary"])
    _agreement(book, frames["Agreement"], frames.get("Pairs"))
    book.data_sheet("Matrix", frames["Matrix"], printed_until=_last_list(frames["Matrix"]),
                    print_area=True)
    book.data_sheet("Gaps", frames["Gaps"], printed_until="notes",
                    empty_note="no divergence in this scope",
                    brief_repeats=("item heading", "text", "reference wording"))
    if "Notes" in frames:
        book.data_sheet("Notes", frames["Notes"], printed_until=NOTES_ON_PAPER,
                        empty_note="no note differs from the reference text's in this scope",
                        brief_repeats=("note text", NOTES_ON_PAPER))
    # On screen only: on paper the Matrix and Gaps already say what Texts holds, and printing
    # every code's text in each list would double the printout (issue 17: 40 pages at most).
    # A list's text the same as the reference wording reads so, briefly.
    book.data_sheet("Texts", frames["Texts"], printed_until="reference wording",
                    brief_beside="reference wording",
                    screen_only=TEXTS_NOTE.format(codes=len(frames["Texts"]),
                                                  lists=max(len(frames["Texts"].columns) - 3,
                                                            0)))
    if "Measures" in frames:
        book.data_sheet("Measures", frames["Measures"], printed_until="citation",
                        empty_note="no measure of the register in this scope")
    if "Crosswalk" in frames:
        book.data_sheet("Crosswalk", frames["Crosswalk"], freeze_cols=0,
                        empty_note="no reviewed equivalence touches this scope")
    if "Changes" in frames:
        book.data_sheet("Changes", frames["Changes"])
    if "Parties" in frames:
        _parties(book, frames.get("Party lists"), frames["Parties"])
    book.close()


def _last_list(matrix: pd.DataFrame) -> str | None:
    """The Matrix prints up to its last list column (the columns after it are for filters)."""
    square_ids = [str(c) for c in matrix.columns if str(c) not in MATRIX_FIXED]
    return square_ids[-1] if square_ids else None


def _list_ids(frames: dict[str, pd.DataFrame]) -> list[str]:
    square = frames.get("Agreement")
    return [str(c) for c in square.columns[1:]] if square is not None else []


def _sheets_present(frames: dict[str, pd.DataFrame]) -> list[str]:
    always = ["Cover", "About", "Dictionary", "Summary", "Agreement", "Matrix", "Gaps"]
    return (always + [s for s in ("Notes",) if s in frames] + ["Texts"]
            + [s for s in ("Measures", "Crosswalk", "Changes", "Parties") if s in frames])


def _cover(book: _Book, scope: pd.DataFrame | None, present: list[str]) -> None:
    """Title, scope, dates, a marking line to fill in, the disclaimer and the contents."""
    ws = book.sheet("Cover", landscape=False)
    fmt = book.fmt
    widths = (26.0, 62.0)
    ws.set_column(0, 0, widths[0])
    ws.set_column(1, 1, widths[1])
    per_line = [layout.chars_per_line(w) for w in widths]
    row = 0
    ws.set_row(row, 46)
    ws.merge_range(row, 0, row, 1, book.title, fmt.title)
    row += 2

    def line(label: str, text: str, label_fmt: Format, text_fmt: Format) -> None:
        nonlocal row
        text = clean_text(text)
        lines = max(layout.text_lines(label, per_line[0]), layout.text_lines(text, per_line[1]))
        ws.set_row(row, layout.row_height(lines))
        ws.write_string(row, 0, label, label_fmt)
        if text:
            ws.write_string(row, 1, text, text_fmt)
        row += 1

    for item, value in (scope.itertuples(index=False, name=None) if scope is not None else ()):
        if item != "Title":
            line(str(item), str(value), fmt.label, fmt.prose)
    row += 1
    line(CLASSIFICATION, "", fmt.label, fmt.prose)
    ws.set_row(row - 1, max(30.0, layout.row_height(layout.text_lines(CLASSIFICATION,
                                                                      per_line[0]))))
    ws.write_blank(row - 1, 1, None, fmt.blank_line)
    row += 1
    line("Disclaimer", DISCLAIMER, fmt.label, fmt.prose)
    row += 1
    ws.write_string(row, 0, "Contents", fmt.heading)
    row += 1
    for sheet in present:
        line(sheet, SHEETS[sheet], fmt.label, fmt.prose)
    ws.print_area(0, 0, row - 1, 1)
    book.page_fit(ws, [Col(w) for w in widths], 2, False)


def _scope_item(frames: dict[str, pd.DataFrame], item: str) -> str:
    scope = frames.get("Scope")
    found = scope.loc[scope["item"] == item, "value"] if scope is not None else pd.Series()
    return str(found.iloc[0]) if len(found) else ""


def _about(book: _Book, sources: pd.DataFrame, terms: pd.DataFrame | None, lens: str) -> None:
    """The lists in scope (a table) and the terms used (label and text across the columns
    the table prints)."""
    ws = book.sheet("About")
    fmt = book.fmt
    columns = list(map(str, sources.columns))
    printed = columns.index("link") if "link" in columns else len(columns)
    specs = layout.fit_widths(book.specs(sources, "About"), printed, book.paper, True)
    book.set_columns(ws, specs)
    lens = lens.split(", with its sub-lenses")[0]
    ws.write_string(0, 0, "The lists in this export" + (f" (lens: {lens})" if lens else ""),
                    fmt.heading)
    last = book.table(ws, sources, 1, "Sources", specs,
                      label_links={"where to read it": "link"})
    row = last + 2
    if terms is not None and len(terms):
        ws.write_string(row, 0, "Terms used", fmt.heading)
        row += 1
        span = sum(s.width for s in specs[1:printed])
        per_line = (layout.chars_per_line(specs[0].width), layout.chars_per_line(span))
        for term, meaning in terms.itertuples(index=False, name=None):
            lines = max(layout.text_lines(str(term), per_line[0]),
                        layout.text_lines(str(meaning), per_line[1]))
            ws.set_row(row, layout.row_height(lines))
            ws.write_string(row, 0, str(term), fmt.label)
            ws.merge_range(row, 1, row, printed - 1, clean_text(str(meaning)), fmt.prose)
            row += 1
    ws.freeze_panes(2, 1)
    book.page_fit(ws, specs, printed, True)
    ws.print_area(0, 0, row - 1, printed - 1)


def _summary_scale(book: _Book, summary: pd.DataFrame) -> None:
    ws = book.wb.get_worksheet_by_name("Summary")
    if ws is None or "share same" not in summary.columns or summary.empty:
        return
    col = list(summary.columns).index("share same")
    ws.conditional_format(1, col, len(summary), col, {
        "type": "2_color_scale", "min_type": "num", "min_value": 0, "min_color": "#F4D1E1",
        "max_type": "num", "max_value": 1, "max_color": "#CCE5F5"})


def _agreement(book: _Book, square: pd.DataFrame, pairs: pd.DataFrame | None) -> None:
    """The agreement square, then the pairs with the counts behind each figure."""
    ws = book.sheet("Agreement")
    fmt = book.fmt
    specs = book.specs(square, "Agreement")
    pair_specs = book.specs(pairs, "Agreement") if pairs is not None else []
    widths = [max(a.width if a else 0, b.width if b else 0)
              for a, b in _zip_longest(specs, pair_specs)]
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    ws.write_string(0, 0, "Pairwise agreement (over the codes of this export)", fmt.heading)
    last = book.table(ws, square, 1, "Agreement", specs)
    if len(square.columns) > 1 and len(square):
        ws.conditional_format(2, 1, last, len(square.columns) - 1, {
            "type": "2_color_scale", "min_type": "num", "min_value": 0,
            "min_color": "#F4D1E1", "max_type": "num", "max_value": 1,
            "max_color": "#CCE5F5"})
    row = last + 2
    if pairs is not None:
        ws.write_string(row, 0, "The counts behind each figure", fmt.heading)
        row = book.table(ws, pairs, row + 1, "AgreementPairs", pair_specs)
    ws.print_area(0, 0, row, max(len(widths) - 1, 0))
    book.page_fit(ws, [Col(w) for w in widths], len(widths), True)


def _parties(book: _Book, lists: pd.DataFrame | None, parties: pd.DataFrame) -> None:
    """The party lists read (where every listing comes from), then the parties: one row per
    party, its header repeated on every printed page."""
    ws = book.sheet("Parties")
    fmt = book.fmt
    columns = [str(c) for c in parties.columns]
    printed = columns.index(PARTIES_ON_PAPER) + 1 if PARTIES_ON_PAPER in columns else len(
        columns)
    specs = layout.fit_widths(book.specs(parties, "Parties"), printed, book.paper, True,
                              fill=len(parties) > LONG_TABLE)
    specs = [Col(c.width, "text" if i >= printed and c.kind == "wrap" else c.kind)
             for i, c in enumerate(specs)]
    book.set_columns(ws, specs)
    row = 0
    if lists is not None:
        ws.write_string(0, 0, "The party lists read", fmt.heading)
        row = book.table(ws, lists, 1, "PartyLists",
                         [Col(s.width, "text") for s in specs[:len(lists.columns)]]) + 2
    ws.write_string(row, 0, "Parties listed by the US and the EU (both sides first)",
                    fmt.heading)
    last = book.table(ws, parties, row + 1, "Parties", specs, "no party in the lists loaded")
    ws.freeze_panes(row + 2, 1)
    ws.repeat_rows(row + 1)
    book.page_fit(ws, specs, printed, True)
    ws.print_area(0, 0, last, printed - 1)


def _zip_longest(a: Sequence[Col], b: Sequence[Col]) -> list[tuple[Col | None, Col | None]]:
    size = max(len(a), len(b))
    return [(a[i] if i < len(a) else None, b[i] if i < len(b) else None) for i in range(size)]


# -- one table --------------------------------------------------------------------------------


def write_table_xlsx(frame: pd.DataFrame, title: str,
                     filters: Iterable[tuple[str, str]], paper: str = "a4") -> bytes:
    """One table as a one-sheet workbook, the filters that produced it on top (two tables,
    each range exactly its header and rows); cells written as in the comparison workbook."""
    filters_table = pd.DataFrame(list(filters), columns=["filter", "value"])
    made = next((str(v) for k, v in filters_table.itertuples(index=False, name=None)
                 if str(k).startswith("Generated at")), "")
    buffer = io.BytesIO()
    name = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet"
    book = _Book(buffer, title, made or "", paper, [])
    ws = book.sheet(name)
    table = frame.fillna("")
    specs = layout.fit_widths(book.specs(table, name), len(table.columns), paper, True)
    book.set_columns(ws, specs)
    if len(specs) < 2:  # the filters' values need a second column
        ws.set_column(1, 1, 60)
    filter_specs = [Col(specs[0].width if specs else 8.43, "wrap"),
                    Col(specs[1].width if len(specs) > 1 else 60, "wrap")]
    last = book.table(ws, filters_table, 0, "Filters", filter_specs)
    first = last + 2
    last = book.table(ws, table, first, name, specs, empty_note="no rows")
    ws.freeze_panes(first + 1, 0)
    ws.repeat_rows(first)
    book.page_fit(ws, specs, len(specs), True)
    book.close()
    return buffer.getvalue()
