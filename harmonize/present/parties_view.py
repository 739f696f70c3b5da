"""What the Parties page and the workbook's Parties sheet show, as plain data (no Streamlit).

Every row keeps its provenance: the lists, the citations and dates of the listings, and the
evidence of each link (names matched, score, rule or review).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from harmonize.compare.parties_query import SIDES, Parties, links_by_party

SIDE_COLOURS = {"US": "#1f4e79", "EU": "#f2b600"}
# The workbook's Parties sheet: column -> what it holds (written above the table).
SHEET_COLUMNS: dict[str, str] = {
    "party": "Name of the party (first US name, else the first EU name)",
    "country": "ISO country codes read from the lists' countries and addresses",
    "lenses": "Party lenses (datasets/party_lenses.toml) the party belongs to",
    "listed_by": "US, EU or both",
    "us_lists": "US lists naming it, each with its Federal Register citation",
    "eu_lists": "EU regulations naming it, with annex and measure",
    "first_us": "Earliest US listing date (from the Federal Register citation)",
    "first_eu": "Earliest EU listing date (the regulation's start date for the entry)",
    "aliases": "Other names and aliases the lists give",
    "matched_by": "Why the records are one party: names matched, score, rule or review",
    "party_id": "Stable id: party: + the smallest record id of the party",
}
# End-use and end-user rules of the measures register the page links to.
MEASURE_TYPES = ("end-use", "end-user", "catch-all")


def _listing_text(rows: Sequence[dict[str, str]]) -> str:
    return "; ".join(
        f"{r['list_name']} ({r['citation']}"
        + (f", {r['measure']}" if r["jurisdiction"] == "EU" else "") + ")"
        for r in rows)


_LISTING_FIELDS = ("party_id", "jurisdiction", "list_name", "citation", "measure", "listed_on")


def overview_table(parties: Parties, table: pd.DataFrame,
                   tags: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per party: who lists it, when first, under which citations."""
    listings = parties.listings[parties.listings["party_id"].isin(set(table["party_id"]))]
    # Plain lists, one pass: per-party frame filters took ~70 s for the 10,000 parties of the
    # real lists (the workbook's Parties sheet).
    by_party: dict[str, list[dict[str, str]]] = {}
    for values in zip(*(listings[c].astype(str).tolist() for c in _LISTING_FIELDS),
                      strict=True):
        row = dict(zip(_LISTING_FIELDS, values, strict=True))
        by_party.setdefault(row["party_id"], []).append(row)
    lens_of: dict[str, set[str]] = {}
    if tags is not None:
        for party_id, lens_id in zip(tags["party_id"].tolist(), tags["lens"].tolist(),
                                     strict=True):
            lens_of.setdefault(str(party_id), set()).add(str(lens_id))
    links = links_by_party(parties)
    rows = []
    for party in table.to_dict(orient="records"):
        party_id = str(party["party_id"])
        group = by_party.get(party_id, [])
        us = [r for r in group if r["jurisdiction"] == "US"]
        eu = [r for r in group if r["jurisdiction"] == "EU"]
        rows.append({
            "party": party["name"], "country": ", ".join(party["countries"]),
            "lenses": ", ".join(sorted(lens_of.get(party_id, set()))),
            "listed_by": " + ".join(party["jurisdictions"]),
            "us_lists": _listing_text(us), "eu_lists": _listing_text(eu),
            "first_us": min((r["listed_on"] for r in us if r["listed_on"]), default=""),
            "first_eu": min((r["listed_on"] for r in eu if r["listed_on"]), default=""),
            "aliases": "; ".join(list(party["aliases"])[:12]),
            "matched_by": "; ".join(
                f"{link.left_name!r} ~ {link.right_name!r} ({link.method} {link.score:g}"
                + (f", {link.reason}" if link.reason else "") + ")"
                for link in links.get(party_id, [])),
            "party_id": party_id,
        })
    return pd.DataFrame(rows, columns=list(SHEET_COLUMNS))


