"""Version history: several versions of a source side by side, and what changed between them.

Layout under the store (`HARMONIZE_HOME`), beside the "current" snapshots of `store.py`, which
stay as they are:

    history/index.json                                  every kept version: one record each
    history/<source-id>/<version>/<key>/raw/<files>     the raw file(s) of that version
    history/<source-id>/<version>/<key>/parsed/...      its parse cache (parquet, unplaced, lines)

`<version>` is the date of the legal text (the dated folder's name, `YYYY-MM-DD`); `<key>` is
the raw checksum and the parser fingerprint (as in the current store), so a re-import of the
same files with the same code reuses the parse, and a new parse is written beside the old one:
the index is replaced atomically and only then is the old folder removed. A failed or
interrupted import leaves the index and the previous version's files as they were.

Dated folders (`DIR/<source-id>/<YYYY-MM-DD>/…`, the layout of `shared/sources-history`) are
imported by `import_history`. The reader is chosen from the source's record in the registry the
caller hands in: the first of its older-edition readers that reads a file of the folder (e.g.
per-section Word files, or a PDF where the current edition is HTML), else its current reader; a
reader that `reads_folder` gets every matching file, the others the first file its patterns
pick. A version whose files no reader reads is reported as skipped with "no loader for this
version's format".

`changes` compares two versions of one list (entries and paragraphs added, removed, modified,
with word diffs; purely editorial edits folded away by `textnorm.editorial_key` unless asked
for); `timeline` follows one code through every kept version of every list, the current
snapshots included.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.ingest import linestream, store
from harmonize.ingest.registry import Reader, Registry, require
from harmonize.ingest.safe_paths import folder_files
from harmonize.ingest.source import LoaderError
from harmonize.ingest.store import ImportOutcome, ProgressFn
from harmonize.model import empty_frame

HISTORY = "history"
INDEX = "index.json"
DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CURRENT = "current"
KEYED_KINDS = ("entry", "paragraph")


class HistoryError(ValueError):
    """A version or list asked for is not in the history (the message names what is)."""



def _publish(staging: Path, final: Path) -> None:
    """Move a fully written version folder into place (replacing an older copy of it)."""
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)

def history_root(root: Path | None = None) -> Path:
    return (root or store.home()) / HISTORY


def read_index(root: Path | None = None) -> dict[str, Any]:
    path = history_root(root) / INDEX
    if not path.is_file():
        return {"sources": {}}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def write_index(index: dict[str, Any], root: Path | None = None) -> None:
    store.atomic_write_json(history_root(root) / INDEX, index)


# -- which reader reads a version --------------------------------------------------------------

@dataclass
class VersionFiles:
    """What one dated folder holds for its reader: the files to keep and the path to parse."""

    reader: Reader | None
    files: list[Path]  # the raw files kept in the snapshot
    others: list[str]  # files in the folder the reader does not read, by name
    reason: str = ""  # why no reader reads this version (when reader is None)


def version_files(source_id: str, folder: Path, *, registry: Registry) -> VersionFiles:
    """The reader for one version folder and the files it reads (see the module doc)."""
    source = require(registry, "history.version_files").get(source_id)
    names = folder_files(folder).readable
    if source is None:
        return VersionFiles(None, [], [p.name for p in names], "no loader for this source")
    for edition in source.editions:
        if edition.reads_folder:
            files = [p for p in names if edition.reads(p)]
            if files:
                return VersionFiles(edition, files, [p.name for p in names if p not in files])
        elif any(edition.reads(p) for p in names):
            raw, others = store.pick_file(folder, edition.patterns)
            if raw is not None:
                return VersionFiles(edition, [raw], others)
    raw, others = store.pick_file(folder, source.reader.patterns)
    if raw is None:
        suffixes = sorted({p.suffix.lower() or p.name for p in names})
        return VersionFiles(
            None, [], [p.name for p in names],
            f"no loader for this version's format ({', '.join(suffixes) or 'no files'}): "
            f"the {source_id} loader reads {', '.join(source.reader.patterns)}")
    return VersionFiles(source.reader, [raw], others)


def combined_sha256(files: list[tuple[str, str]]) -> str:
    """One checksum for a set of files: sha256 of `name<TAB>sha256` lines, sorted by name.
    A single file's checksum is its own sha256 (as in the current store)."""
    if len(files) == 1:
        return files[0][1]
    digest = hashlib.sha256()
    for name, sha in sorted(files):
        digest.update(f"{name}\t{sha}\n".encode())
    return digest.hexdigest()


