"""`harmonize parties` and the party part of `harmonize import` (entry points: they hand the
party readers of loaders/party_lists to the store, which imports no loader)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from harmonize.compare import parties_lenses, parties_query
from harmonize.ingest import parties_store, store
from harmonize.ingest.store import ImportOutcome


def import_parties(directory: Path, outcomes: list[ImportOutcome]) -> list[ImportOutcome]:
    """Import the party folders of `directory`; their "no loader" skips are replaced by the
    party import's outcomes."""
    from loaders.party_lists import readers

    party = parties_store.import_party_dir(directory, readers())
    done = {o.source_id for o in party}
    return [o for o in outcomes if o.source_id not in done] + party


def cmd_parties(args: argparse.Namespace) -> int:
    if not parties_store.party_sources(store.read_manifest()):
        print(f"harmonize parties: no party list loaded in {store.home()}; run harmonize "
              "import on a folder with us-ear-744, us-entity-list or eu-restrictive-measures",
              file=sys.stderr)
        return 2
    result = parties_query.load_parties()
    table = result.table
    if args.query:
        table = parties_query.search(table, args.query)
    lists = [v.strip() for v in (args.lists or "").split(",") if v.strip()]
    table = parties_query.filter_lists(table, lists)
    if args.only:
        table = parties_query.one_sided(table, args.only)
    tags = parties_lenses.tag_parties(result.table, result.listings,
                                      parties_lenses.load_party_lenses())
    if args.lens:
        lens_tags = tags[tags["lens"] == args.lens]
        if lens_tags.empty and args.lens not in {x.id for x in
                                                 parties_lenses.load_party_lenses()}:
            print(f"harmonize parties: no lens {args.lens!r}", file=sys.stderr)
            return 2
        table = table[table["party_id"].isin(set(lens_tags["party_id"]))]
    payload: dict[str, Any] = parties_query.parties_json(
        result, table, parties_lenses.lens_tags_json(tags), limit=args.limit)
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for party in payload["parties"]:
        where = ", ".join(f"{x['jurisdiction']} {x['list']} ({x['listed_on'] or 'no date'})"
                          for x in party["listings"])
        print(f"{party['name'][:60]:<60} {party['country'] or '':<8} {where}")
        for link in party["matched_by"]:
            print(f"    {link['method']} {link['score']}: {link['names'][0]!r} ~ "
                  f"{link['names'][1]!r}")
    print(f"{payload['count']} part(y/ies)", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("parties", help="who is listed where: end users across US and EU lists")
    p.add_argument("--query", help="a name or alias (any word order, legal forms ignored)")
    p.add_argument("--lens", help="a party lens id of datasets/party_lenses.toml")
    p.add_argument("--lists", help="comma-separated list ids (us-entity-list, eu-32014R0833), "
                                   "source ids or US/EU")
    p.add_argument("--only", choices=["US", "EU"],
                   help="parties listed by this side and by no list of the other")
    p.add_argument("--limit", type=int, help="at most this many parties in the answer")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parties)
