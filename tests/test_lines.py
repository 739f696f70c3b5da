"""The line stream kept beside each parse (`parsed/<list>-<key>.lines.jsonl`) and
`harmonize lines LIST [--grep TEXT] [--version DATE]`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.ingest import bundle, glyphs, linestream, store
from harmonize.ingest.segmenter import Line
from tests.conftest import FIXTURES
from tests.toy_loader import registry as sources

TOY = (FIXTURES / "toy" / "toy-list.txt").read_text(encoding="utf-8")


def _lines(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lines", *argv], registry=sources())
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def toy_store(tmp_path: Path, store_home: Path) -> Path:
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", folder / "toy-list.txt")
    assert store.import_dir(tmp_path / "in", registry=sources())[0].status == "imported"
    return store_home


def test_encode_and_read_back(tmp_path: Path) -> None:
    lines = [Line("5A001 Widgets", "p. 1"), Line("a. Blue", "p. 1", 114.5, list_item=True),
             Line("Note: ünïcode", "p. 2", note=True), Line("b.", "p. 3", 2.0, restates=True)]
    path = tmp_path / "x.lines.jsonl"
    path.write_bytes(linestream.encode(lines))
    assert list(linestream.read_lines(path)) == lines
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0]) == {
        "text": "5A001 Widgets", "location": "p. 1"}  # defaults left out
    assert linestream.lines_path(Path("p/toy-list-ab-cd.parquet")) == Path(
        "p/toy-list-ab-cd.lines.jsonl")


def test_raised_and_lowered_runs_are_shown_readably() -> None:
    line = Line("less than 10" + glyphs.superscript("-14") + " J; FPO" + glyphs.subscript("i"),
                "p. 7", 114.2, note=True)
    assert linestream.describe(line).endswith("N   less than 10^{-14} J; FPO_{i}")


def test_the_stream_is_kept_beside_the_parse(toy_store: Path) -> None:
    [record] = store.read_manifest(toy_store)["sources"]["toy-list"]["lists"]
    kept = linestream.lines_path(toy_store / "parsed" / record["parsed_file"])
    lines = list(linestream.read_lines(kept))
    # The toy loader feeds every line after the version line to the segmenter.
    assert [line.text for line in lines] == TOY.splitlines()[1:]
    assert lines[0].location == "line 2"


def test_cli_lines_grep_and_json(toy_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _lines(capsys, "toy-list")
    assert code == 0
    assert out.splitlines()[0].startswith("# toy-list 2025-03-01: 8 of 8 lines (")
    assert "line 6" in out and "Note: 5A001.a.2 applies only to portable widgets." in out
    code, out, _ = _lines(capsys, "toy-list", "--grep", "WIDGETS")
    shown = out.splitlines()[1:]
    assert code == 0 and len(shown) == 4 and all("widgets" in s.lower() for s in shown)
    code, out, _ = _lines(capsys, "toy-list", "--grep", "gadget", "--json")
    [found] = json.loads(out)["lists"]
    assert (found["list"], found["total"]) == ("toy-list", 8)
    assert found["lines"] == [{"text": "9A001 Gadgets.", "location": "line 9", "indent": None,
                               "note": False, "list_item": False, "restates": False}]


def test_cli_lines_unknown_list_or_version(toy_store: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _lines(capsys, "nothing")
    assert code == 2 and "no list or source 'nothing' (lists: toy-list)" in err
    code, _, err = _lines(capsys, "toy-list", "--version", "1999-01-01")
    assert code == 2 and "no version '1999-01-01'" in err
    [record] = store.read_manifest(toy_store)["sources"]["toy-list"]["lists"]
    linestream.lines_path(toy_store / "parsed" / record["parsed_file"]).unlink()
    code, _, err = _lines(capsys, "toy-list")
    assert code == 2 and "no line stream kept" in err and "re-import" in err


def test_cli_lines_of_a_kept_version(tmp_path: Path, store_home: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    for version, extra in (("2024-01-01", "5A002 Older widgets.\n"), ("2025-03-01", "")):
        folder = tmp_path / "dated" / "toy-list" / version
        folder.mkdir(parents=True)
        (folder / "toy-list.txt").write_text(TOY.replace("2025-03-01", version) + extra)
    assert {o.status for o in bundle.import_any(tmp_path / "dated", registry=sources())} == {
        "imported"}
    code, out, _ = _lines(capsys, "toy-list", "--version", "2024-01-01", "--grep", "older")
    assert code == 0 and "5A002 Older widgets." in out and "2024-01-01: 1 of 9 lines" in out
    code, out, _ = _lines(capsys, "toy-list", "--grep", "older")  # current: the newest kept
    assert code == 0 and "0 of 8 lines" in out


@pytest.mark.integration
def test_every_real_list_keeps_its_stream(real_store: Path) -> None:
    manifest = store.read_manifest(real_store)
    for _, lst in store.list_records(manifest):
        kept = linestream.lines_path(real_store / "parsed" / lst["parsed_file"])
        lines = list(linestream.read_lines(kept))
        assert len(lines) > lst["entries"], lst["id"]  # at least a line per entry
        assert all(line.location for line in lines), lst["id"]
    wassenaar = next(lst for _, lst in store.list_records(manifest) if lst["id"] == "wassenaar")
    texts = [line.text for line in linestream.read_lines(
        linestream.lines_path(real_store / "parsed" / wassenaar["parsed_file"]))]
    assert any(text.startswith("5. A. 1.") for text in texts)


def test_each_line_is_what_the_json_encoder_gives() -> None:
    lines = [Line('a "quoted" \\ back\tslash ü \x02^1\x03', "p. 1", 12.5, note=True,
                  restates=True),
             Line("plain", "line 2"), Line("int indent", "w:p 3", 3),
             Line("odd indent", "p. 4", float("nan"), list_item=True), Line("big", "p. 5", 1e20)]
    for line, encoded in zip(lines, linestream.encode(lines).decode().splitlines(), strict=True):
        item = {"text": line.text, "location": line.location}
        if line.indent is not None:
            item["indent"] = line.indent
        item.update({f: True for f in ("note", "list_item", "restates") if getattr(line, f)})
        assert encoded == json.dumps(item, ensure_ascii=False)
    assert linestream.encode([]) == b""
