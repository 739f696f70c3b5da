"""Party lenses (`datasets/party_lenses.toml`): reviewed groups of listed end users.

A member names its party by one or more names; a party belongs to the member when one of its
names or aliases, normalised as the matcher normalises them, contains the member's name as
whole words ("hikvision" in "hangzhou hikvision digital technology"). Every tag says which
member, which of the party's names matched, the rule that listed it and the reason with its
source. A member that no loaded party matches is reported, never silently empty.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from harmonize.compare.parties import normalise
from harmonize.paths import dataset

DEFAULT_PATH = dataset("party_lenses.toml")


class PartyLensError(ValueError):
    """The lens file is malformed: names the file and the lens or member."""


@dataclass(frozen=True)
class Member:
    label: str
    names: tuple[str, ...]
    listed_by: str
    reason: str
    source: str


@dataclass(frozen=True)
class PartyLens:
    id: str
    name: str
    description: str
    members: tuple[Member, ...]


def load_party_lenses(path: Path | None = None) -> list[PartyLens]:
    source = path or DEFAULT_PATH
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PartyLensError(f"{source}: {error}") from error
    lenses = []
    for index, raw in enumerate(data.get("lens", [])):
        where = f"{source}: lens {index + 1} ({raw.get('id', '?')})"
        if not raw.get("id") or not raw.get("name"):
            raise PartyLensError(f"{where}: needs an id and a name")
        members = []
        for number, member in enumerate(raw.get("member", []), start=1):
            missing = [k for k in ("label", "names", "listed_by", "reason", "source")
                       if not member.get(k)]
            if missing:
                raise PartyLensError(f"{where}, member {number}: missing {', '.join(missing)}")
            members.append(Member(str(member["label"]), tuple(map(str, member["names"])),
                                  str(member["listed_by"]), str(member["reason"]),
                                  str(member["source"])))
        lenses.append(PartyLens(str(raw["id"]), str(raw["name"]),
                                str(raw.get("description", "")), tuple(members)))
    ids = [lens.id for lens in lenses]
    if len(ids) != len(set(ids)):
        raise PartyLensError(f"{source}: duplicate lens ids")
    return lenses


def tag_parties(table: pd.DataFrame, listings: pd.DataFrame,
                lenses: list[PartyLens]) -> pd.DataFrame:
    """One row per (party, lens, member): which name matched and why the party is in it."""
    names_of: dict[str, list[str]] = {}
    for party, name, aliases in zip(listings["party_id"], listings["name"], listings["aliases"],
                                    strict=True):
        names_of.setdefault(party, []).extend([str(name), *map(str, aliases)])
    keyed = [(party, name, f" {normalise(name)} ") for party, names in names_of.items()
             for name in dict.fromkeys(names)]
    rows = []
    for lens in lenses:
        for member in lens.members:
            wanted = [f" {normalise(n)} " for n in member.names]
            seen: set[str] = set()
            for party, name, key in keyed:
                if party not in seen and any(w.strip() and w in key for w in wanted):
                    seen.add(party)
                    rows.append({"party_id": party, "lens": lens.id, "member": member.label,
                                 "matched_name": name, "listed_by": member.listed_by,
                                 "reason": member.reason, "source": member.source})
    columns = ["party_id", "lens", "member", "matched_name", "listed_by", "reason", "source"]
    tags = pd.DataFrame(rows, columns=columns)
    return tags[tags["party_id"].isin(set(table["party_id"]))].reset_index(drop=True)


def unmatched_members(tags: pd.DataFrame, lenses: list[PartyLens]) -> list[str]:
    """'lens: member' for members that no loaded party matched."""
    found = set(zip(tags["lens"], tags["member"], strict=True))
    return [f"{lens.id}: {m.label}" for lens in lenses for m in lens.members
            if (lens.id, m.label) not in found]


def lens_tags_json(tags: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in tags.to_dict(orient="records"):
        out.setdefault(str(row["party_id"]), []).append(
            {str(k): str(v) for k, v in row.items() if k != "party_id"})
    return out
