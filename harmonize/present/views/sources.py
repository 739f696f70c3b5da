"""Sources and versions: the lists loaded (version, import date, publisher URL), the kept
versions, what changed between two versions and one code's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def source_versions(manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per loaded list: jurisdiction, list, version of the legal text, import date."""
    rows = []
    for sid in sorted(manifest.get("sources", {})):
        src = manifest["sources"][sid]
        for lst in src["lists"]:
            rows.append({
                "source": sid, "list": lst["id"], "jurisdiction": lst["jurisdiction"],
                "list name": lst["list_name"], "version": lst["version"],
                "imported": str(src["imported_at"]).replace("T", " ").replace("Z", " UTC"),
                "entries": lst.get("entries", 0), "paragraphs": lst.get("paragraphs", 0),
            })
    return pd.DataFrame(rows, columns=["source", "list", "jurisdiction", "list name", "version",
                                       "imported", "entries", "paragraphs"])


def list_urls(manifest: dict[str, Any]) -> dict[str, str]:
    """List id and source id -> the publisher's URL of that list (http(s) only)."""
    urls: dict[str, str] = {}
    for sid, src in manifest.get("sources", {}).items():
        for lst in src["lists"]:
            url = str(lst.get("url") or src.get("url") or "")
            if url.startswith(("https://", "http://")):
                urls[str(lst["id"])] = url
                urls.setdefault(sid, url)
    return urls


def timeline_table(timeline: dict[str, Any]) -> pd.DataFrame:
    """One row per list: the first kept version holding the code, the versions that changed
    it, the one that dropped it, and how many versions are kept (the first kept version is not
    a date of adoption when older versions are not loaded)."""
    rows = [{
        "list": item["list"],
        "first kept version with it": item["first"] or "",
        "changed in": ", ".join(item["changed"]),
        "dropped in": item["dropped"] or "",
        "versions kept": len(item["versions"]),
        "earliest kept": item["versions"][0] if item["versions"] else "",
    } for item in timeline["lists"]]
    return pd.DataFrame(rows, columns=["list", "first kept version with it", "changed in",
                                       "dropped in", "versions kept", "earliest kept"])


def changes_table(changes: dict[str, Any]) -> pd.DataFrame:
    """Added, removed and modified codes between two versions, one row each (diffs as text)."""
    rows = [{"code": c, "change": "added", "difference": ""} for c in changes["added"]]
    rows += [{"code": c, "change": "removed", "difference": ""} for c in changes["removed"]]
    rows += [{"code": m["canonical"], "change": "modified", "difference": str(m["diff"])}
             for m in changes["modified"]]
    return pd.DataFrame(rows, columns=["code", "change", "difference"])


def versions_table(versions: Sequence[Any]) -> pd.DataFrame:
    """The kept versions per list (history and current)."""
    grouped: dict[str, list[str]] = {}
    for version in versions:
        grouped.setdefault(version.list_id, []).append(version.text_version)
    return pd.DataFrame([{"list": k, "versions": len(v), "dates": ", ".join(sorted(v))}
                         for k, v in sorted(grouped.items())],
                        columns=["list", "versions", "dates"])
