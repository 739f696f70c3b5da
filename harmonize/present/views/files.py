"""A shown table as the files of its download buttons: one-sheet xlsx and UTF-8 CSV, the filters
written above the table, formula-like text written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pandas as pd

from harmonize.present import export


def table_xlsx(frame: pd.DataFrame, title: str, filters: Sequence[tuple[str, str]]) -> bytes:
    """A one-sheet workbook: the filters on top, the table below (see export.write_table_xlsx)."""
    return export.write_table_xlsx(frame, title, filters)


def table_csv(frame: pd.DataFrame, filters: Sequence[tuple[str, str]]) -> bytes:
    """UTF-8 CSV (BOM for Excel): `# filter: value` lines, a blank line, then the table.
    Values go through export.csv_safe (formula-like text is written as text)."""
    head = io.StringIO()
    writer = csv.writer(head, lineterminator="\r\n")
    for key, value in filters:
        writer.writerow([f"# {export.clean_text(key)}: {export.clean_text(value)}"])
    writer.writerow([])
    body = export.write_csv({"Table": frame.fillna("")}, ["Table"])
    return "\ufeff".encode() + head.getvalue().encode("utf-8") + body.removeprefix(
        "\ufeff".encode())
