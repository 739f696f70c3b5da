"""Cell safety shared by the workbook and the CSV files.

- Characters Excel cannot store (XML 1.0 forbids them) are removed; tab, LF and CR stay.
- Text that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or
  carriage return) is never written as one: in xlsx it is an explicit text cell with Excel's
  quote prefix; in CSV it gets one leading apostrophe. So that the CSV guard can be told from
  real text, a value that already starts with an apostrophe gets one too: in a guarded CSV,
  removing exactly one leading apostrophe from every value that starts with one gives the
  original text back (`CSV_GUARD_RULE` says so in each zip's README).
- A cell over Excel's 32,767 characters is cut with a visible marker; its full text goes to the
  "Long texts" sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

EXCEL_CELL_LIMIT = 32_767
CUT_MARKER = " … [cut: full text in sheet 'Long texts', row {row}]"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CSV_GUARD_RULE = (
    "Formula guard: a value that starts with =, +, -, @, a tab or a carriage return, and a value "
    "that itself starts with an apostrophe, is written with one extra leading apostrophe ('), so "
    "no spreadsheet evaluates it. To get the original text, remove exactly one leading "
    "apostrophe from every value that starts with one. Numbers are never guarded.")


_FORMULA_FIRST = frozenset(FORMULA_START)


def clean_text(value: str) -> str:
    """Remove characters Excel forbids (printable text, most of it, is returned as it is)."""
    return value if value.isprintable() else _ILLEGAL.sub("", value)


def is_formula_like(value: str) -> bool:
    return value[:1] in _FORMULA_FIRST


def csv_safe(value: Any) -> Any:
    """A CSV value no spreadsheet will evaluate, reversibly (see the module docstring)."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_START) or value.startswith(GUARD):
            return GUARD + value
    return value


def csv_unguard(value: str) -> str:
    """The original text of a guarded CSV value (the README's rule, as code)."""
    return value[1:] if value.startswith(GUARD) else value


def _cell_name(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


@dataclass
class LongTexts:
    """Full texts of cells cut at Excel's limit: (sheet, cell, part, text) rows."""

    rows: list[tuple[str, str, int, str]] = field(default_factory=list)

    def keep(self, sheet: str, ref: str, text: str) -> int:
        """Store the full text in chunks; returns the row it starts at in 'Long texts'."""
        first = len(self.rows) + 2
        size = EXCEL_CELL_LIMIT - 100
        for part, start in enumerate(range(0, len(text), size), start=1):
            self.rows.append((sheet, ref, part, text[start:start + size]))
        return first

    def fit(self, value: str, sheet: str, row: int, col: int) -> str:
        """`value` cut to Excel's limit (full text kept), else as it is (0-based cell)."""
        if len(value) <= EXCEL_CELL_LIMIT:
            return value
        marker = CUT_MARKER.format(row=self.keep(sheet, _cell_name(row, col), value))
        return value[: EXCEL_CELL_LIMIT - len(marker)] + marker
