"""The register of measures: the real dataset, and hand-written bad files that must fail."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from harmonize.compare.measures import (
    COLUMNS,
    DEFAULT_PATH,
    STATUSES,
    TYPES,
    VERIFIED_VALUES,
    MeasuresError,
    lens_ids,
    load_measures,
)

ROOT = Path(__file__).resolve().parent.parent
HEADER = [*COLUMNS, "notes"]


# --- the real dataset ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def measures() -> pd.DataFrame:
    return load_measures()


def test_default_path_is_the_project_dataset() -> None:
    assert DEFAULT_PATH == ROOT / "datasets" / "measures.csv"
    assert DEFAULT_PATH.is_file()


def test_real_dataset_loads_and_passes_its_checks(measures: pd.DataFrame) -> None:
    assert list(measures.columns) == HEADER
    assert 15 <= len(measures) <= 30
    assert measures["id"].is_unique
    assert set(measures["type"]) <= set(TYPES)
    assert set(measures["status"]) <= set(STATUSES)
    assert set(measures["verified"]) <= set(VERIFIED_VALUES)
    for lenses in measures["lenses"]:
        assert lenses and set(lenses) <= set(lens_ids())
    # Every row says what it was checked against (or why it could not be).
    assert all(measures["verified_against"].str.len() > 20)
    for column in ("date_published", "date_effective", "date_rescinded"):
        assert pd.api.types.is_datetime64_any_dtype(measures[column])


def test_real_dataset_is_documented(measures: pd.DataFrame) -> None:
    doc = (ROOT / "datasets" / "measures.md").read_text(encoding="utf-8")
    for column in HEADER:
        assert f"`{column}`" in doc, column
    for row_id in measures["id"]:
        assert f"`{row_id}`" in doc, row_id


def _row(measures: pd.DataFrame, row_id: str) -> pd.Series:
    matches = measures[measures["id"] == row_id]
    assert len(matches) == 1, row_id
    return matches.iloc[0]


def test_wassenaar_2013_surveillance_additions(measures: pd.DataFrame) -> None:
    wa = measures[measures["jurisdiction"] == "WA"]
    codes = {code for row_codes in wa["codes"] for code in row_codes}
    assert {"4A005", "4D004", "4E001.c", "5A001.j"} <= codes
    for row_id in ("wa-2013-intrusion-software", "wa-2013-ip-network-surveillance"):
        row = _row(measures, row_id)
        assert row["date_published"] == pd.Timestamp("2013-12-04")
        assert row["verified"] == "yes"
        assert "surveillance" in row["lenses"]
    assert "5A001.j" in _row(measures, "wa-2013-ip-network-surveillance")["codes"]
    assert "4A005" in _row(measures, "wa-2013-intrusion-software")["codes"]


def test_eu_article_5_catch_all(measures: pd.DataFrame) -> None:
    row = _row(measures, "eu-2021-821-art5-cyber-surveillance")
    assert row["jurisdiction"] == "EU"
    assert row["type"] == "catch-all"
    assert row["status"] == "in-force"
    assert "2021/821" in row["citation"] and "Art. 5" in row["citation"]
    assert row["date_effective"] == pd.Timestamp("2021-09-09")
    guidelines = _row(measures, "eu-2024-2659-art5-guidelines")
    assert guidelines["type"] == "recommendation"


def test_us_ai_diffusion_rule_is_rescinded(measures: pd.DataFrame) -> None:
    row = _row(measures, "us-2025-01-ai-diffusion")
    assert row["jurisdiction"] == "US"
    assert row["verified"] == "yes"
    assert row["status"] == "rescinded"
    assert row["date_rescinded"] == pd.Timestamp("2025-05-13")
    assert "90 FR 4544" in row["instrument"]
    assert "4E091" in row["codes"]


def test_proposed_facial_recognition_rule_stays_proposed(measures: pd.DataFrame) -> None:
    row = _row(measures, "us-2024-07-facial-recognition-proposed")
    assert (row["type"], row["status"]) == ("proposed-rule", "proposed")
    assert pd.isna(row["date_effective"])
    assert "89 FR 60998" in row["instrument"]


def test_unverified_rows_say_why(measures: pd.DataFrame) -> None:
    for _, row in measures[measures["verified"] == "unverified"].iterrows():
        assert "nverified" in row["verified_against"] or "not confirmed" in row["verified_against"]


# --- hand-written bad files ---------------------------------------------------------------

GOOD = {
    "id": "xx-2020-example",
    "jurisdiction": "US",
    "title": "An example rule",
    "instrument": "Final rule, 1 FR 1",
    "citation": "Example Agency, An example rule, 1 Fed. Reg. 1 (Jan. 1, 2020)",
    "type": "end-user",
    "status": "in-force",
    "date_published": "2020-01-01",
    "date_effective": "2020-01-02",
    "date_rescinded": "",
    "lenses": "surveillance;surveillance.intrusion",
    "codes": "4A005;5A001.j",
    "url": "https://example.org/rule",
    "verified": "yes",
    "verified_against": "a hand-written fixture",
    "summary": "A made-up rule for tests.",
    "notes": "",
}


def _csv(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _write(tmp_path: Path, text: str, name: str = "measures.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _fails(path: Path, line: int, *fragments: str) -> MeasuresError:
    with pytest.raises(MeasuresError) as caught:
        load_measures(path)
    error = caught.value
    assert error.path == path
    assert error.line == line, str(error)
    message = str(error)
    assert str(path) in message and f"line {line}" in message
    for fragment in fragments:
        assert fragment in message, message
    return error


def test_a_good_hand_written_file_loads(tmp_path: Path) -> None:
    second = {**GOOD, "id": "xx-2021-other", "codes": "", "date_effective": ""}
    frame = load_measures(_write(tmp_path, _csv([GOOD, second])))
    assert list(frame["id"]) == ["xx-2020-example", "xx-2021-other"]
    assert frame.loc[0, "codes"] == ["4A005", "5A001.j"]
    assert frame.loc[1, "codes"] == []
    assert frame["date_effective"].isna().tolist() == [False, True]


def test_notes_column_is_optional(tmp_path: Path) -> None:
    header = list(COLUMNS)
    row = {k: v for k, v in GOOD.items() if k in header}
    frame = load_measures(_write(tmp_path, _csv([row], header)))
    assert frame.loc[0, "notes"] == ""


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ({"type": "decree"}, ("type", "'decree'")),
        ({"status": "active"}, ("status", "'active'")),
        ({"verified": "maybe"}, ("verified", "'maybe'")),
        ({"lenses": "surveillance;ai.robots"}, ("lenses", "'ai.robots'")),
        ({"lenses": "surveillance;;ai"}, ("lenses", "empty or padded")),
        ({"lenses": "ai;ai"}, ("lenses", "more than once")),
        ({"lenses": ""}, ("lenses", "empty")),
        ({"codes": "4A005; 5A001"}, ("codes", "padded")),
        ({"codes": "4A 005"}, ("codes", "'4A 005'")),
        ({"date_published": "21/10/2021"}, ("date_published", "ISO date")),
        ({"date_effective": "2021-13-01"}, ("date_effective", "not a valid date")),
        ({"id": "Bad_Id"}, ("id", "slug")),
        ({"jurisdiction": "usa"}, ("jurisdiction", "'usa'")),
        ({"summary": ""}, ("summary", "required")),
        ({"verified_against": ""}, ("verified_against", "required")),
        ({"title": " padded"}, ("title", "whitespace")),
        ({"url": "www.example.org"}, ("url", "http")),
        ({"status": "rescinded"}, ("date_rescinded", "status is 'rescinded'")),
        ({"date_rescinded": "2021-01-01"}, ("date_rescinded", "expected 'rescinded'")),
        ({"status": "proposed"}, ("date_effective", "'proposed'")),
        ({"type": "proposed-rule"}, ("proposed-rule",)),
        (
            {"status": "rescinded", "date_rescinded": "2019-06-01"},
            ("date_rescinded", "before"),
        ),
    ],
)
def test_a_bad_value_names_its_line(
    tmp_path: Path, change: dict[str, str], fragments: tuple[str, ...]
) -> None:
    # The bad row is the third record: header on line 1, good rows on lines 2 and 3.
    rows = [GOOD, {**GOOD, "id": "xx-2020-two"}, {**GOOD, "id": "xx-2020-three", **change}]
    _fails(_write(tmp_path, _csv(rows)), 4, *fragments)


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    rows = [GOOD, {**GOOD, "id": "xx-2020-two"}, GOOD]
    error = _fails(_write(tmp_path, _csv(rows)), 4, "duplicate id", "'xx-2020-example'")
    assert "line 2" in error.problem


def test_line_numbers_count_multi_line_fields(tmp_path: Path) -> None:
    # A quoted summary spanning three physical lines shifts the next record to line 5.
    rows = [{**GOOD, "summary": "first line\nsecond line\nthird line"}, {**GOOD, "type": "x"}]
    _fails(_write(tmp_path, _csv(rows)), 5, "type")


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    bad_record = _csv([{**GOOD, "id": "xx-2", "status": "gone"}]).split("\n", 1)[1]
    text = _csv([GOOD]) + "\n\n" + bad_record
    _fails(_write(tmp_path, text), 5, "status", "'gone'")


def test_missing_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "verified_against"]
    row = {k: v for k, v in GOOD.items() if k in header}
    _fails(_write(tmp_path, _csv([row], header)), 1, "missing column", "verified_against")


def test_unknown_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    header = [*HEADER, "remarks"]
    _fails(_write(tmp_path, _csv([{**GOOD, "remarks": "x"}], header)), 1, "unknown", "remarks")


def test_repeated_column_is_reported(tmp_path: Path) -> None:
    text = ",".join([*HEADER, "id"]) + "\n"
    _fails(_write(tmp_path, text), 1, "'id' appears twice")


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    text = _csv([GOOD]) + "xx-short,US,too few\n"
    _fails(_write(tmp_path, text), 3, f"expected {len(HEADER)} fields, found 3")


def test_empty_file(tmp_path: Path) -> None:
    _fails(_write(tmp_path, ""), 1, "empty file")


def test_unterminated_quote(tmp_path: Path) -> None:
    text = _csv([GOOD]) + 'xx-2,US,"never closed\n'
    _fails(_write(tmp_path, text), 3, "malformed CSV")


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_bytes(_csv([GOOD]).encode("utf-8") + b"xx-2,US,caf\xe9\n")
    _fails(path, 3, "not UTF-8")


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"
    with pytest.raises(MeasuresError) as caught:
        load_measures(path)
    assert caught.value.line == 0
    assert str(path) in str(caught.value) and "cannot read" in str(caught.value)
