"""Comparing legal texts: identical, editorial or substantive, the parameters that differ, and
word-level diffs.

Two normal forms:
- `identity_key`: Unicode NFKC and whitespace only. Equal keys = `identical`.
- `editorial_key`: also folds what publishers change without changing the control: quotes
  (`"specially designed"` vs specially designed), British/American spelling, punctuation,
  dashes and minus signs, decimal comma vs point, thousands separators, spacing around units,
  trailing list connectors ("; or", "; and") and publisher boilerplate such as the US
  "(see List of Items Controlled)". Equal editorial keys = `editorial`; anything else is
  `substantive`, explained by the parameters (value + unit + comparison) that differ.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from harmonize.codes import canonical_code

# British -> American spellings seen in the lists; -ise/-isation are handled by a rule below.
_SPELLING = {
    "aluminium": "aluminum", "fibre": "fiber", "fibres": "fibers", "metre": "meter",
    "metres": "meters", "centre": "center", "centres": "centers", "litre": "liter",
    "litres": "liters", "programme": "program", "programmes": "programs", "behaviour": "behavior",
    "colour": "color", "colours": "colors", "sulphur": "sulfur", "sulphide": "sulfide",
    "caesium": "cesium", "modelling": "modeling", "modelled": "modeled", "signalling": "signaling",
    "travelling": "traveling", "labelled": "labeled", "labelling": "labeling", "grey": "gray",
    "licence": "license", "licences": "licenses", "defence": "defense", "analyse": "analyze",
    "analysed": "analyzed", "analysing": "analyzing", "catalogue": "catalog", "tonne": "ton",
    "tonnes": "tons", "manoeuvre": "maneuver", "manoeuvring": "maneuvering", "vapour": "vapor",
    "calibre": "caliber", "calibres": "calibers", "mould": "mold", "moulds": "molds",
    "tyre": "tire", "tyres": "tires", "jewellery": "jewelry", "practise": "practice",
    "ageing": "aging", "focussed": "focused", "favour": "favor", "neighbouring": "neighboring",
    "channelising": "channelizing", "channelizing": "channelizing", "cancelled": "canceled",
    "fuelled": "fueled", "doppler": "doppler", "gauge": "gauge", "gage": "gauge",
    "sulfur": "sulfur", "disc": "disk", "discs": "disks", "annexe": "annex",
}
_ISE_KEEP = {"precise", "concise", "wise", "otherwise", "likewise", "rise", "raise", "noise",
             "poise", "expertise", "exercise", "premise", "premises", "surprise", "comprise",
             "compromise", "enterprise", "franchise", "merchandise", "advise", "devise",
             "revise", "supervise", "televise", "improvise", "disguise", "cruise", "bruise",
             "incise", "excise", "chemise", "promise", "demise", "treatise", "arise",
             "clockwise", "counterclockwise", "anticlockwise", "crosswise", "lengthwise",
             "stepwise", "pairwise", "elementwise", "pointwise", "sunrise", "apprise"}
_BOILERPLATE = (
    re.compile(r"\(\s*see list of items controlled\s*\)", re.I),
    re.compile(r"\bas follows\b", re.I),
)
_QUOTES = "\"'“”‘’«»„‚`´"
_DASHES = "‐‑‒–—―−"
_FOLD = {**{ord(c): " " for c in _QUOTES}, **{ord(c): "-" for c in _DASHES}}
_BOILERPLATE_ANY = re.compile("|".join(p.pattern for p in _BOILERPLATE), re.I)
_TAG = re.compile(r"<[^>]{1,10}>")
_UNIT_SPACE = re.compile(r"(?<=\d)\s+(?=[%°])|(?<=°)\s+")
_PUNCT = re.compile(r"(?<!\d)\.|\.(?!\d)|-(?!\d)|[^\w.\-%°/×^+]")
_TRAILING_CONNECTOR = re.compile(r"[;,.:]?\s*(?:\b(?:or|and)\b)?\s*[;,.:]?\s*$", re.I)
# A number not glued to a code ("5A001", "a.3"): digit groups joined by spaces, commas, points.
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[ \u00a0\u202f]\d{3}(?!\d)|[,.]\d+)*")
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f](?=\d{3}(?!\d))")
_GROUP_COMMA = re.compile(r",(?=\d{3}(?!\d))")


def identity_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


_ISE_ENDING = re.compile(r"(?:is(?:ation|ing|ed|es|e)|ys(?:ed|e))$")
_AMERICAN = {"isation": "ization", "ising": "izing", "ised": "ized", "ises": "izes",
             "ise": "ize", "yse": "yze", "ysed": "yzed"}


@lru_cache(maxsize=100_000)
def _word(word: str) -> str:
    if word in _SPELLING:
        return _SPELLING[word]
    # organise/organisation/optimised -> -ize forms, except words that end in -ise in both.
    ending = _ISE_ENDING.search(word) if len(word) > 5 else None
    if ending and word not in _ISE_KEEP and (word[: ending.start()] + "ise") not in _ISE_KEEP:
        return word[: ending.start()] + _AMERICAN[ending.group()]
    return word


def normalise_numbers(text: str, decimal_comma: bool) -> str:
    """`1 000,5` (decimal-comma lists) and `1,000.5` (decimal-point lists) -> `1000.5`.

    Thousands groups are joined (space in either style; comma in decimal-point lists); the
    decimal mark becomes a point.
    """

    def fix(match: re.Match[str]) -> str:
        number = _GROUP_SPACE.sub("", match.group(0))
        if decimal_comma:
            return number.replace(",", ".")
        return _GROUP_COMMA.sub("", number)

    return _NUMBER.sub(fix, text)


@lru_cache(maxsize=200_000)
def editorial_key(text: str, decimal_comma: bool = False) -> str:
    """Text with editorial variation folded away (see module doc)."""
    value = unicodedata.normalize("NFKC", text)
    value = _SCIENTIFIC.sub(_scientific, value)
    value = _CODE_REFERENCE.sub(_canonical_reference, value)
    value = _SPECIFIED_BY.sub(r"\1 in", value)
    value = _ACRONYM.sub(_acronym, value)
    value = _BOILERPLATE_ANY.sub(" ", value)
    value = value.translate(_FOLD)
    value = _TAG.sub("", value)  # <sup> and the like in HTML-derived copies
    value = normalise_numbers(value, decimal_comma).lower()
    value = value[:-16] + _TRAILING_CONNECTOR.sub("", value[-16:])  # the tail is enough
    value = _UNIT_SPACE.sub("", value)
    # Punctuation is editorial; keep decimal points and minus signs attached to numbers.
    value = _PUNCT.sub(" ", value)
    return " ".join(map(_word, value.split()))


# A cross-reference to another entry, in any publisher's style: "5.D.1.a.", "5D001.a", "5. A. 1."
_CODE_REFERENCE = re.compile(
    r"(?<![\w.])\d(?:\.\s?[A-E]\.\s?\d{1,3}|[A-E]\d{3})(?:\.(?:[a-z]|\d{1,2})(?![\w]))*\.?(?![\w])")
# Powers of ten however a copy kept them: "1x10-4", "2 × 10^-3", "10^-4", and a superscript
# lost in extraction ("10-4", "10 −4") when nothing but punctuation or a word follows.
_SCIENTIFIC = re.compile(
    r"(?:(?<![\w.])(\d+(?:[.,]\d+)?)\s*[x×]\s*|(?<![\w.,]))10\s*(\^)?\s*([-−])\s?(\d{1,2})"
    r"(?=\s*(?:[;,.:)]|$|\s+[a-zA-Z]))"
)
_SPECIFIED_BY = re.compile(r"\b(specified|controlled|described)\s+by\b", re.I)


def _scientific(match: re.Match[str]) -> str:
    mantissa = (match.group(1) or "1").replace(",", ".")
    return f"{mantissa}e-{int(match.group(4))}"


# "Internet Protocol (IP)": a long form followed by its acronym in brackets.
_ACRONYM = re.compile(r"((?:[A-Z][\w-]*\s+){1,6})\(([A-Z][A-Za-z]{1,7})\)")


def _canonical_reference(match: re.Match[str]) -> str:
    return (canonical_code(match.group(0)) or match.group(0)) + " "


def _acronym(match: re.Match[str]) -> str:
    """Fold "Internet Protocol (IP)" to "IP" when the words' initials spell the acronym."""
    words = match.group(1).split()
    acronym = match.group(2)
    for start in range(len(words)):
        initials = "".join(w[0] for w in words[start:]).upper()
        if initials == acronym.upper():
            return " ".join([*words[:start], acronym]) + " "
    return match.group(0)


