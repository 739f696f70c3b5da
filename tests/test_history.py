"""Version history: dated folders imported side by side, changes between two versions, the
timeline of one code; the Wassenaar per-section Word loader; the real histories (integration)."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
from pathlib import Path

import docx
import pytest

from harmonize import cli_versions
from harmonize.compare import changes as version_changes
from harmonize.ingest import bundle, history, store
from harmonize.ingest.source import LoaderError
from loaders.wassenaar import word as wassenaar_doc
from loaders.wassenaar import word_files
from tests.conftest import SHARED_SOURCES
from tests.toy_loader import registry as sources

# Older versions sit beside the reference lists: ../shared/sources-history.
HISTORY_SOURCES = SHARED_SOURCES.parent / "sources-history"

# Two hand-made versions of the toy list with known differences:
# added 5A001.a.3 and 5A902; removed 5A001.c and 5A901; 5A001.a.1 edited (10 -> 20 GHz);
# 5A001.b edited only editorially (quotes, British spelling).
V1 = """Version: 2024-01-01
5A001 Telecommunication widgets, as follows:
a. Widgets having any of the following:
1. A frequency above 10 GHz;
2. A mass below 3 kg;
Note: 5A001.a.2 applies only to portable widgets.
b. Widget parts for colour displays.
c. Widget cases.
5A901 National widgets.
"""
V2 = """Version: 2025-01-01
5A001 Telecommunication widgets, as follows:
a. Widgets having any of the following:
1. A frequency above 20 GHz;
2. A mass below 3 kg;
3. A range above 5 km;
Note: 5A001.a.2 applies only to portable widgets.
b. "Widget" parts for color displays.
5A902 Gadget cases.
"""
V3 = V2.replace("2025-01-01", "2026-01-01") + "5A901 National widgets, reinstated.\n"


def _write_versions(root: Path, versions: dict[str, str]) -> Path:
    for version, text in versions.items():
        folder = root / "toy-list" / version
        folder.mkdir(parents=True)
        (folder / "toy-list.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture()
def toy_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_home: Path) -> Path:
    return _write_versions(tmp_path / "dated", {"2024-01-01": V1, "2025-01-01": V2})


def _index_without_times(home: Path) -> dict[str, object]:
    index = history.read_index(home)
    for versions in index["sources"].values():
        for record in versions.values():
            record.pop("imported_at", None)
    return index


def _checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harmonize")
    cli_versions.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    args = _parser().parse_args(list(argv))
    code = int(args.func(args))
    return code, capsys.readouterr().out


def test_changes_between_two_hand_made_versions(toy_history: Path, store_home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = bundle.import_any(toy_history, registry=sources())
    assert [(o.source_id, o.status) for o in outcomes] == [
        ("toy-list@2024-01-01", "imported"), ("toy-list@2025-01-01", "imported")]
    # The current manifest is not touched by dated folders.
    assert not (store_home / store.MANIFEST).exists()

    code, out = _run(capsys, "changes", "toy-list", "--from", "2024-01-01", "--to",
                     "2025-01-01", "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["source"], result["from"], result["to"]) == (
        "toy-list", "2024-01-01", "2025-01-01")
    assert result["added"] == ["5A001.a.3", "5A902"]
    assert result["removed"] == ["5A001.c", "5A901"]
    assert [m["canonical"] for m in result["modified"]] == ["5A001.a.1"]
    assert result["modified"][0]["diff"] == "A frequency above [-10-] {+20+} GHz;"
    assert result["editorial_left_out"] == 1

    _, out = _run(capsys, "changes", "toy-list", "--from", "2024-01-01", "--to", "2025-01-01",
                  "--all", "--json")
    modified = {m["canonical"]: m for m in json.loads(out)["modified"]}
    assert modified.keys() == {"5A001.a.1", "5A001.b"}
    assert modified["5A001.b"]["editorial"] is True
    assert not modified["5A001.a.1"]["editorial"]

    code, text = _run(capsys, "changes", "toy-list", "--from", "2024-01-01", "--to",
                      "2025-01-01")
    assert "2 added, 2 removed, 1 modified (1 editorial changes left out" in text
    assert "  + 5A902" in text and "  - 5A901" in text


def test_timeline_first_changed_dropped_readded(toy_history: Path, store_home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _write_versions(toy_history, {"2026-01-01": V3})
    assert {o.status for o in bundle.import_any(toy_history, registry=sources())} == {"imported"}
    code, out = _run(capsys, "timeline", "5. A. 1. a. 1.", "--json")
    [lst] = json.loads(out)["lists"]
    assert code == 0 and lst["list"] == "toy-list"
    assert (lst["first"], lst["changed"], lst["dropped"]) == ("2024-01-01", ["2025-01-01"], None)
    national = version_changes.timeline("5A901")["lists"][0]
    assert national["first"] == "2024-01-01" and national["dropped"] == "2025-01-01"
    assert [e["event"] for e in national["events"]] == ["added", "removed", "re-added"]
    assert national["present_in"] == ["2024-01-01", "2026-01-01"]
    added = version_changes.timeline("5A902")["lists"][0]
    assert added["first"] == "2025-01-01" and added["dropped"] is None
    editorial = version_changes.timeline("5A001.b")["lists"][0]
    assert editorial["changed"] == []
    assert version_changes.timeline("5A001.b", include_editorial=True)["lists"][0]["changed"] == [
        "2025-01-01"]
    code, _ = _run(capsys, "timeline", "9Z999")
    assert code == 1


def test_current_snapshot_counts_as_a_version(toy_history: Path, tmp_path: Path,
                                              store_home: Path) -> None:
    bundle.import_any(toy_history, registry=sources())
    plain = tmp_path / "plain" / "toy-list"
    plain.mkdir(parents=True)
    (plain / "toy-list.txt").write_text(V3, encoding="utf-8")
    bundle.import_any(plain.parent, registry=sources())
    versions = history.versions_of("toy-list")
    assert [(v.version, v.current) for v in versions] == [
        ("2024-01-01", False), ("2025-01-01", False), ("2026-01-01", True)]
    result = version_changes.changes("toy-list", "2025-01-01", "current")
    assert result.added == ["5A901"] and result.to_version == "2026-01-01"
    with pytest.raises(history.HistoryError, match="no version '2023-01-01'"):
        version_changes.changes("toy-list", "2023-01-01", "current")
    with pytest.raises(history.HistoryError, match="no versions of 'nothing'"):
        version_changes.changes("nothing", "2023-01-01", "current")


def test_reimport_is_cached_and_a_failed_version_keeps_the_previous(
        toy_history: Path, store_home: Path) -> None:
    bundle.import_any(toy_history, registry=sources())
    again = bundle.import_any(toy_history, registry=sources())
    assert {o.status for o in again} == {"cached"}
    before = _checksums(store_home / history.HISTORY)
    index_before = _index_without_times(store_home)
    (toy_history / "toy-list" / "2025-01-01" / "toy-list.txt").write_text("no version\n")
    outcomes = {o.source_id: o for o in bundle.import_any(toy_history, registry=sources())}
    failed = outcomes["toy-list@2025-01-01"]
    assert failed.status == "failed" and "no 'Version: YYYY-MM-DD' line" in failed.message
    # Every kept file is as it was; in the index only the (cached) 2024 version's
    # imported_at may move on, when the imports straddle a second.
    after = _checksums(store_home / history.HISTORY)
    assert {k: v for k, v in after.items() if k != history.INDEX} == {
        k: v for k, v in before.items() if k != history.INDEX}
    assert _index_without_times(store_home) == index_before
    assert history.versions_of("toy-list")[1].version == "2025-01-01"


def test_mixed_folder_and_versions_without_a_loader(toy_history: Path, tmp_path: Path,
                                                    store_home: Path) -> None:
    plain = toy_history / "other-list"
    plain.mkdir()
    (plain / "notes.txt").write_text("x")
    rtf_version = toy_history / "eu-annex-i" / "2015-10-12"
    rtf_version.mkdir(parents=True)
    (rtf_version / "annex.rtf").write_bytes(b"{\\rtf1 Annex I}")
    broken_pdf = toy_history / "eu-annex-i" / "2022-01-07"
    broken_pdf.mkdir(parents=True)
    (broken_pdf / "annex.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    outcomes = {o.source_id: o for o in bundle.import_any(toy_history, registry=sources())}
    assert outcomes["other-list"].status == "skipped"
    eu = outcomes["eu-annex-i@2015-10-12"]
    assert eu.status == "skipped"
    assert "no loader for this version's format (.rtf)" in eu.message
    broken = outcomes["eu-annex-i@2022-01-07"]
    assert broken.status == "failed" and "annex.pdf" in broken.message
    assert outcomes["toy-list@2024-01-01"].status == "imported"
    # One source's folder of dated versions on its own.
    single = bundle.import_any(toy_history / "toy-list", registry=sources())
    assert [o.source_id for o in single] == ["toy-list@2024-01-01", "toy-list@2025-01-01"]


# -- the Wassenaar per-section Word loader on a hand-made edition (.docx sections) ---------------

def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
          footer: str = "") -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))


def _hand_made_edition(folder: Path) -> Path:
    folder.mkdir(parents=True)
    _docx(folder / "01 - WA-LIST (99) 1 - Table of Contents.docx",
          ["THE INVENTED ARRANGEMENT", "LIST OF WIDGETS", "December 2030"],
          footer="WA-LIST (99) 1\n- 2 -\t07-12-2030")
    _docx(folder / "07 - WA-LIST (99) 1 - Cat 5P1.docx", [
        "Part 1 - WIDGETS",
        "Note 1\tAn invented category note about widgets.",
        "5.\tA.\tPart 1.\tSYSTEMS, EQUIPMENT AND COMPONENTS",
        "5.\tA.\t1.\tWidget systems, as follows:",
        "\t\t\ta.\tWidgets having any of the following:",
        "\t\t\t\t1.\tA frequency above 10 GHz;",
        "\t\t\t\t2.\tA mass below 3 kg;",
        "Note\t5.A.1.a.2. does not apply to any of the following:",
        "a.\tToy widgets;",
        "b.\tParade widgets.",
        "5.\tA.\t1.\tb.\tGadget parts having all of the following:",
        "\t\t\t\t1.\tRated above 5 W; and",
        "\t\t\t\t2.\tRated below 9 V.",
        "\t\t2.\tGizmos for widgets.",
        "5.\tD.\tPart 1.\tSOFTWARE",
        "5.\tD.\t1.\t\"Software\" for widgets.",
        "TECHNICAL NOTE ON WIDGET PERFORMANCE",
        "1.\tInvented formula text.",
    ])
    _docx(folder / "13 - WA-LIST (99) 1 - SL.docx", ["THE SENSITIVE LIST"],
          table=[["Category 5", ""], ["5.A.1.b.", "Gadget parts..."]])
    _docx(folder / "14 - WA-LIST (99) 1 - VSL.docx", ["THE VERY SENSITIVE LIST"],
          table=[["5.D.1.", "\"Software\"..."]])
    _docx(folder / "15 - WA-LIST (99) 1 - ML.docx", [
        "ML1.\tWidget guns, as follows:",
        "\t\ta.\tFoam dart guns;",
        "ML1.\tb.\tWater guns.",
        "ML2.\tGadget launchers.",
    ])
    _docx(folder / "16 - WA-LIST (99) 1 - DEF.docx", ["\"Widget\" means an invented thing."])
    return folder


def test_word_edition_loader_on_a_hand_made_edition(tmp_path: Path) -> None:
    folder = _hand_made_edition(tmp_path / "wassenaar" / "2030-12-07")
    dual, munitions = wassenaar_doc.parse(folder, check_counts=False)
    rows = dual.frame
    assert dual.info.version == "2030-12-07"
    assert dual.info.citation == "Wassenaar Arrangement, WA-LIST (99) 1"
    keyed = rows[rows["kind"].isin(["entry", "paragraph"])]
    assert list(keyed["canonical"]) == [
        "5A001", "5A001.a", "5A001.a.1", "5A001.a.2", "5A001.b", "5A001.b.1", "5A001.b.2",
        "5A002", "5D001"]
    [note] = rows[rows["kind"] == "note"].to_dict(orient="records")
    assert note["canonical"] == "5A001.a.2" and "Parade widgets" in note["text"]
    sensitivity = dict(zip(keyed["canonical"], keyed["sensitivity"], strict=True))
    assert sensitivity["5A001.b.2"] == "sensitive" and sensitivity["5A001.a"] == ""
    assert sensitivity["5D001"] == "very-sensitive"
    reasons = {u.reason for u in dual.unplaced}
    assert "before the first entry" in reasons
    assert any(r.startswith("TECHNICAL NOTE ON WIDGET") for r in reasons)
    assert any("5A002" in n for n in dual.notes)  # printed as a bare number
    assert list(munitions.frame.query("kind != 'note'")["canonical"]) == [
        "ML1", "ML1.a", "ML1.b", "ML2"]


def test_wassenaar_word_folders_go_to_the_word_loader(tmp_path: Path, store_home: Path) -> None:
    _hand_made_edition(tmp_path / "dated" / "wassenaar" / "2030-12-07")
    chosen = history.version_files("wassenaar", tmp_path / "dated" / "wassenaar" / "2030-12-07",
                                   registry=sources())
    assert chosen.reader is not None and chosen.reader.module == "loaders.wassenaar.word"
    assert chosen.reader.reads_folder and len(chosen.files) == 6
    [outcome] = bundle.import_any(tmp_path / "dated", registry=sources())
    # The real expected-count check applies on import: 3 entries are far too few.
    assert outcome.status == "failed" and "expected 150-300" in outcome.message


def test_missing_text_tool_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_files.shutil, "which", lambda name: None)
    doc = tmp_path / "03 - Cat 1.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 invented")
    with pytest.raises(LoaderError, match="apt-get install antiword"):
        word_files.doc_text(doc)


# -- the real histories (integration) -------------------------------------------------------------

@pytest.fixture(scope="module")
def real_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ca-ecl and wassenaar histories imported once for the module (each edition parsed once)."""
    if not HISTORY_SOURCES.is_dir():
        pytest.skip(f"version history not found at {HISTORY_SOURCES}")
    if shutil.which("antiword") is None and shutil.which("catdoc") is None:
        pytest.skip("antiword (or catdoc) is not installed: apt-get install antiword")
    root = tmp_path_factory.mktemp("history-store")
    for source in ("ca-ecl", "wassenaar"):
        outcomes = history.import_history(HISTORY_SOURCES / source, root, registry=sources())
        assert {o.status for o in outcomes} == {"imported"}, outcomes
    return root


