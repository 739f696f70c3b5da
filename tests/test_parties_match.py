"""Matching party records across lists: every link explained, reviewed decisions obeyed, the
rules that keep look-alikes apart (numbers, legal forms, countries, short group names)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harmonize.compare import parties as pm
from harmonize.compare import parties_lenses, parties_query
from harmonize.ingest.parties import Listing, PartyRecord, records_frame
from harmonize.present import parties_view

NO_DECISIONS = pd.DataFrame(columns=list(pm.DECISION_COLUMNS))


def record(rid: str, name: str, side: str, aliases: tuple[str, ...] = (), country: str = "",
           addresses: tuple[str, ...] = (), kind: str = "organization", listed_on: str = "",
           list_id: str = "") -> PartyRecord:
    listing = Listing(source="us-ear-744" if side == "US" else "eu-restrictive-measures",
                      jurisdiction=side, list_id=list_id or ("us-entity-list" if side == "US"
                                                             else "eu-32014R0269"),
                      list_name="Entity List" if side == "US" else "Regulation (EU) 269/2014",
                      program="p", measure="m", listed_on=listed_on, citation=f"cite {rid}")
    return PartyRecord(record_id=rid, name=name, listing=listing, aliases=aliases,
                       country=country, addresses=addresses, kind=kind, location=f"f:{rid}")


def frame(*records: PartyRecord) -> pd.DataFrame:
    return records_frame(list(records), {})


POSITIVE = (
    record("us:pt", "Positive Technologies", "US", country="RUSSIA",
           addresses=("8 Preobrzhenskaya Square, Moscow, Russia 107061.",),
           listed_on="2021-11-04"),
    record("us:ao", "Aktsionernoe Obshchestvo Pozitiv Teknolodzhiz", "US",
           aliases=("JSC Positive Technologies", "Pozitiv Teknolodzhiz, AO"), country="RUSSIA",
           addresses=("d. 23A pom. V kom, 30, shosse Shchelkovskoe, Moscow, 107241, Russia.",),
           listed_on="2021-07-19"),
    record("eu:234", "Positive Group PJSC", "EU",
           aliases=("Positive technologies", "Gruppa Pozitiva", "Группа Позитива"),
           addresses=("Russian Federation (107241, Moscow, sh. Shchelkovskoe, 23A)",),
           listed_on="2023-06-23"),
)


def test_positive_technologies_is_one_party_on_both_sides() -> None:
    result = parties_query.assemble(pm.match(frame(*POSITIVE), NO_DECISIONS))
    assert len(result.table) == 1
    party = result.table.iloc[0]
    assert party["jurisdictions"] == ["US", "EU"]
    assert party["first_listed"] == "2021-07-19"
    assert "ru" in party["countries"]
    payload = parties_query.parties_json(result, result.table)
    listing = payload["parties"][0]["listings"][0]
    assert set(listing) >= {"source", "jurisdiction", "list", "program", "measure",
                            "listed_on", "citation"}
    evidence = {tuple(link["names"]) for link in payload["parties"][0]["matched_by"]}
    assert ("Positive Technologies", "Positive technologies") in evidence
    assert ("JSC Positive Technologies", "Positive technologies") in evidence


def test_normalisation() -> None:
    assert pm.normalise("JSC Positive Technologies") == "positive technologies"
    assert pm.normalise("Aktsionernoe Obshchestvo Pozitiv Teknolodzhiz") == (
        "pozitiv teknolodzhiz")
    assert pm.normalise("Группа Позитива") == "gruppa pozitiva"
    assert pm.normalise("Scientific Studies and Research Centre") == (
        "scientific studies research center")
    assert pm.normalise("Polyus Research Institute of M. F. Stelmakh") == (
        pm.normalise("Polyus Research Institute of M.F. Stelmakh"))
    assert pm.legal_family("OOO 'VO Technopromexport'") == "limited-liability"
    assert pm.legal_family("Open Joint Stock Company VO Technopromexport") == "joint-stock"


@pytest.mark.parametrize(("us", "eu", "linked"), [
    (record("u", "Joint Stock Company 121 Aviation Repair Plant", "US", country="RUSSIA"),
     record("e", "JSC 123 AVIATION REPAIR PLANT", "EU"), False),
    (record("u", "AO Nauchno-Proizvodstvennoe Predpriyatie Sapfir", "US"),
     record("e", "AO Nauchno-Proizvodstvennoe Predpriyatie Pulsar", "EU"), False),
    (record("u", "OAO VO Technopromexport", "US"),
     record("e", "OOO VO Technopromexport", "EU"), False),
    (record("u", "Ministry of Defence", "US", country="BURMA"),
     record("e", "Ministry of Defence", "EU", addresses=("Pyongyang, DPRK",)), False),
    (record("u", "Almaz-Antey Air Defense Concern Main System Design Bureau", "US",
            aliases=("Almaz-Antey",)),
     record("e", "ALMAZ-ANTEY", "EU"), False),
    (record("u", "Minsk Wheeled Tractor Plant", "US", country="BELARUS"),
     record("e", "Minsk Wheel Tractor Plant", "EU", addresses=("Partizanski ave, 150, Minsk",)),
     True),
    (record("u", "I JET GLOBAL DMCC", "US", country="MALTA",
            addresses=("St. Julians, Malta. (See alternate addresses under Spain, Syria, and "
                       "United Arab Emirates).",)),
     record("e", "I Jet Global DMCC", "EU", addresses=("Damascus, Syrian Arab Republic",)), True),
    (record("u", "Xinjiang Production and Construction Corps (XPCC) Public Security Bureau",
            "US"),
     record("e", "Xinjiang Production and Construction Corps Public Security Bureau", "EU"),
     True),
    (record("u", "Ivan Petrov", "US"), record("e", "Ivan PETROV", "EU", kind="person"), True),
    (record("u", "Ivan Petrov", "US"), record("e", "Ivan PETROVA", "EU", kind="person"), False),
])
def test_link_rules(us: PartyRecord, eu: PartyRecord, linked: bool) -> None:
    matching = pm.match(frame(us, eu), NO_DECISIONS)
    assert bool([x for x in matching.links if {x.left, x.right} == {"u", "e"}]) is linked
    if not linked:
        assert all(x.left != "u" for x in matching.links)


def test_reviewed_decisions_confirm_and_reject(tmp_path: Path) -> None:
    us = record("u", "Open Joint Stock Company Aviadvigatel", "US")
    eu = record("e", "UEC-Aviadvigatel JSC", "EU")
    path = tmp_path / "decisions.csv"
    path.write_text(",".join(pm.DECISION_COLUMNS) + "\n"
                    "u,Aviadvigatel,e,UEC-Aviadvigatel,confirmed,reviewer,2026-12-05,renamed\n"
                    "us:pt,x,eu:234,y,rejected,reviewer,2026-12-05,for the test\n"
                    "gone,x,eu:234,y,confirmed,reviewer,2026-12-05,stale\n", encoding="utf-8")
    decisions = pm.load_decisions(path)
    matching = pm.match(frame(us, eu, *POSITIVE), decisions)
    reviewed = [x for x in matching.links if x.method == "reviewed"]
    assert [(x.left, x.right, x.decision) for x in reviewed] == [("u", "e", "confirmed")]
    assert "renamed" in reviewed[0].reason
    assert not [x for x in matching.links if {x.left, x.right} == {"us:pt", "eu:234"}]
    assert matching.stale_decisions == ["gone / eu:234"]
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(pm.DECISION_COLUMNS) + "\nu,a,e,b,maybe,r,2026-01-01,why\n",
                   encoding="utf-8")
    with pytest.raises(pm.DecisionsError, match=r"bad\.csv: line 2"):
        pm.load_decisions(bad)


def test_shipped_decisions_and_lenses_load() -> None:
    decisions = pm.load_decisions()
    assert set(decisions["decision"]) <= {"confirmed", "rejected"}
    lenses = parties_lenses.load_party_lenses()
    assert {lens.id for lens in lenses} == {"spyware", "ai-surveillance"}
    assert all(m.reason and m.listed_by and m.source for lens in lenses for m in lens.members)


def test_lens_tags_say_which_name_matched_and_why() -> None:
    result = parties_query.assemble(pm.match(frame(
        *POSITIVE, record("us:hik", "Hangzhou Hikvision Digital Technology Co., Ltd.", "US")),
        NO_DECISIONS))
    lenses = parties_lenses.load_party_lenses()
    tags = parties_lenses.tag_parties(result.table, result.listings, lenses)
    hik = tags[tags["member"] == "Hikvision"].iloc[0]
    assert hik["matched_name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert "84 FR 54004" in hik["listed_by"]
    assert set(tags[tags["lens"] == "spyware"]["member"]) == {"Positive Technologies"}
    missing = parties_lenses.unmatched_members(tags, lenses)
    assert "spyware: NSO Group" in missing and "ai-surveillance: Hikvision" not in missing
    sided = parties_view.one_sided_by_lens(result.table, tags,
                                           {lens.id: lens.name for lens in lenses})
    assert sided.set_index("lens").loc["AI-surveillance firms", "US only"] == 1
    assert sided.set_index("lens").loc["Surveillance and spyware vendors", "both"] == 1


def test_views_and_sheet() -> None:
    result = parties_query.assemble(pm.match(frame(
        *POSITIVE, record("us:x", "Only Here Ltd", "US", listed_on="2019-10-09")),
        NO_DECISIONS))
    sheet, columns = parties_view.parties_sheet(result)
    assert list(sheet.columns) == list(columns)
    assert sheet.iloc[0]["listed_by"] == "US + EU"  # listed on both sides first
    assert "cite us:pt" in sheet.iloc[0]["us_lists"]
    assert "cite eu:234" in sheet.iloc[0]["eu_lists"]
    matrix = parties_view.side_matrix(result, result.table)
    assert matrix.set_index("jurisdiction").loc["US", "parties"] == 2
    assert matrix.set_index("jurisdiction").loc["EU", "also listed by the other side"] == 1
    figure = parties_view.listings_over_time(result, result.table)
    assert {trace.name for trace in figure.data} == {"US", "EU"}
    assert len(parties_query.search(result.table, "pozitiv teknolodzhiz AO")) == 1
    assert len(parties_query.one_sided(result.table, "US")) == 1
    assert len(parties_query.filter_lists(result.table, ["eu-32014R0269"])) == 1
