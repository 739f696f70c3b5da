"""The editorial-equivalence engine: what the comparator treats as editorial, rule by rule.

Every rule is named, says what it folds and why that does not change the control, and carries
examples (pairs it makes equal) and guards (pairs it must leave different), in the tables of
`editorial_table` (text rules) and `pair_table` (pair rules); `tests/test_editorial_rules.py`
runs all of them and `docs/editorial-rules.md` is generated from the tables
(`python -m harmonize.compare.editorial_table`), a test failing when it drifts.

Two kinds of rule:
- text rules fold each text on its own; the folded form is `editorial_key`, so two texts
  with equal keys are editorial variants (the fast path, cached per distinct text);
- pair rules (`harmonize.compare.pair_rules`) explain one remaining difference between two
  keys (an acronym spelled out in one text only, a one-list typo, British/American spelling).

The order of the text rules matters: it is the order of `PREPARE` and `WORDS`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from harmonize.codes import canonical_code
from harmonize.compare import quantities
from harmonize.compare.note_rules import inline_labels, note_marker, note_verbs, numbered_labels
from harmonize.ingest import glyphs


@dataclass(frozen=True)
class Rule:
    """One editorial rule: its name, what it folds, why it is editorial, and examples."""

    name: str
    kind: str  # "text" (folds each text) or "pair" (explains one difference between two)
    folds: str
    why: str
    examples: tuple[tuple[str, str], ...]  # made equal by the rule
    keeps: tuple[tuple[str, str], ...] = ()  # left different (the rule's guards)
    commas: tuple[bool, bool] = (False, False)  # whether each side's list writes decimal commas


# -- text rules: each a small function from text to text ---------------------------------------

_PUA = re.compile("[\uf020-\uf0ff]")


def symbol_font(text: str) -> str:
    """Symbol-font glyphs left as private-use code points: U+F06D -> µ, U+F0B4 -> ×
    (the Symbol table the loaders render with, `harmonize.ingest.glyphs`)."""
    return glyphs.symbol_text(text) if _PUA.search(text) else text


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# 10 raised to a power as the loaders print it (harmonize.ingest.glyphs: `10⁻¹⁴`, `× 10⁶`);
# not the "10" ending a longer number (`2010¹`: a year and a footnote mark).
_POWER_SUP = re.compile(r"(?<![\d.,])10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_ANY_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]")
_DIGIT = re.compile(r"\d")
_TAG_SUP = re.compile(r"<sup>\s*([-−]?\d+)\s*</sup>", re.I)
_TAG = re.compile(r"<[^>]{1,10}>")


def powers_of_ten(text: str) -> str:
    """`10⁻¹⁴`, `10⁶` -> `10^-14`, `10^6`. Runs before any NFKC step, which would fold the
    superscripts into digits and make `10⁶` the number 106."""
    if _ANY_SUPERSCRIPT.search(text):
        return _POWER_SUP.sub(lambda m: "10^" + m.group(1).translate(_SUPERSCRIPT), text)
    return text


def markup_and_superscripts(text: str) -> str:
    """`10<sup>9</sup>`, `10⁻¹⁴` -> `10^9`, `10^-14`; other tags dropped (HTML-derived copies)."""
    if "<" in text:
        text = _TAG.sub("", _TAG_SUP.sub(r"^\1", text))
    return powers_of_ten(text)


_QUOTES = "\"'“”‘’«»„‚`´′″"
_DASHES = "‐‑‒–—―−"
_FOLD = {**{ord(c): '"' for c in _QUOTES}, **{ord(c): "-" for c in _DASHES},
         ord("μ"): "µ", ord("\u00a0"): " ", ord("\u202f"): " ", ord("º"): "°"}
# The characters a fold table maps, found by one scan (str.translate looks every character up).
_FOLD_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


def _fold_chars(text: str, chars: re.Pattern[str], table: dict[int, str]) -> str:
    """`text.translate(table)`, where `chars` matches exactly the characters `table` maps."""
    return chars.sub(lambda m: table[ord(m.group())], text) if chars.search(text) else text


_DEGREE = re.compile(r"(?<=\d)\s?o(?=C\b)|(?<=\d)°\s(?=[CF]\b)")
_TIMES_BETWEEN_SYMBOLS = re.compile(r"(?<=[A-Za-z\d])\s?[×*]\s?(?=[A-Za-z])")


def unicode_forms(text: str) -> str:
    """Compatibility forms (NFKC: ℃ -> °C, ﬁ -> fi), one quote, one dash, one micro sign;
    "215ºC" (ordinal sign) and "-50oC" (letter o) as degrees."""
    text = _fold_chars(unicodedata.normalize("NFKC", text), _FOLD_CHARS, _FOLD)
    if "×" in text or "*" in text:  # "W × GHz2" = "W*GHz2" in a formula
        text = _TIMES_BETWEEN_SYMBOLS.sub("*", text)
    return _DEGREE.sub("°", text) if "C" in text or "F" in text else text


# "m 3 /h", "A/cm 2": a unit's exponent flattened to a separate digit by the copy.
# Both open with a lookahead on their first character, so the scanner skips other characters.
_FLAT_EXPONENT = re.compile(r"(?=[cmkµnf])(?:(?<=\d )|(?<=/))((?:[cmkµn]?m|ft))\s(-?[1-3])\b"
                            r"(?!\s?[.,]?\d)")
_GLUED = re.compile(r"(?=\d)(?<=[a-z]{3})(?=\d+(?:[:.,]\d|\s|$))")
# "0.1n W": a unit prefix glued to the number and parted from its unit.
_PARTED_PREFIX = re.compile(r"(?<=\d)([pnµkMG])\s(W|Hz|V|A|s|J|Pa)\b")
_BROKEN_NUMBER = re.compile(r"(?<=\d-)\s(?=\d)")


def flattened_layout(text: str) -> str:
    """Layout lost in extraction: a unit exponent printed apart ("A/cm 2" = "A/cm2") and a
    word glued to the number after it ("exceeds1:5 000")."""
    if _DIGIT.search(text):
        if " 2" in text or " 3" in text or " -" in text:
            text = _FLAT_EXPONENT.sub(r"\1\2", text)
        text = _GLUED.sub(" ", text)
        text = _PARTED_PREFIX.sub(r" \1\2", text)
        if "- " in text:
            text = _BROKEN_NUMBER.sub("", text)
    return text


# "ISO 230-2:1988 (6)", "ISO 230-2:19881": a footnote mark after a standard's year.
_FOOTNOTE = re.compile(r"(\b(?:ISO|IEC|EN|ASTM|ANSI|IEEE|MIL-STD)\b[^;:()]{0,24}?:(?:19|20)\d\d)"
                       r"(?:\d{1,2}\b|\s?\(\d{1,2}\))")


def footnote_marks(text: str) -> str:
    """A footnote mark printed after a standard's year, glued or in brackets."""
    return _FOOTNOTE.sub(r"\1", text) if ":19" in text or ":20" in text else text


