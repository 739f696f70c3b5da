"""Tables as CSV: one file, or several in a zip with a README (sources, scope, columns, the
formula guard). UTF-8 with a BOM so Excel reads the encoding; comma-separated by default, or
semicolon-separated (with decimal commas) for spreadsheets set to a semicolon locale.
Zip members are written readable by everyone (0644) with the export's date."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from harmonize.present.export.cells import CSV_GUARD_RULE, csv_safe
from harmonize.present.export.dictionary import DISCLAIMER
from harmonize.present.export.frames import title_of

DELIMITERS = (",", ";")
MEMBER_MODE = 0o644
# Tables a zip holding the Gaps also holds when the frames have them: the notes that differ
# (a Gaps row names them, this file gives both texts) and the parties.
GAPS_COMPANIONS = ("Notes", "Parties", "Party lists")


def write_csv(frames: dict[str, pd.DataFrame], names: Iterable[str] = ("Matrix", "Gaps"),
              target: str | Path | IO[bytes] | None = None, delimiter: str = ",") -> bytes:
    """`names` as CSV: one name -> that file; several -> a zip of them with README.txt (with
    the Gaps, also its `GAPS_COMPANIONS` present in `frames`)."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter {delimiter!r}: choose ',' or ';'")
    chosen = list(names)
    if len(chosen) > 1 and "Gaps" in chosen:
        chosen += [n for n in GAPS_COMPANIONS if n in frames and n not in chosen]
    blobs = {f"{name.lower().replace(' ', '-')}.csv": csv_bytes(frames[name], delimiter)
             for name in chosen}
    if len(blobs) == 1:
        data = next(iter(blobs.values()))
    else:
        members = {"README.txt": readme(frames, chosen, delimiter).encode("utf-8"), **blobs}
        data = _zip(members, _made(frames))
    if target is not None:
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)
    return data


def csv_bytes(frame: pd.DataFrame, delimiter: str = ",") -> bytes:
    """One table as guarded CSV (cells.csv_safe); with ';', decimals take a comma."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([csv_safe(str(c)) for c in frame.columns])
    comma = delimiter == ";"
    for values in frame.itertuples(index=False, name=None):
        writer.writerow([_number(v, comma) for v in values])
    return out.getvalue().encode("utf-8-sig")


def _number(value: Any, decimal_comma: bool) -> Any:
    if isinstance(value, float) and not isinstance(value, bool):
        if value != value:
            return ""
        text = repr(value) if value != int(value) else str(int(value))
        return text.replace(".", ",") if decimal_comma else text
    return csv_safe(value)


def _made(frames: dict[str, pd.DataFrame]) -> tuple[int, int, int, int, int, int]:
    scope = frames.get("Scope")
    if scope is not None:
        for item, value in scope.itertuples(index=False, name=None):
            if item == "Made (UTC)":
                try:
                    when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
                    return (max(when.year, 1980), when.month, when.day, when.hour,
                            when.minute, when.second)
                except ValueError:
                    break
    now = datetime.now()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def _zip(members: dict[str, bytes], when: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is honoured when unpacked
            info.external_attr = (0o100000 | MEMBER_MODE) << 16
            archive.writestr(info, blob)
    return buffer.getvalue()


def readme(frames: dict[str, pd.DataFrame], names: list[str], delimiter: str) -> str:
    """What the zip holds: title, scope, the lists read (version, copy, caveats, link), each
    file's columns with their meaning, the encoding and the formula guard."""
    lines = [title_of(frames), "=" * min(len(title_of(frames)), 100), ""]
    scope = frames.get("Scope")
    if scope is not None:
        lines += ["Scope", "-----"]
        lines += [f"{item}: {value}" for item, value in scope.itertuples(index=False, name=None)
                  if item != "Title"]
        lines.append("")
    sources = frames.get("Sources")
    if sources is not None and len(sources):
        lines += ["Sources (the lists compared, and the reference list)", "-" * 52]
        for row in sources.to_dict(orient="records"):
            lines.append(f"- {row['list']} ({row['jurisdiction']}): {row['list name']}, "
                         f"version {row['version']}; role: {row['role']}")
            lines.append(f"  copy: {row['copy']}")
            if row.get("caveats"):
                lines.append(f"  caveats: {row['caveats']}")
            lines.append(f"  citation: {row['citation']}")
            if row.get("link"):
                lines.append(f"  read it: {row['where to read it']}: {row['link']}")
            lines.append(f"  file read: {row['file read']} (sha256 {row['sha256']})")
        lines.append("")
    lines += ["Files", "-----"]
    dictionary = frames.get("Dictionary")
    for name in names:
        frame = frames[name]
        lines.append(f"{name.lower().replace(' ', '-')}.csv: {len(frame)} row(s)")
        for column in map(str, frame.columns):
            lines.append(f"  {column}: {_meaning(dictionary, name, column)}")
        lines.append("")
    if dictionary is not None:
        values = dictionary[dictionary["column or value"].astype(str).str.contains(": ")]
        if len(values):
            lines += ["Values", "------"]
            lines += [f"{v}: {m}" for v, m in zip(values["column or value"], values["meaning"],
                                                 strict=True)]
            lines.append("")
    lines += [
        "Format", "------",
        "UTF-8 with a byte-order mark; lines end with CR LF; fields separated by "
        + ("semicolons, decimals written with a comma (for spreadsheets set to a semicolon "
           "locale)." if delimiter == ";" else "commas, decimals written with a point."),
        "Ratios are fractions (0.85 = 85 %); where nothing is comparable the cell reads "
        "'not comparable', never 0. Dates are YYYY-MM-DD; times are UTC.",
        CSV_GUARD_RULE, "", DISCLAIMER, "",
    ]
    return "\r\n".join(lines)


_SHEET_OF = {"Sources": "About", "Terms": "About", "Pairs": "Agreement", "Table": "",
             "Party lists": "Parties"}


def _meaning(dictionary: pd.DataFrame | None, name: str, column: str) -> str:
    if dictionary is None:
        return ""
    sheet = _SHEET_OF.get(name, name)
    rows = dictionary[(dictionary["sheet"] == sheet)]
    found = rows.loc[rows["column or value"] == column, "meaning"]
    if len(found):
        return str(found.iloc[0])
    generic = rows.loc[rows["column or value"] == "<list id>", "meaning"]
    return str(generic.iloc[0]) if len(generic) else ""