# -- import ----------------------------------------------------------------------------------

def is_dated_folder(path: Path) -> bool:
    return path.is_dir() and bool(DATE_DIR.match(path.name))


def has_dated_versions(source_folder: Path) -> bool:
    """`DIR/<source-id>/` holds dated version folders (`YYYY-MM-DD/`)."""
    return source_folder.is_dir() and any(is_dated_folder(p) for p in source_folder.iterdir())


def is_history_layout(directory: Path) -> bool:
    """`DIR/<source-id>/<YYYY-MM-DD>/…` for at least one source."""
    return directory.is_dir() and any(has_dated_versions(p) for p in directory.iterdir()
                                      if p.is_dir())


def import_history(directory: Path, root: Path | None = None,
                   progress: ProgressFn | None = None, *,
                   registry: Registry) -> list[ImportOutcome]:
    """Import every dated version folder of `directory` (`DIR/<source-id>/<YYYY-MM-DD>/`), or
    of one source's folder when `directory` itself holds the dated folders (its name is then
    the source id). One version failing does not stop the others."""
    require(registry, "history.import_history")
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a folder")
    if has_dated_versions(directory) and not is_history_layout(directory):
        jobs = [(directory.name, p) for p in sorted(directory.iterdir()) if is_dated_folder(p)]
    else:
        jobs = [(src.name, p) for src in sorted(directory.iterdir()) if src.is_dir()
                for p in sorted(src.iterdir()) if is_dated_folder(p)]
    outcomes: list[ImportOutcome] = []
    for index, (source_id, folder) in enumerate(jobs):
        if progress:
            progress(f"{source_id} {folder.name}", index, len(jobs))
        outcomes.append(import_version(source_id, folder, folder.name, root, registry=registry))
    if progress:
        progress("done", len(jobs), len(jobs))
    return outcomes


def import_version(source_id: str, folder: Path, version: str, root: Path | None = None, *,
                   registry: Registry) -> ImportOutcome:
    """Snapshot and parse one version of one source into the history (see the module doc)."""
    require(registry, "history.import_version")
    base = root or store.home()
    label = f"{source_id}@{version}"
    started = time.perf_counter()
    if not DATE_DIR.match(version):
        return ImportOutcome(label, "failed", f"{folder}: version {version!r} is not YYYY-MM-DD")
    try:
        chosen = version_files(source_id, folder, registry=registry)
    except LoaderError as error:
        return ImportOutcome(label, "failed", str(error))
    except OSError as error:  # an unreadable folder fails alone
        return ImportOutcome(label, "failed", f"{folder}: cannot be read: "
                                              f"{error.strerror or error}")
    if chosen.reader is None:
        return ImportOutcome(label, "skipped", f"{folder}: {chosen.reason}")
    reader = chosen.reader
    try:
        hashed = [(p.name, store.sha256_file(p)) for p in chosen.files]
        digest = combined_sha256(hashed)
        key = f"{digest[:16]}-{reader.fingerprint()}"
        previous = read_index(base)["sources"].get(source_id, {}).get(version)
        if previous and previous.get("parse_key") == key and _complete(base, previous):
            status = "cached"
            record = dict(previous)
        else:
            status = "imported"
            record = _build_version(base, source_id, version, reader, chosen, hashed, digest, key)
        record["origin"] = str(folder.resolve())
        record["imported_at"] = store.now_iso()
        _commit(base, source_id, version, record)
    except LoaderError as error:
        return ImportOutcome(label, "failed", str(error), time.perf_counter() - started)
    except Exception as error:  # a loader bug must not stop the other versions
        return ImportOutcome(label, "failed", f"{folder}: {type(error).__name__}: {error}",
                             time.perf_counter() - started)
    return ImportOutcome(label, status, ", ".join(n for n, _ in hashed[:3])
                         + (f" (+{len(hashed) - 3} files)" if len(hashed) > 3 else ""),
                         time.perf_counter() - started, list(record["lists"]))


