"""Download buttons: a shown table as xlsx and CSV with its filters written above it, and the
comparison workbook (harmonize.present.export) for a scope. Files are built only when a
button is clicked (`data` is a callable), never on every run."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from app_data import cache, comparison
from harmonize.ingest import store
from harmonize.present import export
from harmonize.present.views import files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_buttons(make: Callable[[], pd.DataFrame], rows: int, name: str, title: str,
                  filters: Sequence[tuple[str, str]], key: str, container: Any = None) -> None:
    """xlsx and csv buttons for the table `make()` builds (of `rows` rows), with the filters
    written above it. The table and the files are made only when a button is clicked."""
    where = container or st
    shown = [("Reference list", comparison.reference()), *filters, ("Rows", str(rows)),
             ("Generated at (UTC)", store.now_iso())]
    left, right = where.columns(2)
    left.download_button("⬇ xlsx", data=lambda: files.table_xlsx(make(), title, shown),
                         file_name=f"{name}.xlsx", mime=XLSX, key=f"{key}.xlsx",
                         on_click="ignore", help="One sheet: the filters, then the table",
                         width="stretch")
    right.download_button("⬇ csv", data=lambda: files.table_csv(make(), shown),
                          file_name=f"{name}.csv", mime="text/csv", key=f"{key}.csv",
                          on_click="ignore", help="`# filter: value` lines, then the table",
                          width="stretch")


def comparison_buttons(scope: export.ExportScope, name: str, key: str,
                       columns: Sequence[Any] = (),
                       csv_tables: Sequence[str] = ("Matrix", "Gaps"),
                       csv_label: str = "⬇ matrix + gaps (csv)") -> None:
    """The comparison workbook (About, Summary, Matrix, Gaps, Texts, Measures) and
    `csv_tables` of it as zipped CSV, for the scope shown, written by harmonize.present.export;
    the two buttons go into `columns` (two of a row), else into a new row."""
    as_of = comparison.as_of()

    # The files are made from the cache when clicked: a button's callable lives as long as the
    # visitor's session, and one holding the analysis kept every imported version of the lists
    # in memory (bench_ui.py, section 6).
    def frames() -> dict[str, pd.DataFrame]:
        parties = cache.parties()[:2] if cache.manifest().get("parties") else None
        return export.comparison_frames(cache.analysis(scope.reference, as_of), scope,
                                        cache.measures_table(), parties=parties)

    def xlsx() -> bytes:
        buffer = io.BytesIO()
        export.write_xlsx(frames(), scope, buffer)
        return buffer.getvalue()

    left, right = columns or st.columns(2)
    left.download_button("⬇ comparison workbook", data=xlsx, file_name=f"{name}.xlsx",
                         mime=XLSX, key=f"{key}.cmp.xlsx", on_click="ignore", width="stretch",
                         help="Sheets: About (scope, lists loaded, legend), Summary (lens "
                              "scores, pairwise agreement), Matrix, Gaps, Texts, Measures")
    right.download_button(csv_label, data=lambda: export.write_csv(frames(), names=csv_tables),
                          file_name=f"{name}-csv.zip", mime="application/zip",
                          key=f"{key}.cmp.csv", on_click="ignore", width="stretch",
                          help="A zip of CSV files: " + ", ".join(csv_tables))