@pytest.mark.integration
def test_canada_5506_came_into_force_between_2024_05_31_and_2025_03_07(
        real_history: Path) -> None:
    # In the raw XML: 5506 is only an amendment not yet in force on 2024-05-31 (after the
    # NifProvs schedule opens), absent in 2020 and in the schedule itself in 2025.
    def raw(version: str) -> str:
        return (HISTORY_SOURCES / "ca-ecl" / version / "SOR-89-202.xml").read_text("utf-8-sig")

    assert "<Label>5506</Label>" not in raw("2020-07-01")
    text = raw("2024-05-31")
    assert text.index('id="NifProvs"') < text.index("<Label>5506</Label>")
    assert 'id="NifProvs"' not in raw("2025-03-07") and "<Label>5506</Label>" in raw("2025-03-07")

    result = version_changes.changes("ca-ecl", "2024-05-31", "2025-03-07", real_history)
    assert "5506" in result.added
    assert all(code.startswith("5506") for code in result.added)
    assert result.removed == []
    assert version_changes.changes("ca-ecl", "2020-07-01", "2024-05-31", real_history).added.count(
        "5506") == 0
    [line] = version_changes.timeline("5506", real_history)["lists"]
    assert (line["first"], line["dropped"]) == ("2025-03-07", None)
    assert line["present_in"] == ["2025-03-07", "2025-04-25"]