def _version_dir(base: Path, source_id: str, version: str) -> Path:
    return history_root(base) / source_id / version


def _complete(base: Path, record: dict[str, Any]) -> bool:
    folder = base / record["folder"]
    return all((folder / "raw" / f["name"]).is_file() for f in record["files"]) and all(
        (folder / "parsed" / lst["parsed_file"]).is_file() for lst in record["lists"])


def _build_version(base: Path, source_id: str, version: str, reader: Reader,
                   chosen: VersionFiles, hashed: list[tuple[str, str]], digest: str,
                   key: str) -> dict[str, Any]:
    """Copy the raw files into a temporary folder, parse the copies, write the parse cache,
    then move the folder into place (an existing folder of the same key is replaced)."""
    parent = _version_dir(base, source_id, version)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{key}.", suffix=".tmp"))
    try:
        raw_dir = staging / "raw"
        raw_dir.mkdir()
        for path, (name, sha) in zip(chosen.files, hashed, strict=True):
            shutil.copyfile(path, raw_dir / name)
            if store.sha256_file(raw_dir / name) != sha:
                raise OSError(f"{path}: changed while it was copied")
        target = raw_dir if reader.reads_folder else raw_dir / chosen.files[0].name
        parsed = reader.load().parse(target)
        # The store's parse-cache writer, aimed at this version's folder (staging/parsed/).
        lists = [asdict(store.write_parsed(staging, p, key)) for p in parsed]
        final = parent / key
        _publish(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    meta = reader.meta
    return {
        "source_id": source_id, "version": version, "loader": reader.module,
        "publisher": meta.publisher, "format": meta.format, "url": meta.url,
        "folder": str(final.relative_to(base)), "sha256": digest, "parse_key": key,
        "files": [{"name": n, "sha256": s, "size": (final / "raw" / n).stat().st_size}
                  for n, s in hashed],
        "not_parsed": chosen.others, "lists": lists,
        "text_versions": sorted({lst["version"] for lst in lists}),
    }


def _commit(base: Path, source_id: str, version: str, record: dict[str, Any]) -> None:
    """Replace the index atomically, then remove this version's other (older) folders."""
    index = read_index(base)
    index["sources"].setdefault(source_id, {})[version] = record
    write_index(index, base)
    keep = (base / record["folder"]).name
    for other in _version_dir(base, source_id, version).iterdir():
        if other.name != keep and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


def adopt_current(source_id: str, root: Path | None = None,
                  extra: dict[str, Any] | None = None, *,
                  registry: Registry) -> dict[str, Any] | None:
    """Keep the current snapshot of a source (e.g. just refreshed) in the history too, under the
    version date of its legal text, by copying its raw file and parse cache (no re-parse)."""
    known = require(registry, "history.adopt_current").get(source_id)
    base = root or store.home()
    source = store.read_manifest(base)["sources"].get(source_id)
    if not source or not source["lists"]:
        return None
    version = max(lst["version"] for lst in source["lists"])
    key = source["parse_key"]
    parent = _version_dir(base, source_id, version)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{key}.", suffix=".tmp"))
    raw = base / source["raw_file"]
    companions = [c["file"] for c in source.get("companions", [])]
    try:
        (staging / "raw").mkdir()
        (staging / "parsed").mkdir()
        for name in [raw.name, *companions]:
            shutil.copyfile(raw.parent / name, staging / "raw" / name)
        for lst in source["lists"]:
            name = lst["parsed_file"]
            shutil.copyfile(base / "parsed" / name, staging / "parsed" / name)
            for kept in (name.replace(".parquet", ".unplaced.json"),
                         linestream.lines_path(Path(name)).name):
                if (base / "parsed" / kept).is_file():
                    shutil.copyfile(base / "parsed" / kept, staging / "parsed" / kept)
        final = parent / key
        _publish(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    record = {
        "source_id": source_id, "version": version,
        "loader": known.reader.module if known is not None else "",
        "publisher": source["publisher"], "format": source["format"], "url": source["url"],
        "folder": str(final.relative_to(base)), "sha256": source["sha256"], "parse_key": key,
        "files": [{"name": raw.name, "sha256": source["sha256"], "size": source["size"]}],
        "not_parsed": source.get("not_parsed", []), "lists": source["lists"],
        "text_versions": sorted({lst["version"] for lst in source["lists"]}),
        "origin": source["origin"], "imported_at": source["imported_at"], **(extra or {}),
    }
    _commit(base, source_id, version, record)
    return record


# -- reading versions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ListVersion:
    """One list as kept in one version (history or the current store)."""

    list_id: str
    source_id: str
    version: str  # version key: the dated folder's date (history) or the text's date (current)
    text_version: str  # the version date the loader read in the text
    parsed_path: Path
    current: bool = False


def list_versions(root: Path | None = None, include_current: bool = True) -> list[ListVersion]:
    """Every kept version of every list, oldest first per list; the current snapshot counts as
    a version unless the history already keeps a version of that date."""
    base = root or store.home()
    found: dict[tuple[str, str], ListVersion] = {}
    for source_id, versions in read_index(base)["sources"].items():
        for version, record in versions.items():
            for lst in record["lists"]:
                found[(lst["id"], version)] = ListVersion(
                    lst["id"], source_id, version, lst["version"],
                    base / record["folder"] / "parsed" / lst["parsed_file"])
    if include_current:
        for source, lst in store.list_records(store.read_manifest(base)):
            key = (lst["id"], lst["version"])
            if key not in found:
                found[key] = ListVersion(lst["id"], source["id"], lst["version"], lst["version"],
                                         base / "parsed" / lst["parsed_file"], current=True)
    return sorted(found.values(), key=lambda v: (v.list_id, v.version))


def versions_of(list_id: str, root: Path | None = None) -> list[ListVersion]:
    """The versions of one list (a list id, e.g. a munitions list kept beside its source's
    main list, or a source id whose main list has the same id)."""
    every = list_versions(root)
    mine = [v for v in every if v.list_id == list_id]
    if not mine:
        known = sorted({v.list_id for v in every})
        raise HistoryError(f"no versions of {list_id!r} kept (lists with versions: "
                           f"{', '.join(known) or 'none'}); import dated folders first: "
                           "harmonize import DIR/<source-id>/<YYYY-MM-DD>/")
    return mine


def pick(versions: list[ListVersion], wanted: str) -> ListVersion:
    if wanted == CURRENT:
        current = [v for v in versions if v.current] or versions[-1:]
        return current[-1]
    for v in versions:
        if wanted in (v.version, v.text_version):
            return v
    raise HistoryError(f"{versions[0].list_id}: no version {wanted!r} (kept: "
                       f"{', '.join(v.version for v in versions)})")


def read_rows(version: ListVersion) -> pd.DataFrame:
    return pd.read_parquet(version.parsed_path)


# -- the lists as they stood on a date -----------------------------------------------------------

def version_dates(root: Path | None = None) -> list[str]:
    """Every version date kept for any loaded list, newest first (choices for "as of")."""
    return sorted({v.text_version for v in list_versions(root)}, reverse=True)


def snapshot_as_of(as_of: str, root: Path | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """The loaded lists as they stood on `as_of`: for each list, the latest kept version whose
    legal text is dated on or before it. A list with no version by then is left out (not
    loaded for that date, which is not the same as absent)."""
    if not DATE_DIR.match(as_of):
        raise HistoryError(f"as of {as_of!r}: not a YYYY-MM-DD date")
    base = root or store.home()
    by_list: dict[str, list[ListVersion]] = {}
    for version in list_versions(base):
        if version.text_version <= as_of:
            by_list.setdefault(version.list_id, []).append(version)
    sources: dict[str, Any] = {}
    frames = []
    for source_id, source in store.read_manifest(base)["sources"].items():
        lists = []
        for lst in source["lists"]:
            kept = sorted(by_list.get(lst["id"], []), key=lambda v: v.text_version)
            if kept:
                lists.append({**lst, "version": kept[-1].text_version})
                frames.append(read_rows(kept[-1]))
        if lists:
            sources[source_id] = {**source, "lists": lists}
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame()
    return {"sources": sources, "as_of": as_of}, frame


def iter_records(root: Path | None = None) -> Iterator[dict[str, Any]]:
    """Every version record of the history index, by source then version."""
    index = read_index(root)
    for source_id in sorted(index["sources"]):
        for version in sorted(index["sources"][source_id]):
            yield index["sources"][source_id][version]
