"""Benchmark: import time per source beside raw text extraction of the same file, and the
cached load. Prints measured numbers and ratios; it asserts nothing (targets are in the README).

    .venv/bin/python benchmarks/bench.py [SOURCES_DIR] [--export-only | --analysis-only]

`--export-only` imports the lists, then times the export section alone; `--analysis-only` the
analysis section alone (the analysis of all lists and of the lists replicated 10x).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import loaders
from harmonize import codes
from harmonize.compare import (
    analysis,
    editorial_rules,
    pair_rules,
    quantities,
    textnorm,
    units,
    verdicts,
)
from harmonize.ingest import store
from harmonize.ingest.safexml import xml_parser
from harmonize.present import export

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

            root = etree.fromstring(archive.read("word/document.xml"), xml_parser())
            return sum(len(t) for t in root.itertext())
    if suffix in (".xml", ".html", ".htm"):
        from lxml import etree

        return sum(len(t) for t in etree.parse(str(path), xml_parser()).getroot().itertext())
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
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    export_only = "--export-only" in sys.argv[1:]
    analysis_only = "--analysis-only" in sys.argv[1:]
    sources = Path(args[0]) if args else DEFAULT_SOURCES
    if not sources.is_dir():
        print(f"no sources folder at {sources}")
        return 2
    print(f"sources: {sources}")
    print(f"{'source':<14} {'file':<34} {'raw text s':>10} {'import s':>9} {'ratio':>6}")
    total_import = 0.0
    total_raw = 0.0
    main_three = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        registry = loaders.registry()
        for source_id, source in registry.sources.items():
            folder = sources / source_id
            if not folder.is_dir():
                continue
            raw, _ = store.pick_file(folder, source.reader.patterns)
            if raw is None:
                continue
            raw_seconds = best_of(1, lambda: raw_text(raw))  # noqa: B023 (called at once)
            # cold: empty cache
            outcome = store.import_source(source_id, folder, home, registry=registry)
            total_import += outcome.seconds
            total_raw += raw_seconds
            if source_id in ("us-ccl", "eu-annex-i", "wassenaar"):
                main_three += outcome.seconds
            ratio = outcome.seconds / raw_seconds if raw_seconds else float("nan")
            print(f"{source_id:<14} {raw.name[:34]:<34} {raw_seconds:>10.2f} "
                  f"{outcome.seconds:>9.2f} {ratio:>6.1f}  {outcome.status}")
        print(f"import US+EU+Wassenaar: {main_three:.2f} s (target < 15 s)")
        print(f"import all loaded sources: {total_import:.2f} s (target < 40 s); "
              f"{total_import / total_raw:.1f}x their raw text extraction, {total_raw:.2f} s "
              "(target <= 2.5x)")
        loads = []
        rows = 0
        for _ in range(5):
            started = time.perf_counter()
            rows = len(store.load_lists(home))
            loads.append(time.perf_counter() - started)
        print(f"cached load of {rows} rows: median {statistics.median(loads):.3f} s, "
              f"best {min(loads):.3f} s (target < 1 s)")
        frame, manifest = store.load_lists(home), store.read_manifest(home)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not export_only:
            bench_harmonization(frame, manifest)
        if not analysis_only:
            bench_export(frame, manifest)
    if not export_only and not analysis_only:
        bench_fuzz()
    return 0


def bench_fuzz(examples: int = 5000) -> None:
    """The property tests of the normaliser and segmenter, longer than CI runs them."""
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
    """Every cache the comparison fills: per text, per unit spelling, per printed code."""
    textnorm.clear_caches()
    units.resolve.cache_clear()
    codes.canonical_code.cache_clear()
    codes.is_family_code.cache_clear()


def harmonize_once(frame: pd.DataFrame, manifest: dict[str, Any]) -> tuple[float, float]:
    """The analysis the app and the CLI compute (`analysis.analyse`: crosswalk, verdicts,
    note comparison, lens tags) and its scores, from cold caches; (wall, CPU) seconds."""
    _fresh_caches()
    wall, cpu = time.perf_counter(), time.process_time()
    result = analysis.analyse(frame, manifest)
    analysis.score_tables(result)
    return time.perf_counter() - wall, time.process_time() - cpu


def cache_use() -> str:
    """Hits and misses of the comparison's per-text caches since they were last cleared."""
    infos = [member.cache_info() for module in (editorial_rules, pair_rules, quantities, verdicts)
             for member in vars(module).values() if hasattr(member, "cache_info")]
    return (f"normaliser caches {sum(i.hits for i in infos):,} hits / "
            f"{sum(i.misses for i in infos):,} misses")


