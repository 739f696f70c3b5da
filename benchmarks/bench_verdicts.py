"""Benchmark: the verdicts against cells labelled by reading both texts.

Imports the real lists (../shared/sources, or the folder given) into a temporary store, or
uses the store named by --home, runs the comparison against Wassenaar and prints precision of
"substantive", recall of real differences, differences hidden as identical or editorial,
reasons and parameter accuracy on `tests/data/verdicts_labelled.csv`. Asserts nothing; the
integration test (tests/test_verdicts_labelled.py) holds the targets.

    .venv/bin/python benchmarks/bench_verdicts.py [SOURCES_DIR] [--home STORE] [--all]
    .venv/bin/python benchmarks/bench_verdicts.py --home STORE --draw SEED  # cells to label
    .venv/bin/python benchmarks/bench_verdicts.py --home STORE --draw-notes SEED --quota N

`--draw SEED` prints a reproducible random draw of cells not labelled yet, for labelling by
hand: a quota per verdict the current code gives (`DRAW_QUOTAS`), each drawn with
`random.Random(SEED)` from the sorted cells of that verdict.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import note_labels  # benchmarks/ runs as a script folder (its own folder on sys.path)

import loaders
from harmonize.compare import analysis, evaluation
from harmonize.ingest import bundle, store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"
LABELS = ROOT / "tests" / "data" / "verdicts_labelled.csv"
NOTE_LABELS = ROOT / "tests" / "data" / "notes_labelled.csv"


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
    _notes(result)
    for title, part in _parts(labels).items():
        sub = evaluation.evaluate(result.aligned, part)
        print(f"  {title}: {len(part)} cells; precision {sub.true_substantive} of "
              f"{sub.said_substantive} = {sub.precision:.1%}; hidden {len(sub.hidden)}; "
              f"parameters {sub.parameters_right} of {sub.with_parameters}")
    sections = [("hidden", report.hidden), ("false substantive", report.false_substantive),
                ("parameter errors", report.parameter_errors),
                ("other reference", report.other_reference), ("missing", report.missing)]
    if show_all:
        sections.append(("status errors", report.status_errors))
    for title, items in sections:
        for item in items:
            print(f"  {title}: {item}")
    return 0


def _notes(result: analysis.Analysis) -> None:
    """Note findings against `NOTE_LABELS` (`note_labels`): precision and hidden differences."""
    if not NOTE_LABELS.is_file():
        return
    from harmonize.present.views import notes as note_views

    labels = note_labels.load(NOTE_LABELS)
    report = note_labels.evaluate(note_views.note_findings(result.notes, result.aligned),
                                  labels, note_labels.printed_keys(result.notes))
    print(f"note findings labelled: {len(labels)}; precision of note 'changed'/'missing'/'not "
          f"in the reference': {report.true} of {report.reported} = {report.precision:.1%}; "
          f"real note differences hidden: {len(report.hidden)} (target 0)")
    for label in report.hidden:
        print(f"  hidden note difference: {label.code} {label.source} {label.finding}")
    for label in report.false:
        print(f"  false note difference: {label.code} {label.source} {label.finding}: "
              f"{label.why}")


def draw_notes(home: Path, seed: int, quota: int) -> int:
    """Print `quota` note differences drawn at random with `seed`, to label by hand."""
    from harmonize.present.views import notes as note_views

    result = analysis.analyse(store.load_lists(home), store.read_manifest(home))
    picked = note_labels.draw(note_views.note_findings(result.notes, result.aligned), seed,
                              quota)
    picked.to_csv(sys.stdout, index=False)
    return 0


def _parts(labels: list[evaluation.Label]) -> dict[str, list[evaluation.Label]]:
    """The labelled set by when its cells were drawn ("draw SEED" notes): precision on cells
    no rule was tuned on is shown apart from the older cells."""
    parts: dict[str, list[evaluation.Label]] = {}
    for label in labels:
        words = label.note.split()
        title = " ".join(words[:2]).rstrip(":") if words[:1] == ["draw"] else "older cells"
        parts.setdefault(title, []).append(label)
    return parts


# Cells drawn per verdict: most where precision is measured (said substantive).
DRAW_QUOTAS = {"substantive": 32, "editorial": 10, "identical": 3, "absent": 2, "national": 2,
               "not-detailed": 2}


def draw(home: Path, seed: int) -> int:
    """Print `DRAW_QUOTAS` unlabelled cells per verdict, drawn at random with `seed`."""
    frame, manifest = store.load_lists(home), store.read_manifest(home)
    aligned = analysis.analyse(frame, manifest).aligned
    labelled = {(label.code, label.compared_source) for label in evaluation.load_labels(LABELS)}
    rng = random.Random(seed)
    print("reference_source,code,compared_source,status_at_draw")
    for status, quota in DRAW_QUOTAS.items():
        cells = sorted((str(code), str(source), str(ref)) for code, source, ref, said in zip(
            aligned["canonical"], aligned["source"], aligned["reference_source"],
            aligned["status"], strict=True) if said == status and (code, source) not in labelled)
        for code, source, ref in rng.sample(cells, min(quota, len(cells))):
            print(f"{ref},{code},{source},{status}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", default=str(DEFAULT_SOURCES))
    parser.add_argument("--home", help="an existing store to read instead of importing")
    parser.add_argument("--all", action="store_true", help="list every status error too")
    parser.add_argument("--draw", type=int, metavar="SEED", help="print cells to label")
    parser.add_argument("--draw-notes", type=int, metavar="SEED",
                        help="print note differences to label (--quota of them)")
    parser.add_argument("--quota", type=int, default=50)
    args = parser.parse_args()
    if args.home and args.draw_notes is not None:
        return draw_notes(Path(args.home), args.draw_notes, args.quota)
    if args.home and args.draw is not None:
        return draw(Path(args.home), args.draw)
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
