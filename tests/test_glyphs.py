"""Faithful text (harmonize.ingest.glyphs): symbol fonts, scripts, lost exponents, degree signs
and line-end hyphens, on hand-written strings, hand-made PDF spans and a PDF made with pymupdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from harmonize.ingest import glyphs
from harmonize.model import ListRow


def test_symbol_font_positions_become_unicode() -> None:
    # private-use code points as PDF extraction gives them, and Word w:sym positions
    assert glyphs.symbol_text("1 \uf06ds, \uf06c/20, \uf063(2) 3.3\uf0b4") == (
        "1 µs, λ/20, χ(2) 3.3×")
    assert glyphs.symbol_char(0xF0B0) == "°" and glyphs.symbol_char(0x61) == "α"
    # a Word run set in Symbol holds ASCII positions: only that run is mapped
    assert glyphs.symbol_text("a", ascii_too=True) == "α"
    assert glyphs.symbol_text("a-Bromo") == "a-Bromo"  # without ascii_too ASCII stays
    assert glyphs.is_symbol_font("ABCDEF+SymbolMT") and not glyphs.is_symbol_font("Wingdings")


def test_marked_scripts_render_and_keep_the_raw_text() -> None:
    text = "less than 10" + glyphs.superscript("-14") + " J; FPO" + glyphs.subscript("i")
    assert glyphs.faithful_text(text) == "less than 10⁻¹⁴ J; FPOᵢ"
    assert glyphs.raw_text(text) == "less than 10-14 J; FPOi"
    # a run joined with a space to the number it raises is glued back
    assert glyphs.faithful_text("2 x 10 " + glyphs.superscript("8") + " Hz") == "2 x 10⁸ Hz"
    # split runs of one exponent are one exponent; what has no script form keeps a caret
    assert glyphs.faithful_text("10" + glyphs.superscript("1") + glyphs.superscript("2")) == "10¹²"
    assert glyphs.faithful_text("draft)" + glyphs.superscript("2/3")) == "draft)^(2/3)"
    assert glyphs.faithful_text("W" + glyphs.superscript("*") + "GHz") == "W*GHz"
    # a minus printed on the line before raised digits; a hyphen set small with a subscript
    assert glyphs.faithful_text("1.5 x 10-" + glyphs.superscript("4") + "; or") == (
        "1.5 x 10⁻⁴; or")
    assert glyphs.faithful_text("(O" + glyphs.subscript("2-") + "I)") == "(O₂-I)"
    assert glyphs.faithful_text("(OH" + glyphs.superscript("-") + ")") == "(OH⁻)"


@pytest.mark.parametrize(("printed", "rendered"), [
    ("exceeding 3,18 × 10^6m and", "exceeding 3,18 × 10⁶m and"),  # EU markdown caret
    ("ratio of 10^-3 or less", "ratio of 10⁻³ or less"),
    ("exceeding 17.7 × 10 4 m; or", "exceeding 17.7 × 10⁴ m; or"),  # derived US JSON
    ("less than 10 −14 J; or", "less than 10⁻¹⁴ J; or"),
    ("upset of 1 × 10 − 8 Error/bit/day", "upset of 1 × 10⁻⁸ Error/bit/day"),
    ("than 0.28 × 10 −4 mm 2 (6 µm", "than 0.28 × 10⁻⁴ mm² (6 µm"),
    ("greater than 1.50 g/cm3 for", "greater than 1.50 g/cm³ for"),  # printed flat
    ("an error of less than or equal to 1x10-4;", "an error of less than or equal to 1x10⁻⁴;"),
    ("at 215ºC, -50oC and 1 700oC, 45º", "at 215°C, -50°C and 1 700°C, 45°"),
    ("153 K (- 120" + glyphs.superscript("o") + "C) to within 0.05" + glyphs.superscript("o"),
     "153 K (-120°C) to within 0.05°"),  # a raised letter o printed for a degree sign
    ("non- volatile and photo- luminescence", "non-volatile and photo-luminescence"),
    ("(o- Chlorobenzylidenemalononitrile) (CAS 872-50- 4)",
     "(o-Chlorobenzylidenemalononitrile) (CAS 872-50-4)"),
])
def test_text_level_renderings(printed: str, rendered: str) -> None:
    assert glyphs.faithful_text(printed) == rendered


@pytest.mark.parametrize("kept", [
    "pre- and post-test, x- or y-axis",  # suspended hyphens
    "from 10 - 20 dB",  # a range, not an exponent
    "larger than 100 mm x 10 mm",  # a multiplication
    "2 x 108 pixels",  # flat positive powers are ambiguous: left as printed
    "model M2 and UF6",  # not units after a number
    "to 30 oz of",  # a letter o after a number, not before C or F
])
def test_what_is_left_as_printed(kept: str) -> None:
    assert glyphs.faithful_text(kept) == kept


def span(text: str, size: float, y: float, flags: int = 4, font: str = "Times") -> dict[str, Any]:
    return {"text": text, "size": size, "origin": (0.0, y), "flags": flags, "font": font}


def test_pdf_spans_scripts_and_symbol_glyphs() -> None:
    line = [span("dissipation of less than 10", 11, 191.8), span("-14", 7, 187.3, flags=5),
            span(" J; FPO", 11, 191.8), span("i", 7, 192.6), span(" in 1 ", 11, 191.8),
            span("\uf06d", 11, 191.8, font="SymbolMT"), span("s", 11, 191.8)]
    assert glyphs.faithful_text(glyphs.pdf_line_text(line)) == (
        "dissipation of less than 10⁻¹⁴ J; FPOᵢ in 1 µs")


def test_a_space_inside_a_raised_span_stays_after_the_script() -> None:
    # a footnote mark set with the space after it in one small span ("1 "), then the text
    line = [span("to ISO 230-2:1988", 11, 191.8), span("1 ", 7, 187.3, flags=5),
            span("or national equivalents", 11, 191.8)]
    assert glyphs.faithful_text(glyphs.pdf_line_text(line)) == (
        "to ISO 230-2:1988¹ or national equivalents")


def test_a_leading_small_number_can_stay_plain() -> None:
    # footnotes open with a small raised number that some loaders test for
    line = [span("1", 6.5, 100.0), span(" See the General Notes.", 10, 103.0)]
    assert glyphs.pdf_line_text(line, leading_scripts=False) == "1 See the General Notes."
    assert glyphs.faithful_text(glyphs.pdf_line_text(line)) == "¹ See the General Notes."


def test_a_pdf_made_with_pymupdf(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    x = 72.0
    for text, size, rise, font in (("less than 10", 11, 0.0, "tiro"), ("-14", 7, 4.5, "tiro"),
                                   (" J in 1 ", 11, 0.0, "tiro"), ("m", 11, 0.0, "symb"),
                                   ("s", 11, 0.0, "tiro")):
        page.insert_text((x, 100 - rise), text, fontsize=size, fontname=font)
        x += pymupdf.get_text_length(text, fontname=font, fontsize=size)
    path = tmp_path / "scripts.pdf"
    doc.save(path)
    with pymupdf.open(path) as reread:
        data = reread[0].get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)
    spans = [s for b in data["blocks"] for ln in b["lines"] for s in ln["spans"]]
    assert glyphs.faithful_text(glyphs.pdf_line_text(spans)) == "less than 10⁻¹⁴ J in 1 µs"


def test_rows_are_rendered_with_the_raw_text_beside() -> None:
    rows = [
        ListRow("1A001", "1A001", "", 0, "entry", "at 215ºC", "p. 1"),
        ListRow("1A001.a", "1A001.a", "1A001", 1, "paragraph", "plain text", "p. 1"),
    ]
    assert glyphs.render_rows(rows) == 1
    assert rows[0].text == "at 215°C" and rows[0].details["raw_text"] == "at 215ºC"
    assert rows[1].text == "plain text" and "raw_text" not in rows[1].details