def parties_sheet(parties: Parties, tags: pd.DataFrame | None = None,
                  table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The workbook's Parties sheet: parties listed by at least one side, both sides first,
    and the column definitions to write above it."""
    chosen = parties.table if table is None else table
    frame = overview_table(parties, chosen, tags)
    order = frame["listed_by"].map(lambda s: 0 if "+" in s else 1)
    frame = frame.assign(_o=order).sort_values(["_o", "party"]).drop(columns="_o")
    return frame.reset_index(drop=True), dict(SHEET_COLUMNS)


def side_matrix(parties: Parties, table: pd.DataFrame) -> pd.DataFrame:
    """Who is listed where: list (rows) x jurisdiction (columns), counting parties; the last
    column counts those also listed by the other side."""
    listings = parties.listings[parties.listings["party_id"].isin(set(table["party_id"]))]
    sides: dict[str, set[str]] = {}
    for party_id, side in zip(listings["party_id"], listings["jurisdiction"], strict=True):
        sides.setdefault(str(party_id), set()).add(str(side))
    per_list = listings.drop_duplicates(["party_id", "list_id"])
    rows = []
    for (side, name), group in per_list.groupby(["jurisdiction", "list_name"]):
        ids = set(map(str, group["party_id"]))
        both = sum(1 for pid in ids if len(sides[pid]) > 1)
        rows.append({"jurisdiction": side, "list": name, "parties": len(ids),
                     "also listed by the other side": both})
    frame = pd.DataFrame(rows, columns=["jurisdiction", "list", "parties",
                                        "also listed by the other side"])
    order = frame["jurisdiction"].map(lambda j: SIDES.index(j) if j in SIDES else 9)
    return frame.assign(_o=order).sort_values(["_o", "parties"], ascending=[True, False]
                                              ).drop(columns="_o").reset_index(drop=True)


def one_sided_by_lens(table: pd.DataFrame, tags: pd.DataFrame,
                      lens_names: dict[str, str]) -> pd.DataFrame:
    """Per lens: members listed by the US only, by the EU only, by both."""
    sides = {str(p): tuple(j) for p, j in zip(table["party_id"], table["jurisdictions"],
                                                strict=True)}
    rows = []
    for lens_id, name in lens_names.items():
        mine = tags[tags["lens"] == lens_id].drop_duplicates("party_id")
        listed = [sides.get(str(pid), ()) for pid in mine["party_id"]]
        rows.append({"lens": name, "US only": sum(s == ("US",) for s in listed),
                     "EU only": sum(s == ("EU",) for s in listed),
                     "both": sum(len(s) > 1 for s in listed), "parties": len(listed)})
    return pd.DataFrame(rows, columns=["lens", "US only", "EU only", "both", "parties"])


def listings_over_time(parties: Parties, table: pd.DataFrame) -> go.Figure:
    """Parties first listed per year, by side (the listing dates the lists state)."""
    listings = parties.listings[parties.listings["party_id"].isin(set(table["party_id"]))
                                & (parties.listings["listed_on"] != "")]
    first = listings.groupby(["party_id", "jurisdiction"])["listed_on"].min().reset_index()
    first["year"] = first["listed_on"].str[:4].astype(int)
    fig = go.Figure()
    for side in SIDES:
        part = first[first["jurisdiction"] == side].groupby("year").size()
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=part.index, y=part.values, name=side,
                             marker_color=SIDE_COLOURS[side],
                             hovertemplate="%{x}: %{y} part(y/ies) first listed by " + side
                                           + "<extra></extra>"))
    fig.update_layout(barmode="group", height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.2},
                      xaxis={"title": None, "dtick": 1}, yaxis={"title": "parties"})
    return fig


def party_listings(parties: Parties, party_id: str) -> pd.DataFrame:
    """One party's listings with their provenance (the detail view and its download)."""
    rows = parties.listings[parties.listings["party_id"] == party_id]
    columns = ["jurisdiction", "list_name", "measure", "listed_on", "citation",
               "licence_requirement", "licence_review_policy", "name", "part_of", "program",
               "location", "record_id"]
    return rows[columns].sort_values(["jurisdiction", "listed_on"]).reset_index(drop=True)


def party_links(parties: Parties, party_id: str) -> pd.DataFrame:
    links = links_by_party(parties).get(party_id, [])
    return pd.DataFrame([{"records": f"{x.left} ~ {x.right}",
                          "names matched": f"{x.left_name} ~ {x.right_name}",
                          "normalised": f"{x.left_key} ~ {x.right_key}", "score": x.score,
                          "method": x.method, "decision": x.decision, "reason": x.reason}
                         for x in links],
                        columns=["records", "names matched", "normalised", "score", "method",
                                 "decision", "reason"])


def measure_links(register: pd.DataFrame, jurisdictions: Sequence[str] = SIDES
                  ) -> pd.DataFrame:
    """The register's end-use, end-user and catch-all measures of these jurisdictions (EU
    Art. 5, the US Entity List rules …), for the page's links to the Measures page."""
    wanted = register[register["type"].isin(MEASURE_TYPES)
                      & register["jurisdiction"].isin(list(jurisdictions))]
    return wanted[["id", "jurisdiction", "type", "title", "citation", "status"]].reset_index(
        drop=True)
