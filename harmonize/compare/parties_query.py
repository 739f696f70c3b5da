"""Parties assembled from linked records, and the questions asked of them.

`assemble(matching)` turns linked records into parties: one row per party (name, aliases,
countries, the jurisdictions and lists that list it) and one row per listing, each with the
links that put it in its party. `query` filters them by name, lens and lists and shapes the
CLI's JSON; `one_sided` answers "listed by one side and not the other".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd

from harmonize.compare.parties import (
    Link,
    Matching,
    components,
    countries_of,
    match,
    normalise,
)
from harmonize.ingest.parties_store import load_party_records

SIDES = ("US", "EU")
LISTING_FIELDS = ("source_id", "jurisdiction", "list_id", "list_name", "program", "measure",
                  "listed_on", "citation", "licence_requirement", "licence_review_policy",
                  "record_id", "name", "part_of", "location", "version")


@dataclass
class Parties:
    """Parties (one row each), their listings (one row per record) and the links."""

    table: pd.DataFrame  # party_id, name, aliases, countries, jurisdictions, lists, listings
    listings: pd.DataFrame  # the records with their party_id
    links: list[Link]
    near_misses: list[dict[str, Any]]


def _side_order(jurisdiction: str) -> int:
    return SIDES.index(jurisdiction) if jurisdiction in SIDES else len(SIDES)


def assemble(matching: Matching) -> Parties:
    records = matching.records.copy()
    party_of = components(records["record_id"], matching.links)
    records["party_id"] = records["record_id"].map(lambda r: f"party:{party_of[r]}")
    records["countries"] = [sorted(c) for c in countries_of(records)]
    # Plain Python over the rows: a pandas groupby over 10,000 small parties took seconds.
    columns = ["party_id", "record_id", "jurisdiction", "list_id", "name", "aliases",
               "countries", "country", "kind", "listed_on"]
    rows = sorted(zip(*(records[c] for c in columns), strict=True),
                  key=lambda r: (r[0], _side_order(r[2]), r[3], r[1]))
    table = []
    for party_id, members in groupby(rows, key=lambda r: r[0]):
        group = list(members)
        # The party's name: the first primary name, US lists first (the official XML).
        name = str(group[0][4])
        names = dict.fromkeys([str(r[4]) for r in group]
                              + [str(a) for r in group for a in r[5]])
        names.pop(name, None)
        table.append({
            "party_id": party_id, "name": name, "aliases": list(names),
            "countries": sorted({c for r in group for c in r[6]}),
            "country_printed": next((str(r[7]) for r in group if str(r[7])), ""),
            "kind": str(group[0][8]),
            "jurisdictions": sorted({str(r[2]) for r in group}, key=_side_order),
            "lists": sorted({str(r[3]) for r in group}),
            "first_listed": min((str(r[9]) for r in group if r[9]), default=""),
            "listings": len(group),
            "search": " ".join({normalise(n) for n in [name, *names]} - {""}),
        })
    return Parties(pd.DataFrame(table), records, matching.links, matching.near_misses)


def links_by_party(parties: Parties) -> dict[str, list[Link]]:
    party_of = dict(zip(parties.listings["record_id"], parties.listings["party_id"],
                        strict=True))
    out: dict[str, list[Link]] = defaultdict(list)
    for link in parties.links:
        out[party_of.get(link.left, "")].append(link)
    return out


def search(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """Parties whose name or an alias contains every word of the query (normalised as the
    matcher normalises: 'JSC Positive Technologies' finds 'Positive Group PJSC')."""
    words = normalise(query).split() or query.casefold().split()
    if not words:
        return table
    found = table["search"].map(lambda s: all(w in s for w in words))
    return table[found]


def filter_lists(table: pd.DataFrame, lists: Sequence[str]) -> pd.DataFrame:
    """Parties on at least one of the lists (list ids, or a source id, or 'US'/'EU')."""
    if not lists:
        return table
    wanted = set(lists)
    return table[table["lists"].map(lambda ls: bool(wanted & set(ls)))
                 | table["jurisdictions"].map(lambda js: bool(wanted & set(js)))]


def one_sided(table: pd.DataFrame, side: str) -> pd.DataFrame:
    """Parties listed by `side` ("US" or "EU") and by no list of the other side."""
    return table[table["jurisdictions"].map(lambda js: list(js) == [side])]


def listing_json(row: pd.Series) -> dict[str, Any]:
    return {"source": row["source_id"], "jurisdiction": row["jurisdiction"],
            "list": row["list_id"], "list_name": row["list_name"], "program": row["program"],
            "measure": row["measure"], "listed_on": row["listed_on"] or None,
            "citation": row["citation"],
            "licence_requirement": row["licence_requirement"] or None,
            "licence_review_policy": row["licence_review_policy"] or None,
            "record_id": row["record_id"], "name_listed": row["name"],
            "part_of": row["part_of"] or None, "location": row["location"]}


def parties_json(parties: Parties, table: pd.DataFrame,
                 lens_tags: dict[str, list[dict[str, str]]] | None = None,
                 limit: int | None = None) -> dict[str, Any]:
    """The CLI's answer: {"parties": [{id, name, aliases, country, listings, matched_by}]}."""
    links = links_by_party(parties)
    listings = parties.listings.sort_values(["jurisdiction", "listed_on"], key=lambda c: (
        c.map(_side_order) if c.name == "jurisdiction" else c)).set_index("party_id", drop=False)
    out = []
    shown = table.head(limit) if limit else table
    for row in shown.to_dict(orient="records"):
        party_id = str(row["party_id"])
        mine = listings.loc[[party_id]]
        out.append({
            "id": party_id, "name": row["name"], "aliases": list(row["aliases"]),
            "country": ", ".join(row["countries"]) or row["country_printed"] or None,
            "jurisdictions": list(row["jurisdictions"]),
            "listings": [listing_json(r) for _, r in mine.iterrows()],
            "matched_by": [_link_json(link) for link in links.get(party_id, [])],
            "lenses": (lens_tags or {}).get(party_id, []),
        })
    return {"parties": out, "count": len(table)}


