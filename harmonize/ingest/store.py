"""The local store: raw snapshots, parse cache and manifest (lineage: raw -> parsed -> shown).

Layout under HARMONIZE_HOME (default `.harmonize/` in the working directory):

    raw/<source-id>/<sha256>/<file>      the raw file as imported, content-addressed, never edited
    parsed/<list-id>-<key>.parquet       one parsed list; key = sha256 of raw + parser fingerprint
    parsed/<list-id>-<key>.unplaced.json text the loader could not place (reported, not dropped)
    parsed/<list-id>-<key>.lines.jsonl   the lines the loader read (`harmonize.ingest.linestream`)
    manifest.json                        what is loaded now: one record per source, with its lists

Every write goes to a temporary file first and is moved into place, so a crash leaves the
previous manifest and files as they were.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.collector import collector_paused
from harmonize.ingest import linestream
from harmonize.ingest.registry import Registry, require
from harmonize.ingest.safe_paths import folder_files
from harmonize.ingest.source import LoaderError, ParsedList
from harmonize.model import empty_frame, ensure_valid

MANIFEST = "manifest.json"


class StoreError(Exception):
    """The store cannot be read (a damaged manifest or parse cache): names the file."""


def home() -> Path:
    """The store folder: HARMONIZE_HOME, or `.harmonize` in the working directory."""
    return _resolved(os.environ.get("HARMONIZE_HOME", ".harmonize"), os.getcwd())


@functools.lru_cache(maxsize=16)
def _resolved(folder: str, cwd: str) -> Path:
    # Resolving walks the path with a system call per part; the dashboard asks for the store
    # folder dozens of times per page run (a profile of the server put 10 % of its time here).
    return (Path(cwd) / folder).resolve()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, payload: Any) -> None:
    atomic_write_bytes(path, json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8"))


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class ListRecord:
    """One parsed list in the manifest."""

    id: str
    jurisdiction: str
    list_name: str
    version: str
    citation: str
    url: str
    entries: int
    paragraphs: int
    notes: int
    headings_seen: int
    unplaced: int
    parsed_file: str
    loader_notes: list[str] = field(default_factory=list)
    detailed_categories: list[str] | None = None


@dataclass
class SourceRecord:
    """One imported source: the raw snapshot and the lists parsed from it."""

    id: str
    publisher: str
    format: str
    licence: str
    url: str
    raw_file: str
    origin: str  # where the raw file was imported from
    sha256: str
    size: int
    imported_at: str
    parse_key: str
    lists: list[ListRecord]
    not_parsed: list[str] = field(default_factory=list)  # other files in the folder, named


def read_manifest(root: Path | None = None) -> dict[str, Any]:
    path = (root or home()) / MANIFEST
    if not path.is_file():
        return {"sources": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(f"{path}: unreadable manifest ({error}); re-import to rebuild it") \
            from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("sources"), dict):
        raise StoreError(f"{path}: not a manifest (no 'sources' object)")
    return manifest


def write_manifest(manifest: dict[str, Any], root: Path | None = None) -> None:
    atomic_write_json((root or home()) / MANIFEST, manifest)


def source_records(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [manifest["sources"][k] for k in sorted(manifest["sources"])]


def list_records(manifest: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(source record, list record) pairs in a stable order."""
    for source in source_records(manifest):
        for lst in source["lists"]:
            yield source, lst


def load_lists(root: Path | None = None) -> pd.DataFrame:
    """Every loaded list as one table, read from the parse cache (no parsing here)."""
    return load_snapshot(root)[1]


