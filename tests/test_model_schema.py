"""The model's table builder and schema check (harmonize/model.py) on hand-made rows."""

from __future__ import annotations

import pandas as pd
import pytest

from harmonize.model import (
    COLUMNS,
    ListRow,
    SchemaError,
    SourceInfo,
    ensure_valid,
    rows_to_frame,
    validate_frame,
)

INFO = SourceInfo("toy", "XX", "Toy List", "2024-05-01", "Toy List", "https://example.invalid")


def _rows() -> list[ListRow]:
    return [
        ListRow("5A001", "5A001", "", 0, "entry", "Widgets:", "line 1"),
        ListRow("5A001.a", "5A001.a", "5A001", 1, "paragraph", "Blue 10⁻³ m", "line 2",
                entry="5A001", details={"raw_text": "Blue 10-3 m", "ü": 1}),
        ListRow("5A001.a", "5A001.a", "5A001.a", 2, "note", "Note: ok", "line 3",
                entry="5A001", national=True, details={"note_key": "5A001.a/note/1"}),
    ]


def test_rows_to_frame_columns_types_and_values() -> None:
    frame = rows_to_frame(INFO, _rows())
    assert list(frame.columns) == list(COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        c: str(pd.Series([], dtype=t).dtype) for c, t in COLUMNS.items()}
    assert frame["seq"].tolist() == [0, 1, 2]
    assert frame["entry"].tolist() == ["5A001"] * 3  # an entry's own code where unset
    assert frame["details"].tolist() == [
        "{}", '{"raw_text": "Blue 10-3 m", "ü": 1}', '{"note_key": "5A001.a/note/1"}']
    assert frame["citation"].tolist() == ["Toy List, 5A001", "Toy List, 5A001.a",
                                          "Toy List, 5A001.a"]
    assert frame["national"].tolist() == [False, False, True]
    assert frame["source_id"].tolist() == ["toy"] * 3


def test_rows_to_frame_of_no_rows_has_the_model_types() -> None:
    frame = rows_to_frame(INFO, [])
    assert frame.empty and list(frame.columns) == list(COLUMNS)
    assert frame.dtypes.to_dict() == rows_to_frame(INFO, _rows()).dtypes.to_dict()


def test_validate_names_an_orphan_parent() -> None:
    rows = _rows()
    rows[1].parent = "5A009"
    with pytest.raises(SchemaError, match=r"parent code not in the list: toy '5A001.a' at line 2"):
        rows_to_frame(INFO, rows)


def test_validate_names_a_duplicate_code() -> None:
    rows = [*_rows(), ListRow("5A001.a", "5A001.a", "5A001", 1, "paragraph", "again", "line 9",
                              entry="5A001")]
    with pytest.raises(SchemaError, match=r"duplicate code 5A001.a in toy at line 2"):
        rows_to_frame(INFO, rows)


def test_validate_accepts_notes_on_a_code_and_empty_parents() -> None:
    frame = rows_to_frame(INFO, _rows())
    validate_frame(frame)  # the note shares its code with a paragraph: not a duplicate
    missing = frame.assign(parent=pd.Series([pd.NA, "5A001", "5A001.a"], dtype="string"))
    validate_frame(missing)  # a missing parent is not an orphan (as before)


def test_ensure_valid_checks_a_table_rows_to_frame_did_not_build() -> None:
    built = rows_to_frame(INFO, _rows())
    ensure_valid(built)  # validated when built: not checked again
    copied = built.copy()
    copied.loc[1, "parent"] = "5A999"  # an orphan in a copy: a new table, checked
    with pytest.raises(SchemaError, match="parent code not in the list"):
        ensure_valid(copied)
