"""The register of measures that are not list entries.

Catch-alls, end-use and end-user rules, national lists and decrees, proposed and rescinded rules,
recommendations and codes of conduct live in a reviewed CSV (`datasets/measures.csv`, documented
in `datasets/measures.md`). `load_measures()` reads it, checks every row and returns a DataFrame;
a bad file raises `MeasuresError` naming the file, the line and the problem.

In the returned frame `lenses` and `codes` are lists of strings, the three date columns are
pandas timestamps (NaT when empty) and every other column is a string ('' when empty).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from harmonize.paths import dataset

DEFAULT_PATH = dataset("measures.csv")

COLUMNS: tuple[str, ...] = (
    "id",
    "jurisdiction",
    "title",
    "instrument",
    "citation",
    "type",
    "status",
    "date_published",
    "date_effective",
    "date_rescinded",
    "lenses",
    "codes",
    "url",
    "verified",
    "verified_against",
    "summary",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("notes",)

TYPES: tuple[str, ...] = (
    "catch-all",
    "end-use",
    "end-user",
    "list-amendment",
    "national-list",
    "proposed-rule",
    "recommendation",
    "code-of-conduct",
    "licence-exception",
    "joint-statement",
)
STATUSES: tuple[str, ...] = ("proposed", "in-force", "rescinded")
VERIFIED_VALUES: tuple[str, ...] = ("yes", "unverified")


@lru_cache(maxsize=1)
def lens_ids() -> tuple[str, ...]:
    """The lens ids a measure may name: those of the reviewed lens file (one list, not two)."""
    from harmonize.compare.lenses import load_lenses

    return tuple(lens.id for lens in load_lenses().lenses)


DATE_COLUMNS: tuple[str, ...] = ("date_published", "date_effective", "date_rescinded")
LIST_COLUMNS: tuple[str, ...] = ("lenses", "codes")
REQUIRED_VALUES: tuple[str, ...] = (
    "id",
    "jurisdiction",
    "title",
    "instrument",
    "citation",
    "type",
    "status",
    "lenses",
    "verified",
    "verified_against",
    "summary",
)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ISO 3166 alpha-2 (US, NL, GB, ...), the EU and Wassenaar as two-letter ids, or 'multilateral'.
_JURISDICTION = re.compile(r"^(?:[A-Z]{2}|multilateral)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A control code as the measure prints it: 4A005, 4E001.c, 3B001.d.12, PL9013, 5506.
_CODE = re.compile(r"^[0-9A-Z]+(?:\.[0-9A-Za-z]+)*$")

# Builds the error for the row being checked; the small checkers below raise what it returns.
_Fail = Callable[[str], "MeasuresError"]


class MeasuresError(ValueError):
    """The measures file is malformed; names the file, the 1-based line and the problem.

    `line` is 0 when the problem concerns the file as a whole (it cannot be read).
    """

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


def load_measures(path: Path | None = None) -> pd.DataFrame:
    """Read and check the measures CSV (default: `datasets/measures.csv` of the project)."""
    source = DEFAULT_PATH if path is None else Path(path)
    text = _read_text(source)
    header, records = _parse(source, text)
    _check_header(source, header)

    rows: list[dict[str, object]] = []
    first_line_of_id: dict[str, int] = {}
    for line, values in records:
        if len(values) != len(header):
            raise MeasuresError(source, line, f"expected {len(header)} fields, found {len(values)}")
        raw = dict(zip(header, values, strict=True))
        row = _check_row(source, line, raw)
        row_id = str(row["id"])
        if row_id in first_line_of_id:
            raise MeasuresError(
                source,
                line,
                f"duplicate id {row_id!r} (first used on line {first_line_of_id[row_id]})",
            )
        first_line_of_id[row_id] = line
        rows.append(row)

    frame = pd.DataFrame(rows, columns=[*COLUMNS, *OPTIONAL_COLUMNS])
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _read_text(source: Path) -> str:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise MeasuresError(source, 0, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MeasuresError(source, line, "not UTF-8 text") from exc


def _parse(source: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each record with the line it starts on (records may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise MeasuresError(source, start, f"malformed CSV: {exc}") from exc
        if not values or all(not v.strip() for v in values):
            continue  # blank line
        if header is None:
            header = values
            if start != 1:
                raise MeasuresError(source, 1, "the header must be the first line")
        else:
            records.append((start, values))
    if header is None:
        raise MeasuresError(source, 1, "empty file: no header line")
    return header, records


def _check_header(source: Path, header: list[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise MeasuresError(source, 1, f"column {name!r} appears twice in the header")
        seen.add(name)
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        raise MeasuresError(source, 1, f"missing column(s): {', '.join(missing)}")
    unknown = [c for c in header if c not in COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise MeasuresError(source, 1, f"unknown column(s): {', '.join(unknown)}")


def _check_row(source: Path, line: int, raw: dict[str, str]) -> dict[str, object]:
    def fail(problem: str) -> MeasuresError:
        return MeasuresError(source, line, problem)

    for column, value in raw.items():
        if value != value.strip():
            raise fail(f"{column}: leading or trailing whitespace in {value!r}")
    for column in REQUIRED_VALUES:
        if not raw[column]:
            raise fail(f"{column}: empty, a value is required")

    if not _ID.match(raw["id"]):
        raise fail(f"id: {raw['id']!r} is not a slug (lower-case letters, digits, hyphens)")
    if not _JURISDICTION.match(raw["jurisdiction"]):
        raise fail(
            f"jurisdiction: {raw['jurisdiction']!r} is neither a two-letter upper-case id "
            "nor 'multilateral'"
        )
    _check_choice(fail, "type", raw["type"], TYPES)
    _check_choice(fail, "status", raw["status"], STATUSES)
    _check_choice(fail, "verified", raw["verified"], VERIFIED_VALUES)

    lenses = _split(fail, "lenses", raw["lenses"])
    for lens in lenses:
        _check_choice(fail, "lenses", lens, lens_ids())
    codes = _split(fail, "codes", raw["codes"])
    for code in codes:
        if not _CODE.match(code):
            raise fail(f"codes: {code!r} is not a control code")

    dates = {column: _parse_date(fail, column, raw[column]) for column in DATE_COLUMNS}
    _check_status(fail, raw, dates)

    url = raw["url"]
    if url and (not url.startswith(("https://", "http://")) or " " in url):
        raise fail(f"url: {url!r} is not an http(s) address")

    row: dict[str, object] = {column: raw[column] for column in COLUMNS}
    row["notes"] = raw.get("notes", "")
    row["lenses"] = lenses
    row["codes"] = codes
    for column in DATE_COLUMNS:
        row[column] = raw[column] or None
    return row


def _check_choice(fail: _Fail, column: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise fail(f"{column}: {value!r} is not one of {', '.join(allowed)}")


def _split(fail: _Fail, column: str, value: str) -> list[str]:
    if not value:
        return []
    parts = value.split(";")
    if any(not part.strip() or part != part.strip() for part in parts):
        raise fail(f"{column}: {value!r} has an empty or padded item (use 'a;b')")
    duplicates = sorted({part for part in parts if parts.count(part) > 1})
    if duplicates:
        raise fail(f"{column}: {', '.join(duplicates)} listed more than once")
    return parts


def _parse_date(fail: _Fail, column: str, value: str) -> date | None:
    if not value:
        return None
    if not _ISO_DATE.match(value):
        raise fail(f"{column}: {value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{column}: {value!r} is not a valid date ({exc})") from exc


def _check_status(fail: _Fail, raw: dict[str, str], dates: dict[str, date | None]) -> None:
    status = raw["status"]
    rescinded = dates["date_rescinded"]
    if status == "rescinded" and rescinded is None:
        raise fail("date_rescinded: empty, but status is 'rescinded'")
    if status != "rescinded" and rescinded is not None:
        raise fail(f"date_rescinded: set, but status is {status!r} (expected 'rescinded')")
    if status == "proposed" and dates["date_effective"] is not None:
        raise fail("date_effective: set, but status is 'proposed'")
    if raw["type"] == "proposed-rule" and status == "in-force":
        raise fail("status: a 'proposed-rule' cannot be 'in-force' (record the final rule apart)")
    if rescinded is not None:
        for column in ("date_published", "date_effective"):
            earlier = dates[column]
            if earlier is not None and rescinded < earlier:
                raise fail(f"date_rescinded: {rescinded} is before {column} {earlier}")


def as_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The register as flat text columns (lists joined with "; ", ISO dates), for JSON, CSV,
    spreadsheets and on-screen tables."""
    flat = frame.copy()
    for column in flat.columns:
        if column in DATE_COLUMNS:
            flat[column] = flat[column].dt.strftime("%Y-%m-%d").fillna("")
        elif flat[column].map(lambda v: isinstance(v, list)).any():
            flat[column] = flat[column].map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    return flat.fillna("")