def detect_decimal_comma(texts: list[str]) -> bool:
    """Whether a list writes decimals with a comma (EU style `1,95 GPa`), judged by counting
    numbers whose comma or point is followed by one or two digits (never a thousands group)."""
    sample = " ".join(texts[:5000])
    commas = len(re.findall(r"\d,\d{1,2}(?!\d)", sample))
    points = len(re.findall(r"\d\.\d{1,2}(?!\d)", sample))
    return commas > points


# -- parameters -----------------------------------------------------------------------------

_UNITS = (
    "GHz|MHz|kHz|THz|Hz|dBm|dBi|dB|mW|kW|MW|GW|W|Wh|kWh|mJ|kJ|MJ|J|nm|µm|μm|mm|cm|km|m|mrad|µrad|"
    "μrad|rad|kg|mg|g|GPa|MPa|kPa|Pa|bar|psi|K|°C|°|ns|ps|fs|ms|µs|μs|s|min|h|kV|mV|V|mA|kA|A|"
    r"Tbit/s|Gbit/s|Mbit/s|kbit/s|bit/s|bits|bit|Gbps|Mbps|ppm|%|N/m\^?2|N|Nm|rpm|g/cm3|m/s|km/h|"
    "TOPS|TFLOPS|FLOPS|operations|channels|elements|qubits|layers|parameters|dB/km"
)
_COMPARISON = (
    r"(?P<cmp_before>equal to or (?:greater|more|less|lower|higher) than|"
    r"(?:greater|more|less|lower|higher|better|faster|smaller|larger) than|"
    r"not (?:less|more|greater) than|not exceeding|exceeding|in excess of|above|below|"
    r"at least|at most|up to|over|under|>=|<=|≥|≤|>|<)?\s*"
)
_PARAMETER = re.compile(
    _COMPARISON
    + r"(?P<value>[-−+]?\d(?:[\d\u00a0\u202f ,.]*\d)?)"
    + r"(?:\s*(?:×|x)\s*10\s*\^\s*(?P<exp>[-−]?\d+))?"
    + r"\s*(?P<unit>" + _UNITS + r")?(?![\w])"
    + r"(?P<cmp_after>\s+or\s+(?:more|less|greater|higher|lower|above|below|better))?",
    re.I,
)
_CMP_SYMBOL = {
    "greater": ">", "more": ">", "higher": ">", "larger": ">", "faster": ">", "better": ">",
    "exceeding": ">", "excess": ">", "above": ">", "over": ">", "less": "<", "lower": "<",
    "smaller": "<", "below": "<", "under": "<", "least": ">=", "most": "<=", "up": "<=",
}


