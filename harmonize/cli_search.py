"""`harmonize search QUERY`: concept and full-text search over every loaded list and the
measures register (harmonize.compare.search); the Explorer uses the same function."""

from __future__ import annotations

import argparse
import json
import sys

from harmonize.compare import lenses, measures, search
from harmonize.ingest import store


def kind_marker(kind: object) -> str:
    """"[note] " and the like before a row that is not the entry or paragraph text itself."""
    return "" if kind in ("entry", "paragraph", "measure") else f"[{kind}] "


def cmd_search(args: argparse.Namespace) -> int:
    _, frame = store.load_snapshot()
    register = measures.load_measures()
    vocabulary = search.load_vocabulary()
    if args.check:
        problems = search.unknown_codes(vocabulary, frame["canonical"].astype(str).unique(),
                                        register["id"].astype(str))
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"vocabulary: {len(vocabulary)} concepts, {len(problems)} problem(s)")
        return 1 if problems else 0
    if not args.query:
        print("harmonize search: give a QUERY (or --check)", file=sys.stderr)
        return 2
    index = search.SearchIndex.build(frame, register, vocabulary)
    book = lenses.load_lenses()
    if args.lens and args.lens not in book.by_id():
        print(f"harmonize search: no lens {args.lens!r} (lenses: "
              f"{', '.join(book.by_id())})", file=sys.stderr)
        return 2
    wanted = (search.lens_codes(frame["canonical"].astype(str).unique(), book, args.lens)
              if args.lens else None)
    results = index.search(args.query, lens_codes=wanted, limit=args.limit)
    if args.json:
        json.dump({"query": args.query, "lens": args.lens, "results": results}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            print(f"{result['score']:6.2f}  {result['source']:<16} {result['canonical']:<18} "
                  f"{kind_marker(result['kind'])}{str(result['text'])[:90]}")
            print(f"{'':8}{str(result['why'])[:150]}")
    return 0 if results else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="every list and the register, in everyday words "
                                      "(spyware, IMSI catcher, GPU…) or a code in any style")
    p.add_argument("query", nargs="?", default="", help="words or a code")
    p.add_argument("--lens", help="only codes a lens tags (e.g. surveillance, ai.computing)")
    p.add_argument("--limit", type=int, default=50, help="results at most (default 50)")
    p.add_argument("--check", action="store_true",
                   help="check the vocabulary's codes and measures against the loaded lists")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)
