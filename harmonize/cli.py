"""`harmonize` command line: import, status, list, lookup (JSON with --json, text without)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize import __version__, cli_parties, cli_search, cli_versions
from harmonize.cli_versions import progress_bar, registry_of
from harmonize.codes import canonical_code
from harmonize.compare import analysis, lenses, queries, scores
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.ingest import bundle, store
from harmonize.ingest.registry import Registry
from harmonize.ingest.store import ProgressFn
from harmonize.present import serve


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def import_everything(path: Path, args: argparse.Namespace,
                      progress: ProgressFn | None) -> list[store.ImportOutcome]:
    """The control lists of a folder or bundle, and the end-user (party) lists of a folder
    beside them. BundleError for a damaged or unsafe bundle."""
    outcomes = bundle.import_any(path, progress=progress, registry=registry_of(args))
    if path.is_dir():
        outcomes = cli_parties.import_parties(path, outcomes)
    return outcomes


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.directory)
    if not path.exists():
        print(f"harmonize import: {path}: no such folder or bundle", file=sys.stderr)
        return 2
    try:
        outcomes = import_everything(path, args, None if args.json else progress_bar)
    except bundle.BundleError as error:
        print(f"harmonize import: {error}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if o.status == "failed"]
    if args.json:
        _print_json({"store": str(store.home()), "sources": [o.__dict__ for o in outcomes]})
    else:
        print(f"store: {store.home()}")
        for o in outcomes:
            print(f"{o.source_id:<24} {o.status:<9} {o.seconds:6.2f}s  {o.message}")
            for lst in o.lists:
                print(f"    {lst['id']:<22} {lst['version']}  entries {lst['entries']:>5}  "
                      f"paragraphs {lst['paragraphs']:>6}  notes {lst['notes']:>5}  "
                      f"unplaced {lst['unplaced']:>4}")
                for note in lst.get("loader_notes", []):
                    print(f"      note: {note}")
        if failed:
            print(f"{len(failed)} source(s) failed; the others were imported.", file=sys.stderr)
    return 1 if failed else 0


def cmd_first_run(args: argparse.Namespace) -> int:
    """Bring lists into an empty store before the dashboard opens; never blocks it."""
    from harmonize.ingest import refresh  # the network client only when it may be needed

    loaded = store.read_manifest()["sources"]
    if loaded:
        print(f"store {store.home()}: {len(loaded)} source(s) loaded")
        return 0
    folder = os.environ.get("HARMONIZE_IMPORT_DIR", "").strip()
    if folder:
        print(f"Empty store {store.home()}: importing {folder} (HARMONIZE_IMPORT_DIR)")
        try:
            outcomes = import_everything(Path(folder), args, progress_bar)
        except (bundle.BundleError, OSError) as error:
            print(f"could not import {folder}: {error}", file=sys.stderr)
            outcomes = []
        done = sum(o.status in ("imported", "cached") for o in outcomes)
    elif args.offline:
        done = 0
    else:
        print(f"Empty store {store.home()}: downloading the lists from their publishers")
        # One quick attempt each: on an offline machine the dashboard must not wait a minute.
        results = refresh.refresh(progress=progress_bar,
                                  fetcher=refresh.Fetcher(timeout=10.0, retries=0, deadline=20.0),
                                  registry=registry_of(args))
        done = sum(r.status in ("refreshed", "unchanged") for r in results)
        for r in results:
            if r.status == "failed":
                print(f"  {r.source_id}: {r.message}", file=sys.stderr)
    if not done:
        print("No list could be loaded. The dashboard opens anyway; to load lists, either\n"
              "  HARMONIZE_IMPORT_DIR=../shared/sources make run      (a folder or a bundle)\n"
              "  .venv/bin/harmonize import <folder or bundle.zip>\n"
              "  .venv/bin/harmonize refresh                          (needs the internet)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    payload = queries.status(store.read_manifest())
    if args.json:
        _print_json(payload)
        return 0
    if not payload["sources"]:
        print(f"Nothing loaded in {store.home()}. Run: harmonize import ../shared/sources")
        return 0
    # unplaced: text the loader could not attach to any entry, reported (never dropped)
    print(f"{'list':<22} {'jur':<4} {'version':<11} {'entries':>7} {'paras':>7} "
          f"{'unplaced':>8}  imported")
    for s in payload["sources"]:
        print(f"{s['id']:<22} {s['jurisdiction']:<4} {s['version']:<11} {s['entries']:>7} "
              f"{s['paragraphs']:>7} {s['unplaced']:>8}  {s['imported_at']}  {s['sha256'][:12]}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    frame = store.load_lists()
    if args.source not in set(frame["source_id"]):
        known = ", ".join(sorted(set(frame["source_id"]))) or "none loaded"
        print(f"harmonize list: no list {args.source!r} (loaded: {known})", file=sys.stderr)
        return 2
    payload = queries.list_rows(frame, args.source)
    if args.json:
        _print_json(payload)
        return 0
    for row in payload["rows"]:
        indent = "  " * int(row["depth"])
        print(f"{indent}{row['canonical']:<16} {cli_search.kind_marker(row['kind'])}"
              f"{row['text'][:100]}")
    return 0


def _analysis(args: argparse.Namespace) -> analysis.Analysis:
    return analysis.load_analysis(reference=getattr(args, "reference", DEFAULT_REFERENCE))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN -> None)."""
    return [{str(k): (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in frame.astype(object).to_dict(orient="records")]


def cmd_lookup(args: argparse.Namespace) -> int:
    payload = analysis.lookup(_analysis(args), args.code)
    if args.json:
        _print_json(payload)
        return 0
    compared = payload.get("compared_as", payload["canonical"])
    print(f"{args.code} -> {payload['canonical']}"
          + (f" (compared as {compared})" if compared != payload["canonical"] else ""))
    for mapping in payload.get("mappings", []):
        print(f"  reviewed mapping: {mapping['joins']} ({mapping['reviewed']})")
    for m in payload["matches"]:
        flag = " (national)" if m["national"] else ""
        print(f"  {m['source']:<20} {m['code']:<18}{flag} {m['text'][:110]}")
        print(f"  {'':<20} {m['citation']} [{m['location']}]")
    if payload["absent_in"]:
        print("  absent in: " + ", ".join(payload["absent_in"]))
    if payload["not_detailed_in"]:
        print("  not detailed in the loaded copy: " + ", ".join(payload["not_detailed_in"]))
    if payload["statuses"]:
        print(f"  origin {payload['origin']}; against {payload['reference']}: " + ", ".join(
            f"{k} {v}" for k, v in payload["statuses"].items()))
    reference = payload.get("reference_text")
    if reference and reference["source"] != payload["reference"]:
        print(f"  reference text: {reference['source']} {reference['version']} "
              f"({reference['basis']})")
    for diff in payload["diffs"]:
        because = diff["detail"] or ", ".join(diff["rules"])
        print(f"  {diff['source']} vs {diff['against']} ({diff['status']}, {diff['reason']}): "
              f"{because}")
    for c in payload["candidates"]:
        print(f"  candidate in {c['source']}: {c['canonical']} score {c['score']} ({c['reason']})")
    return 0 if payload["matches"] else 1


def cmd_gaps(args: argparse.Namespace) -> int:
    sources = args.sources.split(",") if args.sources else None
    rows = analysis.gaps(_analysis(args), lens=args.lens, sources=sources)
    columns = ["canonical", "source", "jurisdiction", "status", "origin", "parameters", "text",
               "reference_source", "mapped_from", "citation"]
    if args.json:
        _print_json({"reference": args.reference, "lens": args.lens,
                     "gaps": _records(rows[columns])})
        return 0
    for row in rows[columns].itertuples(index=False):
        print(f"{row.canonical:<18} {row.source:<12} {row.status:<12} {row.origin:<13} "
              f"{str(row.parameters)[:60]}")
    print(f"{len(rows)} divergences", file=sys.stderr)
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    result = _analysis(args)
    if args.trace:
        lens_id, _, source = args.trace.partition(":")
        rows = scores.trace_lens_score(result.aligned, result.tags, lens_id, source)
        if args.json:
            _print_json({"lens": lens_id, "source": source, "rows": _records(rows)})
        else:
            print(rows.to_string(index=False, max_colwidth=60))
        return 0
    tables = analysis.score_tables(result)
    if args.json:
        _print_json({"reference": args.reference,
                     **{name: _records(frame) for name, frame in tables.items()}})
        return 0
    for name, frame in tables.items():
        print(f"== {name}")
        print(frame.to_string(index=False))
    return 0


def cmd_lenses(args: argparse.Namespace) -> int:
    result = _analysis(args)
    book = result.book
    codes = result.tags.groupby("lens")["canonical"].agg(sorted).to_dict()
    payload: dict[str, Any] = {"lenses": [
        {"id": lens.id, "name": lens.name, "parent": lens.parent,
         "description": lens.description, "named_codes": list(lens.codes),
         "keywords": list(lens.keywords), "codes": codes.get(lens.id, [])}
        for lens in book.lenses]}
    failed = False
    if args.check:
        unknown = lenses.unknown_codes(result.frame, book)
        sweep = lenses.keyword_sweep(result.frame, book)
        untagged = sweep[sweep["verdict"] == "untagged"]
        payload["check"] = {
            "unknown_codes": [{"lens": lens_id, "code": code} for lens_id, code in unknown],
            "sweep": sweep["verdict"].value_counts().to_dict(),
            "untagged": _records(untagged),
        }
        failed = bool(unknown) or not untagged.empty
    if args.json:
        _print_json(payload)
    else:
        for lens in payload["lenses"]:
            print(f"{lens['id']:<36} {len(lens['codes']):>5} codes  {lens['name']}")
        if args.check:
            check = payload["check"]
            print(f"unknown codes: {check['unknown_codes'] or 'none'}")
            print(f"keyword sweep: {check['sweep']}")
            for row in check["untagged"][:50]:
                print(f"  untagged: {row['canonical']} ({row['source_id']}) '{row['keyword']}'")
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from harmonize.present import export  # xlsxwriter only when exporting

    result = _analysis(args)
    known = {s.id for s in result.specs}
    wanted = _split(args.jurisdictions)
    unknown = [s for s in wanted if s not in known]
    if unknown:
        print(f"harmonize export: not loaded: {', '.join(unknown)} (loaded: "
              f"{', '.join(sorted(known))})", file=sys.stderr)
        return 2
    if args.lens and not result.book.family(args.lens):
        print(f"harmonize export: unknown lens {args.lens!r} (lenses: "
              f"{', '.join(x.id for x in result.book.lenses)})", file=sys.stderr)
        return 2
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".zip"):
        print("harmonize export: --out must end in .xlsx, .csv or .zip", file=sys.stderr)
        return 2
    codes = tuple(canonical_code(c) or c for c in _split(args.codes))
    scope = export.ExportScope(reference=args.reference, lens=args.lens, sources=wanted,
                               codes=codes, hide_national_absent=not args.national_absences)
    frames = export.comparison_frames(result, scope, _measures_or_none(),
                                      parties=export.stored_parties())
    if suffix == ".xlsx":
        export.write_xlsx(frames, scope, out, paper=args.paper)
    else:
        names = ["Matrix"] if suffix == ".csv" else ["Matrix", "Gaps"]
        export.write_csv(frames, names=names, target=out, delimiter=args.csv_delimiter)
    rows = {name: len(frame) for name, frame in frames.items()}
    if args.json:
        _print_json({"out": str(out), "rows": rows, "scope": dict(scope.describe())})
    else:
        print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    return 0


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _measures_or_none() -> pd.DataFrame | None:
    from harmonize.compare.measures import as_table, load_measures

    return as_table(load_measures())


def cmd_measures(args: argparse.Namespace) -> int:
    from harmonize.compare.measures import as_table, load_measures

    table = as_table(load_measures())
    for column, value in (("jurisdiction", args.jurisdiction), ("status", args.status),
                          ("type", args.type)):
        if value:
            table = table[table[column] == value]
    if args.lens:
        table = table[table["lenses"].str.split("; ").map(
            lambda ids: any(i == args.lens or i.startswith(args.lens + ".") for i in ids))]
    if args.json:
        _print_json({"measures": _records(table)})
        return 0
    for record in _records(table):
        print(f"{record['date_published']:<11} {record['jurisdiction']:<12} "
              f"{record['status']:<10} {record['type']:<16} {str(record['title'])[:70]}")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference", default=DEFAULT_REFERENCE,
                        help="source the statuses compare against (default: wassenaar)")
    parser.add_argument("--json", action="store_true")