@dataclass(frozen=True)
class Parameter:
    """One threshold in a text: value + unit + comparison ("TPP of 4800 or more" -> >= 4800)."""

    value: float
    unit: str
    comparison: str  # ">", ">=", "<", "<=", "not >" ... or "" when the text gives none
    text: str  # as printed

    def key(self) -> tuple[float, str, str]:
        return (round(self.value, 9), self.unit.replace("μ", "µ"), self.comparison)


def _comparison(before: str | None, after: str | None) -> str:
    if after:
        word = after.split()[-1].lower()
        return ">=" if _CMP_SYMBOL.get(word, ">") == ">" else "<="
    if not before:
        return ""
    phrase = before.lower().strip()
    if phrase in (">=", "≥"):
        return ">="
    if phrase in ("<=", "≤"):
        return "<="
    if phrase in (">", "<"):
        return phrase
    equal = phrase.startswith("equal to or")
    negated = phrase.startswith("not ")
    words = phrase.split()
    symbol = next((_CMP_SYMBOL[w] for w in words if w in _CMP_SYMBOL), "")
    if equal and symbol in (">", "<"):
        symbol += "="
    if negated:  # "not exceeding" = "<=", "not less than" = ">="
        symbol = {">": "<=", "<": ">="}.get(symbol, symbol)
    return symbol


