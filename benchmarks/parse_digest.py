"""Digest of every list's parse (rows, unplaced text, loader notes, line stream): a guard for
speed work, which must not change what the loaders produce.

    .venv/bin/python benchmarks/parse_digest.py [SOURCES_DIR] [--save FILE | --check FILE]

Prints one sha256 per list and part. `--save` writes them to FILE (keep it outside the project:
digests of the real data are not committed); `--check` compares with a saved FILE and exits 1
naming the parts that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import loaders
from harmonize.ingest import linestream, store
from harmonize.ingest.registry import ListSource, Registry
from harmonize.ingest.source import ParsedList

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def digests(parsed: ParsedList) -> dict[str, str]:
    """One digest per part of a parse: the table (every column), unplaced, notes, lines."""
    frame = parsed.frame
    table = json.dumps({c: [None if v is None else str(v) for v in frame[c].tolist()]
                        for c in frame.columns}, ensure_ascii=False).encode()
    return {
        "rows": _sha(table),
        "unplaced": _sha(json.dumps([asdict(u) for u in parsed.unplaced],
                                    ensure_ascii=False).encode()),
        "notes": _sha(json.dumps([parsed.notes, parsed.headings_seen,
                                  parsed.detailed_categories]).encode()),
        "lines": _sha(linestream.encode(parsed.lines)),
    }


def source_files(sources: Path, registry: Registry) -> Iterator[tuple[str, ListSource, Path, Path]]:
    """(source id, source, folder, the file its reader parses) for each source of `registry`
    with a folder and a file under `sources`."""
    for source_id, source in registry.sources.items():
        folder = sources / source_id
        if not folder.is_dir():
            continue
        raw, _ = store.pick_file(folder, source.reader.patterns)
        if raw is not None:
            yield source_id, source, folder, raw


def all_digests(sources: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for _, source, _, raw in source_files(sources, loaders.registry()):
        for parsed in source.reader.load().parse(raw):
            out[parsed.info.source_id] = {"rows_n": str(len(parsed.frame)), **digests(parsed)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", type=Path, default=DEFAULT_SOURCES)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args()
    found = all_digests(args.sources)
    for list_id, parts in found.items():
        print(f"{list_id:<16} " + " ".join(f"{k}={v}" for k, v in parts.items()))
    if args.save:
        args.save.write_text(json.dumps(found, indent=1), encoding="utf-8")
    if args.check:
        saved = json.loads(args.check.read_text(encoding="utf-8"))
        differ = [f"{lst}.{part}" for lst in sorted(set(saved) | set(found))
                  for part in sorted(set(saved.get(lst, {})) | set(found.get(lst, {})))
                  if saved.get(lst, {}).get(part) != found.get(lst, {}).get(part)]
        print("identical" if not differ else "DIFFER: " + ", ".join(differ))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
