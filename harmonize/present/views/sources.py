"""Sources and versions: the lists loaded (version, import date, publisher URL), the kept
versions, what changed between two versions and one code's timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from harmonize.ingest.isolated import without_paths


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


# -- importing from the dashboard (the Sources page, where it is switched on) -------------------

NOTHING_IMPORTED = ("Nothing imported: no list this tool reads was found at that path, or the "
                    "path cannot be read. Give a folder laid out as DIR/<source-id>/<files> "
                    "(or a bundle made by `harmonize bundle`) on the server.")


@dataclass(frozen=True)
class ImportReport:
    """What the Sources page says after an import: `kind` is "done", "failed" (some sources
    failed, the others imported), "stopped" (a resource limit ended it) or "nothing"."""

    kind: str
    message: str
    rows: pd.DataFrame


def import_report(ok: bool, public_message: str, sources: Sequence[Mapping[str, Any]],
                  stopped: bool = False) -> ImportReport:
    """An isolated import's outcome (harmonize.ingest.isolated) for a visitor. Whatever made an
    import find nothing (a missing path, an unreadable one, a file, a folder without lists) gets
    the same words, so the page tells no server path from another; only the sources the tool
    reads are listed, never the names of other folders; messages carry no server path."""
    listed = [s for s in sources if s.get("status") in ("imported", "cached", "failed")]
    rows = pd.DataFrame([{"source": str(s.get("source_id", "")), "status": str(s["status"]),
                          "seconds": round(float(s.get("seconds") or 0.0), 1),
                          "message": without_paths(str(s.get("message", "")))[:300]}
                         for s in listed], columns=["source", "status", "seconds", "message"])
    if stopped:  # a limit ended the child: its message names the limit
        return ImportReport("stopped", public_message, rows)
    if not listed:
        return ImportReport("nothing", NOTHING_IMPORTED, rows)
    failed = rows.loc[rows["status"] == "failed", "source"].tolist()
    done = len(rows) - len(failed)
    if failed:
        return ImportReport("failed", f"{done} source(s) imported; failed: {', '.join(failed)} "
                                      "(their previous snapshots are kept).", rows)
    return ImportReport("done", f"{done} source(s) imported. Every page now reads them.", rows)


def shown_path(path: str) -> str:
    """A server path as a visitor may see it: its last part only."""
    return without_paths(path) if path.startswith("/") else path.rsplit("/", 1)[-1]
