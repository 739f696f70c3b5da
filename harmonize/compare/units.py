"""Units as printed in the lists, normalised with pint.

`UNIT` is a regular expression for a unit as the publishers print it: a symbol with its SI
prefix (`GHz`, `µm`, `kW`), a spelled-out name (`1 Watt`, `micrometres`, `parts per million`),
a compound (`W/cm2`, `m3 per minute`, `A/µs`) and a power of a length (`cm2`, `m³`).
`resolve(surface)` turns such a unit into a `Unit`: pint's symbol (`W/cm²`), the factor to SI
base units, the dimension (SI base units as text, `kilogram / second ** 3`) and the quantity's
name (`power density`). Resolution is cached per distinct surface form: the comparator meets the
same few hundred spellings again and again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# SI prefixes as printed, and which symbols may take them (a prefix on anything else is a word:
# "am", "as", "cd" are not units here).
_PREFIX = {"T": "tera", "G": "giga", "M": "mega", "k": "kilo", "c": "centi", "m": "milli",
           "µ": "micro", "u": "micro", "n": "nano", "p": "pico", "f": "femto", "P": "peta"}
_PREFIXED = {
    "Hz": "hertz", "W": "watt", "J": "joule", "V": "volt", "A": "ampere", "Pa": "pascal",
    "g": "gram", "m": "meter", "s": "second", "Gy": "gray", "rad": "radian", "T": "tesla",
    "N": "newton", "eV": "electron_volt", "bit": "bit", "Ω": "ohm", "F": "farad", "H": "henry",
    "Wh": "watt_hour", "Bq": "becquerel", "Ci": "curie", "Sv": "sievert", "Torr": "torr",
    "l": "liter", "L": "liter", "bar": "bar", "VA": "volt_ampere", "Ns": "newton * second",
}
# Symbols without a prefix (or whose prefixed forms are listed above).
_PLAIN = {
    "K": "kelvin", "°C": "degC", "°F": "degF", "°": "degree", "deg": "degree", "h": "hour",
    "hr": "hour", "hrs": "hour", "min": "minute", "sec": "second", "psi": "psi", "rpm": "rpm",
    "ft": "foot", "%": "percent", "ppm": "ppm", "ppb": "1e-9", "bps": "bit / second",
    "Gbps": "gigabit / second", "Mbps": "megabit / second", "kbps": "kilobit / second",
    "Tbps": "terabit / second", "ohm": "ohm", "ohms": "ohm", "mrad": "milliradian",
    "µrad": "microradian", "arcsec": "arcsecond", "Å": "angstrom",
}
# Spelled-out names (singular; a plural "s" is accepted after them) with their SI prefixes.
_NAMES = {
    "watt": "watt", "joule": "joule", "volt": "volt", "ampere": "ampere", "amp": "ampere",
    "hertz": "hertz", "kelvin": "kelvin", "metre": "meter", "meter": "meter", "gram": "gram",
    "second": "second", "pascal": "pascal", "newton": "newton", "tesla": "tesla",
    "gauss": "gauss", "radian": "radian", "gray": "gray", "litre": "liter", "liter": "liter",
    "tonne": "tonne", "minute": "minute", "hour": "hour", "day": "day", "year": "year",
    "bit": "bit", "byte": "byte", "degree": "degree", "inch": "inch", "foot": "foot",
    "feet": "foot", "knot": "knot", "nanovolt": "nanovolt", "ohm": "ohm", "rad": "rad",
}
_NAME_PREFIX = {"tera": "tera", "giga": "giga", "mega": "mega", "kilo": "kilo", "centi": "centi",
                "milli": "milli", "micro": "micro", "nano": "nano", "pico": "pico",
                "femto": "femto"}
_PHRASES = {  # multi-word units, longest first in the pattern
    "parts per million": "ppm", "parts per billion": "1e-9", "per cent": "percent",
    "percent": "percent", "degrees celsius": "degC", "degree celsius": "degC",
    "degrees centigrade": "degC", "degrees kelvin": "kelvin", "degrees fahrenheit": "degF",
    "revolutions per minute": "rpm", "bits per second": "bit / second",
    "nautical miles": "nautical_mile", "nautical mile": "nautical_mile",
    "mm hg": "millimeter_Hg", "mmhg": "millimeter_Hg", "arc seconds": "arcsecond",
    "arc second": "arcsecond", "seconds of arc": "arcsecond",
}
# Shares of a mixture, by weight or by atoms: one dimension each, however printed.
_FRACTIONS = {
    "mass fraction": ("weight percent", "weight per cent", "weight %", "percent by weight",
                      "per cent by weight",
                      "% by weight", "wt %", "wt%", "wt.%", "wt. %", "% by mass",
                      "percent by mass", "mass %"),
    "atomic fraction": ("atomic percent", "atomic %", "atom %", "at.%", "at. %",
                        "% by atoms", "atomic per cent"),
    "volume fraction": ("% by volume", "percent by volume", "per cent by volume", "vol %",
                        "vol.%"),
}
_FRACTION_OF = {spelling: kind for kind, spellings in _FRACTIONS.items()
                for spelling in spellings}
# Logarithmic levels are their own dimension: no conversion between dB, dBm and dBi.
_LEVELS = ("dBm", "dBi", "dBc", "dBW", "dB")
# Names of quantities by their SI base units (pint's to_base_units), for reading diffs.
QUANTITY_NAMES = {
    "1 / second": "frequency", "kilogram * meter ** 2 / second ** 3": "power",
    "kilogram * meter ** 2 / second ** 2": "energy", "meter": "length", "second": "time",
    "kilogram": "mass", "kelvin": "temperature", "kilogram / meter / second ** 2": "pressure",
    "kilogram * meter ** 2 / ampere / second ** 3": "voltage", "ampere": "current",
    "dimensionless": "ratio", "radian": "angle", "meter / second": "speed",
    "meter / second ** 2": "acceleration", "kilogram / meter ** 3": "density",
    "meter ** 2": "area", "meter ** 3": "volume", "kilogram / second ** 3": "power density",
    "meter ** 2 / second ** 2": "dose", "meter ** 3 / second": "flow rate",
    "bit": "data", "bit / second": "data rate", "ampere / meter ** 2": "current density",
    "kilogram / ampere / second ** 2": "magnetic flux density", "radian / second": "rotation rate",
    "kilogram * meter ** 2 / ampere ** 2 / second ** 3": "resistance",
    "kilogram * meter / second ** 2": "force", "meter ** 2 / second ** 3": "power per mass",
    "kilogram * meter ** 3 / ampere ** 2 / second ** 3": "resistivity",
    "count / second": "activity", "1 / meter ** 2": "fluence", "second / meter": "dispersion",
    "ampere / second": "current rise rate", "kilogram / second ** 2": "stiffness",
    "radian / second ** 2": "angular acceleration",
}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_SYMBOLS = [p + s for s in _PREFIXED for p in _PREFIX] + list(_PREFIXED) + list(_PLAIN)
_SYMBOL = _alternation(_SYMBOLS)
_NAME = (r"(?:" + _alternation(list(_NAME_PREFIX)) + r")?(?:" + _alternation(list(_NAMES))
         + r")(?:e?s)?")
_PHRASE = _alternation([*_PHRASES, *_FRACTION_OF])
_POWER = r"(?:\^?-?[1-4](?![\d.,]\d)|[²³])"
_ATOM = (r"(?:(?i:" + _PHRASE + r")|" + _alternation(list(_LEVELS)) + r"|(?i:" + _NAME + r")|"
         + r"(?:" + _SYMBOL + r"))" + _POWER + r"?")
# A compound: atoms joined by "/", "·", "*", " per "; an atom must end at a word boundary.
UNIT = (r"(?:" + _ATOM + r")(?:\s?(?:/|·|\*|\bper\b)\s?(?:" + _ATOM + r"))*(?![\w°%µ])")


@dataclass(frozen=True)
class Unit:
    """One unit as resolved: pint's symbol, factor and offset to SI base units, dimension."""

    symbol: str  # pint's short form, e.g. "W/cm²", "µm", "°C"; a level keeps its own ("dBm")
    factor: float
    offset: float  # only temperatures in °C/°F have one
    dimension: str  # SI base units as text; levels are "level dBm" etc.
    quantity: str  # name of what it measures ("frequency"), "" when unnamed

    def to_base(self, value: float) -> float:
        return value * self.factor + self.offset


