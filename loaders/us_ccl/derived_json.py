"""US CCL: the eCFR-derived JSON (`ccl.json`, a third party's conversion of the eCFR XML)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from harmonize.codes import canonical_code
from harmonize.ingest.source import LoaderError, ParsedList
from loaders.us_ccl.build import DERIVED_JSON, finish_ccl
from loaders.us_ccl.meta import META
from loaders.us_ccl.records import ECCN, RawBlock, RawEntry

# Licence data the derived JSON leaves as text before the items: licence exception and field
# lines, "XX applies to ..." requirement rows, value lines ("$1500: 3A001.c.", "Yes for:"),
# pointers to the EAR's licence, reporting and exception sections, and the items statement.
# A "License Requirement Note: 1A006 does not apply ..." with text stays a note: it limits
# what the entry controls, as the other lists' notes do.
LICENCE_LINE = re.compile(
    r"^(?:\(\d\)\s*)?(?:"
    r"(?:LVS|GBS|CIV|STA|TSR|APP|ACA|ACE|ENC|IEC|LPP|AIA|ACM|TMP|RPL|NAC)\s*:"
    r"|(?:Reason\s+for\s+Control|Related\s+Controls|Related\s+Definitions"
    r"|Reporting\s+Requirements|Special\s+Reporting|Special\s+Conditions\s+for\s+STA"
    r"|Control\(s\)|Unit)\s*:|License\s+Requirements?(?:\s+Notes?)?\s*:\s*$"
    r"|[A-Z]{2,3}(?:\s*(?:,|and)\s*[A-Z]{2,3})*\s+applies\s+to\b"
    r"|\$[\d,]+\s*:|Yes\b.{0,40}:\s*$|N/A\b"
    r"|See\s+§\s*7(?:36|40|42|43|44|48)\.\S+\s.*\b(?:licen[cs]e|licensing|reporting)\b"
    r"|\(See\s+Part\s+740\b|Special\s+Post\s+Shipment\s+Verification\b"
    r"|For\s+all\s+destinations,\s+except\b|License\s+Exception\s+[A-Z]{3}\b"
    r"|This\s+licensing\s+requirement\b"
    r"|The\s+list\s+of\s+items\s+controlled\s+is\s+contained\s+in\s+the\s+ECCN\s+heading)",
    re.IGNORECASE,
)


# -- JSON (eCFR-derived) ----------------------------------------------------------------------
def count_headings_json(raw_text: str) -> dict[str, str]:
    """ECCNs in the raw JSON text by an independent regex: canonical -> 'entries[i]'."""
    found: dict[str, str] = {}
    for index, match in enumerate(re.finditer(r'"eccn"\s*:\s*"([^"]*)"', raw_text)):
        code = canonical_code(match[1]) or match[1]
        found.setdefault(code, f"entries[{index}]")
    return found


def parse_version_json(data: dict[str, Any]) -> str:
    """`ecfrIssueDate`, else the date in the versioner URL it was made from."""
    issue = data.get("ecfrIssueDate")
    if isinstance(issue, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", issue):
        return issue
    url = (data.get("source") or {}).get("url", "") if isinstance(data.get("source"), dict) else ""
    match = re.search(r"/full/(\d{4}-\d{2}-\d{2})/", url)
    if match:
        return match[1]
    raise ValueError("no ecfrIssueDate and no dated versioner URL")


def _licence_rows(raw_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in raw_rows:
        row: dict[str, Any] = {"control": r.get("control", ""),
                               "country_chart": r.get("countryChart", "")}
        if r.get("singleCellRow"):
            row["single_cell_row"] = True
        if r.get("requirementCellEmptyInSource"):
            row["requirement_cell_empty_in_source"] = True
        rows.append(row)
    return rows


def entries_from_json(path: Path, data: dict[str, Any]) -> tuple[list[RawEntry], list[str]]:
    """RawEntry per JSON entry, and the categories whose paragraph text the copy holds."""
    entries_raw = data.get("entries")
    if not isinstance(entries_raw, list):
        raise LoaderError(path, "top level", "no 'entries' list: not the eCFR-derived CCL JSON")
    deep = [str(c) for c in data.get("deepCategories") or []]
    entries: list[RawEntry] = []
    for i, item in enumerate(entries_raw):
        where = f"entries[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("eccn"), str):
            raise LoaderError(path, where, "entry without an 'eccn' string")
        eccn = item["eccn"].strip()
        if not ECCN.match(eccn):
            raise LoaderError(path, where, f"{eccn!r} is not an ECCN")
        details: dict[str, Any] = {}
        if item.get("countryChart"):
            details["licence_requirements"] = _licence_rows(item["countryChart"])
        if item.get("licenceExceptionFlags"):
            details["licence_exceptions"] = dict(item["licenceExceptionFlags"])
        for key, name in (("relatedControls", "related_controls"),
                          ("staSpecialConditions", "sta_special_conditions")):
            if item.get(key):
                details[name] = item[key]
        blocks: list[RawBlock] = []
        items_seen = False
        for j, it in enumerate(item.get("items") or []):
            if not isinstance(it, dict) or not isinstance(it.get("text"), str):
                raise LoaderError(path, f"{where}.items[{j}]", "item without text")
            kind, label = it.get("kind"), it.get("paragraph")
            if kind not in ("item", "note", "text"):
                raise LoaderError(path, f"{where}.items[{j}]", f"unknown item kind {kind!r}")
            items_seen = items_seen or kind == "item"
            if kind == "text" and not items_seen and LICENCE_LINE.match(it["text"].strip()):
                # Licence data printed before the items ("LVS: N/A", "Reason for Control: NS,
                # AT"): the entry's details, not a note (issue #14).
                details.setdefault("licence_text", []).append(" ".join(it["text"].split()))
                continue
            blocks.append(RawBlock(
                text=it["text"], location=f"{where}.items[{j}] ({eccn})",
                label=label if kind != "text" and isinstance(label, str) and label else None,
            ))
        entries.append(RawEntry(
            eccn=eccn, heading=" ".join(str(item.get("heading") or "").split()),
            location=f"{where} ({eccn})", reasons=str(item.get("reasonForControl") or ""),
            details=details, blocks=blocks,
        ))
    return entries, deep


def parse_json(path: Path, check_counts: bool = True) -> list[ParsedList]:
    try:
        raw_text = path.read_text(encoding="utf-8")
        data = json.loads(raw_text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LoaderError(path, "whole file", f"not readable JSON: {error}") from error
    if not isinstance(data, dict):
        raise LoaderError(path, "top level", "expected a JSON object")
    try:
        version = parse_version_json(data)
    except ValueError as error:
        raise LoaderError(path, "ecfrIssueDate", str(error)) from error
    entries, deep = entries_from_json(path, data)
    meta = dataclasses.replace(META, detailed_categories=tuple(deep) if deep else None)
    source = data.get("source")
    url = str(source.get("url") or "") if isinstance(source, dict) else ""
    return [finish_ccl(path, meta, version, entries, count_headings_json(raw_text), [],
                    check_counts, DERIVED_JSON, url=url)]
