"""Quantities as data: each paragraph's parameters as {quantity, comparator, value, unit, text}.

`parse(text, decimal_comma)` reads every threshold a text prints:
- the comparator before or after the number ("greater than", "exceeding", "equal to or less
  (better) than", "or more") as `>`, `>=`, `<`, `<=`, `better`, `±` (or "" when none);
- the value with its power of ten however a copy kept it (`10.15 x 10^6`, `10.15 x 106` whose
  superscript was flattened, `2 × 10 −3`, `10⁻¹⁴`, `1x10-4`) as one number;
- the unit read by `units` (pint): `1 Watt` = `1 W`, `50W/cm2` = `50 W/cm²`, `parts per million`
  = `ppm`; `4A` in "specified by 4A or 4D" is a category, never 4 amperes;
- ranges with both bounds ("from 2 GHz up to and including 15 GHz", "0.5 to 5 MPa", "exceeding
  3.2 GHz but not exceeding 110 GHz") as a lower and an upper parameter, the unit printed once
  serving both;
- the quantity's name: a defined term in quotes just before ("'peak power' exceeding 1 W"), else
  what the unit measures (frequency, power...), else the counted noun ("number of qubits").

A number without a unit is a parameter only when its unit is known (a range's other bound, a
counted noun, a defined term such as 'TPP'); bare numbers (paragraph numbers, years) are not.
A quantity restated in other units in brackets ("4.5 K (-268.65 °C)") is marked `restated`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from harmonize.compare import units

_NUM = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\d,.]\d)|\d+(?:[.,]\d+)*"
_POWER = (r"\s?[x×]\s?10\s?(?:\^\s?(?P<e1>[-+]?\d{1,2})|-\s?(?P<e2>\d{1,2})|(?P<e3>\d{1,2}))"
          r"(?![\d.,]\d)")
_BARE_POWER = (r"(?<![\w.,])10\s?(?:\^\s?(?P<b1>[-+]?\d{1,2})|-\s?(?P<b2>\d{1,2})"
               r"(?=\s?(?:[a-zA-Zµ%/;,.:)]|$)))(?![\d.,]\d)")
_COMPARATOR = (
    r"(?P<cmp>(?:equal\s+to\s+or\s+)?(?:(?:greater|more|less|lower|higher|smaller|larger|better|"
    r"faster|longer|shorter|wider|narrower|fewer|worse)(?:\s?\((?P<sense>better|worse|less|"
    r"greater|lower|higher|smaller|larger)\))?\s+"
    r"than(?:\s+or\s+equal\s+to)?|exceeding|exceeds?|above|below|over|under|beyond)|"
    r"no[t]?\s+(?:less|more|greater|fewer|lower|higher)\s+than|"
    r"not\s+exceeding|in\s+excess\s+of|(?<=\bat\s)or\s+(?:below|above)(?:\s+(?:a|the)\s+[a-z]+\s+of)?|"
    r"at\s+(?:least|most)|up\s+to(?:\s+and\s+including)?|(?:a\s+)?(?:maximum|minimum)\s+of|"
    r"from|between|>=|<=|≥|≤|>|<|±|\+/-)\s?"
)
# "or more" after the value, or after a restatement's bracket ("153 K (-120°C ) or less").
_AFTER = (r"(?P<after>(?:\s?\))?\s?,?\s+or\s+(?:more|greater|higher|larger|above|over|less|"
          r"lower|smaller|below|fewer|better|longer|shorter|faster|slower|under)\b"
          r"(?:\s?\((?P<after_sense>better|worse)\))?|\s+and\s+(?:above|over|below|under)\b)?")
# Read at each place a number starts (cheap to find); the comparator is read backwards from it.
_START = re.compile(r"(?<![\w.,/^)])[-+](?=\d)|(?:(?<=\()|(?<=than\s))[-+]\s(?=\d)"
                    r"|(?<![\w.,/^-])\d(?!\d*[A-E]\d{3})"  # not an entry code ("5A001")
                    r"|(?<=\d-)\d(?=[\d.,]*\s?%)")  # the upper bound of "17.0-23.0%"
_FORWARD = re.compile(
    r"(?P<sign>[-+]\s?)?(?:" + _BARE_POWER + r"|(?P<num>" + _NUM + r")(?:" + _POWER + r")?)"
    r"(?:(?P<space>\s?)(?P<unit>" + units.UNIT + r"))?" + _AFTER,
    re.IGNORECASE,
)
# A comparator starts a word, or is a sign glued to the variable it bounds ("F≤ 100 kHz").
_BACKWARD = re.compile(r"(?:^|(?<=\W)|(?=[≤≥]))" + _COMPARATOR + r"$", re.IGNORECASE)
_COUNTED = re.compile(
    r"\s*,?\s*(?:[\"'\w-]+,?\s+){0,7}?[\"']?(?P<noun>channels?|qubits?|elements?|pixels?|layers?|axes|"
    r"axis|cores|beams|transmitters|receivers|lines|samples|turns|operations|cycles|stages|wafers|"
    r"bits|bytes|ports|lanes|antennas|nodes|processors|modules)\b", re.I)
_TERM_BEFORE = re.compile(
    r"['\"]([^'\"]{2,60})['\"]\s?(?:\(\s?['\"]?[\w-]{1,12}['\"]?\s?\)\s?)?(?:of\s+|is\s+|was\s+)?$")
_RANGE_JOIN = re.compile(r"^\s*(?:to|through|and|-|up\s+to(?:\s+and\s+including)?)\s*$", re.I)
_BOUND_JOIN = re.compile(r"^\s*,?\s*(?:but|and|,)\s*$", re.I)
# "having a cooling power of", "at a temperature" (a noun phrase after a determiner, just
# before the comparator): the quantity's name where no defined term is quoted.
_NAME_BEFORE = re.compile(
    r"\b(?:a|an|the|its|having|with)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:of\s+)?"
    r"(?:(?:is|are|being)\s+)?$", re.I)
_NOT_NAMES = {"total", "maximum", "minimum", "value", "level", "range", "rate", "period"}
_SYMBOL = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<", "±": "±",
           "+/-": "±"}
_UP = {"greater", "more", "higher", "larger", "faster", "longer", "wider", "exceeding", "beyond",
       "exceed", "exceeds", "excess", "above", "over", "least", "minimum"}
_DOWN = {"less", "lower", "smaller", "shorter", "narrower", "fewer", "below", "under", "most",
         "maximum", "up"}


@dataclass(slots=True)
class Parameter:
    """One threshold as printed, and as data."""

    quantity: str  # "peak power", "upper frequency", "number of qubits", "" when unnamed
    comparator: str  # ">", ">=", "<", "<=", "better", "±", "" (none printed)
    value: float  # in the printed unit, the power of ten applied
    unit: str  # pint's symbol ("GHz", "W/cm²"), "" for counts and defined dimensionless terms
    text: str  # as printed
    start: int = 0
    end: int = 0
    base: float = 0.0  # in SI base units (value itself when there is no unit)
    dimension: str = ""  # SI base units, "count <noun>", or "" for a bare number
    sense: str = ""  # "better" when printed "less (better) than"
    reported: bool = True  # its unit (or counted noun / defined term) is known
    restated: bool = False  # the same quantity restated in other units, in brackets
    bound: str = ""  # "lower" or "upper" for a range's bounds

    @property
    def comparison(self) -> str:  # the name earlier callers used
        return self.comparator

    def key(self) -> tuple[float, str, str]:
        return (float(f"{self.base:.6g}"), self.dimension, self.comparator)

    def token(self) -> str:
        """One word standing for the parameter in an editorial key (case and spacing free)."""
        sense = "b" if self.sense == "better" else ""
        dimension = self.dimension.replace(" ", "")
        return f"⟨{sense}{self.comparator}|{self.base:.6g}|{dimension}⟩"

    def shown(self) -> str:
        """"> 10 GHz" style, for diffs."""
        value = f"{self.value:.6g}"
        cmp = {">=": "≥", "<=": "≤", "better": "better than"}.get(self.comparator,
                                                                    self.comparator)
        sense = " (better)" if self.sense == "better" and self.comparator != "better" else ""
        return " ".join(p for p in (cmp + sense, value, self.unit) if p)

    def as_dict(self, source: str) -> dict[str, object]:
        return {"source": source, "quantity": self.quantity, "comparator": self.comparator,
                "value": self.value, "unit": self.unit, "text": self.text}


_BRACKETED = re.compile(r"\([^()]*\)")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_HAS_DIGIT = re.compile(r"\d")


def _number(raw: str, decimal_comma: bool) -> float | None:
    digits = raw.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if decimal_comma:
        digits = digits.replace(".", "") if digits.count(".") > 1 else digits
        digits = digits.replace(",", ".")
    elif "," in digits and _THOUSANDS.fullmatch(digits):
        digits = digits.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return None


def _comparator(phrase: str | None, after: str | None) -> str:
    if after:
        word = after.split("(")[0].split()[-1].lower()  # "or less (better)": "less"
        if word == "better":
            return "better"
        return ">=" if word in _UP or word in ("over", "above") else "<="
    if not phrase:
        return ""
    text = " ".join(phrase.lower().split())
    if text in _SYMBOL:
        return _SYMBOL[text]
    if text in ("from", "between"):
        return text
    words = set(re.findall(r"[a-z]+", text))
    if "better" in words and not words & (_UP | _DOWN):
        return "better"
    # "better (less) than" reads as "less (better) than"
    up = bool(words & _UP)
    symbol = ">" if up else "<"
    if text.startswith(("not ", "no ")):  # "not exceeding" = "<=", "not less than" = ">="
        return "<=" if up else ">="
    if text.startswith("or "):  # "at or below a temperature of"
        return "<=" if "below" in words else ">="
    if "equal" in words or "least" in words or "most" in words or text.startswith(
            ("up to", "a maximum", "maximum", "a minimum", "minimum")):
        return symbol + "="
    return symbol


# The same pattern behind a lookahead on the sign or digit every way of starting a number opens
# with: the scanner then tries the lookbehinds only there (a third of the parsing time).
_START = re.compile(r"(?=[-+\d])(?:" + _START.pattern + ")")


@lru_cache(maxsize=100_000)
def parse(text: str, decimal_comma: bool = False) -> tuple[Parameter, ...]:
    """Every quantity printed in `text` (a prepared text: see editorial_rules.prepare)."""
    found: list[Parameter] = []
    done = 0
    formulas = [m.span() for m in _FORMULA.finditer(text)] if "[" in text else []
    for start in _START.finditer(text):
        if start.start() < done or any(a < start.start() < b for a, b in formulas):
            continue
        match = _FORWARD.match(text, start.start())
        if match is None:
            continue
        before = _comparator_before(text, max(done, start.start() - 48), start.start())
        parameter = _read(match, before, text, decimal_comma)
        done = match.end()
        if parameter is not None:
            named_unit = _unit_named_after(parameter, text)
            if named_unit:  # "10 ppm (parts per million)": the unit spelled out after it
                parameter = replace(parameter, end=named_unit)
                done = named_unit
            found.append(parameter)
    return tuple(_ranges(_restatements(found, text), text))


# Fractions printed as parts per million/billion measure impurities, errors and drifts: smaller
# is better, so "better than 5 ppm" = "less (better) than 5 ppm".
_PARTS_PER = {"ppm", "ppb", "ppt"}
# "[Psat>505.62 W*GHz2/fGHz2]": a formula in square brackets restating the prose before it.
# Its symbols are not thresholds of their own (copies space them differently: "P sat >505.62
# W*GHz 2"); the formula is compared as words.
_FORMULA = re.compile(r"\[[^\[\]]{0,160}?[<>≤≥=][^\[\]]{0,160}?\]")
_UNIT_IN_BRACKETS = re.compile(r"\s?\(\s?(" + units.UNIT + r")\s?\)", re.I)


def _unit_named_after(parameter: Parameter, text: str) -> int:
    """Where "(parts per million)" after "10 ppm" ends: the same unit in other words, in
    brackets right after the value; 0 when there is none."""
    if not parameter.unit or "(" not in text[parameter.end:parameter.end + 2]:
        return 0
    bracket = _UNIT_IN_BRACKETS.match(text, parameter.end)
    unit = units.resolve(bracket.group(1)) if bracket else None
    if bracket is None or unit is None or not parameter.value or unit.offset:
        return 0
    factor = parameter.base / parameter.value  # the printed unit's factor to SI
    same = unit.dimension == parameter.dimension and abs(unit.factor - factor) <= 1e-9 * abs(
        factor)
    return bracket.end() if same else 0


# The last word of every comparator phrase: no comparator can end before a number otherwise.
# Quantities that are pure numbers: their unit is known to be none.
_DIMENSIONLESS = re.compile(r"\b(?:index|ratio|factor|coefficient|efficiency|number|figure of "
                            r"merit|gain|fraction)\b(?![^;:]*\b(?:of|with)\b\s*$)", re.I)
# "0 to 0.2 mm": a bare number opening a range whose other bound carries the unit.
_RANGE_AHEAD = re.compile(r"\s?(?:to|-)\s?[-+]?\d[\d.,]*\s?(?:" + units.UNIT + r")")
_LAST_WORDS = {"than", "to", "below", "above", "exceeding", "exceeds", "exceed", "of", "over",
               "beyond", "under", "least", "most", "including", "from", "between", ">=", "<=",
               "≥", "≤", ">", "<", "±", "+/-"}


def _comparator_before(text: str, start: int, end: int) -> re.Match[str] | None:
    window = text[start:end]
    words = window.split()
    if not words:
        return None
    last = words[-1].lower()
    if last not in _LAST_WORDS and not last.endswith(("≥", "≤", ">", "<", "±")):
        return None
    return _BACKWARD.search(window)


def _read(match: re.Match[str], before: re.Match[str] | None, text: str,
          decimal_comma: bool) -> Parameter | None:
    raw = match["num"]
    unit_text = match["unit"] or ""
    if raw is not None and unit_text and not match["space"] and unit_text[0] in "ABCDE" and (
            len(unit_text) == 1):
        return None  # "4A", "6B": a category and product group, never a unit
    if raw is None:  # a bare power of ten: "10^-4", "10-14 J"
        value = 1.0
        exponent = match["b1"] or (match["b2"] and "-" + match["b2"])
    else:
        number = _number(raw, decimal_comma)
        if number is None:
            return None
        value = number
        exponent = match["e1"] or (match["e2"] and "-" + match["e2"]) or match["e3"]
    if exponent:
        value *= 10.0 ** int(exponent)
    if (match["sign"] or "").strip() == "-":
        value = -value
    phrase = before["cmp"] if before else None
    comparator = _comparator(phrase, match["after"])
    if unit_text == "g" and "accelerat" in text[:match.start()].lower():
        unit_text = "g-force"  # "acceleration levels exceeding 15 g": g is no gram here
    unit = units.resolve(unit_text) if unit_text else None
    if unit_text and unit is None:
        unit_text = ""
    if not unit and not comparator and not exponent and not _RANGE_AHEAD.match(text, match.end()):
        return None  # a bare number (a paragraph number, a year) is not a threshold
    if not unit and not comparator and exponent and raw is None and match["after"] is None:
        pass  # "10^-4" alone: a value all the same
    start = match.start() - (len(before.group(0)) if before else 0)
    end = match.end()
    if unit is None and not unit_text and match["after"] is None and match["unit"]:
        end = match.start("space")
    sense = "better" if (before and "better" in before["cmp"].lower() and (
        before["sense"] or comparator != "better")) or match["after_sense"] == "better" else ""
    if comparator == "better" and unit is not None and unit.symbol in _PARTS_PER:
        comparator, sense = "<", "better"  # a fraction of parts per million: better is less
    if unit is not None:
        base, dimension, symbol, name = unit.to_base(value), unit.dimension, unit.symbol, (
            unit.quantity)
        reported = True
    else:
        base, dimension, symbol, name, reported = value, "", "", "", False
        counted = _COUNTED.match(text, end)
        if counted and not _HAS_DIGIT.search(counted.group(0)):
            noun = counted["noun"].lower()
            noun = "axis" if noun in ("axes", "axis") else noun.rstrip("s")
            plural = "axes" if noun == "axis" else noun + "s"
            dimension, name, reported = f"count {noun}", f"number of {plural}", True
    if not reported and (_term_before(text, start) or (comparator and _DIMENSIONLESS.search(
            text, max(0, start - 60), start))):  # "'TPP' of 4800", "an index greater than 1.2"
        reported = True
    if exponent and not reported:  # "less than or equal to 10^-4": a power of ten is no
        reported = True            # paragraph number or year
    return Parameter(quantity=name, comparator=comparator, value=value, unit=symbol,
                     text=" ".join(text[start:end].split()), start=start, end=end, base=base,
                     dimension=dimension, sense=sense, reported=reported)


def _ranges(found: list[Parameter], text: str) -> list[Parameter]:
    """Pair consecutive quantities into lower and upper bounds; a bound without a unit takes
    the other bound's unit ("0.5 to 5 MPa")."""
    out = list(found)
    kept = [i for i, p in enumerate(out) if not p.restated]
    for i, j in itertools.pairwise(kept):
        low, high = out[i], out[j]
        between = text[low.end:high.start]
        if "(" in between:
            between = _BRACKETED.sub("", between)
        opens_range = low.comparator in ("", "from", "between")
        plain_range = opens_range and (
            (_RANGE_JOIN.match(between) and high.comparator in ("", "<=", "<"))
            or (not between.strip() and low.comparator in ("from", "between")
            and high.comparator in ("<=", "<")))
        bounds = (_BOUND_JOIN.match(between) and low.comparator in (">", ">=")
                  and high.comparator in ("<", "<="))
        if not (plain_range or bounds):
            continue
        if low.dimension and high.dimension and low.dimension != high.dimension:
            continue
        if not low.dimension and high.dimension:  # "15 to 35 K": the unit is printed once
            unit = units.resolve(high.unit) if not high.dimension.startswith("count") else None
            base = unit.to_base(low.value) if unit else low.value
            low = replace(low, unit=high.unit, dimension=high.dimension, base=base,
                          reported=True)
        low_cmp = ">=" if low.comparator in ("", "from", "between") else low.comparator
        high_cmp = "<=" if high.comparator == "" else high.comparator
        out[i] = replace(low, comparator=low_cmp, bound="lower")
        out[j] = replace(high, comparator=high_cmp, bound="upper",
                         quantity=high.quantity or low.quantity)
    return [p if p.comparator not in ("from", "between") else replace(p, comparator="")
            for p in out]