def extract_parameters(text: str, decimal_comma: bool = False) -> list[Parameter]:
    """Numeric thresholds in a text, with units and comparisons where printed."""
    return list(_parameters(text, decimal_comma))


@lru_cache(maxsize=50_000)
def _parameters(text: str, decimal_comma: bool) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    text = re.sub(r"<sup>\s*([-−]?\d+)\s*</sup>", r"^\1", text)  # 10<sup>9</sup> -> 10^9
    text = re.sub(r"<[^>]{1,10}>", "", text)
    for match in _PARAMETER.finditer(text):
        raw_value = match["value"]
        if not match["unit"] and not (match["cmp_before"] or match["cmp_after"]):
            continue  # a bare number (a paragraph reference, a year) is not a threshold
        number = normalise_numbers(raw_value.replace("−", "-").lstrip("+").strip(), decimal_comma)
        number = number.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        try:
            value = float(number)
        except ValueError:
            continue
        if match["exp"]:
            value *= 10 ** int(match["exp"].replace("−", "-"))
        found.append(Parameter(
            value=value, unit=match["unit"] or "",
            comparison=_comparison(match["cmp_before"], match["cmp_after"]),
            text=" ".join(match.group(0).split()),
        ))
    return tuple(found)


def parameter_differences(reference: list[Parameter],
                          other: list[Parameter]) -> dict[str, list[str]]:
    """Parameters printed in one text and not the other (as printed)."""
    ref_keys = [p.key() for p in reference]
    other_keys = [p.key() for p in other]
    only_ref = [p.text for p in reference if p.key() not in other_keys]
    only_other = [p.text for p in other if p.key() not in ref_keys]
    return {"reference": only_ref, "list": only_other}


# -- diffs ------------------------------------------------------------------------------------


def word_diff(a: str, b: str) -> list[dict[str, str]]:
    """Word-level diff of two texts: a list of {"op": equal|insert|delete|replace, "a", "b"}."""
    wa, wb = a.split(), b.split()
    ops = []
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append({"op": tag, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])})
    return ops


def diff_text(a: str, b: str) -> str:
    """The diff as one readable line: [-removed-] {+added+}."""
    parts = []
    for op in word_diff(a, b):
        if op["op"] == "equal":
            parts.append(op["a"])
        else:
            if op["a"]:
                parts.append(f"[-{op['a']}-]")
            if op["b"]:
                parts.append(f"{{+{op['b']}+}}")
    return " ".join(parts)


def compare_texts(reference: str, other: str, ref_decimal_comma: bool = False,
                  other_decimal_comma: bool = False) -> str:
    """identical, editorial or substantive."""
    if identity_key(reference) == identity_key(other):
        return "identical"
    if editorial_key(reference, ref_decimal_comma) == editorial_key(other, other_decimal_comma):
        return "editorial"
    return "substantive"