_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
     "nineteen", "twenty"])}
_NUMBER_WORD = re.compile(r"\b(?=[zotfsenZOTFSEN])(" + "|".join(_NUMBER_WORDS) + r")\b(?!-)",
                          re.I)


def number_words(text: str) -> str:
    """"four axes", "twenty or more" -> "4 axes", "20 or more"."""
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], text)


# A cross-reference to another entry, in any publisher's style: "5.D.1.a.", "5D001.a", "5. A. 1."
_CODE = r"\d(?:\.?\s?[A-E]\.\s?\d{1,3}|[A-E]\d{3})(?:\.(?:[a-z]|\d{1,2})(?![\w]))*\.?(?![\w])"
# (?=\d) first: the scanner skips to digits before trying the lookbehind.
_CODE_REFERENCE = re.compile(r"(?=\d)(?<![\w.])" + _CODE)
_MAY_HOLD_CODE = re.compile(r"\d\.?\s?[A-E]")
_GROUP_REFERENCE = re.compile(r"(?=\d)(?<![\w.])(\d)\.\s?([A-E])\.?(?![\w.]|\s?\d)")
_REFERENCE_VERB = re.compile(
    r"\b(?:specified|controlled|described|listed|covered|referred\s+to)\s+(?:by|in|under)\s+"
    r"(?:(?:ECCNs?|entry|entries|items?|sub-?items?|(?:sub)?paragraphs?)\s+)?"
    r"(?=\d[A-E]|\d\.\s?[A-E])", re.I)
