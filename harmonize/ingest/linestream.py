"""The line stream of a parse, kept for debugging (OWID's "meadow": the step between the raw
file and the table).

Each parsed list keeps the `Line`s its loader extracted and read, beside its parse cache:
`parsed/<list-id>-<key>.lines.jsonl` (history versions: in the version's `parsed/` folder),
one JSON object per line with `text` and `location`, and `indent`, `note`, `list_item`,
`restates` where set. `harmonize lines LIST [--grep TEXT] [--version DATE]` reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from harmonize.ingest import glyphs
from harmonize.ingest.segmenter import Line

SUFFIX = ".lines.jsonl"
_FLAGS = ("note", "list_item", "restates")
# One encoder for every line: json.dumps with options builds a new encoder on each call.
_JSON = json.JSONEncoder(ensure_ascii=False)


def lines_path(parsed_file: Path) -> Path:
    """Where the line stream of a parse file (`<list>-<key>.parquet`) is kept."""
    return parsed_file.with_name(parsed_file.name.removesuffix(".parquet") + SUFFIX)


def encode(lines: Iterable[Line]) -> bytes:
    """One JSON object per line (UTF-8), defaults left out."""
    return "".join(f"{_line_json(line)}\n" for line in lines).encode("utf-8")


def _line_json(line: Line) -> str:
    """What `json.dumps(item, ensure_ascii=False)` gives for the line's item, written out: the
    line stream of a parse has tens of thousands of lines, and the generic encoder walks a
    dict per line (three times as long)."""
    indent = line.indent
    if indent is None:
        place = ""
    elif type(indent) in (int, float) and math.isfinite(indent):
        place = f", \"indent\": {indent!r}"
    else:  # not a plain number: the encoder's own spelling
        return _JSON.encode(_item(line))
    # _FLAGS in order, spelled out: a generator per line costs more than the rest of it
    flags = ((', "note": true' if line.note else "")
             + (', "list_item": true' if line.list_item else "")
             + (', "restates": true' if line.restates else ""))
    return (f'{{"text": {encode_basestring(line.text)}, '
            f'"location": {encode_basestring(line.location)}{place}{flags}}}')


def _item(line: Line) -> dict[str, Any]:
    item: dict[str, Any] = {"text": line.text, "location": line.location}
    if line.indent is not None:
        item["indent"] = line.indent
    item.update({flag: True for flag in _FLAGS if getattr(line, flag)})
    return item


def read_lines(path: Path) -> Iterator[Line]:
    """The lines of a kept stream, in order."""
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            if raw.strip():
                item = json.loads(raw)
                yield Line(item["text"], item["location"], item.get("indent"),
                           **{flag: bool(item.get(flag)) for flag in _FLAGS})


def matching(lines: Iterable[Line], grep: str | None) -> Iterator[Line]:
    """The lines whose text holds `grep` (case-insensitive; None: every line)."""
    needle = grep.casefold() if grep else None
    return (line for line in lines if needle is None or needle in line.text.casefold())


def describe(line: Line) -> str:
    """One line of the stream as text: location, indent, flags (N note, L list item, R restates
    a path), text."""
    indent = f"{line.indent:g}" if line.indent is not None else "-"
    flags = "".join(c for c, on in zip("NLR", (line.note, line.list_item, line.restates),
                                       strict=True) if on) or "-"
    # raised and lowered runs as the loader marked them: 10^{-14}, FPO_{i}
    return f"{line.location:<18} {indent:>6} {flags:<3} {glyphs.shown_marks(line.text)}"
