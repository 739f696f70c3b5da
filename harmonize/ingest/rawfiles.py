"""Reading raw files safely: UTF-8 text with a clear error, zip members with size limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

from harmonize.ingest.source import LoaderError

# A member of a zipped format (DOCX, EPUB, bundles) larger than this, or inflating more than this
# ratio, is refused before it is read: the real DSGL's document.xml is about 11 MB, ratio ~13.
ZIP_MEMBER_LIMIT = 200 * 1024 * 1024
ZIP_RATIO_LIMIT = 200


def read_zip_member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """One member of a zip archive, refused when its size or compression ratio is extreme."""
    info = archive.getinfo(name)
    if info.file_size > ZIP_MEMBER_LIMIT:
        raise LoaderError(path, name, f"{info.file_size} bytes uncompressed: over the "
                                      f"{ZIP_MEMBER_LIMIT} byte limit")
    if info.compress_size and info.file_size / info.compress_size > ZIP_RATIO_LIMIT:
        raise LoaderError(path, name, f"compression ratio {info.file_size // info.compress_size}"
                                      f":1 is over {ZIP_RATIO_LIMIT}:1 (a zip bomb?)")
    return archive.read(name)


def read_raw(path: Path) -> bytes:
    """The raw bytes; LoaderError when the file is unreadable or empty (blank)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoaderError(path, "whole file", f"cannot read: {error}") from error
    if not data.strip():
        raise LoaderError(path, "whole file", "empty file")
    return data


def read_utf8(path: Path, what: str) -> tuple[bytes, str]:
    """The raw bytes and their UTF-8 text (a BOM is allowed); LoaderError when the file is
    unreadable, empty or not UTF-8 (`what` names the expected format in the message)."""
    data = read_raw(path)
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoaderError(path, f"byte {error.start}", f"not UTF-8: not {what}") from error
