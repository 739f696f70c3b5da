"""Sections 5 and 6 of benchmarks/bench_ui.py (issue 16, issue 19), in the same run as the
others; prints measured numbers beside their targets and asserts nothing.

5. Search in everyday words: harmonize.compare.search in this process (the index the dashboard
   caches per snapshot, then each query QUERY_ROUNDS times), and in Chromium from the Enter key
   in the Explorer's search box to the updated table.
6. Server memory across imports: a server started with `--allow-import` on a fresh store, and
   IMPORTS imports of the same folder through the Sources page in Chromium (each runs in the
   server's limited child process, harmonize.ingest.isolated), each followed by a visit of the
   Overview so the server loads what was imported; the server's resident memory after each
   (BENCH_UI_IMPORTS=N imports N times instead of 30).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from playwright import sync_api

QUERIES = ["facial recognition", "spyware", "lawful interception", "biometric", "IMSI catcher",
           "deep packet inspection", "GPU", "quantum computer", "encryption",
           "thermal camera night vision"]
QUERY_ROUNDS = 20  # in this process
BROWSER_ROUNDS = 2  # each query typed again, in the browser
IMPORTS = int(os.environ.get("BENCH_UI_IMPORTS", "30"))  # fewer for a quick look
MB = 1024 * 1024
SEARCH_LABEL = "Search by code or in your own words"


class Served(Protocol):
    @property
    def base(self) -> str: ...

    def rss(self) -> int: ...


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def bench_search(browser: sync_api.Browser, base: str, home: Path,
                 open_page: Callable[[sync_api.Page, str, str, str], None],
                 measure: Callable[[sync_api.Page, Callable[[], object],
                                    Callable[[], object]], Any],
                 instrument: str, viewport: Any) -> None:
    from harmonize.compare import measures, search
    from harmonize.ingest import store

    print("\n5. Search in everyday words (harmonize.compare.search, as the Explorer asks it)")
    _, frame = store.load_snapshot(home)
    started = time.perf_counter()
    index = search.SearchIndex.build(frame, measures.load_measures(), search.load_vocabulary())
    print(f"  index of {len(index.docs):,} rows and measures built in "
          f"{time.perf_counter() - started:.2f} s (once per snapshot, cached by the dashboard)")
    worst = []
    for query in QUERIES:
        times = []
        for _ in range(QUERY_ROUNDS):
            began = time.perf_counter()
            index.search(query, limit=400)
            times.append((time.perf_counter() - began) * 1000)
        worst.append(pct(times, 95))
        print(f"  {query!r:<32} p50 {statistics.median(times):6.1f}  p95 {pct(times, 95):6.1f} ms")
    print(f"  in-process: slowest query p95 {max(worst):.1f} ms (target < 300 ms; load "
          f"{os.getloadavg()[0]:.2f})")

    ctx = browser.new_context(viewport=viewport)
    ctx.add_init_script(instrument)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    open_page(page, base, "/explorer", "code(s)")
    box = page.get_by_label(SEARCH_LABEL, exact=True)
    updated: list[float] = []
    for _ in range(BROWSER_ROUNDS):
        for query in QUERIES:
            change = measure(page, partial(box.fill, query), partial(box.press, "Enter"))
            updated.append(float(change.updated))
    ctx.close()
    print(f"  in Chromium, Enter to the updated table (first asks search, again from the "
          f"dashboard's cache of the answer): n={len(updated)} p50 "
          f"{statistics.median(updated):.0f}  p95 {pct(updated, 95):.0f}  max "
          f"{max(updated):.0f} ms (target: answers within 300 ms, issue 16; aim <= 200 ms; "
          f"load {os.getloadavg()[0]:.2f})")


def bench_imports(browser: sync_api.Browser, server: Served, folder: Path,
                  open_page: Callable[[sync_api.Page, str, str, str], None],
                  overview: Callable[[sync_api.Page], object], cycles: int = IMPORTS) -> None:
    print(f"\n6. Server memory across {cycles} imports of {folder} through the Sources page "
          "(server started with --allow-import on a fresh store; each import in the server's "
          "limited child process; then the Overview, so the server reads what was imported)")
    print(f"  before: {server.rss() / MB:.0f} MB")
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(600_000)
    line: list[str] = []
    after: list[float] = []
    for cycle in range(1, cycles + 1):
        began = time.perf_counter()
        open_page(page, server.base, "/sources", "Import a folder")
        page.get_by_label("Folder or bundle on the server", exact=True).fill(str(folder))
        page.get_by_role("button", name="Import").click()
        alert = page.locator("[data-testid=stAlert]").filter(
            has_text="imported").or_(page.locator("[data-testid=stAlert]").filter(
                has_text="Nothing imported")).or_(page.locator("[data-testid=stAlert]").filter(
                    has_text="failed"))
        alert.first.wait_for(timeout=600_000)
        message = alert.first.inner_text().strip().splitlines()[-1][:60]
        seconds = time.perf_counter() - began
        overview(page)
        rss = server.rss() / MB
        after.append(rss)
        line.append(f"{cycle}: {rss:.0f}")
        print(f"  import {cycle:>2}: {seconds:5.1f} s, '{message}', then the Overview; server "
              f"RSS {rss:.0f} MB", flush=True)
    ctx.close()
    print(f"  RSS per cycle (MB): {', '.join(line)}")
    print(f"  after {cycles} imports: {after[-1]:.0f} MB; growth from cycle 2 to {cycles}: "
          f"{after[-1] - after[min(1, len(after) - 1)]:+.0f} MB (target < 500 MB after 30)")
