"""The one data model every list is parsed into, and the schema that checks it.

A parsed list is a table with one row per entry (`5A001`), per paragraph (`5A001.j.1.a`) and
per note attached to either. Provenance travels on every row: source id, list, version date of
the legal text, location in the raw file and the citation.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import weakref
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

KINDS = ("entry", "paragraph", "note", "technical-note", "nb")
NOTE_KINDS = ("note", "technical-note", "nb")


class SchemaError(ValueError):
    """A parsed table does not match the model."""


@dataclass(frozen=True)
class SourceInfo:
    """What a loader says about the list it read (travels onto every row)."""

    source_id: str
    jurisdiction: str
    list_name: str
    version: str  # ISO date of the legal text
    citation: str  # how to cite the list as a whole
    url: str


@dataclass
class ListRow:
    """One entry, paragraph or note of a control list."""

    code: str  # as printed
    canonical: str  # normal form; for notes, the code of what the note attaches to
    parent: str  # canonical code one level up ('' for an entry)
    depth: int  # 0 entry, 1 first paragraph level ...; notes: depth of what they attach to + 1
    kind: str  # one of KINDS
    text: str
    location: str  # page, element or line in the raw file
    entry: str = ""  # canonical entry code
    reasons: str = ""  # reasons for control, where the list has them ("NS, AT")
    national: bool = False  # beyond the common (Wassenaar-family) numbering of this list
    sensitivity: str = ""  # Wassenaar: "", "sensitive", "very-sensitive"
    detailed: bool = True  # False where the loaded copy lacks paragraph text for this entry
    # List-specific extras (licence rows ...) and, for every list (issue #14):
    # - "note_key" on each note: governed code / kind / ordinal among the notes of that kind on
    #   that code, in print order ("5A002.a/note/2"): the same note in two lists has the same
    #   key, so notes compare across lists like paragraphs (harmonize.ingest.notes);
    # - "raw_text": the text as extracted where the row's text renders it (superscripts,
    #   symbol fonts, degree signs, line-end hyphens: harmonize.ingest.glyphs);
    # - "layout_code" / "placed_by": where the layout hung a note that was re-hung on the code
    #   it names; "placeholder" on a row standing for text the copy lacks (detailed False);
    #   "printed_in" on rows printed elsewhere in the document (Wassenaar's Definitions).
    details: dict[str, Any] = field(default_factory=dict)


COLUMNS: dict[str, str] = {
    "source_id": "string",
    "jurisdiction": "string",
    "list_name": "string",
    "version": "string",
    "seq": "int64",
    "code": "string",
    "canonical": "string",
    "entry": "string",
    "parent": "string",
    "depth": "int64",
    "kind": "string",
    "text": "string",
    "reasons": "string",
    "national": "bool",
    "sensitivity": "string",
    "detailed": "bool",
    "location": "string",
    "citation": "string",
    "details": "string",  # JSON object
}


_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(ListRow))
_ROW_VALUES = operator.attrgetter(*_ROW_FIELDS)
# One encoder for every row: json.dumps with options builds a new encoder on each call.
_DETAILS_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def rows_to_frame(info: SourceInfo, rows: list[ListRow]) -> pd.DataFrame:
    """Build the validated table of one list."""
    # Column by column (a dict per row costs twice as much on lists of thousands of rows), the
    # fields of each row read in one C call and transposed.
    columns: dict[str, list[Any]] = {name: [] for name in _ROW_FIELDS}
    if rows:
        columns = dict(zip(_ROW_FIELDS, map(list, zip(*map(_ROW_VALUES, rows), strict=True)),
                           strict=True))
    columns["details"] = [_DETAILS_JSON.encode(d) if d else "{}" for d in columns["details"]]
    columns["entry"] = [row.entry or row.canonical.split(".", 1)[0] for row in rows]
    count = len(rows)
    columns.update(
        source_id=[info.source_id] * count,
        jurisdiction=[info.jurisdiction] * count,
        list_name=[info.list_name] * count,
        version=[info.version] * count,
        seq=list(range(count)),
        citation=[row_citation(info, canonical) for canonical in columns["canonical"]],
    )
    frame = pd.DataFrame({name: pd.Series(columns[name], dtype=dtype)
                          for name, dtype in COLUMNS.items()})
    validate_frame(frame)
    _VALIDATED[id(frame)] = frame
    return frame


# The tables `rows_to_frame` built and validated, by identity (a DataFrame is not hashable):
# `ensure_valid` need not check them again when they are written.
_VALIDATED: weakref.WeakValueDictionary[int, pd.DataFrame] = weakref.WeakValueDictionary()


def ensure_valid(frame: pd.DataFrame) -> None:
    """`validate_frame`, unless `frame` is the very table `rows_to_frame` just validated (the
    check is ~10 ms a list; loaders edit only unchecked columns in place, e.g. `detailed`)."""
    if _VALIDATED.get(id(frame)) is not frame:
        validate_frame(frame)


def row_citation(info: SourceInfo, canonical: str) -> str:
    """Citation of one row: the list's citation plus the code."""
    return f"{info.citation}, {canonical}" if canonical else info.citation


def validate_frame(frame: pd.DataFrame) -> None:
    """Raise SchemaError naming the first rule a table breaks."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(f"missing columns: {missing}")
    for column, dtype in COLUMNS.items():
        if str(frame[column].dtype) != dtype and not (
            dtype == "string" and str(frame[column].dtype).startswith("string")
        ):
            raise SchemaError(f"column {column} is {frame[column].dtype}, expected {dtype}")
    if frame.empty:
        return
    _check(frame, ~frame["kind"].isin(KINDS), "kind not one of " + ", ".join(KINDS))
    _check(frame, frame["canonical"].str.len() == 0, "empty canonical code")
    _check(frame, frame["source_id"].str.len() == 0, "empty source id")
    _check(frame, ~frame["version"].str.match(r"^\d{4}-\d{2}-\d{2}$"), "version is not YYYY-MM-DD")
    _check(frame, frame["depth"] < 0, "negative depth")
    is_entry = frame["kind"] == "entry"
    _check(frame, is_entry & (frame["depth"] != 0), "entry row with depth != 0")
    _check(frame, (frame["kind"] == "paragraph") & (frame["parent"].str.len() == 0),
           "paragraph without parent")
    is_keyed = frame["kind"].isin(["entry", "paragraph"])
    keyed_codes = frame["canonical"][is_keyed]
    dup = keyed_codes.duplicated(keep=False)
    if dup.any():
        first = frame[is_keyed][dup].iloc[0]
        raise SchemaError(
            f"duplicate code {first['canonical']} in {first['source_id']} at {first['location']}"
        )
    # A Python set, not Series.isin: pandas turns each of thousands of codes into an Arrow
    # scalar there (10 ms a list, the better part of this check).
    known = set(keyed_codes.tolist())
    orphan = pd.Series([isinstance(p, str) and p != "" and p not in known
                        for p in frame["parent"].tolist()], index=frame.index, dtype=bool)
    _check(frame, orphan, "parent code not in the list")


def _check(frame: pd.DataFrame, bad: pd.Series, what: str) -> None:
    if bool(bad.any()):
        row = frame[bad].iloc[0]
        raise SchemaError(
            f"{what}: {row['source_id']} {row['code']!r} at {row['location']} "
            f"({int(bad.sum())} rows)"
        )


def empty_frame() -> pd.DataFrame:
    """A table with the model's columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})