def cmd_serve(args: argparse.Namespace) -> int:
    return serve.serve(Path(args.script).resolve(), port=args.port, warm=not args.no_warm_up,
                       allow_import=args.allow_import)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Align export control lists (US CCL, EU Annex I, Wassenaar and partners).",
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="a folder DIR/<source-id>/<files>, dated folders "
                       "DIR/<source-id>/<YYYY-MM-DD>/, or a bundle (.zip)")
    p.add_argument("directory")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("first-run", help="load lists into an empty store (make run calls it)")
    p.add_argument("--offline", action="store_true", help="do not try the publishers")
    p.set_defaults(func=cmd_first_run)

    p = sub.add_parser("status", help="what is loaded: lists, versions, counts, checksums")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("list", help="every row of one loaded list")
    p.add_argument("source")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("lookup", help="one code, in any style, across every loaded list")
    p.add_argument("code")
    _common(p)
    p.set_defaults(func=cmd_lookup)

    p = sub.add_parser("gaps", help="every divergence for a lens and sources")
    p.add_argument("--lens")
    p.add_argument("--sources", help="comma-separated source ids (default: all)")
    _common(p)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("scores", help="lens x source scores, pairwise agreement, baseline")
    p.add_argument("--trace", metavar="LENS:SOURCE",
                   help="the paragraphs behind one lens x source score")
    _common(p)
    p.set_defaults(func=cmd_scores)

    p = sub.add_parser("export", help="comparison workbook (.xlsx) or CSV (.csv, .zip)")
    p.add_argument("--out", required=True,
                   help="X.xlsx (workbook), X.zip (Matrix and Gaps as CSV, with a README) or "
                        "X.csv (the Matrix)")
    p.add_argument("--lens", help="a lens id (its sub-lenses included)")
    p.add_argument("--jurisdictions", help="comma-separated source ids (default: all)")
    p.add_argument("--codes", help="comma-separated codes, any style; paragraphs below included")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4",
                   help="paper size the workbook prints on (default: a4)")
    p.add_argument("--csv-delimiter", choices=[",", ";"], default=",",
                   help="field separator of CSV files; ';' also writes decimal commas "
                        "(spreadsheets set to a semicolon locale)")
    p.add_argument("--national-absences", action="store_true",
                   help="keep the Gaps rows of codes only one list holds, absent from the "
                        "others by definition (hidden by default, as on the Gaps page)")
    _common(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("measures", help="the register of measures that are not list entries")
    p.add_argument("--jurisdiction")
    p.add_argument("--status", choices=["proposed", "in-force", "rescinded"])
    p.add_argument("--type")
    p.add_argument("--lens")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_measures)

    p = sub.add_parser("lenses", help="the technology lenses and the codes they tag")
    p.add_argument("--check", action="store_true",
                   help="fail on lens codes no list holds and on untagged keyword hits")
    _common(p)
    p.set_defaults(func=cmd_lenses)

    p = sub.add_parser("serve", help="the dashboard on http://127.0.0.1:8501 (make run calls it)")
    p.add_argument("--port", type=int, default=serve.PORT)
    p.add_argument("--script", default=str(serve.APP), help="the Streamlit script (app.py)")
    p.add_argument("--no-warm-up", action="store_true",
                   help="do not run the app once before the first visitor")
    p.add_argument("--allow-import", action="store_true",
                   help="let visitors import folders from the Sources page (off by default; "
                        "each import runs in a separate, limited process)")
    p.set_defaults(func=cmd_serve)
    cli_versions.register(sub)
    cli_search.register(sub)
    cli_parties.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    """Run one command; `registry` (the list sources that read files) defaults to every source
    of the `loaders` package, built only by the commands that parse."""
    args = build_parser().parse_args(argv)
    args.registry = registry
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `harmonize list … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except (store.StoreError, ValueError) as error:
        print(f"harmonize {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