_ECCN_WORD = re.compile(r"\bECCNs?\s+(?=\d[A-E]\d{3})")
# "the specified parameters of 6A006.a." = "the parameters specified in 6.A.6.a.".
_SPECIFIED_BEFORE = re.compile(r"\bspecified\s+([a-z]+)\s+(?:of|in)\s+(?=\d\.?\s?[A-E])")
# "integrated circuits by 3A001": the US drops "controlled" before "by" and an entry code.
_BARE_BY = re.compile(r"(?<=[a-z]) by\s+(?=\d[A-E]\d{3})")
_OTHER_THAN = re.compile(
    r"\bother\s+than\s+(?:those|that)\s+(?=(?:specified|controlled|described|listed)\b)", re.I)
_CHARACTERISTICS_LISTED = re.compile(
    r"\bhaving\s+the\s+characteristics\s+(?:listed|specified|described)\s+(?:in|by)\b", re.I)
_SPECIFIED_BY_LIST = re.compile(
    r"\b(specified|described|listed|defined)\s+by\b|\b(controlled)\s+by\s+(?=(?:any|all|each|"
    r"either|one)\s+of\b|the\s+following\b)", re.I)
# "3B001_a to f": a second label standing for a sibling code ("3B001_f").
_LABEL_RANGE = re.compile(r"\b(\d[A-E]\d{3}(?:_[a-z0-9]+)*)_([a-z]|\d{1,2})\s+(to|through|or|and|,)"
                          r"\s+\.?([a-z]|\d{1,2})\b\.?(?![_\w])"
                          r"(?=\s*(?:[;:,.)]|$|\b(?:or|and|to|through)\b))")


def code_references(text: str) -> str:
    """References to entries in any style: "5.D.1.a." = "5D001.a"; "6.A., 6.B." = "6A, 6B";
    "specified by/in", "controlled by/in", "described in", "by ECCNs" before a code = "in"."""
    if " by " in text:
        text = _SPECIFIED_BY_LIST.sub(lambda m: (m.group(1) or m.group(2)) + " in ", text)
    if "other than" in text:
        text = _OTHER_THAN.sub("not ", text)
    if "characteristics" in text:
        text = _CHARACTERISTICS_LISTED.sub("specified in", text)
    if not _MAY_HOLD_CODE.search(text):
        return text
    if "specified " in text:
        text = _SPECIFIED_BEFORE.sub(r"\1 specified in ", text)
    text = _REFERENCE_VERB.sub("in ", text)
    text = _ECCN_WORD.sub("", text)
    if " by " in text:
        text = _BARE_BY.sub(" in ", text)
    # One word per reference ("5A001_a"), so a paragraph letter is never read as an article.
    text = _CODE_REFERENCE.sub(
        lambda m: (canonical_code(m.group(0)) or m.group(0)).replace(".", "_") + " ", text)
    if " to " in text or " or " in text or " and " in text or "," in text:
        for _ in range(4):  # "1C010_a, b. or e.": each label takes the one before it
            expanded = _LABEL_RANGE.sub(_sibling, _SHORT_RANGE.sub(_short_sibling, text))
            if expanded == text:
                break
            text = expanded
    return _GROUP_REFERENCE.sub(r"\1\2", text)


# "5A002_a_1 to a.3": a shorthand naming the last levels of a sibling of the first code.
_SHORT_RANGE = re.compile(r"\b(\d[A-E]\d{3})((?:_[a-z0-9]+)+)\s+(to|through|or|and|,)\s+"
                          r"((?:[a-z]|\d{1,2})(?:\.(?:[a-z]|\d{1,2}))+)\.?(?![\w])")


def _short_sibling(match: re.Match[str]) -> str:
    entry, labels, join, short = match.groups()
    parts, tail = labels.strip("_").split("_"), short.split(".")
    if len(tail) > len(parts) or any(a.isdigit() != b.isdigit() for a, b in zip(
            parts[-len(tail):], tail, strict=True)):
        if not tail[0].isalpha():
            return match.group(0)
        parts = tail  # "5D002.a.3.b, z.4": a path that fits no level below is the entry's
    full = "_".join([entry, *parts[:-len(tail)], *tail])
    return f"{entry}{labels} {join} {full}"