@lru_cache(maxsize=1)
def registry() -> Any:
    """pint's unit registry, built once on first use (about 0.25 s)."""
    import pint

    return pint.UnitRegistry()


_ATOM_SPLIT = re.compile(r"\s?(/|·|\*|\bper\b)\s?")


@lru_cache(maxsize=4096)
def resolve(surface: str) -> Unit | None:
    """A printed unit (matched by `UNIT`) resolved with pint; None if pint cannot read it."""
    text = " ".join(surface.split())
    if text.lower() in _FRACTION_OF:  # "0,10 % by weight" = "0.10 weight percent"
        kind = _FRACTION_OF[text.lower()]
        return Unit(f"% ({kind})", 0.01, 0.0, kind, kind)
    if text == "g-force":  # "exceeding 15 g" of an acceleration
        return Unit("g", 9.80665, 0.0, "meter / second ** 2", "acceleration")
    if text.startswith(_LEVELS):  # "dBm", "dB/km": compared as printed
        return Unit(text, 1.0, 0.0, f"level {text}", "level")
    parts = [text] if text.lower() in _PHRASES else _ATOM_SPLIT.split(text)
    expression = []
    for index, part in enumerate(parts):
        if index % 2:
            expression.append("*" if part in ("·", "*") else "/")
            continue
        name = _atom_name(part)
        if name is None:
            return None
        expression.append(f"({name})")
    try:
        ureg = registry()
        unit = ureg.parse_expression(" ".join(expression))
        if not hasattr(unit, "units"):
            return None
        if str(unit.units) in ("degree_Celsius", "degree_Fahrenheit"):
            zero = ureg.Quantity(0.0, unit.units).to_base_units()
            one = ureg.Quantity(1.0, unit.units).to_base_units()
            factor, offset = float(one.magnitude - zero.magnitude), float(zero.magnitude)
            base = zero
        else:
            base = unit.to_base_units()
            factor, offset = float(base.magnitude), 0.0
        dimension = str(base.units)
        symbol = f"{unit.units:~P}" if unit.magnitude == 1 else text
    except Exception:  # pint raises many kinds of errors on odd input; unreadable = no unit
        return None
    return Unit(symbol.replace("deg", "°") if symbol == "deg" else symbol, factor, offset,
                dimension, QUANTITY_NAMES.get(dimension, ""))