def replicate(frame: pd.DataFrame, manifest: dict[str, Any],
              times: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The loaded lists `times` over, each copy a distinct source whose texts are distinct
    strings with the same words: copy n widens the first space of every text to n + 1 spaces.
    The verdicts stay those of the original (white space is editorial) but no cache keyed on
    the text can answer a copy from another copy."""
    frames, sources = [], {}
    for n in range(times):
        suffix = "" if n == 0 else f"-copy{n}"
        text = frame["text"].astype(str).str.replace(" ", " " * (n + 1), n=1, regex=False)
        part = frame.assign(source_id=frame["source_id"] + suffix, text=text)
        frames.append(part)
        for sid, src in manifest["sources"].items():
            copy = json.loads(json.dumps(src))
            for lst in copy["lists"]:
                lst["id"] += suffix
            sources[sid + suffix] = copy
    return pd.concat(frames, ignore_index=True), {"sources": sources}


def bench_harmonization(frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
    """The analysis of every loaded list beside the same lists replicated 10x (best of two
    runs each; wall and CPU seconds, the CPU time being what the work costs on a shared
    machine)."""
    one = min(harmonize_once(frame, manifest) for _ in range(2))
    one_caches = cache_use()
    result = analysis.analyse(frame, manifest)
    cells, notes = len(result.aligned), len(result.notes)
    big_frame, big_manifest = replicate(frame, manifest, 10)
    ten = min(harmonize_once(big_frame, big_manifest) for _ in range(2))
    ten_caches = cache_use()
    print(f"analysis (crosswalk, verdicts, note comparison, lenses, scores), all loaded "
          f"({cells} cells, {notes} note cells): {one[0]:.2f} s wall / {one[1]:.2f} s CPU "
          f"(target < 2 s); {one_caches}")
    print(f"same with the input replicated 10x as distinct texts: {ten[0]:.2f} s wall / "
          f"{ten[1]:.2f} s CPU = {ten[0] / one[0]:.1f}x wall, {ten[1] / one[1]:.1f}x CPU "
          f"(linear growth would be about 10x); {ten_caches}")


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best (wall, CPU) seconds of `runs`: on a shared machine the CPU time says what the
    work costs, the wall time what a user waits."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def bench_export(frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
    """The full comparison workbook beside a plain DataFrame.to_excel (openpyxl engine) of the
    same frames; the two writing libraries side by side on the same cells (why XlsxWriter);
    a surveillance export for three jurisdictions."""
    from harmonize.compare.measures import as_table, load_measures

    result = analysis.analyse(frame, manifest)
    measures = as_table(load_measures())
    scope = export.ExportScope()
    frames = export.comparison_frames(result, scope, measures)
    rows = sum(len(t) for t in frames.values())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = timed(2, lambda: export.comparison_frames(result, scope, measures))
        ours = timed(2, lambda: export.write_xlsx(frames, scope, folder / "ours.xlsx"))

        def plain() -> None:
            with pd.ExcelWriter(folder / "plain.xlsx", engine="openpyxl") as writer:
                for name, table in frames.items():
                    table.to_excel(writer, sheet_name=name[:31], index=False)

        baseline = timed(2, plain)
        xlsxwriter_cells = timed(2, lambda: _cells_xlsxwriter(frames, folder / "xw.xlsx"))
        openpyxl_cells = timed(2, lambda: _cells_openpyxl(frames, folder / "op.xlsx"))
        narrow = export.ExportScope(lens="surveillance",
                                    sources=tuple(s for s in ("us-ccl", "eu-annex-i", "uk-sel")
                                                  if s in manifest["sources"]))
        small = timed(2, lambda: export.write_xlsx(
            export.comparison_frames(result, narrow, measures), narrow, folder / "s.xlsx"))
    total = (made[0] + ours[0], made[1] + ours[1])
    print(f"full export, {rows} rows over {len(frames)} tables (wall / CPU s): tables "
          f"{made[0]:.2f} / {made[1]:.2f}, workbook {ours[0]:.2f} / {ours[1]:.2f}, together "
          f"{total[0]:.2f} / {total[1]:.2f} (target < 3 s)")
    print(f"  plain DataFrame.to_excel (openpyxl) of the same tables: {baseline[0]:.2f} / "
          f"{baseline[1]:.2f}; ratio ours/plain {total[0] / baseline[0]:.2f}x wall, "
          f"{total[1] / baseline[1]:.2f}x CPU (target <= 1x)")
    print(f"  the same cells, no formatting: XlsxWriter {xlsxwriter_cells[0]:.2f} / "
          f"{xlsxwriter_cells[1]:.2f}, openpyxl write-only {openpyxl_cells[0]:.2f} / "
          f"{openpyxl_cells[1]:.2f}; ratio openpyxl/XlsxWriter "
          f"{openpyxl_cells[1] / xlsxwriter_cells[1]:.2f}x CPU")
    print(f"  surveillance export, {', '.join(narrow.sources)}: {small[0]:.2f} / "
          f"{small[1]:.2f}")


def _cells_xlsxwriter(frames: dict[str, pd.DataFrame], path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False})
    for name, table in frames.items():
        ws = book.add_worksheet(name[:31])
        ws.write_row(0, 0, [str(c) for c in table.columns])
        for col, column in enumerate(table.columns):
            for row, value in enumerate(table[column].tolist(), start=1):
                if isinstance(value, str):
                    ws.write_string(row, col, value)
                elif isinstance(value, int | float):
                    ws.write_number(row, col, value)
    book.close()


def _cells_openpyxl(frames: dict[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, table in frames.items():
        ws = book.create_sheet(name[:31])
        ws.append([str(c) for c in table.columns])
        for values in zip(*(table[c].tolist() for c in table.columns), strict=True):
            ws.append(list(values))
    book.save(path)


if __name__ == "__main__":
    raise SystemExit(main())