def load_snapshot(root: Path | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """The manifest and the tables it names, read together: an import replacing the manifest
    meanwhile cannot mix versions (parse files are never overwritten, only added)."""
    base = root or home()
    manifest = read_manifest(base)
    frames = [
        pd.read_parquet(base / "parsed" / lst["parsed_file"])
        for _, lst in list_records(manifest)
    ]
    return manifest, (pd.concat(frames, ignore_index=True) if frames else empty_frame())


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ImportOutcome:
    """What happened to one source folder during an import."""

    source_id: str
    status: str  # "imported", "cached", "failed", "skipped"
    message: str = ""
    seconds: float = 0.0
    lists: list[dict[str, Any]] = field(default_factory=list)


ProgressFn = Callable[[str, int, int], None]


def import_dir(directory: Path, root: Path | None = None, progress: ProgressFn | None = None,
               *, registry: Registry) -> list[ImportOutcome]:
    """Import every source folder of `directory` (laid out as DIR/<source-id>/...) that a
    source of `registry` reads; the others are reported as skipped.

    One source failing does not stop the others; its previous snapshot stays in the manifest.
    """
    require(registry, "store.import_dir")
    base = root or home()
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a folder")
    folders = sorted(p for p in directory.iterdir() if p.is_dir())
    outcomes: list[ImportOutcome] = []
    for index, folder in enumerate(folders):
        if progress:
            progress(folder.name, index, len(folders))
        if folder.name not in registry:
            outcomes.append(ImportOutcome(folder.name, "skipped", "no loader for this folder"))
            continue
        outcomes.append(import_source(folder.name, folder, base, registry=registry))
    if progress:
        progress("done", len(folders), len(folders))
    return outcomes


def pick_file(folder: Path, patterns: tuple[str, ...]) -> tuple[Path | None, list[str]]:
    """The file a loader parses (first pattern that matches a readable file) and the other
    files, by name (refused ones with the reason). LoaderError when the only file a pattern
    matches is refused (a device, a pipe, a link leaving the folder, too large)."""
    found = folder_files(folder)
    refused = [f"{name} (refused: {reason})" for name, reason in found.refused]
    for pattern in patterns:
        matches = [p for p in found.readable if fnmatch.fnmatch(p.name, pattern)]
        if matches:
            chosen = matches[0]
            return chosen, [p.name for p in found.readable if p != chosen] + refused
        unreadable = [(n, r) for n, r in found.refused if fnmatch.fnmatch(n, pattern)]
        if unreadable:
            name, reason = unreadable[0]
            raise LoaderError(folder / name, "whole file", f"refused: {reason}")
    return None, [p.name for p in found.readable] + refused


def import_source(source_id: str, folder: Path, root: Path | None = None, *,
                  registry: Registry) -> ImportOutcome:
    """Snapshot one source's raw file, parse it with the source's reader in `registry` (or
    reuse the cached parse), update the manifest."""
    source = require(registry, "store.import_source").get(source_id)
    if source is None:
        return ImportOutcome(source_id, "skipped", "no loader for this folder")
    base = root or home()
    started = time.perf_counter()
    reader = source.reader
    meta = reader.meta
    try:
        raw, others = pick_file(folder, meta.file_patterns)
    except LoaderError as error:
        return ImportOutcome(source_id, "failed", str(error))
    except OSError as error:  # an unreadable folder fails alone; the other sources go on
        return ImportOutcome(source_id, "failed", f"{folder}: cannot be read: "
                                                  f"{error.strerror or error}")
    if raw is None:
        return ImportOutcome(source_id, "failed",
                             f"{folder}: no file matching {', '.join(meta.file_patterns)}")
    try:
        digest = sha256_file(raw)
        key = f"{digest[:16]}-{reader.fingerprint()}"
        manifest = read_manifest(base)
        previous = manifest["sources"].get(source_id)
        cached = _cached_lists(base, previous, key)
        status = "cached" if cached is not None else "imported"
        if cached is None:
            with collector_paused():
                parsed = reader.load().parse(raw)
                cached = [write_parsed(base, p, key) for p in parsed]
        snapshot = base / "raw" / source_id / digest / raw.name
        if not snapshot.is_file():
            atomic_write_bytes(snapshot, raw.read_bytes())
        record = SourceRecord(
            id=source_id, publisher=meta.publisher, format=meta.format, licence=meta.licence,
            url=meta.url, raw_file=str(snapshot.relative_to(base)), origin=str(raw.resolve()),
            sha256=digest, size=raw.stat().st_size, imported_at=now_iso(), parse_key=key,
            lists=cached, not_parsed=others,
        )
        manifest = read_manifest(base)  # re-read: keep what other imports wrote meanwhile
        manifest["sources"][source_id] = asdict(record)
        write_manifest(manifest, base)
    except LoaderError as error:
        return ImportOutcome(source_id, "failed", str(error), time.perf_counter() - started)
    except Exception as error:  # a loader bug must not stop the other sources
        return ImportOutcome(source_id, "failed", f"{raw}: {type(error).__name__}: {error}",
                             time.perf_counter() - started)
    return ImportOutcome(source_id, status, raw.name, time.perf_counter() - started,
                         [asdict(lst) for lst in cached])


def _cached_lists(base: Path, previous: dict[str, Any] | None, key: str) -> list[ListRecord] | None:
    """The previous parse, when the raw file and the parser are both unchanged."""
    if not previous or previous.get("parse_key") != key:
        return None
    lists = [ListRecord(**lst) for lst in previous["lists"]]
    if all((base / "parsed" / lst.parsed_file).is_file() for lst in lists):
        return lists
    return None


def write_parsed(base: Path, parsed: ParsedList, key: str) -> ListRecord:
    frame: pd.DataFrame = parsed.frame
    ensure_valid(frame)
    info = parsed.info
    name = f"{info.source_id}-{key}.parquet"
    atomic_write_parquet(base / "parsed" / name, frame)
    unplaced = [dict(vars(u)) for u in parsed.unplaced]  # its str fields; asdict deep-copies
    atomic_write_json(base / "parsed" / name.replace(".parquet", ".unplaced.json"), unplaced)
    atomic_write_bytes(linestream.lines_path(base / "parsed" / name),
                       linestream.encode(parsed.lines))
    kinds = frame["kind"].value_counts()
    return ListRecord(
        id=info.source_id, jurisdiction=info.jurisdiction, list_name=info.list_name,
        version=info.version, citation=info.citation, url=info.url,
        entries=int(kinds.get("entry", 0)), paragraphs=int(kinds.get("paragraph", 0)),
        notes=int(sum(kinds.get(k, 0) for k in ("note", "technical-note", "nb"))),
        headings_seen=int(parsed.headings_seen), unplaced=len(unplaced), parsed_file=name,
        loader_notes=list(parsed.notes),
        detailed_categories=(list(parsed.detailed_categories)
                             if parsed.detailed_categories is not None else None),
    )
