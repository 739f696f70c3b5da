"""Offline bundles: the raw snapshots of a store in one zip, for an air-gapped machine.

`make_bundle(out)` writes a zip holding `bundle-manifest.json` and the raw files of the store:
the current snapshot of each source (`current/<source-id>/<file>`, with companion files such as
the eCFR parts beside the CCL under `companions/<source-id>/<file>`) and every version kept in
the history (`history/<source-id>/<version>/<file>`). The manifest lists, per file: kind, source
id, file, sha256, size, version, origin URL, origin, retrieved-at, imported-at (and the
retrieval facts of a refresh). Members are written in a fixed order with fixed timestamps; the
zip is written to a temporary file and moved into place.

`import_bundle(path)` takes the zip (or a folder holding `bundle-manifest.json` and the files,
e.g. an unpacked bundle) and checks everything before importing anything: every member name is
relative, without `..`, drive letters or backslashes; no symlinks or special files; at most
`MAX_MEMBERS` members, `MAX_FILE_BYTES` per file, `MAX_TOTAL_BYTES` in all, a compression ratio
under `MAX_RATIO`; every member is listed in the manifest and every listed file is present; the
bytes extracted (counted as they are written, never trusting the zip's headers) match the size
and sha256 of the manifest. Any failure raises `BundleError` naming the file and the reason,
and nothing is imported. Then the current snapshots go through `store.import_source` and the
history versions through `history.import_version`, so the parsed rows are the same as on the
machine that made the bundle.

`import_any(path)` is what `harmonize import PATH` calls: a bundle (zip or folder with a
bundle manifest), a folder of dated version folders (`DIR/<source-id>/<YYYY-MM-DD>/`, or one
source's `DIR/<YYYY-MM-DD>/`), or the plain layout `DIR/<source-id>/<files>` (`store.import_dir`).
A folder mixing plain and dated source folders imports each kind where it belongs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from harmonize import __version__
from harmonize.ingest import history, store
from harmonize.ingest.bundle_check import (  # noqa: F401  (part of this module's interface)
    BUNDLE_MANIFEST,
    CHUNK,
    FORMAT,
    MAX_FILE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_FLOOR,
    BundleError,
    open_source,
    read_manifest_data,
    safe_member_name,
    verify_and_extract,
)
from harmonize.ingest.registry import Registry, require
from harmonize.ingest.store import ImportOutcome, ProgressFn

ZIP_TIME = (2000, 1, 1, 0, 0, 0)


# -- writing ------------------------------------------------------------------------------------

@dataclass
class BundleSummary:
    out: Path
    files: int
    bytes: int
    sha256: str
    sources: list[str]
    versions: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"out": str(self.out), "files": self.files, "bytes": self.bytes,
                "sha256": self.sha256, "sources": self.sources, "versions": self.versions}


def bundle_entries(root: Path | None = None,
                   include_history: bool = True) -> list[tuple[Path, dict[str, Any]]]:
    """(file on disk, manifest entry) for every raw file the bundle carries."""
    base = root or store.home()
    entries: list[tuple[Path, dict[str, Any]]] = []
    for source in store.source_records(store.read_manifest(base)):
        sid = source["id"]
        raw = base / source["raw_file"]
        retrieval = source.get("retrieval") or {}
        version = max((lst["version"] for lst in source["lists"]), default="")
        entries.append((raw, {
            "kind": "current", "source_id": sid, "file": f"current/{sid}/{raw.name}",
            "sha256": source["sha256"], "size": source["size"], "version": version,
            "url": retrieval.get("url") or source["url"], "origin": source["origin"],
            "retrieved_at": retrieval.get("retrieved_at"), "imported_at": source["imported_at"],
            "retrieval": retrieval or None,
        }))
        for companion in source.get("companions", []):
            entries.append((raw.parent / companion["file"], {
                "kind": "companion", "source_id": sid,
                "file": f"companions/{sid}/{companion['file']}", "sha256": companion["sha256"],
                "size": companion["size"], "version": version, "url": companion["url"],
                "origin": companion["url"], "retrieved_at": companion.get("retrieved_at"),
                "imported_at": source["imported_at"], "retrieval": companion,
            }))
    if include_history:
        for record in history.iter_records(base):
            sid, version = record["source_id"], record["version"]
            folder = base / record["folder"] / "raw"
            retrieval = record.get("retrieval") or {}
            for f in record["files"]:
                entries.append((folder / f["name"], {
                    "kind": "history", "source_id": sid, "version": version,
                    "file": f"history/{sid}/{version}/{f['name']}", "sha256": f["sha256"],
                    "size": f["size"], "url": retrieval.get("url") or record.get("url", ""),
                    "origin": record.get("origin", ""),
                    "retrieved_at": retrieval.get("retrieved_at"),
                    "imported_at": record.get("imported_at"), "retrieval": retrieval or None,
                }))
    return entries


def make_bundle(out: Path, root: Path | None = None, include_history: bool = True,
                progress: ProgressFn | None = None) -> BundleSummary:
    """Write the bundle (see the module doc); the raw files are checked against their sha256
    on the way, so a damaged store never makes a bundle that looks sound."""
    out = Path(out)
    entries = bundle_entries(root, include_history)
    if not entries:
        raise BundleError(f"{store.home() if root is None else root}: the store holds no "
                          "snapshots; import or refresh first")
    manifest = {"format": FORMAT, "tool": f"harmonize {__version__}",
                "created_at": store.now_iso(), "files": [entry for _, entry in entries]}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    total = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            _write_member(zf, BUNDLE_MANIFEST, json.dumps(
                manifest, indent=2, ensure_ascii=False).encode("utf-8"))
            for index, (path, entry) in enumerate(entries):
                if progress:
                    progress(entry["file"], index, len(entries))
                total += _copy_member(zf, path, entry)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress:
        progress("done", len(entries), len(entries))
    return BundleSummary(
        out, len(entries), total, store.sha256_file(out),
        sorted({e["source_id"] for _, e in entries if e["kind"] == "current"}),
        sorted({f"{e['source_id']}@{e['version']}" for _, e in entries if e["kind"] == "history"}),
    )


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _write_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zf.writestr(_info(name), data)


def _copy_member(zf: zipfile.ZipFile, path: Path, entry: dict[str, Any]) -> int:
    if not path.is_file():
        raise BundleError(f"{path}: listed in the store but missing (entry {entry['file']})")
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as src, zf.open(_info(entry["file"]), "w", force_zip64=True) as dst:
        while block := src.read(CHUNK):
            digest.update(block)
            size += len(block)
            dst.write(block)
    if digest.hexdigest() != entry["sha256"]:
        raise BundleError(f"{path}: sha256 {digest.hexdigest()[:12]}… does not match the "
                          f"store's record {entry['sha256'][:12]}… (damaged store?)")
    return size


# -- importing ------------------------------------------------------------------------------------

def import_bundle(path: Path, root: Path | None = None, progress: ProgressFn | None = None,
                  *, registry: Registry) -> list[ImportOutcome]:
    """Verify a bundle completely, then import its current snapshots and history versions with
    the readers of `registry`."""
    require(registry, "bundle.import_bundle")
    path = Path(path)
    base = root or store.home()
    base.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(base)
    staging = Path(tempfile.mkdtemp(dir=base, prefix=f"{STAGING_PREFIX}{os.getpid()}."))
    try:
        manifest = verify_and_extract(path, staging)
        return _import_verified(path, staging, manifest, base, progress, registry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


STAGING_PREFIX = ".bundle-import."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_stale_staging(base: Path) -> list[str]:
    """Remove the extraction folders of bundle imports that were killed: their names carry the
    importing process's id, and that process is gone. Returns the names removed."""
    removed = []
    for folder in base.glob(f"{STAGING_PREFIX}*"):
        pid_text = folder.name[len(STAGING_PREFIX):].split(".", 1)[0]
        if folder.is_dir() and not (pid_text.isdigit() and _alive(int(pid_text))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def _import_verified(path: Path, staging: Path, manifest: dict[str, Any], base: Path,
                     progress: ProgressFn | None, registry: Registry) -> list[ImportOutcome]:
    entries = manifest["files"]
    current = [e for e in entries if e["kind"] == "current"]
    versions = sorted({(e["source_id"], e["version"]) for e in entries if e["kind"] == "history"})
    total = len(current) + len(versions)
    outcomes: list[ImportOutcome] = []
    for index, entry in enumerate(current):
        sid = entry["source_id"]
        if progress:
            progress(sid, index, total)
        if sid not in registry:
            outcomes.append(ImportOutcome(sid, "skipped", "no loader for this source"))
            continue
        outcome = store.import_source(sid, staging / "current" / sid, base, registry=registry)
        if outcome.status != "failed":
            _mark_origin(base, sid, path, entry, [
                e for e in entries if e["kind"] == "companion" and e["source_id"] == sid],
                staging)
            outcome.message = f"{outcome.message} (from bundle {path.name})"
        outcomes.append(outcome)
    for index, (sid, version) in enumerate(versions, start=len(current)):
        if progress:
            progress(f"{sid} {version}", index, total)
        outcome = history.import_version(sid, staging / "history" / sid / version, version, base,
                                         registry=registry)
        if outcome.status != "failed":
            _mark_history_origin(base, sid, version, path, entries)
        outcomes.append(outcome)
    if progress:
        progress("done", total, total)
    return outcomes


def _mark_origin(base: Path, sid: str, bundle: Path, entry: dict[str, Any],
                 companions: list[dict[str, Any]], staging: Path) -> None:
    """Say in the manifest that the snapshot came from a bundle, keep its first origin and the
    retrieval facts, and put companion files back beside the raw file."""
    manifest = store.read_manifest(base)
    record = manifest["sources"][sid]
    raw_dir = (base / record["raw_file"]).parent
    kept = []
    for companion in companions:
        name = PurePosixPath(companion["file"]).name
        target = raw_dir / name
        if not target.is_file():
            store.atomic_write_bytes(target, staging.joinpath(
                *PurePosixPath(companion["file"]).parts).read_bytes())
        kept.append(companion.get("retrieval") or {"file": name, "sha256": companion["sha256"],
                                                   "size": companion.get("size"),
                                                   "url": companion.get("url")})
    record["origin"] = f"{bundle.resolve()}!{entry['file']}"
    record["bundle"] = {"file": str(bundle.resolve()), "member": entry["file"],
                        "first_origin": entry.get("origin"), "imported_at": store.now_iso()}
    if entry.get("retrieval"):
        record["retrieval"] = entry["retrieval"]
    if kept:
        record["companions"] = kept
    store.write_manifest(manifest, base)


def _mark_history_origin(base: Path, sid: str, version: str, bundle: Path,
                         entries: list[dict[str, Any]]) -> None:
    index = history.read_index(base)
    record = index["sources"].get(sid, {}).get(version)
    if record is None:
        return
    mine = [e for e in entries if e["kind"] == "history" and e["source_id"] == sid
            and e["version"] == version]
    record["origin"] = f"{bundle.resolve()}!history/{sid}/{version}/"
    record["bundle"] = {"file": str(bundle.resolve()),
                        "first_origin": mine[0].get("origin") if mine else None}
    if mine and mine[0].get("retrieval"):
        record["retrieval"] = mine[0]["retrieval"]
    history.write_index(index, base)


def is_bundle(path: Path) -> bool:
    path = Path(path)
    if path.is_dir():
        return (path / BUNDLE_MANIFEST).is_file()
    return path.is_file() and zipfile.is_zipfile(path)


def import_any(path: Path, root: Path | None = None, progress: ProgressFn | None = None, *,
               registry: Registry) -> list[ImportOutcome]:
    """`harmonize import PATH`: a bundle, dated version folders, or the plain layout (see the
    module doc), read by the sources of `registry`. Raises BundleError for a damaged or unsafe
    bundle (nothing imported) and FileNotFoundError for a path that is neither a folder nor a
    bundle."""
    require(registry, "bundle.import_any")
    path = Path(path)
    if path.is_file():
        if not is_bundle(path) and path.suffix.lower() != ".zip":
            raise BundleError(f"{path}: not a folder and not a bundle (.zip)")
        return import_bundle(path, root, progress, registry=registry)
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such folder or bundle")
    if is_bundle(path):
        return import_bundle(path, root, progress, registry=registry)
    if history.has_dated_versions(path) and not history.is_history_layout(path):
        # one source's dated folders
        return history.import_history(path, root, progress, registry=registry)
    if not history.is_history_layout(path):
        return store.import_dir(path, root, progress, registry=registry)
    return _import_mixed(path, root, progress, registry)


def _import_mixed(path: Path, root: Path | None, progress: ProgressFn | None,
                  registry: Registry) -> list[ImportOutcome]:
    base = root or store.home()
    outcomes: list[ImportOutcome] = []
    folders = sorted(p for p in path.iterdir() if p.is_dir())
    for index, folder in enumerate(folders):
        if progress:
            progress(folder.name, index, len(folders))
        if history.has_dated_versions(folder):
            outcomes.extend(history.import_version(folder.name, version, version.name, base,
                                                   registry=registry)
                            for version in sorted(folder.iterdir())
                            if history.is_dated_folder(version))
            plain = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
            if not plain:
                continue
        if folder.name not in registry:
            outcomes.append(ImportOutcome(folder.name, "skipped", "no loader for this folder"))
            continue
        outcomes.append(store.import_source(folder.name, folder, base, registry=registry))
    if progress:
        progress("done", len(folders), len(folders))
    return outcomes


def iter_bundle_files(path: Path) -> Iterator[dict[str, Any]]:
    """The manifest entries of a bundle (after the same checks as an import, without
    extracting): for `harmonize bundle --list` style inspection."""
    source = open_source(Path(path))
    yield from read_manifest_data(source.manifest_bytes(), Path(path))["files"]
