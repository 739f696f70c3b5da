"""Faithful text: symbols, exponents, degree signs and line-end hyphens as the publishers print.

One representation, shared by every loader (see the convention in docs/architecture.md):

- Symbol-font glyphs become their Unicode characters. Fonts such as Symbol / SymbolMT encode
  Greek letters and operators at ASCII positions; PDF extraction returns them as private-use
  code points U+F020-U+F0FF and Word stores them as `w:sym` elements or as text in a run set in
  Symbol. `symbol_text` maps either to Unicode (`\\uf06d` -> `µ`, `\\uf0b4` -> `×`).
- Superscripts and subscripts are written with Unicode superscript / subscript characters:
  `10⁻¹⁴ J`, `cm³`, `14.65 × 10⁶ m`, `FPOᵢ`. A loader that knows a run is raised or lowered
  (PDF span flags and baselines, DOCX `w:vertAlign`, HTML `<sup>`) wraps it with `superscript()`
  / `subscript()`: a mark-up invisible to the segmenter's line-start patterns, rendered once by
  `faithful_text` when the rows are finished. What cannot be written with script characters
  keeps a caret in parentheses (`^(2/3)`); a subscript that cannot stays on the line.
- Copies that lost the raising keep it in their text: the EU markdown's `10^6`, the derived US
  JSON's `× 10 4` and `10 −4`, `mm 2`. `faithful_text` turns those into the same superscripts.
- Degree signs printed as a masculine ordinal (`215ºC`) or a letter o (`-50oC`) become `°`.
- A compound hyphen at a line end joined with a space (`non- volatile`) is closed up
  (`non-volatile`); a suspended hyphen (`pre- and post-`) keeps its space.

`raw_text` gives the text as extracted, before these renderings (mark-up removed), so the row
can keep it beside the rendered text (`details["raw_text"]`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from harmonize.model import ListRow

# -- symbol fonts ------------------------------------------------------------------------------

# Adobe Symbol encoding: byte -> Unicode. The 'm' position is the micro sign (U+00B5), not the
# Greek mu: the lists use it as the unit prefix (`1 µs`, `A/µs`) and print µ elsewhere.
_SYMBOL_ROWS = {
    0x20: " !∀#∃%&∋()∗+,−./0123456789:;<=>?",
    0x40: "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_",
    0x60: "‾αβχδεφγηιϕκλµνοπθρστυϖωξψζ{|}∼",
    0xA0: "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵",
    0xC0: "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓",
    0xE0: "◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪ 〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭ ",
}
SYMBOL_FONT: dict[int, str] = {
    row + offset: char
    for row, chars in _SYMBOL_ROWS.items()
    for offset, char in enumerate(chars)
    if not (row == 0xE0 and offset in (0x10, 0x1F))  # unassigned positions
}
_SYMBOL_PUA = re.compile("[\uf020-\uf0ff]")


@functools.lru_cache(maxsize=256)  # asked for every span and run; a file uses a few fonts
def is_symbol_font(font: str) -> bool:
    """Symbol, SymbolMT, Symbol-Bold ... (Wingdings and the like are not mapped)."""
    return font.split("+")[-1].lower().startswith("symbol")


def symbol_char(code: int) -> str:
    """The Unicode character of a Symbol-font position (0x20-0xFF or U+F020-U+F0FF); the
    private-use code point itself where the position is unassigned, so it stays visible."""
    return SYMBOL_FONT.get(code & 0xFF if 0xF000 <= code <= 0xF0FF else code, chr(code))


def symbol_text(text: str, ascii_too: bool = False) -> str:
    """Text set in a Symbol font as Unicode. PDF and Word give private-use code points; a Word
    run set in Symbol may also hold plain ASCII positions (`ascii_too`: 'a' is α there)."""
    if ascii_too:
        return "".join(symbol_char(ord(c)) if 0x20 < ord(c) < 0x7F or _SYMBOL_PUA.match(c)
                       else c for c in text)
    return _SYMBOL_PUA.sub(lambda m: symbol_char(ord(m.group())), text)


# -- superscripts and subscripts -------------------------------------------------------------

_OPEN, _CLOSE = "\x02", "\x03"  # never in a publisher's text; not whitespace for str.split()
_MARKED = re.compile(f"{_OPEN}([\\^_])([^{_OPEN}{_CLOSE}]*){_CLOSE}")
# Two marked runs of one kind in a row are one (a Word run split mid-exponent: "1" "2").
_ADJACENT = re.compile(f"{_OPEN}([\\^_])([^{_OPEN}{_CLOSE}]*){_CLOSE}{_OPEN}\\1")
# Loaders join extracted pieces with spaces; a script is printed against what it follows.
_BEFORE_SCRIPT = re.compile(f"(?<=[\\w).%°])[ \\t]+(?={_OPEN})")
_SUPERSCRIPTS = dict(zip("0123456789+-−–=()nitabcdefghjklmoprsuvwxyzABDEGHIJKLMNOPRTUVW ",
                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁻⁼⁽⁾ⁿⁱᵗᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ ",
                         strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvx ",
                       "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ ", strict=True))


def _mark(text: str, sign: str) -> str:
    # Spaces around a raised run stay outside the mark: a PDF span "1 " (a footnote mark and
    # the space after it) must not lose the space when the mark is rendered ("1988¹ or").
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{_OPEN}{sign}{core}{_CLOSE}{text[start + len(core):]}"


def superscript(text: str) -> str:
    """Mark `text` as raised (rendered by `faithful_text`)."""
    return _mark(text, "^")


def subscript(text: str) -> str:
    """Mark `text` as lowered (rendered by `faithful_text`)."""
    return _mark(text, "_")


def script_chars(text: str, raised: bool) -> str | None:
    """`text` in superscript (raised) or subscript characters; None when one has none."""
    table = _SUPERSCRIPTS if raised else _SUBSCRIPTS
    stripped = " ".join(text.split())
    if not stripped or any(c not in table for c in stripped):
        return None
    return "".join(table[c] for c in stripped)


def _render_marked(match: re.Match[str]) -> str:
    raised, body = match.group(1) == "^", match.group(2)
    if not raised and body.rstrip().endswith("-") and len(body.strip()) > 1:
        # a hyphen set small with a subscript ("O" "2-" "I") joins on the line: O₂-I
        rendered = script_chars(body.rstrip()[:-1], raised=False)
        if rendered is not None:
            return rendered + "-"
    rendered = script_chars(body, raised)
    if rendered is not None:
        return rendered
    if not raised or not any(c.isalnum() for c in body):
        return body.strip()  # a raised asterisk or dot is a sign as it stands
    return f"^({body.strip()})"


# A span this much smaller than the line's main text is a superscript or subscript.
_SCRIPT_SIZE = 0.85
# Raised by more than this share of the main size: a superscript; otherwise (on or below the
# baseline) a subscript. MuPDF's superscript flag (bit 0) is trusted as well.
_RAISED_SHARE = 0.2


def pdf_line_text(spans: Sequence[Mapping[str, Any]], leading_scripts: bool = True) -> str:
    """The text of one extracted PDF line (pymupdf "dict" spans), with Symbol-font glyphs
    mapped and small raised / lowered spans marked as superscripts / subscripts.

    `leading_scripts=False` leaves small spans before the first full-size one as they are:
    where a loader tells footnotes by their small leading number, that number must stay plain.
    """
    return pdf_line_texts(spans)[0 if leading_scripts else 1]


def pdf_line_texts(spans: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """`pdf_line_text` of one line both ways, in one pass: (leading scripts marked, leading
    scripts plain); the two differ only where the line opens with a small span."""
    if len(spans) == 1:  # most lines are one span: nothing is raised against it
        text = str(spans[0]["text"])
        if text.strip() and is_symbol_font(str(spans[0].get("font", ""))):
            text = symbol_text(text, ascii_too=True)
        return text, text
    inked = [s for s in spans if str(s["text"]).strip()]
    if not inked:
        text = "".join(str(s["text"]) for s in spans)
        return text, text
    main = max(inked, key=lambda s: float(s["size"]))
    size, baseline = float(main["size"]), float(main["origin"][1])
    parts: list[str] = []
    plain: list[str] = []  # the same with the small spans before the main text unmarked
    leads = False
    seen_main = False
    for span in spans:
        text = str(span["text"])
        if is_symbol_font(str(span.get("font", ""))):
            # Private-use code points, or ASCII where the font has no Unicode map ('m' = µ);
            # a Symbol font that maps to Unicode (α, σ) gives non-ASCII text, left as it is.
            text = symbol_text(text, ascii_too=True)
        small = float(span["size"]) < _SCRIPT_SIZE * size and text.strip()
        if not small:
            seen_main = seen_main or bool(text.strip())
            parts.append(text)
            plain.append(text)
            continue
        lift = baseline - float(span["origin"][1])
        if int(span.get("flags", 0)) & 1 or lift > _RAISED_SHARE * size:
            parts.append(superscript(text))
        else:
            parts.append(subscript(text))
        leads = leads or not seen_main
        plain.append(parts[-1] if seen_main else text)
    marked = "".join(parts)
    return marked, "".join(plain) if leads else marked


# -- text-level renderings (copies that lost the raising, odd degree signs, hyphens) -----------

_EXPONENT = r"[+\-−]?\s?\d{1,3}"
# The EU markdown's caret: `10^6`, `10^-7`, `10^(-7)`.
_CARET_POWER = re.compile(rf"(?<![\d,.])10\^\(?(?P<exp>{_EXPONENT})\)?")
# The derived US JSON lost superscripts with a space: `× 10 4 m`, `10 −4`, `1 × 10 − 8`.
_SPACED_POWER = re.compile(
    r"(?:(?<=[x×] )|(?<=[x×]))10 (?P<exp>[−-]\s?\d{1,2}|\d{1,2})(?=[\s;,.)/]|$)"
    # without a multiplication sign only the minus sign (U+2212): "10 - 20" is a range
    r"|(?<![\d,.])(?<![\d,.] )10 (?P<neg>−\s?\d{1,2})(?=[\s;,.)/]|$)"
)
# A negative power of ten typed flat: `1x10-4`, `2 × 10-3` (a minus after "× 10" is never a
# subtraction in these texts).
_FLAT_NEGATIVE_POWER = re.compile(
    r"(?:(?<=[x×] )|(?<=[x×]))10(?P<exp>[-−–]\d{1,2})(?![\d.,]\d|\d|\s?[-−–]\s?\d)")
_UNITS = r"(?:mm|cm|km|dm|µm|μm|nm|m|N/m|g/cm|kg/m|W/cm|kW/cm|kW/m|mW/cm|n/cm|mA/mm|m/s)"
_SPACED_UNIT_POWER = re.compile(
    rf"(?<=[\d⁰¹²³⁴⁵⁶⁷⁸⁹] )(?P<unit>{_UNITS}) (?P<exp>[23])(?=[\s;,.)/]|$)")
# A unit printed flat against its number: `1.72 g/cm3`, `0.09 m2`, `1 000 cm3/min`.
_GLUED_UNIT_POWER = re.compile(
    r"(?<=[\d⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<lead>\s?(?:(?:k|m|µ)?g/|N/|A/|W/|kW/|mW/|mA/)?)"
    r"(?P<unit>mm|cm|dm|km|µm|nm|m)(?P<exp>[23])(?![\w.,]?\d|\w)")
# "215ºC" (masculine ordinal), "-50oC" (a letter o), "145ᵒC" (a raised o, rendered above).
_ODD_DEGREE = re.compile(
    r"(?<=\d)(?P<space>\s?)(?:º|o|ᵒ)(?=[CF]\b)|(?<=\d)(?P<space2>\s?)[ºᵒ](?![A-Za-z])")
# A minus sign left alone at a line end inside brackets: "153 K (- 120°C)".
_BROKEN_MINUS = re.compile(r"(?<=\()([-−]) (?=\d)")
# A minus printed on the line between 10 and its raised digits ("10" "-" "4" raised): 10⁻⁴.
_LINE_MINUS_POWER = re.compile(r"(?<![\d.,])10[-−–](?=[⁰¹²³⁴⁵⁶⁷⁸⁹])")
_BROKEN_HYPHEN = re.compile(
    r"\b(?P<left>[A-Za-z]{2,})- (?!(?:and|or|to|nor|but|as)\b)(?P<right>[a-z]{2,})")
# A chemical locant broken at a line end: "(o- Chlorobenzylidene...", "(ω- chloroaceto...".
_BROKEN_LOCANT = re.compile(r"(?<=[(\[\s])(?P<left>[A-Za-zα-ω])- (?!(?:and|or|to|nor)\b)"
                            r"(?P<right>[A-Za-z]{3,})")
_BROKEN_CAS = re.compile(r"\b(?P<left>\d{2,7}-\d{2})- (?P<right>\d)\b")


def _power(match: re.Match[str]) -> str:
    exponent = (match.group("exp") or match.group("neg") or "").replace(" ", "")
    rendered = script_chars(exponent, raised=True)
    return "10" + rendered if rendered is not None else match.group()


def faithful_text(text: str) -> str:
    """Rendered text: marked scripts, lost exponents, degree signs and line-end hyphens."""
    if _OPEN in text:
        while _ADJACENT.search(text):
            text = _ADJACENT.sub(lambda m: f"{_OPEN}{m.group(1)}{m.group(2)}", text)
        text = _BEFORE_SCRIPT.sub("", text)
        text = _MARKED.sub(_render_marked, text)
        text = _LINE_MINUS_POWER.sub("10⁻", text)
    # Cheap substring tests first: most rows hold none of these (a full pass costs ~5x more).
    if "10^" in text:
        text = _CARET_POWER.sub(_power, text)
    if "10 " in text:
        text = _SPACED_POWER.sub(_power, text)
    if "10-" in text or "10−" in text or "10–" in text:
        text = _FLAT_NEGATIVE_POWER.sub(_power, text)
    if "m 2" in text or "m 3" in text or "s 2" in text:
        text = _SPACED_UNIT_POWER.sub(
            lambda m: m.group("unit") + (script_chars(m.group("exp"), raised=True) or ""), text)
    if "m2" in text or "m3" in text:
        text = _GLUED_UNIT_POWER.sub(
            lambda m: m.group("lead") + m.group("unit")
            + (script_chars(m.group("exp"), True) or ""), text)
    if "º" in text or "ᵒ" in text or "oC" in text or "oF" in text:
        text = _ODD_DEGREE.sub(lambda m: (m.group("space") or m.group("space2") or "") + "°",
                               text)
    if "- " in text:
        text = _BROKEN_HYPHEN.sub(r"\g<left>-\g<right>", text)
        text = _BROKEN_CAS.sub(r"\g<left>-\g<right>", text)
        text = _BROKEN_LOCANT.sub(r"\g<left>-\g<right>", text)
        text = _BROKEN_MINUS.sub(r"\1", text)
    return text


def shown_marks(text: str) -> str:
    """The mark-up made readable, for the line stream: `10^{-14}`, `FPO_{i}`."""
    if _OPEN not in text:
        return text
    return _MARKED.sub(lambda m: f"{m.group(1)}{{{m.group(2)}}}", text)


def raw_text(text: str) -> str:
    """The text as extracted: script mark-up removed, nothing rendered."""
    if _OPEN not in text:
        return text
    return _MARKED.sub(lambda m: m.group(2), text)


def render_rows(rows: Iterable[ListRow]) -> int:
    """Render every row's text in place; where rendering changed it, the extracted text is
    kept as `details["raw_text"]`. Returns how many rows changed."""
    changed = 0
    for row in rows:
        rendered = faithful_text(row.text)
        if rendered != row.text:
            raw = raw_text(row.text)
            if raw != rendered:
                row.details["raw_text"] = raw
            row.text = rendered
            changed += 1
    return changed