@pytest.mark.integration
def test_wassenaar_2013_added_the_cyber_entries(real_history: Path) -> None:
    # In the raw text of the Word files (antiword): the headings are new in 2013.
    def text(version: str, section: str) -> str:
        [path] = (HISTORY_SOURCES / "wassenaar" / version).glob(f"*{section}.doc")
        return word_files.doc_text(path)

    heading = {"4A005": r"^4\.\s+A\.\s+5\.\s", "4D004": r"^4\.\s+D\.\s+4\.\s",
               "5A001.j": r"^5\.\s+A\.\s+1\.\s+j\.\s", "7D005": r"^7\.\s+D\.\s+5\.\s"}
    section = {"4A005": "Cat 4", "4D004": "Cat 4", "5A001.j": "Cat 5P1", "7D005": "Cat 7"}
    for code, pattern in heading.items():
        assert not re.search(pattern, text("2012-12-12", section[code]), re.M), code
        assert re.search(pattern, text("2013-12-04", section[code]), re.M), code

    result = version_changes.changes("wassenaar", "2012-12-12", "2013-12-04", real_history)
    assert {"4A005", "4D004", "5A001.j", "7D005"} <= set(result.added)
    assert [c for c in result.added if "." not in c] == ["4A005", "4D004", "7D005"]
    timeline = version_changes.timeline("4A005", real_history)["lists"][0]
    assert timeline["first"] == "2013-12-04" and timeline["dropped"] is None
    # 2017: "operation or delivery of, or communication with," -> "command and control, or
    # delivery of" (read in both editions' Cat 4 files).
    assert "2017-02-17" in timeline["changed"]
    assert "command and control" in next(
        e["diff"] for e in timeline["events"] if e["version"] == "2017-02-17")


@pytest.mark.integration
def test_every_wassenaar_edition_reads_whole(real_history: Path) -> None:
    index = history.read_index(real_history)["sources"]["wassenaar"]
    assert sorted(index) == sorted(p.name for p in (HISTORY_SOURCES / "wassenaar").iterdir())
    for version, record in index.items():
        lists = {lst["id"]: lst for lst in record["lists"]}
        assert lists["wassenaar"]["version"] == version
        assert 160 <= lists["wassenaar"]["entries"] <= 175, version
        assert lists["wassenaar-ml"]["entries"] == 22, version
        assert lists["wassenaar"]["paragraphs"] > 1500, version
        assert record["loader"] == "loaders.wassenaar.word" and len(record["files"]) == 18
    entries = {v: r["lists"][0]["entries"] for v, r in index.items()}
    assert entries["2012-02-21"] == 162 and entries["2021-12-22"] == 173