def _link_json(link: Link) -> dict[str, Any]:
    payload = asdict(link)
    payload["records"] = [payload.pop("left"), payload.pop("right")]
    payload["names"] = [payload.pop("left_name"), payload.pop("right_name")]
    payload["normalised"] = [payload.pop("left_key"), payload.pop("right_key")]
    return payload


def matrix(parties: Parties, table: pd.DataFrame) -> pd.DataFrame:
    """Who is listed where: one row per party, one column per list ('✓' where listed)."""
    wanted = set(table["party_id"])
    listed = parties.listings[parties.listings["party_id"].isin(wanted)]
    labels = (listed["jurisdiction"] + " · " + listed["list_name"])
    grid = pd.crosstab(listed["party_id"], labels).clip(upper=1)
    grid = grid.reindex(columns=sorted(grid.columns, key=lambda c: (_side_order(c[:2]), c)))
    names = table.set_index("party_id")["name"]
    grid.insert(0, "party", names.reindex(grid.index))
    return grid.reset_index()


def load_parties(root: Path | None = None, decisions: pd.DataFrame | None = None) -> Parties:
    """Parties from the store's party records (the primary sources), matched now."""
    return assemble(match(load_party_records(root), decisions))


@dataclass(frozen=True)
class Evaluation:
    """How the matcher's parties agree with a labelled set of record pairs."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    missing: tuple[str, ...]  # labelled record ids not among the loaded records
    errors: tuple[str, ...]  # "FP a ~ b" / "FN a ~ b"

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0


def evaluate(party_of: dict[str, str], labels: pd.DataFrame) -> Evaluation:
    """Pairs (us_id, eu_id, verdict match/non-match) against the parties: a pair is found when
    both records are in one party."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    missing: list[str] = []
    errors: list[str] = []
    for row in labels.to_dict(orient="records"):
        left, right = str(row["us_id"]), str(row["eu_id"])
        if left not in party_of or right not in party_of:
            missing += [r for r in (left, right) if r not in party_of]
            continue
        same, gold = party_of[left] == party_of[right], row["verdict"] == "match"
        key = ("tp" if gold else "fp") if same else ("fn" if gold else "tn")
        counts[key] += 1
        if key in ("fp", "fn"):
            errors.append(f"{key.upper()} {row['us_name']} ~ {row['eu_name']}")
    return Evaluation(counts["tp"], counts["fp"], counts["fn"], counts["tn"], tuple(missing),
                      tuple(errors))


def read_labels(path: Path) -> pd.DataFrame:
    """The labelled pairs file (comment lines start with '#')."""
    return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