def _sibling(match: re.Match[str]) -> str:
    parent, first, join, last = match.groups()
    if first.isdigit() != last.isdigit():
        return match.group(0)
    return f"{parent}_{first} {join} {parent}_{last}"


# "Exploding Bridge Wire (EBW)", "digital-to-analogue converters (DACs)": long form + acronym.
_BRACKETED = re.compile(r"\(\s?([A-Za-z]{2,8})\s?\)")
_SMALL = {"of", "to", "and", "the", "for", "in", "on", "a", "an", "or", "by", "with"}


def _initials(words: list[str], skip_small: bool) -> str:
    parts = [p for w in words for p in w.strip("\"'“”‘’(").split("-") if p]
    return "".join(p[0] for p in parts if not (skip_small and p.lower() in _SMALL)).lower()


def _acronym_letters(acronym: str) -> str:
    """"DACs" -> "dac"; an acronym must have two capitals (so "Si", "Ge" are no acronyms)."""
    if sum(c.isupper() for c in acronym) < 2:
        return ""
    return (acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym).lower()


def expands(words: list[str], acronym: str) -> bool:
    """Whether `words` (all of them) spell `acronym` by their initials, whatever their case."""
    letters = _acronym_letters(acronym)
    return bool(letters) and len(words) >= 2 and letters in (
        _initials(words, False), _initials(words, True))


def acronyms(text: str) -> str:
    """A long form followed by its acronym in brackets -> the acronym, whatever the long
    form's capitalisation; an acronym's plural ("DACs") -> its singular."""
    if "(" in text:
        out, position = [], 0
        for match in _BRACKETED.finditer(text):
            acronym = match.group(1)
            if not _acronym_letters(acronym):
                continue
            head = text[position:match.start()]
            words = head.split()
            # The shortest long form that spells it, starting on a word that is not "of"/"the".
            for start in range(len(words) - 2, max(0, len(words) - 8) - 1, -1):
                if words[start].lower().strip("\"'") in _SMALL:
                    continue
                if expands(words[start:], acronym):
                    kept = " ".join(words[:start])
                    lead = head[:len(head) - len(head.lstrip())]
                    out.append(lead + kept + (" " if kept else "")
                               + _acronym_letters(acronym).upper() + " ")
                    position = match.end()
                    break
        if out:
            text = "".join(out) + text[position:]
    return _PLURAL_ACRONYM.sub(r"\1", text) if "s" in text else text


_PLURAL_ACRONYM = re.compile(r"\b([A-Z]{2,8})s\b")


ELEMENTS = {
    "hydrogen": "H", "helium": "He", "lithium": "Li", "beryllium": "Be", "boron": "B",
    "carbon": "C", "nitrogen": "N", "oxygen": "O", "fluorine": "F", "neon": "Ne",
    "sodium": "Na", "magnesium": "Mg", "aluminium": "Al", "aluminum": "Al", "silicon": "Si",
    "phosphorus": "P", "sulphur": "S", "sulfur": "S", "chlorine": "Cl", "argon": "Ar",
    "potassium": "K", "calcium": "Ca", "titanium": "Ti", "vanadium": "V", "chromium": "Cr",
    "manganese": "Mn", "iron": "Fe", "cobalt": "Co", "nickel": "Ni", "copper": "Cu",
    "zinc": "Zn", "gallium": "Ga", "germanium": "Ge", "arsenic": "As", "selenium": "Se",
    "zirconium": "Zr", "niobium": "Nb", "molybdenum": "Mo", "ruthenium": "Ru", "silver": "Ag",
    "indium": "In", "tin": "Sn", "tellurium": "Te", "caesium": "Cs", "cesium": "Cs",
    "hafnium": "Hf", "tantalum": "Ta", "tungsten": "W", "rhenium": "Re", "platinum": "Pt",
    "gold": "Au", "lead": "Pb", "bismuth": "Bi", "polonium": "Po", "radium": "Ra",
    "thorium": "Th", "uranium": "U", "plutonium": "Pu", "deuterium": "D", "tritium": "T",
    "gadolinium": "Gd", "yttrium": "Y", "scandium": "Sc", "lanthanum": "La",
}
_SYMBOLS = {symbol.lower(): symbol for symbol in ELEMENTS.values()}
_BRACKET = re.compile(r"\(\s?([A-Za-z][A-Za-z0-9 ]{0,15}?)\s?\)")
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)\d*")
# How a compound's name spells each element: "gallium nitride" holds N as "nitr".
_STEMS: dict[str, tuple[str, ...]] = {}
for _name, _symbol in ELEMENTS.items():
    _STEMS[_symbol] = (*_STEMS.get(_symbol, ()), _name[:4])