def _term_before(text: str, start: int) -> str:
    """A defined term in quotes just before a parameter ("'peak power' exceeding 1 W")."""
    window = text[max(0, start - 90):start]
    if '"' not in window:
        return ""
    term = _TERM_BEFORE.search(window)
    return " ".join(term.group(1).lower().split()) if term else ""


def _phrase_before(text: str, start: int) -> str:
    """"having a cooling power of": the noun phrase after a determiner, before a parameter."""
    phrase = _NAME_BEFORE.search(text[max(0, start - 60):start])
    words = phrase.group(1).lower().split() if phrase else []
    while words and words[0] in ("a", "an", "the", "its", "having", "with"):
        words = words[1:]
    if "of" in words:
        words = words[:words.index("of")]
    return " ".join(words) if words and " ".join(words) not in _NOT_NAMES else ""


@lru_cache(maxsize=20_000)
def named(text: str, decimal_comma: bool = False) -> tuple[Parameter, ...]:
    """`parse` with each parameter's name read from the words before it: a quoted defined
    term, else a noun phrase, else what its unit measures; a range's bounds share the lower
    bound's name ("upper frequency"). Called only where names are shown (parsing stays fast)."""
    out: list[Parameter] = []
    previous = ""
    for parameter in parse(text, decimal_comma):
        name = (_term_before(text, parameter.start) or _phrase_before(text, parameter.start)
                or parameter.quantity)
        if parameter.bound == "upper" and out and out[-1].bound == "lower":
            name = previous or name  # a range's bounds share the lower bound's name
        previous = name
        out.append(replace(parameter, quantity=" ".join(p for p in (parameter.bound, name) if p)))
    return tuple(out)


