"""`harmonize` command line: import, status, list, lookup (JSON with --json, text without)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harmonize import __version__, queries, store


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _progress(name: str, index: int, total: int) -> None:
    if name != "done":
        width = 24
        done = int(width * index / max(total, 1))
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{total} {name:<20}")
    else:
        sys.stderr.write(f"\r[{'#' * 24}] {total}/{total} done{' ' * 20}\n")
    sys.stderr.flush()


def cmd_import(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"harmonize import: {directory}: not a folder", file=sys.stderr)
        return 2
    outcomes = store.import_dir(directory, progress=None if args.json else _progress)
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


def cmd_status(args: argparse.Namespace) -> int:
    payload = queries.status(store.read_manifest())
    if args.json:
        _print_json(payload)
        return 0
    if not payload["sources"]:
        print(f"Nothing loaded in {store.home()}. Run: harmonize import ../shared/sources")
        return 0
    print(f"{'list':<22} {'jur':<4} {'version':<11} {'entries':>7} {'paras':>7}  imported")
    for s in payload["sources"]:
        print(f"{s['id']:<22} {s['jurisdiction']:<4} {s['version']:<11} {s['entries']:>7} "
              f"{s['paragraphs']:>7}  {s['imported_at']}  {s['sha256'][:12]}")
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
        marker = "" if row["kind"] in ("entry", "paragraph") else f"[{row['kind']}] "
        print(f"{indent}{row['canonical']:<16} {marker}{row['text'][:100]}")
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    payload = queries.lookup(store.load_lists(), store.read_manifest(), args.code)
    if args.json:
        _print_json(payload)
        return 0
    print(f"{args.code} -> {payload['canonical']}")
    for m in payload["matches"]:
        flag = " (national)" if m["national"] else ""
        print(f"  {m['source']:<20} {m['code']:<18}{flag} {m['text'][:110]}")
        print(f"  {'':<20} {m['citation']} [{m['location']}]")
    if payload["absent_in"]:
        print("  absent in: " + ", ".join(payload["absent_in"]))
    if payload["not_detailed_in"]:
        print("  not detailed in the loaded copy: " + ", ".join(payload["not_detailed_in"]))
    return 0 if payload["matches"] else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Align export control lists (US CCL, EU Annex I, Wassenaar and partners).",
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import a folder laid out as DIR/<source-id>/<files>")
    p.add_argument("directory")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("status", help="what is loaded: lists, versions, counts, checksums")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("list", help="every row of one loaded list")
    p.add_argument("source")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("lookup", help="one code, in any style, across every loaded list")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lookup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