for _symbol, _stems in {"N": ("nitr",), "O": ("ox",), "C": ("carb",), "S": ("sulf", "sulph"),
                        "Cl": ("chlor",), "F": ("fluor",), "H": ("hydr",), "P": ("phosph",),
                        "B": ("bor",), "Si": ("silic",), "As": ("arsen",), "I": ("iod",)}.items():
    _STEMS[_symbol] = (*_STEMS.get(_symbol, ()), *_stems)


def _restates(formula: str, words: list[str]) -> bool:
    """Whether a formula ("GaN", "Ga2O3", "H2") names only elements the words before it name."""
    compact = formula.replace(" ", "")
    if not _FORMULA.match(compact):
        return False
    lowered = [w.lower().strip("\"'-") for w in words]
    symbols = _FORMULA_PART.findall(compact)
    return bool(symbols) and all(
        s in _STEMS and any(w.startswith(_STEMS[s]) for w in lowered) for s in symbols)


def element_symbols(text: str) -> str:
    """"Gy (silicon)" = "Gy (Si)"; "hydrogen (H2)" = "hydrogen", "gallium nitride (GaN)" =
    "gallium nitride": an element's name and symbol, a compound's name and formula."""
    if "(" not in text:
        return text

    def fold(match: re.Match[str]) -> str:
        inside = match.group(1)
        name = inside.lower()
        if name in ELEMENTS:  # "(silicon)" -> "(Si)"
            return "(" + ELEMENTS[name] + ")"
        before = text[max(0, match.start() - 60):match.start()].split()[-5:]
        if before and _restates(inside, before):
            return ""  # the formula restates the name before it
        return match.group(0)

    return _BRACKET.sub(fold, text)


_SEE_LIST = re.compile(r"\(\s?see list of items controlled\s?\)|\(\s?see\s+also\s+[^)]{0,40}\)",
                       re.I)
_AS_FOLLOWS = re.compile(r"\bas follows\b", re.I)
_CHARACTERISTICS = re.compile(r"\b(of )?the following\s+characteristics\b", re.I)
_DESCRIBED_HERE = re.compile(r"\b(?:the\s+)?characteristics\s+described\s+in\s+(?:this\s+ECCN|"
                             r"the\s+list\s+of\s+items\s+controlled)\b", re.I)
_OF_THE = re.compile(r"\b(all|both|any|each|none|either) of the\b", re.I)
_ITEMS = re.compile(r"^\s?items?\s?:", re.I)
# Each list names its own munitions list: the EU "Common Military List", the UK "Military
# List", Australia's "Military Goods Controls" (DSGL Part 1), the US "USML".
_MUNITIONS = re.compile(r"\b(?:(?:in|on)\s+)?(?:the\s+)?(?:u\.\s?s\.\s|united\s+states\s+)?"
                        r"(?:common\s+military\s+list|military\s+goods|"
                        r"munitions\s+list|military\s+list)"
                        r"(?:\s+\((?:usml|cml)\))?(?:\s+controls\b)?", re.I)


def heading_boilerplate(text: str) -> str:
    """Publisher boilerplate in headings: "(see List of Items Controlled)", "as follows",
    "having all of the following (characteristics)" = "having all the following", a leading
    "Items:"."""
    lowered = text.lower()
    if "(see " in lowered:
        text = _SEE_LIST.sub(" ", text)
    if "as follows" in lowered:
        text = _AS_FOLLOWS.sub(" ", text)
    if "characteristics" in lowered:
        text = _CHARACTERISTICS.sub(lambda m: (m.group(1) or "") + "the following", text)
        text = _DESCRIBED_HERE.sub("the following", text)
    if " of the " in lowered:
        text = _OF_THE.sub(r"\1 the", text)
    if lowered.lstrip().startswith("item"):
        text = _ITEMS.sub(" ", text)
    if "militar" in lowered or "munition" in lowered:
        text = _MUNITIONS.sub(" in the munitions list ", text)
    return text


