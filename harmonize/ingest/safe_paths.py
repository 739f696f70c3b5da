"""Which files of an import folder may be read at all.

Only regular files inside the folder are raw files: a device (`/dev/zero` would be read
forever), a named pipe (blocks the reader forever), a socket, or a symbolic link whose target
lies outside the folder is refused with its reason, and so is a file over `MAX_RAW_BYTES`
(no official list comes near it: the largest, the UK PDF, is about 4 MB). The checks use
`lstat`/`stat` and never open the file."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_RAW_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class FolderFiles:
    """A folder's files: those that may be read, and those refused with the reason."""

    readable: list[Path]
    refused: list[tuple[str, str]]  # (name, reason)


def refusal(path: Path, folder: Path, limit: int = MAX_RAW_BYTES) -> str | None:
    """Why `path` (an entry of `folder`) may not be read as a raw file, or None."""
    try:
        link = path.lstat()
        if stat.S_ISLNK(link.st_mode):
            target = path.resolve()
            if not target.is_relative_to(folder.resolve()):
                return "a symbolic link to a file outside the folder"
        info = path.stat()
    except OSError as error:
        return f"cannot be examined: {error.strerror or error}"
    if stat.S_ISFIFO(info.st_mode):
        return "a named pipe, not a file"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "a device, not a file"
    if stat.S_ISSOCK(info.st_mode):
        return "a socket, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > limit:
        return f"{info.st_size} bytes, over the {limit} byte limit for a raw file"
    if not os.access(path, os.R_OK):
        return "not readable (permissions)"
    return None


def folder_files(folder: Path, limit: int = MAX_RAW_BYTES) -> FolderFiles:
    """The visible (not dot-named), non-folder entries of `folder`, sorted by name, split into
    readable raw files and refused ones. OSError when the folder itself cannot be listed."""
    readable: list[Path] = []
    refused: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or (entry.is_dir() and not entry.is_symlink()):
            continue
        reason = refusal(entry, folder, limit)
        if reason is None:
            readable.append(entry)
        else:
            refused.append((entry.name, reason))
    return FolderFiles(readable, refused)