def _restatements(found: list[Parameter], text: str) -> list[Parameter]:
    """Mark "(−268.65 °C)" after "4.5 K": the same value restated in other units."""
    out = list(found)
    for i in range(1, len(out)):
        first, second = out[i - 1], out[i]
        between = text[first.end:second.start]
        if not re.fullmatch(r"\s?\(\s?", between) or not first.dimension or (
                first.dimension != second.dimension):
            continue
        if _close(first.base, second.base, first.dimension):
            out[i] = replace(second, restated=True)
            if second.comparator and not first.comparator:  # "100 K (-173 °C) or less"
                out[i - 1] = replace(first, comparator=second.comparator)
    return out


def _close(a: float, b: float, dimension: str) -> bool:
    if dimension == "kelvin":
        return abs(a - b) <= 0.6
    return abs(a - b) <= 0.05 * max(abs(a), abs(b))  # restatements are rounded


def restated_span(parameter: Parameter, text: str) -> tuple[int, int]:
    """The span to drop for a restated quantity: its brackets too."""
    start = text.rfind("(", 0, parameter.start + 1)
    close = text.find(")", parameter.end)
    if start == -1 or close == -1 or text[parameter.end:close].strip():
        return parameter.start, parameter.end
    return start, close + 1


# -- differences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One parameter that differs: changed (both sides), removed (reference only) or added."""

    kind: str
    before: Parameter | None
    after: Parameter | None

    def describe(self) -> str:
        """"upper frequency 110 GHz → 90 GHz", "added: peak power > 1 W"."""
        one = self.before or self.after
        assert one is not None
        name = one.quantity or "value"
        if self.before and self.after:
            same_cmp = self.before.comparator == self.after.comparator
            before = _plain(self.before) if same_cmp else self.before.shown()
            after = _plain(self.after) if same_cmp else self.after.shown()
            return f"{name} {before} → {after}"
        return f"{self.kind}: {name} {one.shown()}"


