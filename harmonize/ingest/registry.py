"""The registry of list sources: which parse step reads which source folder.

A list source (one folder under `loaders/`) declares a `ListSource` record named `SOURCE`:
the reader of its current edition, the readers of older editions the history may hold (with
the file patterns they read and whether they read a whole folder), and its refresh rule
(the publishers' addresses, the module that finds the file there, whether dated versions are
served). `discover(package)` builds a `Registry` from every subpackage or module of a package
that declares one; the entry points (CLI, pages, benchmarks, tests) build it and hand it to
the store, the history, bundles and refresh, so nothing in the core imports a loader. Parse
and fetch steps are named by module and imported only when used.
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, cast

from harmonize.fingerprint import code_fingerprint
from harmonize.ingest.source import ParsedList, SourceMeta

RECORD = "SOURCE"  # the name a source package gives its ListSource record


class Loader(Protocol):
    """A parse step: `META` and `parse(path)`, reading one raw file (or, for a reader that
    reads a folder, one edition's folder); no network, no Streamlit."""

    @property
    def META(self) -> SourceMeta: ...

    def parse(self, path: Path, /) -> list[ParsedList]: ...


@dataclass(frozen=True)
class Reader:
    """One parse step of a source, named by module so that it is imported only when used."""

    module: str  # importable module with META and parse(path)
    meta: SourceMeta  # what it reads (file patterns, format), as its module declares it
    reads_folder: bool = False  # parse() gets the folder of files (an edition in many files)

    @property
    def patterns(self) -> tuple[str, ...]:
        return self.meta.file_patterns

    def load(self) -> Loader:
        """The parse step's module, checked against this record."""
        module = importlib.import_module(self.module)
        if not callable(getattr(module, "parse", None)):
            raise TypeError(f"{self.module}: a reader module needs parse(path)")
        if getattr(module, "META", None) != self.meta:
            raise TypeError(f"{self.module}: its META is not the one its source record names")
        return cast(Loader, module)

    def fingerprint(self) -> str:
        """Changes whenever the parse step or any project module it imports (directly or
        through others: shared helpers, the segmenter, the model) changes; modules of the
        reader's own top-level package and of `harmonize` count."""
        return code_fingerprint([self.module], within=(self.module.split(".")[0], "harmonize"))

    def reads(self, path: Path) -> bool:
        """Whether a file's name matches one of the patterns (case-insensitive)."""
        name = path.name.lower()
        return any(fnmatch.fnmatch(name, pattern.lower()) for pattern in self.patterns)


@dataclass(frozen=True)
class RefreshRule:
    """How `harmonize refresh` gets a source from its publisher."""

    fetch: str  # module with fetch(ctx: refresh.Context) -> refresh.Download
    publishers: Mapping[str, str]  # publisher name -> official base URL (overridable)
    # Why the publisher serves no older version ("lovdata serves the list in force only"), or
    # "" when `--as-of DATE` can ask it for the version of a date.
    no_as_of: str = ""


@dataclass(frozen=True)
class ListSource:
    """One source of lists: its current reader, the readers of its older editions, and how
    refresh downloads it."""

    reader: Reader  # reads the current edition (a plain import, refresh)
    # Readers of older editions a dated folder may hold, tried in order before `reader`: the
    # first one that reads any file of the folder reads that version.
    editions: tuple[Reader, ...] = ()
    refresh: RefreshRule | None = None  # None: no publisher to download from

    @property
    def id(self) -> str:
        return self.reader.meta.source_id

    @property
    def meta(self) -> SourceMeta:
        return self.reader.meta


@dataclass(frozen=True)
class Registry:
    """Source id -> list source: what the store, the history, bundles and refresh are handed."""

    sources: Mapping[str, ListSource]

    @classmethod
    def of(cls, records: Iterable[ListSource]) -> Registry:
        found: dict[str, ListSource] = {}
        for record in records:
            if record.id in found:
                raise ValueError(f"two list sources declare the source id {record.id!r}: "
                                 f"{found[record.id].reader.module}, {record.reader.module}")
            found[record.id] = record
        return cls(MappingProxyType(dict(sorted(found.items()))))

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> ListSource | None:
        return self.sources.get(source_id)

    def including(self, *records: ListSource) -> Registry:
        """This registry with more sources (a plug-in, a test's toy list)."""
        return Registry.of([*self.sources.values(), *records])

    def refreshable(self) -> list[str]:
        """Source ids refresh can download (those with a refresh rule)."""
        return [sid for sid, source in self.sources.items() if source.refresh is not None]

    def publishers(self) -> dict[str, str]:
        """Official base URL of every publisher the sources download from."""
        found: dict[str, str] = {}
        for source in self.sources.values():
            for name, url in (source.refresh.publishers if source.refresh else {}).items():
                if found.setdefault(name, url) != url:
                    raise ValueError(f"publisher {name!r} has two official addresses: "
                                     f"{found[name]}, {url} ({source.id})")
        return found


def require(registry: object, caller: str) -> Registry:
    """The registry a core function was handed, or a TypeError saying what it needs."""
    if not isinstance(registry, Registry):
        raise TypeError(f"{caller} needs the registry of list sources (a "
                        "harmonize.ingest.registry.Registry; the entry points build it with "
                        f"loaders.registry()), not {type(registry).__name__}")
    return registry


def discover(package: str, ignore: Collection[str] = ()) -> Registry:
    """Every list source in `package`: each subpackage or module (names in `ignore` and
    private `_names` skipped, never imported) whose `SOURCE` is a `ListSource`."""
    root = importlib.import_module(package)
    records: list[ListSource] = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda found: found.name):
        if info.name in ignore or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        record = getattr(module, RECORD, None)
        if record is None:
            continue  # a helper module, or a package of another kind of source
        if not isinstance(record, ListSource):
            raise TypeError(f"{package}.{info.name}.{RECORD} is a {type(record).__name__}, "
                            "not a ListSource")
        records.append(record)
    return Registry.of(records)
