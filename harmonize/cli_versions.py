"""Subcommands for current lists and their versions: refresh, bundle, changes, timeline, and
`lines` (the line stream a loader read for a list, kept beside its parse).

`harmonize.cli.build_parser` adds them with one call: `cli_versions.register(sub)`.
(`harmonize import` itself stays in cli.py; it calls `bundle.import_any` for bundles and dated
folders.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from harmonize.ingest import store
from harmonize.ingest.registry import Registry


def _print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def registry_of(args: argparse.Namespace) -> Registry:
    """The list sources a command reads with: the registry handed to `cli.main` (a test's toy
    list, a plug-in), else every source the `loaders` package declares."""
    given = getattr(args, "registry", None)
    if isinstance(given, Registry):
        return given
    import loaders  # the composition root: only commands that parse files import the loaders

    return loaders.registry()


def progress_bar(name: str, index: int, total: int) -> None:
    """A one-line progress bar on stderr (the same look as `harmonize import`)."""
    width = 24
    if name != "done":
        done = int(width * index / max(total, 1))
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{total} {name:<24}")
    else:
        sys.stderr.write(f"\r[{'#' * width}] {total}/{total} done{' ' * 24}\n")
    sys.stderr.flush()


# -- refresh -------------------------------------------------------------------------------------

def _refresh_line(outcome: Any) -> None:
    """One line per source as soon as it ends (on stderr: stdout may carry the JSON)."""
    print(f"refresh: {outcome.source_id:<12} {outcome.status:<10} {outcome.seconds:6.2f}s  "
          f"{outcome.version:<10}  {outcome.message}", file=sys.stderr, flush=True)


def cmd_refresh(args: argparse.Namespace) -> int:
    from harmonize.ingest import refresh

    try:
        timeout, retries, deadline = refresh.default_limits()
        fetcher = refresh.Fetcher(
            timeout=args.timeout if args.timeout is not None else timeout,
            retries=args.retries if args.retries is not None else retries,
            deadline=args.deadline if args.deadline is not None else deadline)
        outcomes = refresh.refresh(args.sources or None, args.as_of, fetcher=fetcher,
                                   registry=registry_of(args), report=_refresh_line)
    except ValueError as error:
        print(f"harmonize refresh: {error}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if o.status == "failed"]
    if args.json:
        _print_json({"store": str(store.home()), "sources": [o.as_dict() for o in outcomes]})
    else:
        print(f"store: {store.home()}")
        for o in outcomes:
            if o.url:
                print(f"{o.source_id:<12} from {o.url}")
            for line in o.retries:
                print(f"{o.source_id:<12} {line}")
        done = [o.source_id for o in outcomes if o.status != "failed"]
        print(f"refreshed or unchanged: {', '.join(done) or 'none'}; "
              f"failed: {', '.join(o.source_id for o in failed) or 'none'}")
    return 1 if failed else 0


# -- bundle --------------------------------------------------------------------------------------

def cmd_bundle(args: argparse.Namespace) -> int:
    from harmonize.ingest import bundle

    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        print("harmonize bundle: --out must end in .zip", file=sys.stderr)
        return 2
    try:
        summary = bundle.make_bundle(out, include_history=not args.no_history,
                                     progress=None if args.json else progress_bar)
    except bundle.BundleError as error:
        print(f"harmonize bundle: {error}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(summary.as_dict())
    else:
        print(f"wrote {summary.out}: {summary.files} files, {summary.bytes} bytes "
              f"(sha256 {summary.sha256[:16]}…)")
        print(f"  current: {', '.join(summary.sources) or 'none'}")
        print(f"  history: {len(summary.versions)} versions")
    return 0


# -- changes -------------------------------------------------------------------------------------

def cmd_changes(args: argparse.Namespace) -> int:
    from harmonize.compare import changes as version_changes
    from harmonize.ingest import history

    try:
        result = version_changes.changes(args.source, args.from_version, args.to_version,
                                 include_editorial=args.all)
    except history.HistoryError as error:
        print(f"harmonize changes: {error}", file=sys.stderr)
        return 2
    payload = result.as_dict()
    if args.json:
        _print_json(payload)
        return 0
    print(f"{payload['source']}: {payload['from']} -> {payload['to']}: "
          f"{len(result.added)} added, {len(result.removed)} removed, "
          f"{len(result.modified)} modified"
          + (f" ({result.editorial} editorial changes left out; --all shows them)"
             if result.editorial else ""))
    for code in result.added:
        print(f"  + {code}")
    for code in result.removed:
        print(f"  - {code}")
    for item in result.modified:
        flag = " (editorial)" if item["editorial"] else ""
        print(f"  ~ {item['canonical']}{flag}: {item['diff'][:300]}")
    return 0


# -- timeline --------------------------------------------------------------------------------------

def cmd_timeline(args: argparse.Namespace) -> int:
    from harmonize.compare import changes as version_changes

    payload = version_changes.timeline(args.code, include_editorial=args.all)
    if args.json:
        _print_json(payload)
        return 0 if payload["lists"] else 1
    if not payload["lists"]:
        print(f"{args.code} -> {payload['canonical']}: in no kept version of any list",
              file=sys.stderr)
        return 1
    print(f"{args.code} -> {payload['canonical']}")
    for lst in payload["lists"]:
        print(f"  {lst['list']:<16} first {lst['first'] or 'before ' + lst['versions'][0]}; "
              f"changed {', '.join(lst['changed']) or 'never'}; "
              f"dropped {lst['dropped'] or 'no'}  ({len(lst['present_in'])} of "
              f"{len(lst['versions'])} versions)")
        for event in lst["events"]:
            if event["event"] == "changed":
                print(f"      {event['version']} changed: {event['diff'][:200]}")
    return 0


# -- lines ---------------------------------------------------------------------------------------

def cmd_lines(args: argparse.Namespace) -> int:
    """The lines a loader extracted for one list (or every list of a source), as kept beside the
    parse: location, indent, flags (N note, L list item, R restated path), text."""
    from dataclasses import asdict

    from harmonize.ingest import history, linestream

    every = history.list_versions()
    ids = sorted({v.list_id for v in every if v.list_id == args.source}) or sorted(
        {v.list_id for v in every if v.source_id == args.source})
    if not ids:
        known = ", ".join(sorted({v.list_id for v in every})) or "none loaded"
        print(f"harmonize lines: no list or source {args.source!r} (lists: {known})",
              file=sys.stderr)
        return 2
    found = []
    for list_id in ids:
        try:
            version = history.pick([v for v in every if v.list_id == list_id], args.version)
        except history.HistoryError as error:
            print(f"harmonize lines: {error}", file=sys.stderr)
            return 2
        path = linestream.lines_path(version.parsed_path)
        if not path.is_file():
            print(f"harmonize lines: {list_id} {version.version}: no line stream kept beside "
                  f"its parse ({path.name}); re-import the source to keep one", file=sys.stderr)
            return 2
        every_line = list(linestream.read_lines(path))
        shown = list(linestream.matching(every_line, args.grep))
        found.append((list_id, version, path, len(every_line), shown))
    if args.json:
        _print_json({"lists": [
            {"list": list_id, "version": version.text_version, "file": str(path),
             "total": total, "lines": [asdict(line) for line in shown]}
            for list_id, version, path, total, shown in found]})
        return 0
    for list_id, version, path, total, shown in found:
        print(f"# {list_id} {version.text_version}: {len(shown)} of {total} lines ({path})")
        for line in shown:
            print(linestream.describe(line))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add refresh, bundle, changes, timeline and lines to the `harmonize` parser."""
    p = sub.add_parser("refresh", help="download the current lists from the official publishers")
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="source ids (default: every source with a publisher)")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                   help="the version in force on that date (where the publisher serves it)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per request (15; env HARMONIZE_REFRESH_TIMEOUT)")
    p.add_argument("--retries", type=int, default=None,
                   help="retries per request (2; env HARMONIZE_REFRESH_RETRIES)")
    p.add_argument("--deadline", type=float, default=None,
                   help="seconds per source in all (30; env HARMONIZE_REFRESH_DEADLINE)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("bundle", help="write the store's raw snapshots to one zip (offline use)")
    p.add_argument("--out", required=True, metavar="FILE.zip")
    p.add_argument("--no-history", action="store_true", help="current snapshots only")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser("changes", help="what changed in one list between two kept versions")
    p.add_argument("source", help="list id (e.g. wassenaar, wassenaar-ml, ca-ecl)")
    p.add_argument("--from", dest="from_version", required=True, metavar="DATE")
    p.add_argument("--to", dest="to_version", required=True, metavar="DATE",
                   help="a kept version date, or 'current'")
    p.add_argument("--all", action="store_true", help="include purely editorial changes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("timeline", help="one code through every kept version of every list")
    p.add_argument("code")
    p.add_argument("--all", action="store_true", help="count purely editorial changes too")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("lines", help="the lines a loader read for a list (to debug a parse)")
    p.add_argument("source", help="list id (e.g. wassenaar-ml) or source id (all its lists)")
    p.add_argument("--grep", metavar="TEXT", help="only lines holding TEXT (case-insensitive)")
    p.add_argument("--version", default="current", metavar="DATE",
                   help="a kept version date, or 'current' (default)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lines)
