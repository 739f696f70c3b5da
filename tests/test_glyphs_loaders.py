"""Loaders read what is printed (issue #14): Word run properties (superscript, subscript,
hand-raised runs, Symbol font, w:sym) in a DOCX made with python-docx, read by the DSGL loader;
the derived US JSON's licence lines and lost first items, in a JSON written here."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from harmonize.ingest import glyphs
from loaders.au_dsgl import wordml
from loaders.us_ccl import parse as us_ccl


def _raise_run(run: object, half_points: str) -> None:
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    position = OxmlElement("w:position")
    position.set(qn("w:val"), half_points)
    rpr.append(position)


def _sym(paragraph: object, char: str) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), "Symbol")
    sym.set(qn("w:char"), char)
    run._element.append(sym)


def test_docx_run_properties_are_rendered(tmp_path: Path) -> None:
    doc = Document()
    p = doc.add_paragraph("a.\tA specific modulus exceeding 10.15 x 10")
    p.add_run("6").font.superscript = True
    p.add_run(" m, a cross-section of 1 m")
    _raise_run(p.add_run("2"), "6")  # raised by hand, as the DSGL does in places
    p.add_run(" and a rate R")
    p.add_run("i").font.subscript = True
    p.add_run(" of 1 ")
    _sym(p, "F06D")
    p.add_run("s; ")
    symbol = p.add_run("a")
    symbol.font.name = "Symbol"
    p.add_run("-Bromobenzeneacetonitrile")
    path = tmp_path / "runs.docx"
    doc.save(path)
    paragraph = next(q for q in wordml.extract_paragraphs(path) if q.text.startswith("a."))
    assert glyphs.faithful_text(paragraph.text) == (
        "a.\tA specific modulus exceeding 10.15 x 10⁶ m, a cross-section of 1 m² and a rate "
        "Rᵢ of 1 µs; α-Bromobenzeneacetonitrile")
    assert glyphs.raw_text(paragraph.text).startswith(
        "a.\tA specific modulus exceeding 10.15 x 106 m")


def test_us_json_licence_lines_go_to_details_and_a_lost_first_item_is_not_detailed(
    tmp_path: Path,
) -> None:
    def text(t: str) -> dict[str, object]:
        return {"paragraph": None, "kind": "text", "depth": 0, "text": t}

    def item(label: str, t: str) -> dict[str, object]:
        return {"paragraph": label, "kind": "item", "depth": label.count(".") + 1, "text": t}

    data = {
        "ecfrIssueDate": "2026-07-23", "deepCategories": ["3"],
        "entries": [
            {"eccn": "3A001", "heading": "Widgets, as follows.", "items": [
                text("LVS: N/A"), text("Reason for Control: NS, AT"),
                text("NS applies to entire entry"), text("Related Controls: See 3A101."),
                text("3A001 does not control toy widgets."),
                item("a", "Widgets rated above 5 bar;"), item("b", "Widgets of 2 × 10 6 Hz.")]},
            {"eccn": "3A002", "heading": "Gadgets, as follows.", "items": [
                item("b", "Gadgets for boats;"), item("c", "Gadgets for cars.")]},
        ],
    }
    path = tmp_path / "ccl.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    frame = us_ccl.parse(path, check_counts=False)[0].frame.set_index(["canonical", "kind"])
    details = json.loads(frame.loc[("3A001", "entry"), "details"])
    assert details["licence_text"] == ["LVS: N/A", "Reason for Control: NS, AT",
                                       "NS applies to entire entry",
                                       "Related Controls: See 3A101."]
    notes = frame.xs("note", level="kind")
    assert list(notes["text"]) == ["3A001 does not control toy widgets."]  # a note stays one
    assert frame.loc[("3A001.b", "paragraph"), "text"] == "Widgets of 2 × 10⁶ Hz."
    lost = frame.loc[("3A002.a", "paragraph")]
    assert lost["text"] == "" and not lost["detailed"]
    assert json.loads(lost["details"])["placeholder"] is True
    assert frame.loc[("3A002.b", "paragraph"), "detailed"]
