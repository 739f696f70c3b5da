"""Faithful text (issue #14): the measures of `harmonize.ingest.fidelity` per loaded list.

    HARMONIZE_HOME=/tmp/hh .venv/bin/python benchmarks/bench_fidelity.py [--show N]

Reads the store (import ../shared/sources first) and prints, per list: rows, private-use glyphs,
flattened powers of ten, odd degree signs, broken line-end hyphens, and the share of notes that
name a code and hang on it (or an ancestor): `placed` as loaded, `layout` where the layout alone
had hung them (before the loaders re-hang a note on the code it names); `--show N` prints N
examples of each defect.
"""

from __future__ import annotations

import argparse

from harmonize.ingest import fidelity, store


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="examples of each defect")
    args = parser.parse_args()
    _, frame = store.load_snapshot()
    print(f"{'list':<16} {'rows':>6} {'PUA':>5} {'10^n':>5} {'deg':>4} {'hyph':>5} "
          f"{'notes naming':>12} {'placed':>7} {'layout':>7}")
    totals = [0, 0]
    for result in fidelity.fidelity(frame):
        share = result.notes.share
        print(f"{result.list_id:<16} {result.rows:>6} {result.private_use:>5} "
              f"{result.flattened_powers:>5} {result.odd_degrees:>4} {result.broken_hyphens:>5} "
              f"{result.notes.naming:>12} {'-' if share is None else f'{share:.0%}':>7} "
              f"{_share(result.notes.layout_share):>7}")
        totals[0] += result.private_use
        totals[1] += result.flattened_powers
        if args.show:
            rows = frame[frame["source_id"] == result.list_id]
            for name, picked in (("PUA", fidelity.private_use_rows(rows)),
                                 ("10^n", fidelity.flattened_power_rows(rows)),
                                 ("deg", fidelity.odd_degree_rows(rows)),
                                 ("hyph", fidelity.broken_hyphen_rows(rows))):
                for code, text in zip(picked["canonical"][: args.show],
                                      picked["text"][: args.show], strict=False):
                    print(f"    {name:<5} {code:<16} {str(text)[:90]!r}")
            for named, parent in result.notes.misplaced[: args.show]:
                print(f"    note  names {named:<16} hangs on {parent}")
    print(f"all lists: {totals[0]} private-use glyph rows (target 0), {totals[1]} flattened "
          "powers of ten (target <= 5)")
    # Structure: the free-standing "Technical Note on 'Adjusted Peak Performance'" after 4E001.c
    # read as its sub-items, and the UK's 3A234.b printed without its dot.
    phantom = frame[frame["canonical"].str.startswith("4E001.c.")]
    by_list = phantom.groupby("source_id").size().to_dict()
    print(f"phantom 4E001.c.* rows: {len(phantom)} (target 0){f' {by_list}' if by_list else ''}")
    uk = frame[(frame["source_id"] == "uk-sel") & (frame["canonical"] == "3A234.b")]
    print(f"uk-sel 3A234.b present: {'yes' if len(uk) else 'no'} (target yes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
