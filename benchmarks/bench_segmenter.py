"""Segmentation time grows linearly (issue #19): extra lines fed to the shared segmenter and
to the EU markdown loader (a hand-made sample with N extra continuation lines).

    .venv/bin/python benchmarks/bench_segmenter.py [--max 1000000]

Prints seconds per size and the ratio to the previous size (linear growth: about the ratio of
the sizes). The EU loader is timed as called and as an import runs it (garbage collector paused).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from harmonize.collector import collector_paused
from harmonize.ingest.segmenter import CodeStyle, Line, segment
from loaders.eu_annex_i import parse as eu_annex_i

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "eu-annex-i" / "annex_sample.md"
STYLE = CodeStyle("bench", re.compile(r"^(?P<code>\d[A-E]\d{3})\s+(?P<rest>.*)$"))


def segmenter_seconds(extra: int) -> float:
    """One entry, one paragraph, then `extra` continuation lines and `extra // 10` labels."""
    lines = [Line("5A001 Widgets, as follows:", "line 1"), Line("a. Widgets:", "line 2")]
    lines += [Line(f"continued text {i} about widgets", f"line {i + 3}") for i in range(extra)]
    started = time.perf_counter()
    segment(lines, STYLE)
    return time.perf_counter() - started


def eu_loader_seconds(extra: int, folder: Path) -> float:
    text = SAMPLE.read_text(encoding="utf-8")
    anchor = "a. Widgets having all of the following:\n"
    filler = "".join(f"   widget continuation line {i} of the sample\n" for i in range(extra))
    path = folder / f"eu-{extra}.md"
    path.write_text(text.replace(anchor, anchor + filler, 1), encoding="utf-8")
    started = time.perf_counter()
    eu_annex_i.parse_file(path, check_counts=False)  # a sample: not the real counts
    return time.perf_counter() - started


def imported_eu_loader_seconds(extra: int, folder: Path) -> float:
    """The EU loader as an import runs it: with the cyclic garbage collector paused (its full
    collections walk every live object, so their cost grows with the parse)."""
    with collector_paused():
        return eu_loader_seconds(extra, folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=1_000_000, help="largest number of lines")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    sizes = [n for n in (125_000, 250_000, 500_000, 1_000_000, 2_000_000) if n <= args.max]
    with tempfile.TemporaryDirectory() as tmp:
        for name, measure in (
                ("segmenter", segmenter_seconds),
                ("EU markdown loader", lambda n: eu_loader_seconds(n, Path(tmp))),
                ("EU loader, imported", lambda n: imported_eu_loader_seconds(n, Path(tmp)))):
            previous = None
            for size in sizes:
                seconds = measure(size)
                ratio = f"{seconds / previous:.2f}x for 2x the lines" if previous else ""
                print(f"{name:<20} {size:>9,} extra lines: {seconds:6.2f} s  {ratio}")
                previous = seconds
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
