"""Comparison workbooks (xlsx) and CSV files that officials can circulate.

`comparison_frames()` builds the tables from one harmonization run; `write_xlsx()` and
`write_csv()` write them. The CLI and every page's download button call these, so a
spreadsheet always says the same as the screen.

Safety: text starting with `=`, `+`, `-`, `@`, tab or carriage return is written as text, never
as a formula (an explicit string cell with Excel's quote prefix in xlsx; a leading apostrophe in
CSV); characters Excel forbids are removed; a cell over Excel's 32,767 characters is cut with a
visible marker and its full text kept in the "Long texts" sheet.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from harmonize import __version__
from harmonize.compare.analysis import Analysis, gaps, score_tables
from harmonize.compare.crosswalk import STATUSES
from harmonize.compare.scores import agreement_square
from harmonize.ingest.store import now_iso

EXCEL_CELL_LIMIT = 32_767
CUT_MARKER = " … [cut: full text in sheet 'Long texts', row {row}]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters Excel cannot store (XML 1.0 forbids them); tab, LF and CR are allowed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Okabe-Ito palette (colour-blind safe), light tints for cell fills.
STATUS_FILLS = {
    "identical": "CCE5F5",     # blue
    "editorial": "D5EFE6",     # bluish green
    "substantive": "FBE3C4",   # orange
    "absent": "F4D1E1",        # reddish purple
    "national": "FFF6C2",      # yellow
    "not-detailed": "E6E6E6",  # grey
}
STATUS_LEGEND = {
    "identical": "Same text after normalising whitespace.",
    "editorial": "Differs only editorially: quotes, spelling, punctuation, decimal comma/point.",
    "substantive": "Numbers, units, terms or conditions differ: see the parameters column.",
    "absent": "The list holds that part of the list in detail but not this paragraph.",
    "national": "Only this jurisdiction controls it (beyond the shared numbering).",
    "not-detailed": "The loaded copy lacks paragraph text there; silence is not absence in law.",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class ExportScope:
    """What an export covers (shown in the About sheet)."""

    reference: str = "wassenaar"
    lens: str | None = None
    sources: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # canonical prefixes, e.g. ("5A001.j",)
    generated_at: str = field(default_factory=now_iso)

    def describe(self) -> list[tuple[str, str]]:
        return [
            ("Reference list", self.reference),
            ("Lens", self.lens or "all"),
            ("Sources", ", ".join(self.sources) or "all loaded"),
            ("Codes", ", ".join(self.codes) or "all"),
            ("Generated at (UTC)", self.generated_at),
            ("Tool", f"export-control-harmonization {__version__}"),
        ]


def _in_scope(codes: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    if not prefixes:
        return pd.Series(True, index=codes.index)
    mask = pd.Series(False, index=codes.index)
    for prefix in prefixes:
        mask |= (codes == prefix) | codes.str.startswith(prefix + ".")
    return mask


def comparison_frames(analysis: Analysis, scope: ExportScope,
                      measures: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a comparison workbook, filtered by `scope`."""
    aligned = analysis.aligned
    if scope.sources:
        aligned = aligned[aligned["source"].isin(scope.sources)]
    if scope.lens:
        family = {x.id for x in analysis.book.family(scope.lens)}
        if not family:
            raise ValueError(f"unknown lens {scope.lens!r}")
        aligned = aligned[aligned["canonical"].isin(
            set(analysis.tags.loc[analysis.tags["lens"].isin(family), "canonical"]))]
    aligned = aligned[_in_scope(aligned["canonical"], scope.codes)]
    lens_of = analysis.tags.groupby("canonical")["lens"].agg(lambda s: "; ".join(sorted(s)))
    sources = sorted(aligned["source"].unique())

    per_code = aligned.drop_duplicates("canonical").set_index("canonical")
    matrix = aligned.pivot(index="canonical", columns="source", values="status")
    matrix = matrix.reindex(columns=sources)
    matrix.insert(0, "lenses", lens_of.reindex(matrix.index).fillna(""))
    matrix.insert(0, "origin", per_code["origin"])
    matrix.insert(0, "kind", per_code["kind"])
    matrix = matrix.reset_index()
    matrix.columns.name = None

    texts = aligned.pivot(index="canonical", columns="source", values="text").reindex(
        columns=sources).reset_index()
    texts.columns.name = None

    gap_rows = gaps(analysis, lens=scope.lens, sources=list(scope.sources) or None)
    gap_rows = gap_rows[_in_scope(gap_rows["canonical"], scope.codes)]
    urls = _list_urls(analysis.manifest)
    gap_table = pd.DataFrame({
        "canonical": gap_rows["canonical"], "source": gap_rows["source"],
        "jurisdiction": gap_rows["jurisdiction"], "status": gap_rows["status"],
        "origin": gap_rows["origin"], "parameters": gap_rows["parameters"],
        # The reference's own text stands once per code in the Texts sheet, not once per gap.
        "text": gap_rows["text"], "reference": gap_rows["reference_source"],
        "mapped from": gap_rows["mapped_from"], "citation": gap_rows["citation"].fillna(""),
        "source url": gap_rows["source"].map(urls).fillna(""),
    }).reset_index(drop=True)

    tables = score_tables(analysis)
    lens_scores = tables["lens_scores"]
    if scope.sources:
        lens_scores = lens_scores[lens_scores["source"].isin(scope.sources)]
    pairwise = tables["pairwise"]
    agreement = agreement_square(pairwise, sources).rename_axis("source").reset_index()

    # A share with nothing under it says so (never 0, never blank).
    lens_scores = lens_scores.assign(share_same=[
        "not comparable" if v is None or pd.isna(v) else v for v in lens_scores["share_same"]])
    agreement = agreement.astype(object).where(agreement.notna(), "not comparable")
    frames = {
        "Sources": _sources_frame(analysis.manifest),
        "Summary": lens_scores.reset_index(drop=True),
        "Agreement": agreement,
        "Matrix": matrix,
        "Gaps": gap_table,
        "Texts": texts,
    }
    if measures is not None:
        frames["Measures"] = measures.reset_index(drop=True)
    return {name: frame.fillna("") for name, frame in frames.items()}