_LENGTHS = {"m", "cm", "mm", "km", "µm", "um", "nm", "ft"}


def _atom_name(atom: str) -> str | None:
    """One atom ("cm2", "Watts", "°C", "parts per million") as a pint expression."""
    power = ""
    match = re.fullmatch(r"(.+?)\^?(-?[1-4]|[²³])", atom)
    if match and not atom.endswith(("bit", "Hz")) and match.group(1) not in _LEVELS:
        base_atom, exponent = match.group(1), match.group(2).replace("²", "2").replace("³", "3")
        # "cm2" is a square centimetre; "mm-1" per millimetre.
        if _atom_name(base_atom) is not None and (
                base_atom in _LENGTHS or exponent.startswith("-") or base_atom.lower() in (
                    "meter", "metre", "meters", "metres", "s", "sec", "second")):
            atom, power = base_atom, exponent
    lowered = atom.lower()
    if lowered in _PHRASES:
        name = _PHRASES[lowered]
    elif atom in _PLAIN:
        name = _PLAIN[atom]
    elif atom in _PREFIXED:
        name = _PREFIXED[atom]
    elif atom[:1] in _PREFIX and atom[1:] in _PREFIXED:
        name = _PREFIX[atom[:1]] + _PREFIXED[atom[1:]]
    else:
        spelled = _spelled(lowered)
        if spelled is None:
            return None
        name = spelled
    return f"{name} ** {power}" if power else name


def _spelled(word: str) -> str | None:
    """"micrometres" -> "micrometer", "Watts" -> "watt" (None if not a unit name)."""
    prefix = next((p for p in sorted(_NAME_PREFIX, key=len, reverse=True)
                   if (word.startswith(p) and word[len(p):].rstrip("s") in _NAMES)
                   or (word.startswith(p) and word[len(p):].removesuffix("es") in _NAMES)), "")
    rest = word[len(prefix):]
    for candidate in (rest, rest.removesuffix("s"), rest.removesuffix("es")):
        if candidate in _NAMES:
            return _NAME_PREFIX.get(prefix, "") + _NAMES[candidate]
    return None