_LABEL = re.compile(r"^\s?(?:\(?[a-z]\)|[a-z]\.|\(?\d{1,2}\)|\d{1,2}\.(?!\d)|\(?[ivx]{1,4}\))\s+")


def leading_label(text: str) -> str:
    """A paragraph label printed at the start of the text ("a. ", "(1) ") in one copy only."""
    return _LABEL.sub("", text, count=1)


_LOCANTS = re.compile(r"(?<![\w.,])(\d+(?:,\d+'?)+)-\s?(?=[A-Za-z])")


def chemical_locants(text: str) -> str:
    """"1,2,3-triazole": locants, never a decimal number (decimal-comma lists included); a
    locant's hyphen broken at a line end ("1,2- Dimethyl") is joined."""
    if "-" not in text:
        return text
    return _LOCANTS.sub(lambda m: m.group(1).replace(",", "§") + "-", text)


_PLURAL_BRACKET = re.compile(r"(?<=[a-z])\(s\)")
_SLASH_PER = re.compile(r"(?<=[a-z)])\s?/\s?(?=[a-z])(?<!and/)", re.I)
_ASCII_PUNCT = str.maketrans({c: " " for c in "!\"#$&'(),:;?@[\\]`{}~"})  # "_" joins codes
_DOT_DASH = re.compile(r"(?<!\d)\.|\.(?!\d)|-(?!\d)")
_PUNCT = re.compile(r"(?<!\d)\.|\.(?!\d)|-(?!\d)|[^\w\s.\-%°/×^+§⟨⟩|<>=*]")
_TRAILING = re.compile(r"[;,.:]?\s*(?:\b(?:or|and)\b)?\s*[;,.:]?\s*$", re.I)


def punctuation(text: str, end_of_text: bool = True) -> str:
    """Punctuation, quotes, brackets and a trailing list connector ("; or", "; and") at the
    end of the text only: between two values ("exceeding 1 W or less than 2 kg") it is scope."""
    if "(s)" in text:
        text = _PLURAL_BRACKET.sub("s", text)
    if "/" in text:
        text = text.replace("and/or", "or")  # the inclusive "or" of a list
        text = _SLASH_PER.sub(" per ", text)
    if end_of_text:
        text = text[:-16] + _TRAILING.sub("", text[-16:])  # the tail is enough
    text = text.replace("×", "x").translate(_ASCII_PUNCT)
    return _DOT_DASH.sub(" ", text) if text.isascii() else _PUNCT.sub(" ", text)


# British -> American spellings that no regular pattern covers.
SPELLING = {
    "aluminium": "aluminum", "programme": "program", "programmes": "programs", "grey": "gray",
    "tonne": "ton", "tonnes": "tons", "tyre": "tire", "tyres": "tires", "mould": "mold",
    "moulds": "molds", "moulded": "molded", "moulding": "molding", "jewellery": "jewelry",
    "practise": "practice", "ageing": "aging", "focussed": "focused", "caesium": "cesium",
    "disc": "disk", "discs": "disks", "annexe": "annex", "gage": "gauge", "draught": "draft",
    "plough": "plow", "cheque": "check", "storey": "story", "manoeuvre": "maneuver",
    "manoeuvring": "maneuvering", "manoeuvres": "maneuvers", "haemorrhagic": "hemorrhagic",
    "anaesthetic": "anesthetic", "oesophageal": "esophageal", "foetal": "fetal",
    "paediatric": "pediatric", "orthopaedic": "orthopedic", "leukaemia": "leukemia",
    "licence": "license", "licences": "licenses", "defence": "defense", "offence": "offense",
    "pretence": "pretense", "travelling": "traveling", "travelled": "traveled",
    "modelling": "modeling", "modelled": "modeled", "labelled": "labeled",
    "labelling": "labeling", "signalling": "signaling", "cancelled": "canceled",
    "fuelled": "fueled", "channelled": "channeled", "tunnelling": "tunneling",
    "levelling": "leveling", "counselling": "counseling", "dialled": "dialed",
    "aerofoil": "airfoil", "aerofoils": "airfoils", "aeroplane": "airplane",
    "aeroplanes": "airplanes", "aluminium-lithium": "aluminum-lithium",
}
_ISE_KEEP = {"precise", "concise", "wise", "otherwise", "likewise", "rise", "raise", "noise",
             "poise", "expertise", "exercise", "premise", "premises", "surprise", "comprise",
             "compromise", "enterprise", "franchise", "merchandise", "advise", "devise",
             "revise", "supervise", "televise", "improvise", "disguise", "cruise", "bruise",
             "incise", "excise", "chemise", "promise", "demise", "treatise", "arise",
             "clockwise", "counterclockwise", "anticlockwise", "crosswise", "lengthwise",
             "stepwise", "pairwise", "elementwise", "pointwise", "sunrise", "apprise", "paradise",
             "despise", "circumcise", "exorcise", "reprise", "guise", "noises", "raised",
             "raising", "rises", "rising", "arising", "arises", "promised", "exercised",
             "comprised", "comprises", "comprising", "advised", "devised", "revised",
             "supervised", "surprised", "premised", "compromised", "noised"}