def _list_urls(manifest: dict[str, Any]) -> dict[str, str]:
    return {sid: str(src.get("url", "")) for sid, src in manifest["sources"].items()}


def _sources_frame(manifest: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for sid in sorted(manifest["sources"]):
        src = manifest["sources"][sid]
        for lst in src["lists"]:
            rows.append({
                "list": lst["id"], "list name": lst["list_name"],
                "jurisdiction": lst["jurisdiction"], "version of the legal text": lst["version"],
                "citation": lst["citation"], "publisher": src["publisher"], "url": lst["url"],
                "sha256": src["sha256"], "imported at": src["imported_at"],
            })
    return pd.DataFrame(rows, columns=["list", "list name", "jurisdiction",
                                       "version of the legal text", "citation", "publisher",
                                       "url", "sha256", "imported at"])


# -- cell safety ------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Remove characters Excel forbids."""
    return _ILLEGAL.sub("", value)


def is_formula_like(value: str) -> bool:
    return value.startswith(_FORMULA_START)


def csv_safe(value: Any) -> Any:
    """A CSV value no spreadsheet will evaluate: formula-like text gets a leading apostrophe."""
    if isinstance(value, str):
        value = clean_text(value)
        if is_formula_like(value):
            return "'" + value
    return value


# -- xlsx -------------------------------------------------------------------------------------


@dataclass
class _LongTexts:
    rows: list[tuple[str, str, int, str]] = field(default_factory=list)

    def keep(self, sheet: str, ref: str, text: str) -> int:
        """Store the full text in chunks; returns the first row it starts at in 'Long texts'."""
        first = len(self.rows) + 2
        size = EXCEL_CELL_LIMIT - 100
        for part, start in enumerate(range(0, len(text), size), start=1):
            self.rows.append((sheet, ref, part, text[start:start + size]))
        return first


def _cell(ws: Worksheet, value: Any, sheet: str, ref: str, long: _LongTexts,
          wrap: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > EXCEL_CELL_LIMIT:
            row = long.keep(sheet, ref, value)
            marker = CUT_MARKER.format(row=row)
            value = value[: EXCEL_CELL_LIMIT - len(marker)] + marker
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    if wrap:
        cell.alignment = WRAP
    return cell


def _safe_name(name: str, limit: int = 31) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:limit] or "Sheet"


def _table_name(name: str, used: set[str]) -> str:
    base = re.sub(r"\W", "_", name)
    base = base if re.match(r"[A-Za-z_]", base) else f"T_{base}"
    candidate, n = base[:250], 2
    while candidate.lower() in used:
        candidate, n = f"{base[:245]}_{n}", n + 1
    used.add(candidate.lower())
    return candidate


_WIDTHS = {"text": 60, "reference text": 60, "parameters": 40, "citation": 36, "lenses": 30,
           "summary": 60, "url": 36, "source url": 36, "list name": 36, "sha256": 20,
           "canonical": 16, "title": 40}
_WRAPPED = {"text", "reference text", "parameters", "summary", "lenses", "title", "citation"}


def _write_table(ws: Worksheet, frame: pd.DataFrame, start_row: int, name: str,
                 used: set[str], long: _LongTexts, link_columns: tuple[str, ...] = (),
                 wrap_all: bool = False) -> int:
    """Header + rows as an Excel table (with its own filter buttons); returns the next free row."""
    columns = [str(c) for c in frame.columns]
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=clean_text(column))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    wrapped = [wrap_all or c in _WRAPPED for c in columns]
    links = {columns.index(c) for c in link_columns if c in columns}
    for offset, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        row_number = start_row + offset
        cells = []
        for index, value in enumerate(values):
            ref = f"{get_column_letter(index + 1)}{row_number}"
            cell = _cell(ws, value, ws.title, ref, long, wrap=wrapped[index] and index > 0)
            if index in links and isinstance(value, str) and value.startswith("https://"):
                cell.hyperlink = value
                cell.font = Font(color="0563C1", underline="single")
            cells.append(cell)
        ws.append(cells)
    end_row = start_row + max(len(frame), 1)
    if frame.empty:
        ws.append([""] * len(columns))
    ref = f"A{start_row}:{get_column_letter(len(columns))}{end_row}"
    table = Table(displayName=_table_name(name, used), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    table.tableColumns = [TableColumn(id=i + 1, name=clean_text(c) or f"Column{i + 1}")
                          for i, c in enumerate(columns)]
    table.autoFilter = AutoFilter(ref=ref)  # the table's own filter buttons
    with warnings.catch_warnings():  # columns are set above; openpyxl warns in write-only mode
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    return end_row + 2


def _prepare(ws: Worksheet, frame: pd.DataFrame, freeze: str | None) -> None:
    if freeze:
        ws.freeze_panes = freeze
    for index, column in enumerate(frame.columns, start=1):
        width = _WIDTHS.get(str(column), 14 if index > 1 else 18)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _status_formats(ws: Worksheet, first_col: int, last_col: int, rows: int) -> None:
    if last_col < first_col or rows < 1:
        return
    area = f"{get_column_letter(first_col)}2:{get_column_letter(last_col)}{rows + 1}"
    for status in STATUSES:
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{status}"'],
            fill=PatternFill("solid", fgColor=STATUS_FILLS[status], bgColor=STATUS_FILLS[status])))


