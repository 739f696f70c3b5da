"""Party lists: import time, matching time (all US records against all EU records), and the
matcher's precision and recall on tests/data/party_pairs.csv.

    .venv/bin/python benchmarks/bench_parties.py [--sources ../shared/sources] [--repeat 3]

Targets (issue 18): import of all party lists under 10 s; matching under 10 s on a 2-core
machine. Each import runs into a new empty store (no parse cache); each matching run starts
with the normalisation caches emptied. The machine's load average is printed beside: on a
shared 2-core machine every number moves.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from harmonize.compare import parties as pm  # noqa: E402
from harmonize.compare import parties_query  # noqa: E402
from harmonize.ingest import parties_store  # noqa: E402
from loaders.party_lists import readers  # noqa: E402


def _clear_caches() -> None:
    for cached in (pm.normalise, pm.legal_family, pm._territory, pm._transliterated):
        cached.cache_clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", default=str(ROOT.parent / "shared" / "sources"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sources = Path(args.sources)
    if not sources.is_dir():
        print(f"no folder {sources}: nothing to measure", file=sys.stderr)
        return 2
    print(f"load average before: {os.getloadavg()[0]:.2f} (2-core machine shared)")
    imports, root = [], Path()
    for _ in range(args.repeat):
        root = Path(tempfile.mkdtemp(prefix="bench-parties-"))
        started = time.perf_counter()
        outcomes = parties_store.import_party_dir(sources, readers(), root)
        imports.append(time.perf_counter() - started)
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            print("failed:", *[o.message for o in failed], sep="\n  ")
            return 1
    records = parties_store.load_party_records(root)
    sides = records["jurisdiction"].value_counts().to_dict()
    print(f"import of {len(outcomes)} party sources ({len(records):,} primary records: "
          f"US {sides.get('US', 0):,}, EU {sides.get('EU', 0):,}): "
          f"median {statistics.median(imports):.2f} s, runs "
          + ", ".join(f"{t:.2f}" for t in imports) + "  (target < 10 s)")
    matches, result = [], None
    for _ in range(args.repeat):
        _clear_caches()
        started = time.perf_counter()
        matching = pm.match(records)
        result = parties_query.assemble(matching)
        matches.append(time.perf_counter() - started)
    assert result is not None
    both = int((result.table["jurisdictions"].map(len) > 1).sum())
    print(f"matching all US against all EU records and assembling parties: median "
          f"{statistics.median(matches):.2f} s, runs " + ", ".join(f"{t:.2f}" for t in matches)
          + f"  (target < 10 s); {len(result.links):,} links, {len(result.table):,} parties, "
          f"{both:,} listed by both sides")
    no_review = pd.DataFrame(columns=list(pm.DECISION_COLUMNS))
    plain = parties_query.assemble(pm.match(records, no_review))
    labels = parties_query.read_labels(ROOT / "tests" / "data" / "party_pairs.csv")
    for name, parties in (("matcher alone", plain), ("with reviewed decisions", result)):
        party_of = dict(zip(parties.listings["record_id"], parties.listings["party_id"],
                            strict=True))
        scores = parties_query.evaluate(party_of, labels)
        print(f"{name}: precision {scores.precision:.3f} (target >= 0.98), recall "
              f"{scores.recall:.3f} (target >= 0.90) on {len(labels)} labelled pairs "
              f"(tp {scores.true_positives}, fp {scores.false_positives}, "
              f"fn {scores.false_negatives}, tn {scores.true_negatives})")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
