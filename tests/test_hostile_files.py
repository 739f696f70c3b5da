"""Hostile and broken files: every case ends in a clear error naming the file, the store
unchanged (checked by checksum), nothing written outside it, and other sources unaffected."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from harmonize.ingest import store
from tests.conftest import FIXTURES
from tests.toy_loader import registry as sources

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Regulation><Body>&lol9;</Body></Regulation>
"""


def external_entity(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>
<Regulation><Body><Item>&xxe;</Item></Body></Regulation>
"""


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        # 120 MB of zeros compress to about 120 KB: an extreme ratio, under the size limit.
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(120):
                member.write(block)
    return buffer.getvalue()


def _truncated(name: str) -> Callable[[Path], bytes]:
    """The first third of one of our own fixtures."""
    def make(tmp: Path) -> bytes:
        data = (FIXTURES / name).read_bytes()
        return data[: len(data) // 3]
    return make


def _pdf_truncated(tmp: Path) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for _ in range(3):
        doc.new_page().insert_text((72, 72), "WA-LIST (25) 1 5. A. 1. Widgets")
    data = doc.tobytes()
    return data[: len(data) // 2]


CASES: dict[str, tuple[str, str, Callable[[Path], bytes]]] = {
    # case: (source id, file name, content maker)
    "empty-pdf": ("wassenaar", "list.pdf", lambda tmp: b""),
    "truncated-pdf": ("wassenaar", "list.pdf", _pdf_truncated),
    "corrupt-pdf": ("uk-sel", "list.pdf", lambda tmp: b"%PDF-1.7\n" + b"\x00garbage" * 500),
    "html-named-pdf": ("no-list-ii", "list.pdf", lambda tmp: b"<html><body>moved</body></html>"),
    "corrupt-docx": ("au-dsgl", "list.docx", lambda tmp: b"PK\x03\x04" + b"\x00" * 200),
    "docx-zip-bomb": ("au-dsgl", "list.docx", lambda tmp: _zip_bomb()),
    "empty-json": ("us-ccl", "ccl.json", lambda tmp: b""),
    "truncated-json": ("us-ccl", "ccl.json", _truncated("us-ccl/ccl.json")),
    "json-wrong-shape": ("us-ccl", "ccl.json", lambda tmp: b'{"entries": "none"}'),
    "latin1-json": ("us-ccl", "ccl.json", lambda tmp: '{"entries": ["caf\xe9"]}'.encode("latin-1")),
    "truncated-xml": ("ca-ecl", "SOR-89-202.xml", _truncated("ca-ecl/SOR-89-202.xml")),
    "billion-laughs": ("ca-ecl", "SOR-89-202.xml", lambda tmp: BILLION_LAUGHS.encode()),
    "billion-laughs-ecfr": ("us-ccl", "title-15-2026-07-23.xml",
                            lambda tmp: BILLION_LAUGHS.encode()),
    "external-entity": ("ca-ecl", "SOR-89-202.xml",
                        lambda tmp: external_entity(tmp / "secret.txt").encode()),
    "gzip-garbage": ("us-ccl", "title-15-2026-07-23.xml.gz",
                     lambda tmp: gzip.compress(b"not xml at all")),
    "empty-markdown": ("eu-annex-i", "32021R0821.md", lambda tmp: b""),
    "utf16-markdown": ("eu-annex-i", "32021R0821.md",
                       lambda tmp: "## ANNEX I\n5A001 Widgets\n".encode("utf-16")),
    "truncated-html": ("eu-annex-i", "02021R0821-20260921.html",
                       _truncated("eu-annex-i/02021R0821-20260921.html")),
}


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture()
def seeded_store(tmp_path: Path, store_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store that already holds a good list (the toy list), so damage would show."""
    good = tmp_path / "good" / "toy-list"
    good.mkdir(parents=True)
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", good / "toy-list.txt")
    assert store.import_source("toy-list", good, registry=sources()).status == "imported"
    return store_home


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_cleanly(case: str, tmp_path: Path, seeded_store: Path) -> None:
    source_id, name, make = CASES[case]
    (tmp_path / "secret.txt").write_text("TOP-SECRET-MARKER")
    folder = tmp_path / "in" / source_id
    folder.mkdir(parents=True)
    (folder / name).write_bytes(make(tmp_path))
    before = _tree_digest(seeded_store)
    outside_before = sorted(p.name for p in tmp_path.iterdir())

    [bad] = store.import_dir(tmp_path / "in", registry=sources())

    assert bad.status == "failed", bad
    assert name in bad.message, bad.message  # names the file
    assert "Traceback" not in bad.message
    assert "TOP-SECRET-MARKER" not in bad.message
    if case == "docx-zip-bomb":
        assert "compression ratio" in bad.message
    assert _tree_digest(seeded_store) == before  # the store is unchanged, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before  # nothing outside
    # Beside a good source, the bad one fails alone.
    good = tmp_path / "in" / "toy-list"
    good.mkdir()
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", good / "toy-list.txt")
    outcomes = {o.source_id: o.status
                for o in store.import_dir(tmp_path / "in", registry=sources())}
    assert outcomes == {source_id: "failed", "toy-list": "cached"}
    manifest = json.loads((seeded_store / "manifest.json").read_text())
    assert set(manifest["sources"]) == {"toy-list"}


def test_wrong_format_in_folder_is_named(tmp_path: Path, seeded_store: Path) -> None:
    folder = tmp_path / "in" / "wassenaar"
    folder.mkdir(parents=True)
    (folder / "list.docx").write_bytes(b"PK\x03\x04")
    [outcome] = store.import_dir(tmp_path / "in", registry=sources())
    assert outcome.status == "failed"
    assert "no file matching *.pdf" in outcome.message and "wassenaar" in outcome.message


# -- files that are not files (#19) -------------------------------------------------------------

def _special(kind: str, path: Path, tmp: Path) -> None:
    """Make `path` a device link, a named pipe, or a link to a file outside its folder."""
    import os

    if kind == "device-link":
        path.symlink_to("/dev/zero")
    elif kind == "device":
        try:  # the node of /dev/zero (character device 1, 5), made inside the folder
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        except PermissionError:
            pytest.skip("making a device node needs root")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        outside = tmp / "outside.pdf"
        outside.write_bytes(b"%PDF-1.7 outside the import folder")
        path.symlink_to(outside)


@pytest.mark.parametrize(("kind", "reason"), [
    ("device-link", "a symbolic link to a file outside the folder"),
    ("device", "a device, not a file"),
    ("fifo", "a named pipe, not a file"),
    ("outside-link", "a symbolic link to a file outside the folder"),
])
def test_only_regular_files_inside_the_folder_are_read(kind: str, reason: str, tmp_path: Path,
                                                       seeded_store: Path) -> None:
    """A name that matches the loader's pattern but is a device, a pipe or a link leaving the
    folder is refused without being opened (reading /dev/zero or a pipe would never end)."""
    folder = tmp_path / "in" / "wassenaar"
    folder.mkdir(parents=True)
    _special(kind, folder / "list.pdf", tmp_path)
    before = _tree_digest(seeded_store)
    [bad] = store.import_dir(tmp_path / "in", registry=sources())
    assert bad.status == "failed"
    assert f"list.pdf: whole file: refused: {reason}" in bad.message
    assert _tree_digest(seeded_store) == before
    good = tmp_path / "in" / "toy-list"
    good.mkdir()
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", good / "toy-list.txt")
    outcomes = {o.source_id: o.status
                for o in store.import_dir(tmp_path / "in", registry=sources())}
    assert outcomes == {"wassenaar": "failed", "toy-list": "cached"}


def test_a_link_inside_the_folder_is_read(tmp_path: Path, store_home: Path) -> None:
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", folder / "real.txt.keep")
    (folder / "toy-list.txt").symlink_to(folder / "real.txt.keep")
    [outcome] = store.import_dir(tmp_path / "in", registry=sources())
    assert outcome.status == "imported", outcome


def test_an_unreadable_source_folder_fails_alone(tmp_path: Path, seeded_store: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """As root a mode-000 folder is still readable, so the refusal the kernel gives any other
    user is simulated: listing that folder raises PermissionError."""
    locked = tmp_path / "in" / "wassenaar"
    locked.mkdir(parents=True)
    good = tmp_path / "in" / "toy-list"
    good.mkdir()
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", good / "toy-list.txt")
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    outcomes = {o.source_id: o for o in store.import_dir(tmp_path / "in", registry=sources())}
    assert outcomes["wassenaar"].status == "failed"
    assert outcomes["wassenaar"].message.endswith("wassenaar: cannot be read: Permission denied")
    assert outcomes["toy-list"].status == "cached"


def test_a_raw_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from harmonize.ingest import safe_paths

    (tmp_path / "big.pdf").write_bytes(b"x" * 2048)
    found = safe_paths.folder_files(tmp_path, limit=1024)
    assert found.readable == []
    assert found.refused == [("big.pdf", "2048 bytes, over the 1024 byte limit for a raw file")]


# -- decompression bombs (#19) ------------------------------------------------------------------

def _gzip_bomb(inflated: int = 300 * 1024 * 1024) -> bytes:
    """Zeros that inflate to `inflated` bytes (about 1000:1)."""
    import zlib

    squeezer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [squeezer.compress(block) for _ in range(inflated >> 20)]
    return b"".join([*parts, squeezer.flush()])


def test_gzip_bomb_is_refused_with_the_limit_named(tmp_path: Path, seeded_store: Path) -> None:
    import resource

    folder = tmp_path / "in" / "us-ccl"
    folder.mkdir(parents=True)
    (folder / "title-15.xml.gz").write_bytes(_gzip_bomb())
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [bad] = store.import_dir(tmp_path / "in", registry=sources())
    assert bad.status == "failed"
    assert "title-15.xml.gz: whole file: gzip inflates past" in bad.message
    assert "decompression bomb" in bad.message
    # never more than the limit in memory (the old reader peaked at the whole 300 MB and more)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_rss < 150 * 1024  # KiB


def test_gzip_bomb_inside_a_bundle_is_refused(tmp_path: Path, seeded_store: Path) -> None:
    from harmonize.ingest import bundle

    data = _gzip_bomb(64 * 1024 * 1024)  # small enough to pass the bundle's own checks
    manifest = {"format": bundle.FORMAT, "files": [{
        "kind": "current", "source_id": "us-ccl", "file": "current/us-ccl/title-15.xml.gz",
        "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}]}
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(bundle.BUNDLE_MANIFEST, json.dumps(manifest))
        archive.writestr("current/us-ccl/title-15.xml.gz", data)
    [outcome] = bundle.import_any(path, registry=sources())
    assert outcome.status == "failed" and "gzip inflates past" in outcome.message


def test_gunzip_bounded_limits_and_corruption() -> None:
    from harmonize.ingest.decompress import DecompressionError, gunzip_bounded

    text = b"<xml>" + b"widget " * 1000 + b"</xml>"
    assert gunzip_bounded(gzip.compress(text)) == text
    with pytest.raises(DecompressionError, match="inflates past 100 bytes"):
        gunzip_bounded(gzip.compress(text), limit=100)
    with pytest.raises(DecompressionError, match="ratio 5:1"):
        gunzip_bounded(gzip.compress(text), ratio=5)
    with pytest.raises(DecompressionError, match="corrupt gzip"):
        gunzip_bounded(gzip.compress(text)[:-20])
