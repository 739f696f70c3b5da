"""Checking a bundle before anything of it is used: member names, the manifest, sizes, ratios
and checksums (see `bundle.py` for the layout). `verify_and_extract` copies a bundle that
passes every check into a staging folder; anything else is a `BundleError` naming the bundle,
the member and the reason, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Any

from harmonize.ingest import history

BUNDLE_MANIFEST = "bundle-manifest.json"
FORMAT = "harmonize-bundle/1"
MAX_MEMBERS = 20_000
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
CHUNK = 1 << 20


class BundleError(Exception):
    """A bundle cannot be imported: names the bundle, the file and the reason."""


# -- checking and reading ----------------------------------------------------------------------

def safe_member_name(name: str, bundle: Path) -> PurePosixPath:
    """A member name that stays inside the extraction folder, or BundleError."""
    reason = ""
    if not name or "\x00" in name:
        reason = "empty name or NUL byte"
    elif "\\" in name:
        reason = "backslash in the name"
    elif name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        reason = "absolute path"
    else:
        parts = name.split("/")
        if ".." in parts:
            reason = "path traversal ('..')"
        elif any(p in ("", ".") for p in parts):
            # `./x`, `x//y`, `x/./y` name the same file as `x`, `x/y`: one spelling only
            reason = "not a plain path (empty or '.' part)"
    if reason:
        raise BundleError(f"{bundle}: member {name!r}: {reason}")
    return PurePosixPath(name)


def read_manifest_data(data: bytes, bundle: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"{bundle}: {BUNDLE_MANIFEST} is not JSON: {error}") from None
    except RecursionError:
        raise BundleError(f"{bundle}: {BUNDLE_MANIFEST}: nested too deeply") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{bundle}: {BUNDLE_MANIFEST}: format "
                          f"{manifest.get('format') if isinstance(manifest, dict) else None!r}, "
                          f"expected {FORMAT!r}")
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleError(f"{bundle}: {BUNDLE_MANIFEST}: no 'files' list")
    seen: set[str] = set()
    for entry in files:
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) for k in ("kind", "source_id", "file", "sha256")):
            raise BundleError(f"{bundle}: {BUNDLE_MANIFEST}: malformed entry {entry!r:.200}")
        name = entry["file"]
        safe_member_name(name, bundle)
        if entry["kind"] not in ("current", "companion", "history"):
            raise BundleError(f"{bundle}: {name}: unknown kind {entry['kind']!r}")
        if entry["kind"] == "history" and not history.DATE_DIR.match(str(entry.get("version"))):
            raise BundleError(f"{bundle}: {name}: history version {entry.get('version')!r} is "
                              "not YYYY-MM-DD")
        if not _plain_id(entry["source_id"]):
            raise BundleError(f"{bundle}: {name}: source id {entry['source_id']!r}")
        if not _in_its_folder(entry):
            raise BundleError(f"{bundle}: {name}: a {entry['kind']} file must sit in "
                              f"{_folder_of(entry)}")
        size = entry.get("size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)
                                 or size < 0):
            raise BundleError(f"{bundle}: {name}: size {size!r} is not a byte count")
        if name in seen:
            raise BundleError(f"{bundle}: {name}: listed twice")
        seen.add(name)
    return manifest


def _folder_of(entry: dict[str, Any]) -> str:
    """The folder a manifest entry's file must sit in (its layout, see the module doc)."""
    sid = entry["source_id"]
    if entry["kind"] == "history":
        return f"history/{sid}/{entry.get('version')}/"
    return f"{'current' if entry['kind'] == 'current' else 'companions'}/{sid}/"


def _in_its_folder(entry: dict[str, Any]) -> bool:
    folder = _folder_of(entry)
    rest = entry["file"][len(folder):]
    return entry["file"].startswith(folder) and bool(rest) and "/" not in rest


def _plain_id(value: str) -> bool:
    return bool(value) and all(c.isalnum() or c in "-_." for c in value) and value[0] != "."


