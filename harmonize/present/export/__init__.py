"""Comparison workbooks (xlsx) and CSV files that officials can circulate.

`comparison_frames()` builds the tables of one harmonization run cut to an `ExportScope` (the
lens and its sub-lenses, the lists chosen, the codes, the Gaps page's filters);
`write_xlsx()` lays them out as a workbook that opens without repair, explains itself (Cover,
About, Dictionary) and prints readably; `write_csv()` writes some of them as CSV (a zip with a
README when several). The CLI and every page's download buttons call these, so a spreadsheet
says what the screen says.

Modules: `scope` (what an export covers), `frames` (the tables), `provenance` (lists, copies,
caveats, links; data in datasets/sources.toml), `changes` (since the previous kept version),
`dictionary` (the words), `cells` (cell safety), `layout` (widths, heights, page set-up),
`notes` (the note columns, the Notes and Parties tables), `workbook` (xlsx), `csv_zip` (CSV
and zip).
"""

from harmonize.present.export.cells import (
    CSV_GUARD_RULE,
    CUT_MARKER,
    EXCEL_CELL_LIMIT,
    clean_text,
    csv_safe,
    csv_unguard,
    is_formula_like,
)
from harmonize.present.export.csv_zip import csv_bytes, write_csv
from harmonize.present.export.dictionary import SHEETS, STATUS_FILLS, STATUS_LEGEND
from harmonize.present.export.frames import comparison_frames
from harmonize.present.export.layout import PAPERS
from harmonize.present.export.notes import stored_parties
from harmonize.present.export.scope import ExportScope
from harmonize.present.export.workbook import write_table_xlsx, write_xlsx

__all__ = [
    "CSV_GUARD_RULE", "CUT_MARKER", "EXCEL_CELL_LIMIT", "PAPERS", "SHEETS", "STATUS_FILLS",
    "STATUS_LEGEND", "ExportScope", "clean_text", "comparison_frames", "csv_bytes",
    "csv_safe", "csv_unguard", "is_formula_like", "stored_parties", "write_csv",
    "write_table_xlsx", "write_xlsx",
]