_OUR_KEEP = {"contour", "contours", "detour", "detours", "devour", "velour", "amour",
             "troubadour", "paramour", "flour", "hour", "hours", "four", "your", "pour",
             "tour", "tours", "sour", "scour", "scours"}
_RE_KEEP = {"genre", "acre", "acres", "massacre", "mediocre", "ogre", "lucre", "cadre",
            "padre", "macabre", "timbre", "centimetre", "sabre"}
_ISE_ENDING = re.compile(r"(?:is(?:ation|ations|ing|ed|es|er|ers|e)|ys(?:ed|es|ing|e))$")
_AMERICAN = {"isation": "ization", "isations": "izations", "ising": "izing", "ised": "ized",
             "ises": "izes", "iser": "izer", "isers": "izers", "ise": "ize", "yse": "yze",
             "ysed": "yzed", "yses": "yzes", "ysing": "yzing"}
_OUR = re.compile(r"(?<=[a-z]{2})our(?=s?$|ed$|ing$|able$|ite$|ites$)")
_OGUE = re.compile(r"(?<=[a-z]{3})ogue(?=s?$)")
_TRE = re.compile(r"(?<=[a-z])([tb])re(?=s?$|d$)")


@lru_cache(maxsize=100_000)
def american(word: str) -> str:
    """One lower-case word in American spelling (a rule, with a table for the irregular)."""
    if word in SPELLING:
        return SPELLING[word]
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.startswith("sulph"):
        return "sulf" + word[5:]
    if word.startswith(("colour", "behaviour", "favour", "vapour", "labour", "harbour",
                        "neighbour", "rumour", "humour", "tumour", "odour", "honour",
                        "armour", "flavour", "endeavour", "savour", "valour", "vigour",
                        "rigour", "clamour", "glamour")) or (
            len(word) >= 6 and word not in _OUR_KEEP and _OUR.search(word)):
        return _OUR.sub("or", word)
    ending = _ISE_ENDING.search(word) if len(word) > 5 else None
    if ending and word not in _ISE_KEEP and (word[: ending.start()] + "ise") not in _ISE_KEEP:
        return word[: ending.start()] + _AMERICAN[ending.group()]
    if word.endswith(("ogue", "ogues")) and word not in ("vogue", "rogue", "rogues", "brogue"):
        return _OGUE.sub("og", word)
    if word not in _RE_KEEP and _TRE.search(word) and word.endswith(("re", "res", "red")):
        return _TRE.sub(r"\1er", word)
    return word


def spelling(words: list[str]) -> list[str]:
    """British -> American spelling, word by word (-ise/-yse, -our, -tre/-bre, -ogue, sulph-,
    and a table of irregular words)."""
    return [american(w) for w in words]


_NUMBER = re.compile(r"(?<![\w.,§])\d+(?:[ ]\d{3}(?!\d)|[,.]\d+)*")
_GROUP_SPACE = re.compile(r"[ ](?=\d{3}(?!\d))")
_GROUP_COMMA = re.compile(r",(?=\d{3}(?!\d))")


