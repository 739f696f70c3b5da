"""Party lists in the store: raw snapshots, parse cache and the manifest's `parties` section.

Beside the control lists (harmonize.ingest.store), under the same HARMONIZE_HOME:

    raw/<source-id>/<sha256>/<file>                    each raw file of a party source
    parsed/parties-<source-id>-<key>.parquet           its records (harmonize.ingest.parties);
                                                       key = sha256 of the files + reader code
    parsed/parties-<source-id>-<key>.unplaced.json     rows the reader could not read
    manifest.json  "parties": {<source-id>: record}    files, checksums, lists, counts, notes,
                                                       and for a derived copy its cross-check

`import_party_dir(directory, readers)` imports the folders of `directory` that a reader knows
(`readers` maps source id -> reader module, handed in by the entry point: the core imports no
loader). A derived copy (`META.copy_of`) is parsed and compared with the source it copies:
counts per list and names that agree or differ.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from harmonize.fingerprint import code_fingerprint
from harmonize.ingest.parties import (
    PartyParse,
    PartySourceMeta,
    empty_parties,
    records_frame,
    validate_parties,
)
from harmonize.ingest.store import (
    ImportOutcome,
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_parquet,
    home,
    now_iso,
    read_manifest,
    sha256_file,
    write_manifest,
)

SECTION = "parties"


class PartyReader(Protocol):
    """A party reader module (loaders/party_lists/*): its metadata and its parse function."""

    META: PartySourceMeta
    __name__: str

    def parse(self, files: list[Path]) -> PartyParse: ...


DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def party_files(folder: Path, patterns: tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """The files a reader parses (every match of its patterns, in subfolders too) and the
    other files, by name. Dated version folders (YYYY-MM-DD/) are not read: party lists keep
    no history yet."""
    def current(path: Path) -> bool:
        inside = path.relative_to(folder).parts[:-1]
        return path.is_file() and not path.name.startswith(".") and not any(
            DATED.match(part) for part in inside)

    chosen = sorted({p for pattern in patterns for p in folder.rglob(pattern) if current(p)})
    others = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                    if current(p) and p not in chosen)
    return chosen, others


def import_party_dir(directory: Path, readers: Mapping[str, PartyReader],
                     root: Path | None = None) -> list[ImportOutcome]:
    """Import every folder of `directory` named like a party source; then cross-check the
    derived copies against the sources they copy. One source failing does not stop the
    others; its previous snapshot stays in the manifest."""
    base = root or home()
    outcomes = [import_party_source(readers[folder.name], folder, base)
                for folder in sorted(p for p in directory.iterdir() if p.is_dir())
                if folder.name in readers]
    for outcome in outcomes:
        if outcome.status in ("imported", "cached"):
            check = cross_check_source(outcome.source_id, base)
            if check:
                outcome.message += f"; cross-check with {check['of']}: {check['summary']}"
    return outcomes


def import_party_source(reader: PartyReader, folder: Path, root: Path | None = None
                        ) -> ImportOutcome:
    """Snapshot one party source's files, parse them (or reuse the cached parse), record it."""
    base = root or home()
    meta = reader.META
    started = time.perf_counter()
    files, others = party_files(folder, meta.file_patterns)
    if not files:
        return ImportOutcome(meta.source_id, "failed",
                             f"{folder}: no file matching {', '.join(meta.file_patterns)}")
    try:
        digests = {path: sha256_file(path) for path in files}
        combined = hashlib.sha256("".join(
            f"{p.relative_to(folder)}\0{d}\n" for p, d in digests.items()).encode()).hexdigest()
        key = f"{combined[:16]}-{code_fingerprint([reader.__name__])}"
        name = f"parties-{meta.source_id}-{key}.parquet"
        previous = read_manifest(base).get(SECTION, {}).get(meta.source_id)
        cached = (previous is not None and previous.get("parse_key") == key
                  and (base / "parsed" / name).is_file())
        if cached:
            assert previous is not None
            summary = {k: previous[k] for k in ("lists", "records", "unplaced", "notes",
                                                "stated_counts")}
        else:
            summary = _parse_and_write(reader, files, base, name)
        snapshots = []
        for path, digest in digests.items():
            snapshot = base / "raw" / meta.source_id / digest / path.name
            if not snapshot.is_file():
                atomic_write_bytes(snapshot, path.read_bytes())
            snapshots.append({"name": str(path.relative_to(folder)), "sha256": digest,
                              "size": path.stat().st_size, "origin": str(path.resolve()),
                              "raw_file": str(snapshot.relative_to(base))})
        record = {"id": meta.source_id, **asdict(meta), "files": snapshots,
                  "imported_at": now_iso(), "parse_key": key, "parsed_file": name,
                  "not_parsed": others, **summary}
        manifest = read_manifest(base)  # re-read: keep what other imports wrote meanwhile
        manifest.setdefault(SECTION, {})[meta.source_id] = record
        write_manifest(manifest, base)
    except Exception as error:  # a reader's error names the file and place; others too
        return ImportOutcome(meta.source_id, "failed", f"{type(error).__name__}: {error}",
                             time.perf_counter() - started)
    counts = ", ".join(f"{lst['list_id']} {lst['records']}" for lst in summary["lists"])
    return ImportOutcome(meta.source_id, "cached" if cached else "imported",
                         f"{len(files)} file(s); {summary['records']} records ({counts}); "
                         f"unplaced {summary['unplaced']}", time.perf_counter() - started)


def _parse_and_write(reader: PartyReader, files: list[Path], base: Path,
                     name: str) -> dict[str, Any]:
    parsed = reader.parse(files)
    frame = records_frame(parsed.records, {lst.list_id: lst.version for lst in parsed.lists})
    validate_parties(frame)
    atomic_write_parquet(base / "parsed" / name, frame)
    atomic_write_json(base / "parsed" / name.replace(".parquet", ".unplaced.json"),
                      [asdict(u) for u in parsed.unplaced])
    per_list = frame["list_id"].value_counts().to_dict()
    return {"lists": [{**asdict(lst), "records": int(per_list.get(lst.list_id, 0))}
                      for lst in parsed.lists],
            "records": len(frame), "unplaced": len(parsed.unplaced),
            "notes": list(parsed.notes), "stated_counts": dict(parsed.stated_counts)}


def party_sources(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    section = manifest.get(SECTION, {})
    return section if isinstance(section, dict) else {}


def primary_sources(manifest: dict[str, Any]) -> list[str]:
    """Sources whose records make the parties: every loaded source, except a derived copy
    whose original is loaded too."""
    loaded = party_sources(manifest)
    return sorted(s for s, rec in loaded.items() if not rec.get("copy_of")
                  or rec["copy_of"] not in loaded)


def load_party_records(root: Path | None = None, sources: list[str] | None = None,
                       manifest: dict[str, Any] | None = None) -> pd.DataFrame:
    """The records of the given sources (default: the primary ones), from the parse cache."""
    base = root or home()
    manifest = manifest if manifest is not None else read_manifest(base)
    loaded = party_sources(manifest)
    wanted = primary_sources(manifest) if sources is None else sources
    frames = [pd.read_parquet(base / "parsed" / loaded[s]["parsed_file"])
              for s in wanted if s in loaded]
    return (pd.concat(frames, ignore_index=True) if frames else empty_parties())


def load_unplaced(source_id: str, root: Path | None = None) -> list[dict[str, Any]]:
    import json

    base = root or home()
    record = party_sources(read_manifest(base)).get(source_id)
    if not record:
        return []
    path = base / "parsed" / str(record["parsed_file"]).replace(".parquet", ".unplaced.json")
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return list(data) if isinstance(data, list) else []


# -- cross-check of a derived copy ------------------------------------------------------------


def name_key(name: str) -> str:
    """A loose key for comparing two parses of one list: no brackets, letters and digits."""
    return re.sub(r"[^0-9a-z]", "", re.sub(r"\([^)]*\)?", "", name.casefold()))


def cross_check(original: pd.DataFrame, stated: Mapping[str, int], copy: pd.DataFrame,
                copy_stated: Mapping[str, int]) -> dict[str, Any]:
    """Per list: entries counted in each (`stated`: rows the original prints, the count the
    copy states) and names found in both, only in the original, only in the copy."""
    lists: dict[str, Any] = {}
    for list_id in sorted(set(copy["list_id"])):
        ours = original[original["list_id"] == list_id]
        theirs = copy[copy["list_id"] == list_id]
        ours_keys = set(ours["name"].map(name_key)) | {
            name_key(a) for aliases in ours["aliases"] for a in aliases}
        their_names = list(theirs["name"])
        found = [n for n in their_names if name_key(n) in ours_keys]
        missing = sorted(set(their_names) - set(found))
        their_keys = {name_key(n) for n in their_names}
        extra = sorted({n for n in ours[ours["part_of"] == ""]["name"]
                        if name_key(n) not in their_keys})
        counts = (int(stated.get(list_id, len(ours))), int(copy_stated.get(list_id,
                                                                           len(theirs))))
        lists[list_id] = {"original_entries": counts[0], "copy_entries": counts[1],
                          "counts_agree": counts[0] == counts[1],
                          "names_in_both": len(found), "only_in_copy": len(missing),
                          "only_in_original": len(extra),
                          "examples_only_in_copy": missing[:15],
                          "examples_only_in_original": extra[:15]}
    summary = "; ".join(
        f"{lid} {v['original_entries']} vs {v['copy_entries']} "
        f"({'counts agree' if v['counts_agree'] else 'counts differ'}), "
        f"{v['names_in_both']} names agree, {v['only_in_copy']} only in the copy"
        for lid, v in lists.items())
    return {"lists": lists, "summary": summary}


def cross_check_source(source_id: str, root: Path | None = None) -> dict[str, Any] | None:
    """Compare a derived copy with its original when both are loaded; the result is written
    into the copy's manifest record (`cross_check`) and returned."""
    base = root or home()
    manifest = read_manifest(base)
    loaded = party_sources(manifest)
    record = loaded.get(source_id, {})
    original = record.get("copy_of")
    if not original or original not in loaded:
        return None
    result = cross_check(load_party_records(base, [original], manifest),
                         loaded[original].get("stated_counts", {}),
                         load_party_records(base, [source_id], manifest),
                         record.get("stated_counts", {}))
    result["of"] = original
    manifest = read_manifest(base)
    manifest[SECTION][source_id]["cross_check"] = result
    write_manifest(manifest, base)
    return result
