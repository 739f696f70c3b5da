"""Notes on the dashboard pages (Streamlit's AppTest on the small store of test_app, where
Wassenaar prints a decontrol note on 5A001.j, the EU another note and the US none): Compare
says how each list's notes stand, Gaps and A versus B keep "note differences only" in the
URL and bring it back."""

from __future__ import annotations

from pathlib import Path

from tests.test_app import data_home, html_blocks, qp, run  # noqa: F401  (fixture)


def test_compare_cards_show_note_status(data_home: Path) -> None:  # noqa: F811
    at = run("compare", {"code": "5A001.j"})
    body = html_blocks(at)
    cards = {card.split("</span>")[0].split(">")[-1]: card
             for card in body.split('class="hz-card"')[1:]}
    us = next(c for name, c in cards.items() if name.startswith("US"))
    eu = next(c for name, c in cards.items() if name.startswith("EU"))
    assert "<b>Notes:</b>" in us and "missing (1)" in us
    assert "missing (1), not in the reference (1)" in eu
    assert "the reference for the others" in next(
        c for name, c in cards.items() if name.startswith("Wassenaar"))
    assert body.count('<div class="hz-nsbs">') == 1  # the notes side by side, once
    assert "wassenaar-test" not in body  # no internal ids


def test_gaps_note_differences_only_round_trips_through_the_url(
        data_home: Path) -> None:  # noqa: F811
    at = run("gaps", {"lens": "all", "notes": "1"})
    assert at.toggle(key="gaps.notes").value is True
    table = at.dataframe[0].value
    # (this store's notes carry no ordinal: "Note")
    assert sorted(zip(table["jurisdiction"], table["notes"], strict=True)) == [
        ("EU", "Note missing; Note not in the reference"), ("US", "Note missing")]
    assert set(table["code"]) == {"compare?code=5A001.j"}
    at.toggle(key="gaps.notes").set_value(False).run()
    assert qp(at, "notes") is None  # at its default: left out of the URL
    assert len(at.dataframe[0].value) > len(table)
    at.toggle(key="gaps.notes").set_value(True).run()
    assert qp(at, "notes") == "1"


def test_versus_note_differences_only_round_trips_through_the_url(
        data_home: Path) -> None:  # noqa: F811
    at = run("versus", {"src": "wassenaar,eu-annex-i", "lens": "all", "notes": "1"})
    assert at.toggle(key="versus.notes").value is True
    body = html_blocks(at)
    assert "notes differ: Wassenaar, EU" in body
    assert body.count('<div class="hz-vs">') == 1  # 5A001.j alone
    at.toggle(key="versus.notes").set_value(False).run()
    assert qp(at, "notes") is None
    assert html_blocks(at).count('<div class="hz-vs">') > 1
