"""Concept and full-text search speed (issue #16: answers within 300 ms).

    HARMONIZE_HOME=/tmp/hh .venv/bin/python benchmarks/bench_search.py

Builds the index over every loaded list and the register once (what the dashboard caches),
then times analysts' queries, each 20 times: prints build time and per-query p50 / p95.
"""

from __future__ import annotations

import os
import statistics
import time

from harmonize.compare import measures, search
from harmonize.ingest import store

QUERIES = ["facial recognition", "spyware", "lawful interception", "biometric", "IMSI catcher",
           "deep packet inspection", "GPU", "quantum computer", "5.A.1.j", "encryption",
           "thermal camera night vision", "software for monitoring communications"]


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.2f}")
    _, frame = store.load_snapshot()
    started = time.perf_counter()
    index = search.SearchIndex.build(frame, measures.load_measures())
    print(f"index of {len(index.docs):,} rows and measures built in "
          f"{time.perf_counter() - started:.2f} s (once per loaded snapshot)")
    worst = 0.0
    for query in QUERIES:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            results = index.search(query)
            times.append(time.perf_counter() - started)
        p50 = statistics.median(times) * 1000
        p95 = sorted(times)[int(0.95 * len(times)) - 1] * 1000
        worst = max(worst, p95)
        print(f"{query!r:<42} {len(results):>3} results  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(f"slowest p95 {worst:.1f} ms (target < 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
