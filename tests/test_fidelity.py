"""The faithful-text measures (harmonize.ingest.fidelity) on hand-made rows."""

from __future__ import annotations

import pandas as pd

from harmonize.ingest import fidelity


def _rows(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kind", "parent", "text"]).assign(
        canonical=lambda f: f["parent"], source_id="toy")


def test_defect_patterns_are_found_and_clean_text_is_not() -> None:
    rows = _rows(
        ("paragraph", "1A", "A rate of rise greater than 30 A/\uf06ds"),
        ("paragraph", "1B", "exceeding 10.15 x 106 m; and 2 × 10 8 Hz"),
        ("paragraph", "1C", "at 215ºC or -50oC"),
        ("paragraph", "1F", "at 418 K (145ᵒC) and within 0.05ᵒ"),
        ("paragraph", "1D", "non- volatile memory"),
        ("paragraph", "1E", "30 A/µs, 10.15 × 10⁶ m, 215 °C, non-volatile, pre- and post-test"),
    )
    assert list(fidelity.private_use_rows(rows)["parent"]) == ["1A"]
    assert list(fidelity.flattened_power_rows(rows)["parent"]) == ["1B"]
    assert list(fidelity.odd_degree_rows(rows)["parent"]) == ["1C", "1F"]
    assert list(fidelity.broken_hyphen_rows(rows)["parent"]) == ["1D"]


def test_named_code_in_every_style() -> None:
    assert fidelity.named_code("5A001.d. does not apply to radios") == "5A001.d"
    assert fidelity.named_code("For the purposes of 3.A.1.b.4., a 'widget' is") == "3A001.b.4"
    assert fidelity.named_code("Note 2: 5.A.2.a. does not control") == "5A002.a"
    assert fidelity.named_code("ECCN 4A005 includes systems") == "4A005"
    assert fidelity.named_code("Widgets are defined in 5A001") is None


def test_note_placement_counts_the_code_or_an_ancestor_as_placed() -> None:
    rows = _rows(
        ("note", "5A001.d", "5A001.d. does not apply to radios."),  # on the code itself
        ("note", "5A001", "5A001.d.4 does not apply to toys."),  # on an ancestor
        ("note", "5A001.d.4", "5A001.d. does not apply to boats."),  # on a descendant: wrong
        ("note", "5A001.d.4", "Widgets are small."),  # names no code: not counted
        ("paragraph", "5A001.e", "5A001.e. does not apply"),  # not a note
    )
    placement = fidelity.note_placement(rows)
    assert (placement.naming, placement.placed) == (3, 2)
    assert placement.misplaced == (("5A001.d", "5A001.d.4"),)
    assert placement.share == 2 / 3
