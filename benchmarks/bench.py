"""Benchmark: import time per source beside raw text extraction of the same file, and the
cached load. Prints measured numbers and ratios; it asserts nothing (targets are in the README).

    .venv/bin/python benchmarks/bench.py [SOURCES_DIR]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.compare import analysis, textnorm
from harmonize.ingest import store
from harmonize.present import export
from loaders import REGISTRY, loader_for

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"


def raw_text(path: Path) -> int:
    """Plain text extraction of the whole file, the floor any parser pays; returns characters."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            return sum(len(page.get_text()) for page in doc)
    if suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            from lxml import etree

            root = etree.fromstring(archive.read("word/document.xml"),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
            return sum(len(t) for t in root.itertext())
    if suffix in (".xml", ".html", ".htm"):
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return sum(len(t) for t in etree.parse(str(path), parser).getroot().itertext())
    if suffix == ".json":
        return len(json.dumps(json.loads(path.read_text(encoding="utf-8"))))
    return len(path.read_text(encoding="utf-8"))


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    sources = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCES
    if not sources.is_dir():
        print(f"no sources folder at {sources}")
        return 2
    print(f"sources: {sources}")
    print(f"{'source':<14} {'file':<34} {'raw text s':>10} {'import s':>9} {'ratio':>6}")
    total_import = 0.0
    main_three = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        for source_id in REGISTRY:
            folder = sources / source_id
            loader = loader_for(source_id) if folder.is_dir() else None
            if loader is None:
                continue
            raw, _ = store.pick_file(folder, loader.META.file_patterns)
            if raw is None:
                continue
            raw_seconds = best_of(1, lambda: raw_text(raw))  # noqa: B023 (called at once)
            outcome = store.import_source(source_id, folder, home)  # cold: empty cache
            total_import += outcome.seconds
            if source_id in ("us-ccl", "eu-annex-i", "wassenaar"):
                main_three += outcome.seconds
            ratio = outcome.seconds / raw_seconds if raw_seconds else float("nan")
            print(f"{source_id:<14} {raw.name[:34]:<34} {raw_seconds:>10.2f} "
                  f"{outcome.seconds:>9.2f} {ratio:>6.1f}  {outcome.status}")
        print(f"import US+EU+Wassenaar: {main_three:.2f} s (target < 15 s)")
        print(f"import all loaded sources: {total_import:.2f} s (target < 40 s)")
        loads = []
        rows = 0
        for _ in range(5):
            started = time.perf_counter()
            rows = len(store.load_lists(home))
            loads.append(time.perf_counter() - started)
        print(f"cached load of {rows} rows: median {statistics.median(loads):.3f} s, "
              f"best {min(loads):.3f} s (target < 1 s)")
        frame, manifest = store.load_lists(home), store.read_manifest(home)
        bench_harmonization(frame, manifest)
        bench_export(frame, manifest)
    bench_fuzz()
    return 0


def bench_fuzz(examples: int = 5000) -> None:
    """The property tests of the normaliser and segmenter, longer than CI runs them."""
    import os
    import subprocess

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "test_fuzz.py")],
        env={**os.environ, "HARMONIZE_FUZZ_EXAMPLES": str(examples)},
        capture_output=True, text=True, check=False,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    print(f"fuzzing, {examples} examples per property: {last} "
          f"({time.perf_counter() - started:.1f} s)")


def _fresh_caches() -> None:
    textnorm.clear_caches()


def harmonize_once(frame: pd.DataFrame, manifest: dict[str, Any]) -> float:
    """Crosswalk + lens tags + scores from cold text caches; seconds."""
    _fresh_caches()
    started = time.perf_counter()
    result = analysis.analyse(frame, manifest)
    analysis.score_tables(result)
    return time.perf_counter() - started


def replicate(frame: pd.DataFrame, manifest: dict[str, Any],
              times: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The loaded lists `times` over, each copy a distinct source with the same texts."""
    frames, sources = [], {}
    for n in range(times):
        suffix = "" if n == 0 else f"-copy{n}"
        part = frame.assign(source_id=frame["source_id"] + suffix)
        frames.append(part)
        for sid, src in manifest["sources"].items():
            copy = json.loads(json.dumps(src))
            for lst in copy["lists"]:
                lst["id"] += suffix
            sources[sid + suffix] = copy
    return pd.concat(frames, ignore_index=True), {"sources": sources}


def bench_harmonization(frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
    one = min(harmonize_once(frame, manifest) for _ in range(2))
    big_frame, big_manifest = replicate(frame, manifest, 10)
    ten = harmonize_once(big_frame, big_manifest)
    cells = len(analysis.analyse(frame, manifest).aligned)
    print(f"crosswalk + lenses + scores, all loaded ({cells} cells): {one:.2f} s (target < 2 s)")
    print(f"same with the input replicated 10x: {ten:.2f} s = {ten / one:.1f}x "
          "(linear growth would be about 10x)")


def bench_export(frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
    from harmonize.compare.measures import as_table, load_measures

    result = analysis.analyse(frame, manifest)
    scope = export.ExportScope()
    frames = export.comparison_frames(result, scope, as_table(load_measures()))
    with tempfile.TemporaryDirectory() as tmp:
        ours = best_of(2, lambda: export.write_xlsx(frames, scope, Path(tmp) / "ours.xlsx"))

        def plain() -> None:
            with pd.ExcelWriter(Path(tmp) / "plain.xlsx", engine="openpyxl") as writer:
                for name, table in frames.items():
                    table.to_excel(writer, sheet_name=name, index=False)

        baseline = best_of(2, plain)
    rows = sum(len(t) for t in frames.values())
    print(f"full export ({rows} rows over {len(frames)} sheets): {ours:.2f} s (target < 5 s); "
          f"plain DataFrame.to_excel of the same frames: {baseline:.2f} s; "
          f"ratio {ours / baseline:.2f}x (target < 2.5x)")


if __name__ == "__main__":
    raise SystemExit(main())