def _plain(parameter: Parameter) -> str:
    return " ".join(p for p in (f"{parameter.value:.6g}", parameter.unit) if p)


def comparators_match(a: Parameter, b: Parameter) -> bool:
    """Same comparator, or the same one with and without its sense in brackets: "less (better)
    than" matches "less than" and "better than"."""
    if a.comparator == b.comparator:
        return True
    for one, other in ((a, b), (b, a)):
        if one.sense == "better" and other.comparator == "better" and one.comparator in (
                "<", ">"):
            return True
    return False


def same_parameter(a: Parameter, b: Parameter) -> bool:
    return (a.dimension == b.dimension and float(f"{a.base:.6g}") == float(f"{b.base:.6g}")
            and comparators_match(a, b))


def differences(reference: list[Parameter], other: list[Parameter]) -> list[Change]:
    """Parameters that differ: equal ones cancel out, the rest pair by dimension in order."""
    left = [p for p in reference if not p.restated]
    right = [p for p in other if not p.restated]
    for p in list(left):
        twin = next((q for q in right if same_parameter(p, q)), None)
        if twin is not None:
            left.remove(p)
            right.remove(twin)
    changes: list[Change] = []
    for p in left:
        twin = next((q for q in right if q.dimension == p.dimension), None)
        if twin is not None:
            right.remove(twin)
            changes.append(Change("changed", p, twin))
        else:
            changes.append(Change("removed", p, None))
    changes += [Change("added", None, q) for q in right]
    return changes
