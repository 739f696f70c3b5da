"""The registry of list sources: built by discovery, handed to the core, required by it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import loaders
from harmonize.ingest import bundle, history, refresh, store
from harmonize.ingest.registry import ListSource, Reader, Registry, discover
from tests import toy_loader

# A package laid out like `loaders/`: a source package, a helper module, and a `party_lists`
# package that would blow up if the discovery imported it.
TOY_PACKAGE = {
    "__init__.py": '"""Toy sources."""\n',
    "widgets/__init__.py": (
        "from harmonize.ingest.registry import ListSource, Reader\n"
        "from tests.toy_loader import META\n"
        "from dataclasses import replace\n"
        "SOURCE = ListSource(Reader('tests.toy_loader', replace(META, source_id='widgets')))\n"
    ),
    "helpers.py": "VALUE = 1  # no SOURCE: not a list source\n",
    "party_lists/__init__.py": "raise RuntimeError('party_lists must never be imported')\n",
}


@pytest.fixture()
def toy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"toysources_{abs(hash(tmp_path)) % 10_000_000}"
    for relative, text in TOY_PACKAGE.items():
        path = tmp_path / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


def test_discovery_finds_a_source_package_and_never_imports_party_lists(toy_package: str) -> None:
    found = discover(toy_package, ignore=loaders.NOT_LIST_SOURCES)
    assert list(found) == ["widgets"]
    assert found.get("widgets") is not None
    assert f"{toy_package}.party_lists" not in sys.modules
    assert f"{toy_package}.helpers" in sys.modules  # looked at, skipped: it has no SOURCE
    # Without the ignore list the discovery would import party_lists (and fail here).
    with pytest.raises(RuntimeError, match="party_lists must never be imported"):
        discover(toy_package)


def test_discovery_refuses_a_record_of_the_wrong_type(toy_package: str, tmp_path: Path) -> None:
    (tmp_path / toy_package / "broken.py").write_text("SOURCE = 'not a record'\n")
    with pytest.raises(TypeError, match=r"broken\.SOURCE is a str, not a ListSource"):
        discover(toy_package, ignore=loaders.NOT_LIST_SOURCES)


def test_the_project_registry() -> None:
    found = loaders.registry()
    assert list(found) == ["au-dsgl", "ca-ecl", "eu-annex-i", "no-list-ii", "uk-sel", "us-ccl",
                           "wassenaar"]
    for source_id, source in found.sources.items():
        assert source.id == source_id == source.meta.source_id
        for reader in (source.reader, *source.editions):
            loaded = reader.load()  # the module's META is the record's
            assert reader.meta == loaded.META and callable(loaded.parse)
    wassenaar = found.get("wassenaar")
    assert wassenaar is not None
    [word] = wassenaar.editions
    assert word.reads_folder and word.reads(Path("03 - WA-LIST (13) 1 - Cat 1.DOC"))
    with pytest.raises(ValueError, match="two list sources declare the source id 'us-ccl'"):
        found.including(found.sources["us-ccl"])
    assert "toy-list" in found.including(toy_loader.SOURCE) and "toy-list" not in found


def test_a_reader_whose_module_disagrees_is_refused() -> None:
    from dataclasses import replace

    wrong = Reader("tests.toy_loader", replace(toy_loader.META, format="something else"))
    with pytest.raises(TypeError, match="its META is not the one its source record names"):
        wrong.load()


CORE_CALLS: dict[str, Callable[..., Any]] = {
    "store.import_dir": lambda path, **kw: store.import_dir(path, **kw),
    "store.import_source": lambda path, **kw: store.import_source("toy-list", path, **kw),
    "bundle.import_any": lambda path, **kw: bundle.import_any(path, **kw),
    "history.import_history": lambda path, **kw: history.import_history(path, **kw),
    "history.import_version": lambda path, **kw: history.import_version(
        "toy-list", path, "2025-01-01", **kw),
    "history.version_files": lambda path, **kw: history.version_files("toy-list", path, **kw),
    "history.adopt_current": lambda path, **kw: history.adopt_current("toy-list", **kw),
    "refresh.refresh": lambda path, **kw: refresh.refresh(["toy-list"], **kw),
}


@pytest.mark.parametrize("name", sorted(CORE_CALLS))
def test_core_functions_need_a_registry(name: str, tmp_path: Path, store_home: Path) -> None:
    call = CORE_CALLS[name]
    with pytest.raises(TypeError, match="registry"):
        call(tmp_path)  # not handed one: Python names the missing argument
    with pytest.raises(TypeError, match=r"needs the registry of list sources .* not dict"):
        call(tmp_path, registry={"toy-list": "tests.toy_loader"})  # the old style
    assert not store_home.exists()  # nothing was written


def test_a_source_missing_from_the_registry_is_skipped(tmp_path: Path, store_home: Path) -> None:
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    (folder / "toy-list.txt").write_text("Version: 2025-01-01\n5A001 Widgets.\n")
    [outcome] = store.import_dir(tmp_path / "in", registry=Registry.of([]))
    assert (outcome.source_id, outcome.status) == ("toy-list", "skipped")
    [outcome] = store.import_dir(tmp_path / "in", registry=Registry.of([toy_loader.SOURCE]))
    assert (outcome.source_id, outcome.status) == ("toy-list", "imported")


def test_list_source_exposes_its_reader() -> None:
    source = ListSource(Reader("tests.toy_loader", toy_loader.META))
    assert source.id == "toy-list" and source.meta is toy_loader.META
    assert source.reader.patterns == ("*.txt",)