def write_xlsx(frames: dict[str, pd.DataFrame], scope: ExportScope,
               target: str | Path | IO[bytes]) -> None:
    """Write the comparison workbook (About, Summary, Matrix, Gaps, Texts, Measures)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    long = _LongTexts()

    about = wb.create_sheet("About")
    _prepare(about, frames["Sources"], None)
    for index, width in enumerate((28, 40, 16, 24, 36, 34, 40, 20, 22), start=1):
        about.column_dimensions[get_column_letter(index)].width = width
    scope_frame = pd.DataFrame(scope.describe(), columns=["scope", "value"])
    row = _write_table(about, scope_frame, 1, "Scope", used, long)
    about.append([""])
    row = _write_table(about, frames["Sources"], row + 1, "Sources", used, long,
                       link_columns=("url",))
    about.append([""])
    legend = pd.DataFrame(list(STATUS_LEGEND.items()), columns=["status", "meaning"])
    _write_table(about, legend, row + 1, "Legend", used, long)

    summary = wb.create_sheet("Summary")
    _prepare(summary, frames["Summary"], "C2")
    end = _write_table(summary, frames["Summary"], 1, "LensScores", used, long)
    if "share_same" in frames["Summary"].columns and len(frames["Summary"]):
        col = get_column_letter(list(frames["Summary"].columns).index("share_same") + 1)
        summary.conditional_formatting.add(
            f"{col}2:{col}{len(frames['Summary']) + 1}",
            ColorScaleRule(start_type="num", start_value=0, start_color="F4D1E1",
                           end_type="num", end_value=1, end_color="CCE5F5"))
    summary.append([""])
    agreement = frames["Agreement"]
    _write_table(summary, agreement, end + 1, "Agreement", used, long)
    if len(agreement.columns) > 1:
        summary.conditional_formatting.add(
            f"B{end + 2}:{get_column_letter(len(agreement.columns))}{end + 1 + len(agreement)}",
            ColorScaleRule(start_type="num", start_value=0, start_color="F4D1E1",
                           end_type="num", end_value=1, end_color="CCE5F5"))

    matrix = wb.create_sheet("Matrix")
    _prepare(matrix, frames["Matrix"], "B2")
    _write_table(matrix, frames["Matrix"], 1, "Matrix", used, long)
    _status_formats(matrix, 5, len(frames["Matrix"].columns), len(frames["Matrix"]))

    gaps_ws = wb.create_sheet("Gaps")
    _prepare(gaps_ws, frames["Gaps"], "C2")
    _write_table(gaps_ws, frames["Gaps"], 1, "Gaps", used, long,
                 link_columns=("source url",))
    status_col = list(frames["Gaps"].columns).index("status") + 1
    _status_formats(gaps_ws, status_col, status_col, len(frames["Gaps"]))

    texts = wb.create_sheet("Texts")
    _prepare(texts, frames["Texts"], "B2")
    for index in range(2, len(frames["Texts"].columns) + 1):
        texts.column_dimensions[get_column_letter(index)].width = 50
    _write_table(texts, frames["Texts"], 1, "Texts", used, long, wrap_all=True)

    if "Measures" in frames:
        measures = wb.create_sheet("Measures")
        _prepare(measures, frames["Measures"], "B2")
        _write_table(measures, frames["Measures"], 1, "Measures", used, long,
                     link_columns=("url",))

    _write_long_texts(wb, long, used)
    wb.save(target)


def _write_long_texts(wb: Workbook, long: _LongTexts, used: set[str]) -> None:
    """The full text of every cell that was cut, in a sheet of its own."""
    if not long.rows:
        return
    sheet = wb.create_sheet("Long texts")
    frame = pd.DataFrame(long.rows, columns=["sheet", "cell", "part", "text"])
    _prepare(sheet, frame, "A2")
    _write_table(sheet, frame, 1, "LongTexts", used, _LongTexts())


def write_table_xlsx(frame: pd.DataFrame, title: str,
                     filters: Iterable[tuple[str, str]]) -> bytes:
    """One table as a one-sheet workbook, the filters that produced it on top; cells are
    written as in the comparison workbook (no formulas, no forbidden characters, long texts
    kept whole)."""
    wb = Workbook(write_only=True)
    name = _safe_name(title)
    ws = wb.create_sheet(name)
    _prepare(ws, frame, None)
    used: set[str] = set()
    long = _LongTexts()
    filters_table = pd.DataFrame(list(filters), columns=["filter", "value"])
    row = _write_table(ws, filters_table, 1, "Filters", used, long)
    ws.append([""])
    _write_table(ws, frame.fillna(""), row + 1, name, used, long)
    _write_long_texts(wb, long, used)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_csv(frames: dict[str, pd.DataFrame], names: Iterable[str] = ("Matrix", "Gaps"),
              target: str | Path | IO[bytes] | None = None) -> bytes:
    """The Matrix and Gaps as UTF-8 CSV (with a BOM so Excel reads UTF-8); several -> one zip."""
    chosen = list(names)
    blobs = {f"{name.lower()}.csv": _csv_bytes(frames[name]) for name in chosen}
    if len(blobs) == 1:
        data = next(iter(blobs.values()))
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, blob in blobs.items():
                archive.writestr(filename, blob)
        data = buffer.getvalue()
    if target is not None:
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)
    return data


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(str(c)) for c in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        writer.writerow([csv_safe(v) for v in values])
    return out.getvalue().encode("utf-8-sig")
