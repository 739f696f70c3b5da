"""Offline bundles: made from a store, imported on a clean one with identical results, and
refused (with the file and the reason named, nothing imported) when damaged or unsafe."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from harmonize.ingest import bundle, history, store
from tests.conftest import FIXTURES
from tests.toy_loader import registry as sources

TOY = (FIXTURES / "toy" / "toy-list.txt").read_text(encoding="utf-8")


@pytest.fixture()
def toy_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_home: Path) -> Path:
    """A store holding the toy list (current) and two dated versions of it (history)."""
    src = tmp_path / "in"
    (src / "toy-list").mkdir(parents=True)
    (src / "toy-list" / "toy-list.txt").write_text(TOY, encoding="utf-8")
    dated = tmp_path / "dated" / "toy-list"
    for version, extra in (("2024-01-01", ""), ("2024-06-01", "5A002 Gizmos.\n")):
        (dated / version).mkdir(parents=True)
        (dated / version / "toy-list.txt").write_text(
            TOY.replace("2025-03-01", version) + extra, encoding="utf-8")
    outcomes = [*bundle.import_any(src, registry=sources()),
                *bundle.import_any(tmp_path / "dated", registry=sources())]
    assert {o.status for o in outcomes} == {"imported"}, outcomes
    return store_home


def _frames(home: Path) -> pd.DataFrame:
    return store.load_lists(home).sort_values(["source_id", "seq"]).reset_index(drop=True)


def _history_rows(home: Path) -> dict[str, pd.DataFrame]:
    return {f"{v.list_id}@{v.version}": history.read_rows(v)
            for v in history.list_versions(home, include_current=False)}


def test_bundle_round_trip(toy_store: Path, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "offline.zip"
    summary = bundle.make_bundle(out)
    assert summary.sources == ["toy-list"]
    assert summary.versions == ["toy-list@2024-01-01", "toy-list@2024-06-01"]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(bundle.BUNDLE_MANIFEST))
    assert names[0] == bundle.BUNDLE_MANIFEST
    assert "current/toy-list/toy-list.txt" in names
    assert "history/toy-list/2024-06-01/toy-list.txt" in names
    [current] = [e for e in manifest["files"] if e["kind"] == "current"]
    assert current["sha256"] == store.read_manifest(toy_store)["sources"]["toy-list"]["sha256"]
    assert current["version"] == "2025-03-01" and current["url"] == "https://example.invalid/toy"
    assert current["imported_at"] and current["origin"].endswith("toy-list.txt")

    clean = tmp_path / "clean"
    monkeypatch.setenv("HARMONIZE_HOME", str(clean))
    outcomes = bundle.import_any(out, registry=sources())
    assert [(o.source_id, o.status) for o in outcomes] == [
        ("toy-list", "imported"), ("toy-list@2024-01-01", "imported"),
        ("toy-list@2024-06-01", "imported")]
    a, b = store.read_manifest(toy_store), store.read_manifest(clean)
    assert a["sources"]["toy-list"]["sha256"] == b["sources"]["toy-list"]["sha256"]
    assert b["sources"]["toy-list"]["origin"].endswith("offline.zip!current/toy-list/toy-list.txt")
    pd.testing.assert_frame_equal(_frames(toy_store), _frames(clean))
    before, after = _history_rows(toy_store), _history_rows(clean)
    assert before.keys() == after.keys()
    for key in before:
        pd.testing.assert_frame_equal(before[key], after[key])
    assert not [p for p in clean.iterdir() if p.name.startswith(".bundle-import")]

    # The same bundle unpacked into a folder imports the same way.
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(unpacked)
    monkeypatch.setenv("HARMONIZE_HOME", str(tmp_path / "clean2"))
    assert {o.status for o in bundle.import_any(unpacked, registry=sources())} == {"imported"}
    pd.testing.assert_frame_equal(_frames(toy_store), _frames(tmp_path / "clean2"))


def test_empty_store_makes_no_bundle(store_home: Path, tmp_path: Path) -> None:
    with pytest.raises(bundle.BundleError, match="holds no snapshots"):
        bundle.make_bundle(tmp_path / "empty.zip")
    assert not (tmp_path / "empty.zip").exists()


# -- damaged and unsafe bundles ------------------------------------------------------------------

def _manifest(*entries: dict[str, object]) -> bytes:
    return json.dumps({"format": bundle.FORMAT, "files": list(entries)}).encode()


def _entry(name: str, data: bytes, **extra: object) -> dict[str, object]:
    import hashlib

    return {"kind": "current", "source_id": "toy-list", "file": name, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), **extra}


GOOD = b"Version: 2025-03-01\n5A001 Widgets.\n"


def _zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bomb(path: Path) -> Path:
    zeros = b"\0" * (3 * 1024 * 1024)
    return _zip(path, [(bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/z.txt", zeros))),
                       ("current/toy-list/z.txt", zeros)])


def _tampered(path: Path, patch: Callable[[bytearray, int], None]) -> Path:
    """A valid one-member bundle whose bytes `patch` changes (given the central directory
    record of the member)."""
    name = "current/toy-list/toy.txt"
    data = GOOD * 50
    _zip(path, [(bundle.BUNDLE_MANIFEST, _manifest(_entry(name, data))), (name, data)])
    raw = bytearray(path.read_bytes())
    central = raw.rfind(b"PK\x01\x02")  # the last member's central directory record
    patch(raw, central)
    path.write_bytes(bytes(raw))
    return path


def _lying_size(raw: bytearray, central: int) -> None:
    raw[central + 24:central + 28] = (5).to_bytes(4, "little")  # uncompressed size


def _corrupt_data(raw: bytearray, central: int) -> None:
    local = int.from_bytes(raw[central + 42:central + 46], "little")
    name_length = int.from_bytes(raw[local + 26:local + 28], "little")
    start = local + 30 + name_length + int.from_bytes(raw[local + 28:local + 30], "little")
    for offset in range(start + 2, start + 12):
        raw[offset] ^= 0xFF


def _deep_manifest(path: Path) -> Path:
    deep = b'{"format": "harmonize-bundle/1", "files": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    return _zip(path, [(bundle.BUNDLE_MANIFEST, deep)])


CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("traversal", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("../evil.txt", GOOD))), ("../evil.txt", GOOD)]),
     "'../evil.txt': path traversal"),
    ("absolute", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, _manifest()), ("/etc/evil", GOOD)]),
     "'/etc/evil': absolute path"),
    ("backslash", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, _manifest()),
                                     ("current\\..\\evil", GOOD)]), "backslash"),
    ("symlink", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/l.txt", b"/etc/passwd"))),
        (_symlink_info("current/toy-list/l.txt"), b"/etc/passwd")]),
     "'current/toy-list/l.txt': symbolic link"),
    ("unlisted", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, _manifest()),
                                    ("current/toy-list/extra.txt", GOOD)]),
     "current/toy-list/extra.txt: not listed in bundle-manifest.json"),
    ("missing", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, _manifest(
        _entry("current/toy-list/toy.txt", GOOD)))]),
     "current/toy-list/toy.txt: listed in bundle-manifest.json but absent"),
    ("checksum", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/toy.txt", GOOD))),
        ("current/toy-list/toy.txt", GOOD.replace(b"Widgets", b"Gadgets"))]),
     "current/toy-list/toy.txt: sha256"),
    ("size", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/toy.txt", GOOD))),
        ("current/toy-list/toy.txt", GOOD + b"more")]),
     "current/toy-list/toy.txt: more bytes than the"),
    ("bomb", _bomb, "'current/toy-list/z.txt': compression ratio over 200"),
    ("not-a-zip", lambda p: (p.write_bytes(b"PK\x03\x04 not really"), p)[1],
     "not a readable zip file"),
    ("no-manifest", lambda p: _zip(p, [("current/toy-list/toy.txt", GOOD)]),
     "no bundle-manifest.json: not a harmonize bundle"),
    ("wrong-format", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, b'{"format": "other/9"}')]),
     "format 'other/9', expected 'harmonize-bundle/1'"),
    ("bad-version", lambda p: _zip(p, [(bundle.BUNDLE_MANIFEST, _manifest(_entry(
        "history/toy-list/x/toy.txt", GOOD, kind="history", version="../x")))]),
     "history version '../x' is not YYYY-MM-DD"),
    ("dot-slash", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/t.txt", GOOD),
                                           _entry("./current/toy-list/t.txt", GOOD))),
        ("current/toy-list/t.txt", GOOD), ("./current/toy-list/t.txt", GOOD)]),
     "'./current/toy-list/t.txt': not a plain path"),
    ("double-slash", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/t.txt", GOOD),
                                           _entry("current//toy-list/t.txt", GOOD))),
        ("current/toy-list/t.txt", GOOD), ("current//toy-list/t.txt", GOOD)]),
     "'current//toy-list/t.txt': not a plain path"),
    ("file-where-a-folder-goes", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/t", GOOD),
                                           _entry("current/toy-list/t/u.txt", GOOD))),
        ("current/toy-list/t", GOOD), ("current/toy-list/t/u.txt", GOOD)]),
     "current/toy-list/t/u.txt: a current file must sit in current/toy-list/"),
    ("outside-its-folder", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("history/other/2024-01-01/t.txt", GOOD))),
        ("history/other/2024-01-01/t.txt", GOOD)]),
     "history/other/2024-01-01/t.txt: a current file must sit in current/toy-list/"),
    ("size-not-a-number", lambda p: _zip(p, [
        (bundle.BUNDLE_MANIFEST, _manifest(_entry("current/toy-list/t.txt", GOOD, size="9"))),
        ("current/toy-list/t.txt", GOOD)]),
     "current/toy-list/t.txt: size '9' is not a byte count"),
    ("zip-size-lies", lambda p: _tampered(p, _lying_size),
     "current/toy-list/toy.txt: cannot be read: BadZipFile"),
    ("corrupt-data", lambda p: _tampered(p, _corrupt_data),
     "current/toy-list/toy.txt: cannot be read:"),
    ("deep-manifest", _deep_manifest, "bundle-manifest.json: nested too deeply"),
]


@pytest.mark.parametrize(("make", "message"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_unsafe_or_damaged_bundle_is_refused(make: Callable[[Path], Path], message: str,
                                             tmp_path: Path, store_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(tmp_path / "bad.zip")
    with pytest.raises(bundle.BundleError) as caught:
        bundle.import_any(path, registry=sources())
    assert str(caught.value).startswith(str(path)), caught.value
    assert message in str(caught.value), caught.value
    assert not (store_home / store.MANIFEST).exists()  # nothing imported
    assert not (tmp_path / "evil.txt").exists()
    leftovers = [p for p in store_home.iterdir()] if store_home.exists() else []
    assert not leftovers


def test_unsafe_folder_bundle(tmp_path: Path, store_home: Path) -> None:
    folder = tmp_path / "unpacked"
    (folder / "current" / "toy-list").mkdir(parents=True)
    (folder / "current" / "toy-list" / "toy.txt").symlink_to("/etc/hostname")
    (folder / bundle.BUNDLE_MANIFEST).write_bytes(
        _manifest(_entry("current/toy-list/toy.txt", GOOD)))
    with pytest.raises(bundle.BundleError, match=r"current/toy-list/toy\.txt: symbolic link"):
        bundle.import_any(folder, registry=sources())


def test_killed_bundle_import_leftovers_are_removed(toy_store: Path, tmp_path: Path) -> None:
    """A bundle import killed mid-way leaves its extraction folder; the next import removes
    it (its process is gone) but never the folder of an import still running."""
    out = tmp_path / "offline.zip"
    bundle.make_bundle(out)
    dead = toy_store / f"{bundle.STAGING_PREFIX}999999999.abc"
    legacy = toy_store / f"{bundle.STAGING_PREFIX}xyz"  # named before the process id was kept
    running = toy_store / f"{bundle.STAGING_PREFIX}{os.getpid()}.def"
    for folder in (dead, legacy, running):
        (folder / "current").mkdir(parents=True)
    bundle.import_any(out, registry=sources())
    assert not dead.exists() and not legacy.exists()
    assert running.exists()


def test_not_a_bundle_file(tmp_path: Path, store_home: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(bundle.BundleError, match="not a folder and not a bundle"):
        bundle.import_any(path, registry=sources())


# -- the real lists (integration) ---------------------------------------------------------------

@pytest.mark.integration
def test_bundle_of_the_real_lists_imports_identically(shared_sources: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    made = tmp_path / "made"
    monkeypatch.setenv("HARMONIZE_HOME", str(made))
    imported = bundle.import_any(shared_sources, registry=sources())
    assert not [o for o in imported if o.status == "failed"], imported
    out = tmp_path / "sources.zip"
    summary = bundle.make_bundle(out)
    assert summary.sources == sorted(o.source_id for o in imported if o.status == "imported")

    clean = tmp_path / "clean"
    monkeypatch.setenv("HARMONIZE_HOME", str(clean))
    again = bundle.import_any(out, registry=sources())
    assert {o.status for o in again} == {"imported"}
    a, b = store.read_manifest(made)["sources"], store.read_manifest(clean)["sources"]
    assert a.keys() == b.keys()
    for sid in a:
        assert (a[sid]["sha256"], a[sid]["parse_key"]) == (b[sid]["sha256"], b[sid]["parse_key"])
        assert [lst["entries"] for lst in a[sid]["lists"]] == \
            [lst["entries"] for lst in b[sid]["lists"]]
        assert store.sha256_file(clean / b[sid]["raw_file"]) == a[sid]["sha256"]
    pd.testing.assert_frame_equal(_frames(made), _frames(clean))
    shutil.rmtree(made)
