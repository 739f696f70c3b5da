"""Benchmark: the verdicts against cells labelled by reading both texts.

Imports the real lists (../shared/sources, or the folder given) into a temporary store, or
uses the store named by --home, runs the comparison against Wassenaar and prints precision of
"substantive", recall of real differences, differences hidden as identical or editorial,
reasons and parameter accuracy on `tests/data/verdicts_labelled.csv`. Asserts nothing; the
integration test (tests/test_verdicts_labelled.py) holds the targets.

    .venv/bin/python benchmarks/bench_verdicts.py [SOURCES_DIR] [--home STORE] [--all]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import loaders
from harmonize.compare import analysis, evaluation
from harmonize.ingest import bundle, store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"
LABELS = ROOT / "tests" / "data" / "verdicts_labelled.csv"


def run(home: Path, show_all: bool) -> int:
    started = time.perf_counter()
    frame, manifest = store.load_lists(home), store.read_manifest(home)
    result = analysis.analyse(frame, manifest)
    seconds = time.perf_counter() - started
    labels = evaluation.load_labels(LABELS)
    report = evaluation.evaluate(result.aligned, labels)
    print(f"labelled cells: {len(labels)} ({report.cells} found; {len(report.missing)} missing)")
    print(f"status right (identical and editorial count as one): {report.status_right} of "
          f"{report.cells} = {report.status_right / max(report.cells, 1):.1%}")
    print(f"precision of 'substantive': {report.true_substantive} of {report.said_substantive} "
          f"= {report.precision:.1%} (target >= 95%)")
    print(f"recall of real differences: {report.true_substantive} of {report.real_differences} "
          f"= {report.recall:.1%}")
    print(f"real differences hidden as identical/editorial: {len(report.hidden)} (target 0)")
    print(f"reason right (same kind) among true substantive: {report.reason_right} of "
          f"{report.true_substantive}; said 'unexplained wording': {report.unexplained}")
    print(f"parameters right: {report.parameters_right} of {report.with_parameters} cells that "
          f"carry them = {report.parameter_accuracy:.1%} (target >= 95%)")
    print(f"analysis of all lists: {seconds:.2f} s")
    sections = [("hidden", report.hidden), ("false substantive", report.false_substantive),
                ("parameter errors", report.parameter_errors),
                ("other reference", report.other_reference), ("missing", report.missing)]
    if show_all:
        sections.append(("status errors", report.status_errors))
    for title, items in sections:
        for item in items:
            print(f"  {title}: {item}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", default=str(DEFAULT_SOURCES))
    parser.add_argument("--home", help="an existing store to read instead of importing")
    parser.add_argument("--all", action="store_true", help="list every status error too")
    args = parser.parse_args()
    if args.home:
        return run(Path(args.home), args.all)
    sources = Path(args.sources)
    if not sources.is_dir():
        print(f"no sources folder at {sources}")
        return 2
    with tempfile.TemporaryDirectory() as tmp, _home(Path(tmp)):
        bundle.import_any(sources, registry=loaders.registry())
        return run(Path(tmp), args.all)


class _home:
    """HARMONIZE_HOME pointing at a folder while importing (the store reads it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.previous: str | None = None

    def __enter__(self) -> None:
        import os

        self.previous = os.environ.get("HARMONIZE_HOME")
        os.environ["HARMONIZE_HOME"] = str(self.path)

    def __exit__(self, *exc: object) -> None:
        import os

        if self.previous is None:
            os.environ.pop("HARMONIZE_HOME", None)
        else:
            os.environ["HARMONIZE_HOME"] = self.previous


if __name__ == "__main__":
    sys.exit(main())
