"""Party readers on hand-written files in each official structure (tests/fixtures/parties):
eCFR XML of Part 744 (DIV9 supplements with TABLEs, § 744.22), the derived US copies, the EU
restrictive-measures CSVs (45 columns). Malformed rows come back with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.ingest.parties import records_frame, validate_parties
from harmonize.ingest.source import LoaderError
from loaders.party_lists import eu_restrictive_measures, readers, us_ear_744, us_entity_list
from loaders.party_lists.entity_text import citation_dates, split_entity, split_name_address

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parties"
XML = FIXTURES / "us-ear-744" / "title-15-part-744-2026-07-23.xml"


@pytest.fixture(scope="module")
def us_parse():  # type: ignore[no-untyped-def]
    return us_ear_744.parse([XML])


def by_name(parse, name):  # type: ignore[no-untyped-def]
    found = [r for r in parse.records if r.name == name]
    assert found, f"{name!r} not among {[r.name for r in parse.records]}"
    return found[0]


def test_entity_list_rows_become_records_with_their_citations(us_parse) -> None:  # type: ignore[no-untyped-def]
    plain = by_name(us_parse, "Example Technologies")
    assert plain.addresses == ("8 Sample Square, Strelsau, Ruritania 107061.",)
    assert plain.country == "RURITANIA"
    assert plain.listing.listed_on == "2021-11-04"
    assert plain.listing.citation.endswith("86 FR 60760, 11/4/21")
    assert plain.listing.licence_review_policy == "Presumption of denial"
    assert plain.listing.licence_requirement.startswith("For all items subject to the EAR")
    assert plain.location == f"{XML.name}:28"  # the <TR>
    aka = by_name(us_parse, "Aktsionernoe Obshchestvo Primer Teknolodzhiz")
    assert aka.aliases == ("JSC Example Technologies", "Primer Teknolodzhiz, AO")
    # Two citations on two lines: one text, the earliest date is the listing date.
    assert aka.listing.citation.endswith("86 FR 37903, 7/19/21; 87 FR 1234, 3/2/22")
    assert aka.listing.listed_on == "2021-07-19"


def test_former_names_subordinates_shared_addresses_and_families(us_parse) -> None:  # type: ignore[no-untyped-def]
    gaz = by_name(us_parse, "Gazmash Demo, OOO")
    assert gaz.previous_names == ("Zakrytoe Aktsionernoe Obshchestvo Demo Gaz",)
    assert gaz.aliases == ("Demo Gaz",)
    academy = by_name(us_parse, "Sample Aerospace Corporation Second Academy")
    assert academy.aliases == ("SASC Second Academy",)
    assert "52 Yongding Road, Strelsau, Ruritania." in academy.addresses
    institute = by_name(us_parse, "201 Research Institute")
    assert institute.part_of == academy.name
    assert institute.aliases == ("Defense Technology Center",)
    assert institute.listing.citation == academy.listing.citation
    assert by_name(us_parse, "203rd Research Institute").part_of == academy.name
    plant = by_name(us_parse, "711 Aircraft Repair Plant (711 ARZ)")
    assert plant.part_of == "Sample Missile Corporation"
    assert by_name(us_parse, "Zenda Vision Co., Ltd.").country == "ZENDA"


def test_meu_and_mieu(us_parse) -> None:  # type: ignore[no-untyped-def]
    meu = [r for r in us_parse.records if r.listing.list_id == "us-meu-list"]
    assert [r.name for r in meu] == ["Academy of Sample Propulsion (ASP)", "AECR Power Co. Ltd."]
    assert meu[1].part_of == "Aero-Engine Company of Ruritania"
    assert meu[1].listing.listed_on == "2020-12-23"
    assert "carried from the row above" in meu[1].remarks
    mieu = [r for r in us_parse.records if r.listing.list_id == "us-mieu"]
    assert [r.name for r in mieu] == ["Office of Military Signals (OMS)",
                                      "Directorate of Research and Intelligence"]
    assert mieu[0].aliases == ("OMS",)
    assert mieu[0].listing.citation.startswith("15 CFR 744.22(f)(2)(i)")
    assert mieu[0].listing.listed_on == ""  # the section dates no entity
    assert us_parse.stated_counts == {"us-entity-list": 8, "us-meu-list": 2, "us-mieu": 2}
    assert us_parse.lists[0].version == "2026-07-23"  # from the file name


def test_malformed_rows_are_reported_not_dropped(us_parse) -> None:  # type: ignore[no-untyped-def]
    assert len(us_parse.unplaced) == 1
    bad = us_parse.unplaced[0]
    assert bad.location == f"{XML.name}:102" and "3 cells" in bad.reason
    assert "A row with a missing cell" in bad.text
    assert any("footnote 1" in n for n in us_parse.notes)
    assert any("'[Reserved]'" in n for n in us_parse.notes)


def test_xml_is_parsed_without_entities_or_network(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = XML.read_text(encoding="utf-8").replace(
        '<?xml version="1.0"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE DIV5 [<!ENTITY leak SYSTEM "file://{secret}">]>')
    text = text.replace("Zenda Vision Co., Ltd.", "Zenda &leak; Co., Ltd.")
    hostile = tmp_path / "part-744.xml"
    hostile.write_text(text, encoding="utf-8")
    parsed = us_ear_744.parse([hostile])
    assert not any("TOP SECRET" in r.name or "TOP SECRET" in " ".join(r.addresses)
                   for r in parsed.records)


def test_unreadable_xml_names_the_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "part-744.xml"
    broken.write_text("<DIV5><DIV9 N='Supplement No. 4 to Part 744'>", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"part-744.xml: line \d+, column \d+: not well-formed"):
        us_ear_744.parse([broken])
    other = tmp_path / "part-774.xml"
    other.write_text("<DIV5 N='774'><P>x</P></DIV5>", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"Supplement No\. 4"):
        us_ear_744.parse([other])


@pytest.mark.parametrize(("text", "name", "aliases", "address"), [
    ("Huawei Technical Service Co., Ltd., China.", "Huawei Technical Service Co., Ltd.", [],
     "China."),
    ("Kelvo Inc\n \n 6600 21st Avenue, Laval, Canada", "Kelvo Inc", [], "6600 21st Avenue"),
    ("Beijing FJR Optoelectronic Technology Company Ltd, a.k.a, the following three aliases:"
     "—FJIR Optoelectronic Technology Company Ltd.;—Beijing Fu Jerry; and—Fu Jirui. No. 2A "
     "Zhonghuan South Road, Beijing, China", "Beijing FJR Optoelectronic Technology Company Ltd",
     ["FJIR Optoelectronic Technology Company Ltd.", "Beijing Fu Jerry", "Fu Jirui"], "No. 2A"),
    ("AGAT—Control Systems—Managing Company of Geoinformation Control Systems Holding JSC, "
     "a.k.a., the following one alias:\n—AGAT—Control Systems.\n \n 117 Nezavisimosti Ave, Minsk",
     "AGAT—Control Systems—Managing Company of Geoinformation Control Systems Holding JSC",
     ["AGAT—Control Systems"], "117 Nezavisimosti"),
    ("Rosneft Trade Limited, f.k.a., TNK Trade Limited. Elenion Building, Nicosia, Cyprus.",
     "Rosneft Trade Limited", [], "Elenion Building"),
    ("Academy of Military Medical Sciences, Institute of Basic Medicine, 27 Taiping Road, "
     "Beijing", "Academy of Military Medical Sciences, Institute of Basic Medicine", [],
     "27 Taiping Road"),
    ("Gazprom, OAO Address: 16 Nametkina St, Moscow", "Gazprom, OAO", [], "16 Nametkina"),
])
def test_entity_cells_come_apart(text: str, name: str, aliases: list[str], address: str) -> None:
    entity = split_entity(text)
    assert entity.name == name
    assert entity.aliases == aliases
    assert (entity.addresses[0] if entity.addresses else "").startswith(address)


def test_name_address_split_and_citation_dates() -> None:
    assert split_name_address("Tech Co. No. 1 Haiying Rd, Beijing") == (
        "Tech Co.", "No. 1 Haiying Rd, Beijing")
    assert split_name_address("A. Leib Ltd.; HA'Assif 19, Binyamina") == (
        "A. Leib Ltd.", "HA'Assif 19, Binyamina")
    assert citation_dates("84 FR 22963, 5/21/19. 85 FR 29853, 5/19/20. 63 FR 64322, 11/19/98") \
        == ["2019-05-21", "2020-05-19", "1998-11-19"]
    assert citation_dates("85 FR 83799, 12/23/2020.") == ["2020-12-23"]


def test_derived_us_copies() -> None:
    parse = us_entity_list.parse(sorted((FIXTURES / "us-entity-list").iterdir()))
    assert parse.stated_counts == {"us-entity-list": 3, "us-meu-list": 1}
    names = {r.name for r in parse.records}
    assert {"Example Technologies", "Office of Military Signals",
            "Academy of Sample Propulsion (ASP)"} <= names
    assert len(parse.unplaced) == 1  # the MIEU row dated 16.3.2021, not YYYY-MM-DD
    assert parse.unplaced[0].location == "sample_us_bis_mieu.csv:3"
    assert us_entity_list.META.copy_of == "us-ear-744"


def test_eu_regulation_files() -> None:
    parse = eu_restrictive_measures.parse(sorted((FIXTURES / "eu-restrictive-measures").iterdir()))
    ids = {r.record_id: r for r in parse.records}
    group = ids["eu-32014R0269:I.ENTITIES:234"]
    assert group.name == "Example Group PJSC"
    assert group.aliases == ("Example technologies", "Gruppa Primera", "Группа Примера")
    assert group.listing.listed_on == "2023-06-23"
    assert group.listing.citation == ("Regulation (EU) No 269/2014, Annex I.ENTITIES "
                                      "(CELEX 32014R0269)")
    assert group.listing.program.startswith("EU-UKR: Restrictive measures")
    assert group.identifiers == ("Registration: 9718077239 (tax identification number)",)
    # The same record number in two annexes: two records.
    assert ids["eu-32014R0269:I.PERSONS:234"].kind == "person"
    assert ids["eu-32014R0269:I.PERSONS:234"].listing.listed_on == "2025-08-09"
    assert ids["eu-32014R0269:I.ENTITIES:235"].kind == "vessel"
    assert ids["eu-32014R0269:I.ENTITIES:235"].listing.listed_on == "2011-02-26"
    assert ids["eu-32014R0833:IV:1"].listing.measure == "Export control"
    reasons = {u.location: u.reason for u in parse.unplaced}
    assert reasons == {"32014R0269.csv:5": "date 'sometime in 2020' not understood",
                       "32014R0269.csv:6": "7 cells, the header has 45"}
    assert any("32004R0314" in n for n in parse.notes)
    assert eu_restrictive_measures.regulation_name("32006R0765") == "Regulation (EC) No 765/2006"
    assert eu_restrictive_measures.regulation_name("32020R1998") == "Regulation (EU) 2020/1998"


def test_eu_header_must_be_the_45_columns(tmp_path: Path) -> None:
    bad = tmp_path / "32014R0269.csv"
    bad.write_text("celex,recordId,name\n32014R0269,1,X\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"32014R0269\.csv: line 1: header"):
        eu_restrictive_measures.parse([bad])


def test_records_pass_the_schema_and_readers_are_registered(us_parse) -> None:  # type: ignore[no-untyped-def]
    frame = records_frame(us_parse.records, {"us-entity-list": "2026-07-23"})
    validate_parties(frame)
    assert set(frame["list_id"]) == {"us-entity-list", "us-meu-list", "us-mieu"}
    assert set(readers()) == {"us-ear-744", "us-entity-list", "eu-restrictive-measures"}