class _Source:
    """Where the bundle's bytes come from: a zip or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def manifest_bytes(self) -> bytes:
        raise NotImplementedError

    def members(self) -> set[str]:
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def declared_size(self, name: str) -> int:
        raise NotImplementedError


class _ZipSource(_Source):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise BundleError(f"{path}: not a readable zip file: {error}") from None
        infos = self.zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"{path}: {len(infos)} members, more than {MAX_MEMBERS}")
        self.infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if info.is_dir():
                safe_member_name(name.rstrip("/"), path)
                continue
            safe_member_name(name, path)
            if stat.S_ISLNK(mode):
                raise BundleError(f"{path}: member {name!r}: symbolic link")
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: the zip tool gave no type
                raise BundleError(f"{path}: member {name!r}: not a regular file")
            if info.flag_bits & 0x1:
                raise BundleError(f"{path}: member {name!r}: encrypted")
            if info.file_size > MAX_FILE_BYTES:
                raise BundleError(f"{path}: member {name!r}: {info.file_size} bytes, over the "
                                  f"limit of {MAX_FILE_BYTES}")
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError(f"{path}: member {name!r}: compression ratio over "
                                  f"{MAX_RATIO} (zip bomb?)")
            if name in self.infos:
                raise BundleError(f"{path}: member {name!r}: present twice")
            total += info.file_size
            self.infos[name] = info
        if total > MAX_TOTAL_BYTES:
            raise BundleError(f"{path}: {total} bytes uncompressed, over {MAX_TOTAL_BYTES}")

    def manifest_bytes(self) -> bytes:
        info = self.infos.get(BUNDLE_MANIFEST)
        if info is None:
            raise BundleError(f"{self.path}: no {BUNDLE_MANIFEST}: not a harmonize bundle")
        with self.zf.open(info) as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise BundleError(f"{self.path}: {BUNDLE_MANIFEST} over {MAX_MANIFEST_BYTES} bytes")
        return data

    def members(self) -> set[str]:
        return set(self.infos) - {BUNDLE_MANIFEST}

    def open(self, name: str) -> IO[bytes]:
        return self.zf.open(self.infos[name])

    def declared_size(self, name: str) -> int:
        return self.infos[name].file_size


class _DirSource(_Source):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.root = path.resolve()
        self.files: dict[str, Path] = {}
        count = 0
        for current, dirs, files in os.walk(path, followlinks=False):
            here = Path(current)
            for name in [*dirs, *files]:
                item = here / name
                rel = item.relative_to(path).as_posix()
                if item.is_symlink():
                    raise BundleError(f"{path}: {rel}: symbolic link")
                count += 1
                if count > MAX_MEMBERS:
                    raise BundleError(f"{path}: more than {MAX_MEMBERS} files")
                if name in files:
                    if not item.is_file():
                        raise BundleError(f"{path}: {rel}: not a regular file")
                    if item.stat().st_size > MAX_FILE_BYTES:
                        raise BundleError(f"{path}: {rel}: over {MAX_FILE_BYTES} bytes")
                    self.files[rel] = item

    def manifest_bytes(self) -> bytes:
        item = self.files.get(BUNDLE_MANIFEST)
        if item is None:
            raise BundleError(f"{self.path}: no {BUNDLE_MANIFEST}: not a harmonize bundle")
        if item.stat().st_size > MAX_MANIFEST_BYTES:
            raise BundleError(f"{self.path}: {BUNDLE_MANIFEST} over {MAX_MANIFEST_BYTES} bytes")
        return item.read_bytes()

    def members(self) -> set[str]:
        return set(self.files) - {BUNDLE_MANIFEST}

    def open(self, name: str) -> IO[bytes]:
        item = self.files[name]
        if not item.resolve().is_relative_to(self.root):
            raise BundleError(f"{self.path}: {name}: resolves outside the bundle folder")
        return item.open("rb")

    def declared_size(self, name: str) -> int:
        return self.files[name].stat().st_size


def open_source(path: Path) -> _Source:
    if path.is_dir():
        return _DirSource(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle")
    return _ZipSource(path)


def verify_and_extract(path: Path, staging: Path) -> dict[str, Any]:
    """Check the bundle (see the module doc) and copy its files under `staging`, by their
    member names; returns the manifest. Nothing is imported here."""
    source = open_source(path)
    manifest = read_manifest_data(source.manifest_bytes(), path)
    listed = {entry["file"] for entry in manifest["files"]}
    unexpected = sorted(source.members() - listed)
    if unexpected:
        raise BundleError(f"{path}: {unexpected[0]}: not listed in {BUNDLE_MANIFEST}"
                          + (f" (and {len(unexpected) - 1} more)" if len(unexpected) > 1 else ""))
    missing = sorted(listed - source.members())
    if missing:
        raise BundleError(f"{path}: {missing[0]}: listed in {BUNDLE_MANIFEST} but absent"
                          + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    _check_no_file_folder_clash(listed, path)
    total = 0
    for entry in manifest["files"]:
        try:
            total = _extract_member(source, path, entry, staging, total)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            # a size that lies, corrupt compressed data, a read error: the bundle is damaged
            raise BundleError(f"{path}: {entry['file']}: cannot be read: "
                              f"{type(error).__name__}: {error}") from None
    return manifest


def _check_no_file_folder_clash(names: set[str], bundle: Path) -> None:
    """No member is also the folder of another (`x` and `x/y`)."""
    folders = {"/".join(n.split("/")[:i]) for n in names for i in range(1, n.count("/") + 1)}
    clash = sorted(names & folders)
    if clash:
        raise BundleError(f"{bundle}: {clash[0]}: both a file and a folder")


def _extract_member(source: _Source, path: Path, entry: dict[str, Any], staging: Path,
                    total: int) -> int:
    """Copy one listed member under `staging`, checking its size and checksum; returns the
    running total of bytes extracted."""
    name = entry["file"]
    expected_size = entry.get("size")
    target = staging.joinpath(*PurePosixPath(name).parts)
    if not target.resolve().is_relative_to(staging.resolve()):
        raise BundleError(f"{path}: {name}: would be written outside the import folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    limit = min(MAX_FILE_BYTES, int(expected_size) if isinstance(expected_size, int)
                else MAX_FILE_BYTES)
    with source.open(name) as src, target.open("xb") as dst:
        while block := src.read(CHUNK):
            size += len(block)
            total += len(block)
            if size > limit:
                raise BundleError(f"{path}: {name}: more bytes than the {limit} declared")
            if total > MAX_TOTAL_BYTES:
                raise BundleError(f"{path}: over {MAX_TOTAL_BYTES} bytes in all")
            digest.update(block)
            dst.write(block)
    if isinstance(expected_size, int) and size != expected_size:
        raise BundleError(f"{path}: {name}: {size} bytes, the manifest says {expected_size}")
    if digest.hexdigest() != entry["sha256"]:
        raise BundleError(f"{path}: {name}: sha256 {digest.hexdigest()[:16]}… does not "
                          f"match the manifest's {entry['sha256'][:16]}… (damaged bundle)")
    return total