def normalise_numbers(text: str, decimal_comma: bool) -> str:
    """`1 000,5` (decimal-comma lists) and `1,000.5` (decimal-point lists) -> `1000.5`."""

    def fix(match: re.Match[str]) -> str:
        number = _GROUP_SPACE.sub("", match.group(0))
        if decimal_comma:
            return number.replace(",", ".")
        return _GROUP_COMMA.sub("", number)

    return _NUMBER.sub(fix, text)


# -- the key ------------------------------------------------------------------------------------

# Text rules run on each text in this order; the quantity step sits between the first group
# (forms, references) and the word rules.
PREPARE: tuple[Callable[[str], str], ...] = (
    symbol_font, markup_and_superscripts, unicode_forms, flattened_layout, footnote_marks,
    number_words,
    chemical_locants, code_references, numbered_labels, inline_labels, note_marker, leading_label,
    note_verbs)
WORDS: tuple[Callable[[str], str], ...] = (acronyms, element_symbols, heading_boilerplate)


@lru_cache(maxsize=200_000)
def prepare(text: str) -> str:
    """The text with glyphs, exponents, Unicode forms, hyphens and references normalised:
    what quantities are read from."""
    for rule in PREPARE:
        text = rule(text)
    return text


@lru_cache(maxsize=200_000)
def key_words(text: str, decimal_comma: bool = False) -> tuple[str, ...]:
    """The editorial key as words: each parameter one token (`⟨>=|1000|meter⟩`), the text
    between folded by the word rules, lower case, American spelling."""
    prepared = prepare(text)
    words: list[str] = []
    position = 0
    for parameter in quantities.parse(prepared, decimal_comma):
        if parameter.restated:
            start, end = quantities.restated_span(parameter, prepared)
            words += _fold_words(prepared[position:start], decimal_comma, False)
            position = max(position, end)
            continue
        words += _fold_words(prepared[position:parameter.start], decimal_comma, False)
        words.append(parameter.token())
        position = parameter.end
    words += _fold_words(prepared[position:], decimal_comma, True)
    return tuple(words)


@lru_cache(maxsize=200_000)
def _fold_words(segment: str, decimal_comma: bool, end_of_text: bool) -> tuple[str, ...]:
    # Cached per segment: two versions of a text mostly share the segments between their
    # parameters, so the second text folds only what differs.
    if not segment.strip():
        return ()
    for rule in WORDS:
        segment = rule(segment)
    segment = normalise_numbers(segment, decimal_comma).lower()
    return tuple(spelling(punctuation(segment, end_of_text).split()))


def editorial_key(text: str, decimal_comma: bool = False) -> str:
    """Text with editorial variation folded away: equal keys = editorial variants."""
    return " ".join(key_words(text, decimal_comma))


@lru_cache(maxsize=200_000)
def identity_key(text: str) -> str:
    """Unicode compatibility forms and whitespace only: equal keys = identical. A power of
    ten stays one (`10⁶` is not the number 106 that NFKC alone would make of it)."""
    return " ".join(unicodedata.normalize("NFKC", powers_of_ten(text)).split())


_LIGHT = {**{ord(c): " " for c in _QUOTES}, **{ord(c): "-" for c in _DASHES}, ord("μ"): "µ",
          ord("\u00a0"): " ", ord("\u202f"): " "}
_LIGHT_CHARS = re.compile("[" + re.escape("".join(map(chr, _LIGHT))) + "]")


@lru_cache(maxsize=200_000)
def light_key(text: str) -> str:
    """A cheap key folding only quotes, dashes, spacing and a trailing "; or": equal light
    keys imply equal editorial keys (every fold here is one the editorial key makes too), so
    most editorial pairs are decided without the full rules."""
    # The identity key's text with its characters folded: the fold maps no white space to
    # anything else, so folding before or after the identity key's spacing gives one key.
    value = " ".join(_fold_chars(identity_key(text), _LIGHT_CHARS, _LIGHT).split())
    return value[:-16] + _TRAILING.sub("", value[-16:])


def clear_caches() -> None:
    for cached in (prepare, key_words, _fold_words, identity_key, light_key, american,
                   quantities.parse, quantities.named):
        cached.cache_clear()
