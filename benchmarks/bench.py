"""Benchmark: import time per source beside raw text extraction of the same file, and the
cached load. Prints measured numbers and ratios; it asserts nothing (targets are in the README).

    .venv/bin/python benchmarks/bench.py [SOURCES_DIR] [--export-only | --import-only |
                                          --analysis-only] [--runs=N]

`--export-only` imports the lists, then times the export section alone; `--import-only` stops
after the import section (and the cached load); `--analysis-only` times the analysis section
alone (the analysis of all lists and of the lists replicated 10x); `--runs=N` imports and
extracts each file N times (default 3) and keeps the best.
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
from parse_digest import source_files

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


# "Raw extraction" per format: the bare library call that gets the text (or, for PDFs, the
# spans with their fonts, sizes and positions, which every PDF loader needs for superscripts,
# italics and indents) out of the file; the floor any parser of that format pays.
RAW_EXTRACTION = {
    ".pdf": 'pymupdf page.get_text("dict", flags=TEXTFLAGS_TEXT) of every page',
    ".docx": "zip read + lxml parse of word/document.xml + itertext",
    ".xml": "lxml parse + itertext",
    ".html": "lxml parse + itertext",
    ".htm": "lxml parse + itertext",
    ".json": "json.loads",
}


def raw_text(path: Path, pdf_kind: str = "dict") -> int:
    """Raw extraction of the whole file (`RAW_EXTRACTION`); returns how much it got out.
    `pdf_kind="text"`: PDFs as plain text, the cheaper call (no fonts, sizes or positions)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            # the flags of plain text extraction (no images): only the output differs
            return sum(len(page.get_text(pdf_kind, flags=pymupdf.TEXTFLAGS_TEXT))
                       for page in doc)
    if suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            from lxml import etree

            root = etree.fromstring(archive.read("word/document.xml"), xml_parser())
            return sum(len(t) for t in root.itertext())
    if suffix in (".xml", ".html", ".htm"):
        from lxml import etree

        return sum(len(t) for t in etree.parse(str(path), xml_parser()).getroot().itertext())
    if suffix == ".json":
        return len(json.loads(path.read_text(encoding="utf-8")))
    return len(path.read_text(encoding="utf-8"))


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    export_only = "--export-only" in sys.argv[1:]
    import_only = "--import-only" in sys.argv[1:]
    runs = int(next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--runs=")), 3))
    analysis_only = "--analysis-only" in sys.argv[1:]
    sources = Path(args[0]) if args else DEFAULT_SOURCES
    if not sources.is_dir():
        print(f"no sources folder at {sources}")
        return 2
    print(f"sources: {sources}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        if not bench_import(sources, home, runs=runs):
            return 2
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
        if import_only:
            return 0
        if not export_only:
            bench_harmonization(frame, manifest)
        if not analysis_only:
            bench_export(frame, manifest)
    if not export_only and not analysis_only:
        bench_fuzz()
    return 0


def best_pair(runs: int, work: Callable[[int], object]) -> tuple[float, float]:
    """The best wall and the best CPU seconds of `runs` calls of `work(run)`, each its own
    minimum: on a shared machine the CPU time says what the work costs, the wall time what a
    user waits."""
    walls, cpus = [], []
    for run in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work(run)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def bench_import(sources: Path, home: Path, runs: int) -> bool:
    """Per source: raw extraction of its file beside its import (snapshot, parse, store) from
    an empty parse cache, each the best of `runs` with the libraries already loaded; per-source
    ratios and the total, in wall and CPU seconds. The last import is left in `home`. False
    when nothing was imported."""
    registry = loaders.registry()
    print(f"best of {runs}, libraries loaded; each import into an empty store; wall / CPU s")
    print(f"{'source':<14} {'file':<24} {'raw extraction':>14} {'import':>13} "
          f"{'import / raw':>13}")
    totals = dict.fromkeys(("raw", "raw cpu", "import", "import cpu", "plain", "plain cpu",
                            "main three"), 0.0)
    formats: set[str] = set()
    for source_id, _, folder, raw in source_files(sources, registry):
        suffix = raw.suffix.lower()
        raw_text(raw)  # loads the library (pymupdf takes ~1 s): not extraction time
        extraction = best_pair(runs, lambda _: raw_text(raw))  # noqa: B023 (called at once)
        plain = (best_pair(runs, lambda _: raw_text(raw, "text"))  # noqa: B023
                 if suffix == ".pdf" else extraction)
        status: list[str] = []

        def once(run: int, source_id: str = source_id, folder: Path = folder,
                 status: list[str] = status) -> None:
            target = home if run == runs - 1 else home.with_name(f"run{run}")
            status.append(store.import_source(source_id, folder, target,
                                              registry=registry).status)

        imported = best_pair(runs, once)
        formats.add(suffix)
        for key, (wall, cpu) in (("raw", extraction), ("plain", plain), ("import", imported)):
            totals[key] += wall
            totals[f"{key} cpu"] += cpu
        if source_id in ("us-ccl", "eu-annex-i", "wassenaar"):
            totals["main three"] += imported[0]
        # A plain-text file has nothing to extract (reading it is the floor): its ratio
        # measures the parse against a file read.
        kind = "" if suffix in RAW_EXTRACTION else " (raw = reading a text file)"
        print(f"{source_id:<14} {raw.name[:24]:<24} {extraction[0]:>6.3f} / {extraction[1]:.3f} "
              f"{imported[0]:>5.3f} / {imported[1]:.3f} "
              f"{imported[0] / extraction[0]:>5.1f} / {imported[1] / extraction[1]:.1f}  "
              f"{status[-1]}{kind}")
    if not totals["raw"]:
        print("no source imported")
        return False
    for suffix in sorted(formats):
        print(f"  raw extraction of {suffix}: {RAW_EXTRACTION.get(suffix, 'read as UTF-8 text')}")
    print(f"import US+EU+Wassenaar: {totals['main three']:.2f} s (target < 15 s)")
    print(f"import all loaded sources: {totals['import']:.2f} s (target < 40 s); "
          f"{totals['import'] / totals['raw']:.2f}x their raw extraction, {totals['raw']:.2f} s "
          f"(CPU: {totals['import cpu']:.2f} s, {totals['import cpu'] / totals['raw cpu']:.2f}x "
          f"{totals['raw cpu']:.2f} s) (target <= 2.5x)")
    print(f"  with PDFs extracted as plain text instead: {totals['import'] / totals['plain']:.2f}x "
          f"{totals['plain']:.2f} s (CPU {totals['import cpu'] / totals['plain cpu']:.2f}x "
          f"{totals['plain cpu']:.2f} s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return True


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
        made = best_pair(2, lambda _: export.comparison_frames(result, scope, measures))
        ours = best_pair(2, lambda _: export.write_xlsx(frames, scope, folder / "ours.xlsx"))

        def plain() -> None:
            with pd.ExcelWriter(folder / "plain.xlsx", engine="openpyxl") as writer:
                for name, table in frames.items():
                    table.to_excel(writer, sheet_name=name[:31], index=False)

        baseline = best_pair(2, lambda _: plain())
        xlsxwriter_cells = best_pair(2, lambda _: _cells_xlsxwriter(frames, folder / "xw.xlsx"))
        openpyxl_cells = best_pair(2, lambda _: _cells_openpyxl(frames, folder / "op.xlsx"))
        narrow = export.ExportScope(lens="surveillance",
                                    sources=tuple(s for s in ("us-ccl", "eu-annex-i", "uk-sel")
                                                  if s in manifest["sources"]))
        small = best_pair(2, lambda _: export.write_xlsx(
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
