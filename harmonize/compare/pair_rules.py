"""Pair rules: explain one difference left between two editorial keys.

After the text rules (`editorial_rules`) two keys may still differ where only the pair shows
that the difference is editorial: one text spells an acronym out, the other does not; one list
has a typo the others do not share. Each rule here looks at one difference (an `Op`: the words
of the reference and of the other text at that place, with the words around it) and says
whether it explains it. A difference no rule explains stays substantive (`verdicts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from harmonize.compare import pair_table
from harmonize.compare.editorial_rules import american, expands
from harmonize.compare.note_rules import (
    definition_verbs,
    purpose_clause,
    restated_z_paragraphs,
)
from harmonize.compare.quantities import Parameter, parse
from harmonize.compare.units import QUANTITY_NAMES

# Words a one-word acronym must not be (a replaced "or" is no acronym of "one rotor").
_COMMON = {"or", "and", "as", "at", "an", "in", "on", "of", "to", "is", "it", "be", "by",
           "no", "so", "we", "us", "up", "if", "do", "go", "me", "my", "he", "am", "per",
           "for", "not", "the", "any", "all", "are", "was", "has", "had", "can", "may", "see"}
_SCOPE_FREE = {"a", "an", "the"}
_FILLERS = {"being", "which", "that", "are", "is", "be"}
# Words that set a control's scope: no rule folds them away.
SCOPE_WORDS = {"and", "or", "not", "nor", "any", "all", "each", "every", "both", "either",
               "neither", "no", "none", "only", "except", "excluding", "including", "unless",
               "other", "than", "without", "but", "also", "whether"}
# A reference in an editorial key: "5a001_a_1", "6a".
CODE_WORD = re.compile(r"^\d[a-e](?:\d{3}(?:_\w+)*)?$")


@dataclass(frozen=True)
class Op:
    """One difference: the reference's words and the other text's words at one place."""

    ref: tuple[str, ...]
    other: tuple[str, ...]
    before: tuple[str, ...] = ()  # a few words before the place (in the longer text)
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a pair rule may look at beyond the op: the prepared texts (with their capitals)
    and how many lists use each key word (the typo rule's guard). Hashed by identity."""

    ref_text: str = ""
    other_text: str = ""
    ref_comma: bool = False
    other_comma: bool = False
    vocabulary: Mapping[str, int] | None = field(default=None, compare=False, hash=False)


def _token(word: str) -> tuple[str, str, str] | None:
    """A parameter token `⟨b<|4.5|kelvin⟩` as (sense + comparator, value, dimension)."""
    if not (word.startswith("⟨") and word.endswith("⟩")):
        return None
    parts = word[1:-1].split("|")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    for one, other in ((a, b), (b, a)):
        # "less (better) than" (b<) = "less than" (<) = "better than" (better)
        if one.startswith("b") and one[1:2] in "<>" and other in (one[1:], "better"):
            return True
    return False


def _flattened(printed: Parameter, value: float) -> bool:
    """`103` printed where the other text has 10^3: a superscript lost in extraction."""
    digits = re.fullmatch(r"\D*?10(\d{1,2})(?:\s?\D.*)?", printed.text)
    return digits is not None and printed.value == float("10" + digits.group(1)) and (
        abs(value - 10.0 ** int(digits.group(1))) < 1e-9 * max(1.0, abs(value)))


_BARE_POWER_TOKEN = re.compile(r"⟨\|1e\+0?(\d{1,2})\|⟩")


def _flattened_bare(token: str, word: str) -> bool:
    """`in 10^9 alloy particles` (a bare power, no comparator, no unit) = `in 109 alloy
    particles`: the one copy's word is the power's digits without the raising."""
    found = _BARE_POWER_TOKEN.fullmatch(token)
    return found is not None and word == "10" + found.group(1)


def flattened_power(op: Op, context: Context) -> bool:
    """`exceeding 103` = `exceeding 10^3`: a power of ten whose superscript one copy lost
    (the same comparator and unit; only the value 10n against 10^n)."""
    if len(op.ref) != 1 or len(op.other) != 1:
        return False
    if _flattened_bare(op.ref[0], op.other[0]) or _flattened_bare(op.other[0], op.ref[0]):
        return True
    ta, tb = _token(op.ref[0]), _token(op.other[0])
    if ta is None or tb is None or ta[2] != tb[2] or not _compatible(ta[0], tb[0]):
        return False
    pa = parameter_of(op.ref[0], parse(context.ref_text, context.ref_comma))
    pb = parameter_of(op.other[0], parse(context.other_text, context.other_comma))
    if pa is None or pb is None or pa.unit != pb.unit:
        return False
    return _flattened(pa, pb.value) or _flattened(pb, pa.value)


def comparator_sense(op: Op, context: Context) -> bool:
    """Parameters equal but for "(better)": `less (better) than` = `less than` = `better than`."""
    if len(op.ref) != len(op.other) or not op.ref:
        return False
    for a, b in zip(op.ref, op.other, strict=True):
        ta, tb = _token(a), _token(b)
        if ta is None or tb is None or ta[1:] != tb[1:] or not _compatible(ta[0], tb[0]):
            return False
    return True


@lru_cache(maxsize=20_000)
def _capitals(raw: str) -> frozenset[str]:
    """The words a text prints in capitals (an acronym's plural "DACs" as "dac")."""
    return frozenset(w.lower() for w in _CAPITAL_WORD.findall(raw))


_CAPITAL_WORD = re.compile(r"\b([A-Z]{2,10})s?\b")


def capitals_cache_clear() -> None:
    _capitals.cache_clear()


def _is_acronym(word: str, raw: str) -> bool:
    """A one-word acronym: not a common word, and printed in capitals in its own text."""
    if len(word) < 2 or word in _COMMON or not word.isalpha():
        return False
    return word in _capitals(raw)


def acronym_expansion(op: Op, context: Context) -> bool:
    """One text spells out what the other abbreviates: `exploding bridge wire` = `EBW`
    (whatever the long form's capitals), with or without the acronym repeated after it."""
    pairs = ((op.ref, op.other, context.other_text), (op.other, op.ref, context.ref_text))
    for long, short, short_raw in pairs:
        if len(short) == 1 and _is_acronym(short[0], short_raw) and expands(
                list(long), short[0].upper()):
            return True
        raw = context.ref_text + " " + context.other_text
        if not short and long:  # "EBW (exploding bridge wire)": the long form beside it
            for neighbour in (op.before[-1:], op.after[:1]):
                if neighbour and _is_acronym(neighbour[0], raw) and expands(
                        list(long), neighbour[0].upper()):
                    return True
        # "molecular laser isotope separation (MLIS)" in one text only: the acronym repeats
        # the words just before it.
        if not short and len(long) == 1 and _is_acronym(long[0], raw):
            for size in range(2, min(8, len(op.before)) + 1):
                if expands(list(op.before[-size:]), long[0].upper()):
                    return True
    return False


_DOUBLE_L = re.compile(r"([ae])ll(ed|ing|er|ers)$")


def _skeleton(word: str) -> str:
    """A word with the spelling variants of English folded: -lled/-led, ae/oe/e, -ence/-ense,
    -mme/-m, -eing/-ing, ph/f, -ogue/-og, -our/-or, -re/-er, -ise/-ize."""
    word = american(word)
    word = _DOUBLE_L.sub(r"\1l\2", word)
    word = word.replace("ae", "e").replace("oe", "e").replace("ph", "f")
    word = re.sub(r"ence(s?)$", r"ense\1", word)
    word = re.sub(r"mme(s?)$", r"m\1", word)
    return re.sub(r"eing$", "ing", word)


def spelling_variant(op: Op, context: Context) -> bool:
    """British and American spellings beyond the text rule: `modelled`/`modeled`,
    `haemorrhagic`/`hemorrhagic`, `defence`/`defense`, `programme`/`program`."""
    if len(op.ref) != len(op.other) or not op.ref:
        return False
    return all(a == b or (a.isalpha() and b.isalpha() and len(a) > 3
                          and _skeleton(a) == _skeleton(b))
               for a, b in zip(op.ref, op.other, strict=True))


def compound_words(op: Op, context: Context) -> bool:
    """One word or two: `seabed` = `sea bed`, `co-ordinating` = `coordinating`, a glued
    `havingall of` = `having all` (an `of` the other text's `all of the` lost)."""
    if not op.ref or not op.other:
        return False
    if len(op.ref) != len(op.other) and "".join(op.ref) == "".join(op.other):
        return True
    ref = [w for w in op.ref if w != "of"]
    other = [w for w in op.other if w != "of"]
    if len(ref) != len(other) and "".join(ref) == "".join(other):
        return True
    # A formula spaced otherwise: "126+20 log10f-20 log10f" = "126 + 20log10f - 20log10f"
    return len(op.ref) != len(op.other) and _FORMULA_SPACE.sub("", "".join(op.ref)) == (
        _FORMULA_SPACE.sub("", "".join(op.other))) and any(c in "".join(op.ref + op.other)
                                                           for c in "+*=")


_FORMULA_SPACE = re.compile(r"[+\-*/=]")


_SUFFIXES = ("ations", "ation", "ions", "ion", "ments", "ment", "ings", "ing", "ages", "age",
             "ed", "es", "s", "e")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def word_forms(op: Op, context: Context) -> bool:
    """A verb and its noun or participle at the same place: `collects and stores images` =
    `collection and storage of images`, `when measured` = `when measuring`. Only inflections
    and -ion/-ment/-age nouns of one stem of four letters or more; never a scope word."""
    ref = [w for w in op.ref if w not in ("of", "the", "a", "an")]
    other = [w for w in op.other if w not in ("of", "the", "a", "an")]
    if not ref or len(ref) != len(other) or not op.ref or not op.other:
        return False
    return all(a == b or (a.isalpha() and b.isalpha() and min(len(a), len(b)) >= 6
                          and not {a, b} & SCOPE_WORDS and _stem(a) == _stem(b))
               for a, b in zip(ref, other, strict=True))


def qualified_reference(op: Op, context: Context) -> bool:
    """A qualifier on items a reference already pins down: `usable in vibration test systems
    specified in 2B116.a` = `usable in systems specified in 2B116.a` (the reference names
    exactly which systems)."""
    words = op.ref or op.other
    if (op.ref and op.other) or not 1 <= len(words) <= 3 or set(words) & SCOPE_WORDS:
        return False
    return (len(op.after) >= 3 and op.after[1] == "in" and CODE_WORD.match(op.after[2])
            is not None and all(w.isalpha() for w in words))


# Nouns that say only "the items": before a reference they stand for what it names.
_GENERIC_ITEMS = {"goods", "equipment", "items", "products", "commodities"}


def referenced_items(op: Op, context: Context) -> bool:
    """`the use of goods specified in 6A108` = `the use of equipment controlled by 6A108`:
    a generic noun for the items a reference names (goods, equipment, items, products,
    commodities); a noun that narrows them (`components`, `software`) stays a difference."""
    return (len(op.ref) == 1 and len(op.other) == 1 and op.ref[0] in _GENERIC_ITEMS
            and op.other[0] in _GENERIC_ITEMS and op.after[:1] == ("in",)
            and len(op.after) > 1 and CODE_WORD.match(op.after[1]) is not None)


def _distance_one(a: str, b: str) -> bool:
    """Optimal string alignment distance of exactly one (an edit or a transposition)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def one_list_typo(op: Op, context: Context) -> bool:
    """A misspelt word one list alone prints (`accompained` for `accompanied`): one edit or
    transposition away, words of six letters or more, the odd word in no other list and the
    other word in at least two."""
    vocabulary = context.vocabulary
    if vocabulary is None or len(op.ref) != 1 or len(op.other) != 1:
        return False
    a, b = op.ref[0], op.other[0]
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 6 or not _distance_one(a, b):
        return False
    uses_a, uses_b = vocabulary.get(a, 0), vocabulary.get(b, 0)
    return (uses_a <= 1 and uses_b >= 2) or (uses_b <= 1 and uses_a >= 2)


_IRREGULAR = {"axes": "axis", "media": "medium", "criteria": "criterion", "data": "datum",
              "matrices": "matrix", "indices": "index", "apparatus": "apparatus"}


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "ses")) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "is", "us")) and len(word) > 3:
        return word[:-1]
    return word


def _same_noun(a: str, b: str) -> bool:
    return a == b or (a.isalpha() and b.isalpha() and min(len(a), len(b)) > 3
                      and _singular(a) == _singular(b))


def singular_plural(op: Op, context: Context) -> bool:
    """The same noun in the singular and the plural: `missile`/`missiles`, `axis`/`axes`."""
    if len(op.ref) != len(op.other) or not op.ref:
        return False
    return all(_same_noun(a, b) for a, b in zip(op.ref, op.other, strict=True))


_CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")


def cas_numbers(op: Op, context: Context) -> bool:
    """A CAS registry number printed in one text only: it identifies the substance named."""
    words = op.ref or op.other
    if op.ref and op.other:
        return False
    return any(_CAS.match(w) for w in words) and all(
        _CAS.match(w) or w in ("cas", "no", "/", "or") for w in words)


_PAIRS_OF_TWO = ({"all", "both"}, {"any", "either"})
_COMPARATIVES = ({"less", "lower", "smaller", "fewer"}, {"more", "greater", "higher", "larger"})


def comparative_synonyms(op: Op, context: Context) -> bool:
    """`less (better) than` = `lower (better) than`, `or more` = `or greater`: comparatives
    of one direction where no number follows them (with a number, `quantities` reads them)."""
    if len(op.ref) != 1 or len(op.other) != 1:
        return False
    pair = {op.ref[0], op.other[0]}
    return any(pair <= group for group in _COMPARATIVES) and (
        op.after[:1] in (("than",), ("better",)) or op.before[-1:] == ("or",))


def two_item_quantifiers(op: Op, context: Context) -> bool:
    """`having all of the following` = `having both of the following` (two sub-items),
    `any` = `either`: the quantifier before a list, in the form a list of two takes."""
    if len(op.ref) != 1 or len(op.other) != 1 or op.after[:1] not in (("the",), ("of",)):
        return False
    return {op.ref[0], op.other[0]} in _PAIRS_OF_TWO


def enumeration_connectors(op: Op, context: Context) -> bool:
    """`7A, 7B or 7D001` = `7A, 7B, 7D001`: a connector between two entries of a list of
    references (the commas are not compared); `X and any of the following` = `X any of the
    following` (the connector before the list a heading opens); `or` between items of an
    `or` list."""
    words = set(op.ref) | set(op.other)
    if not words or not words <= {"or", "and"} or (op.ref and op.other):
        return False
    if words == {"and"} and (op.after[:3] in (("any", "the", "following"), (
            "all", "the", "following")) or (op.after[:1] and op.after[0] in _LIST_VERBS
                                           and op.after[1:2] in _LIST_QUANTIFIERS)):
        return True  # "X and [having] any of the following" = "X [having] any of the following"
    if op.before and op.after and CODE_WORD.match(op.before[-1]) and CODE_WORD.match(
            op.after[0]):
        return True
    return words == {"or"} and _within_or_list(op, context)


def _within_or_list(op: Op, context: Context) -> bool:
    """`carbide, nitride or oxide, diamond` = `carbide, nitride, oxide or diamond`: `or` added
    between two items of a list joined by commas and `or`, where neither text says `and` (an
    `or` inside an `and` list would change it)."""
    if not (op.before and op.after and op.before[-1].isalpha() and op.after[0].isalpha()):
        return False
    if {op.before[-1], op.after[0]} & SCOPE_WORDS:
        return False
    texts = (context.ref_text.lower(), context.other_text.lower())
    return all(", " in t and " or " in t and " and " not in t for t in texts)


_LIST_VERBS = {"having", "being", "with", "utilizing", "utilising", "using", "employing"}
_LIST_QUANTIFIERS = (("any",), ("all",), ("both",), ("either",))

_NAMES_BY_TOKEN = {dimension.replace(" ", ""): name
                   for dimension, name in QUANTITY_NAMES.items()}
# Other single nouns that name what a unit measures ("for a period of 48 hours").
_SYNONYMS = {"time": {"period", "duration"}, "length": {"distance"},
             "frequency": {"frequencies"}, "temperature": {"temperatures"},
             "pressure": {"pressures"}}

# Names of several words that say no more than the unit: a dose in grays is the total absorbed
# radiation dose (a dose rate would be in grays per second).
_NAME_PHRASES = {"dose": {("radiation", "dose"), ("total", "dose"), ("absorbed", "dose"),
                          ("total", "radiation", "dose"), ("total", "ionizing", "dose"),
                          ("total", "ionising", "dose"), ("total", "absorbed", "dose")}}


def quantity_name(op: Op, context: Context) -> bool:
    """The quantity named before its value in one text only: `a vacuum (pressure equal to or
    less than 100 Pa)` = `vacuum (equal to or less than 100 Pa)`. Only the exact name of what
    the unit measures (`pressure` before pascals), never a qualifier (`peak power`)."""
    if (op.ref and op.other) or not op.after or not op.after[0].startswith("⟨"):
        return False
    token = _token(op.after[0])
    words = [w for w in (op.ref or op.other) if w not in ("a", "an", "the", "of")]
    if token is None or not words:
        return False
    name = _NAMES_BY_TOKEN.get(token[2], "")
    return bool(name) and (tuple(words) in _NAME_PHRASES.get(name, ()) or (len(words) == 1 and (
        words[0] == name or words[0] in _SYNONYMS.get(name, ()))))




def list_verbs(op: Op, context: Context) -> bool:
    """The verb that opens a list of sub-items: `having any of the following` = `utilising
    any of the following` = `being any of the following`; the sub-items set the condition."""
    return (len(op.ref) == 1 and len(op.other) == 1 and op.ref[0] in _LIST_VERBS
            and op.other[0] in _LIST_VERBS and op.after[1:3] == ("the", "following")
            and op.after[:1] in _LIST_QUANTIFIERS)


def decontrol_verbs(op: Op, context: Context) -> bool:
    """`X does not apply to` = `X does not control` (the opening of a decontrol note)."""
    verbs = {op.ref, op.other}
    return verbs == {("apply", "to"), ("control",)} and op.before[-2:] in (
        ("does", "not"), ("do", "not"))


def articles(op: Op, context: Context) -> bool:
    """An article added, dropped or swapped (`the`, `a`, `an`); `of` before a value;
    `therefor`, `thereof` pointing back to the items just named."""
    if set(op.ref) <= _SCOPE_FREE and set(op.other) <= _SCOPE_FREE:
        return True
    if not (op.ref and op.other) and set(op.ref or op.other) <= {"therefor", "thereof"}:
        return True
    return (set(op.ref) | set(op.other)) <= {"of", "a", "an", "the"} and (
        not op.ref or not op.other) and op.after[:1] != () and op.after[0].startswith("⟨")


def relative_fillers(op: Op, context: Context) -> bool:
    """`Being made from` = `Made from`; `that are` / `which are` around a description."""
    return set(op.ref) <= _FILLERS and set(op.other) <= _FILLERS

# Words that only frame a value: the verb or preposition that introduces it and the noun that
# says it is a level or a range ("having a purity of", "of purity levels of", "in the wavelength
# range", "at a wavelength that is").
_FRAMING = {"having", "with", "of", "a", "an", "the", "level", "levels", "value", "values",
            "in", "at", "within", "range", "that", "is", "are", "which"}


def _is_token(word: str) -> bool:
    return word.startswith("⟨")


def value_framing(op: Op, context: Context) -> bool:
    """Words that frame a value, before or after it or between a range's bounds (`having a
    purity of` = `of purity levels of`; `in the wavelength range` = `at a wavelength that is`).
    The values must match; at most two plain words (the quantity's name) between the framing
    words and the value; scope words never frame."""
    ref = [w for w in op.ref if w not in _FRAMING]
    other = [w for w in op.other if w not in _FRAMING]
    if len(ref) != len(other) or not all(_is_token(a) and _is_token(b) and _same_value(a, b)
                                         for a, b in zip(ref, other, strict=True)):
        return _between_bounds(op)
    if ref:
        return True  # the values are in the op, framed otherwise
    if (op.ref or op.other) == ("of",) and not (op.ref and op.other) and op.before and (
            _is_token(op.before[-1]) and op.after[:1] and op.after[0].isalpha()
            and op.after[0] not in SCOPE_WORDS):
        return True  # "23 % by weight of chromium" = "23 weight percent chromium"
    ahead = next((i for i, w in enumerate(op.after[:4]) if _is_token(w)), None)
    if ahead is None:
        return False
    name = [w for w in op.after[:ahead] if w not in _FRAMING]
    return len(name) <= 2 and all(w.isalpha() and w not in SCOPE_WORDS for w in name)


def _same_value(a: str, b: str) -> bool:
    ta, tb = _token(a), _token(b)
    return ta is not None and tb is not None and ta[1:] == tb[1:] and _compatible(ta[0], tb[0])


def _between_bounds(op: Op) -> bool:
    """`but` or `and` between a range's lower and upper bound."""
    words = set(op.ref) | set(op.other)
    if not words or not words <= {"but", "and"} or not op.before or not op.after:
        return False
    low, high = _token(op.before[-1]), _token(op.after[0])
    return (low is not None and high is not None and low[0].lstrip("b") in (">", ">=")
            and high[0].lstrip("b") in ("<", "<=") and low[2] == high[2])


# Phrases that say an item can do something (and nothing about what it is designed for).
_CAPABILITY = {("capable", "of"), ("allowing", "for"), ("allowing",), ("permitting",),
               ("enabling",), ("able", "to")}


def capability_phrases(op: Op, context: Context) -> bool:
    """`capable of` = `allowing (for)` = `permitting` = `enabling`, articles aside; never
    `designed for` or `for use in`, which say what an item is meant for."""
    ref = tuple(w for w in op.ref if w not in _SCOPE_FREE)
    other = tuple(w for w in op.other if w not in _SCOPE_FREE)
    return ref != other and ref in _CAPABILITY and other in _CAPABILITY


# Words that end the noun phrase naming an entry's items (a condition or purpose starts).
_CONDITION_STARTS = {"having", "with", "which", "that", "being", "capable", "designed",
                     "specially", "for", "of", "in", "by", "containing", "using", "employing",
                     "incorporating", "usable", "used", "when", "where", "if", "made", "as",
                     "to", "other", "except", "not", "whose", "able", "allowing", "at", "on"}


def item_list_connectors(op: Op, context: Context) -> bool:
    """`and` or `or` joining the kinds of item a text opens by naming (`Valves or pumps for`):
    only in that opening noun phrase, before any condition; between conditions they differ."""
    if {op.ref, op.other} != {("or",), ("and",)} or len(op.before) >= 8 or not op.before:
        return False
    nouns = (*op.before, *op.after[:1])
    return all(w.isalpha() and w not in _CONDITION_STARTS and w not in SCOPE_WORDS
               for w in nouns)


def opening_list_verb(op: Op, context: Context) -> bool:
    """A sub-item opening with its list's verb (`having`, `with`), and that verb carried over
    `and` to the list it opens (`Having 3 axes and all of` = `3 axes having all of`)."""
    if (not op.before and not op.ref and op.other in (("having",), ("with",))) or (
            not op.before and not op.other and op.ref in (("having",), ("with",))):
        return bool(op.after) and (_is_token(op.after[0]) or op.after[0].isalpha())
    if {op.ref, op.other} not in ({("having",), ("and",)}, {("with",), ("and",)}):
        return False
    if op.after[:1] not in _LIST_QUANTIFIERS or op.after[1:3] not in (("the", "following"),
                                                                      ("of", "the")):
        return False
    with_and = context.ref_text if op.ref == ("and",) else context.other_text
    return with_and.lstrip().lower().startswith(("having ", "with "))


def restated_modifier(op: Op, context: Context) -> bool:
    """A word before the first noun that restates the purpose both texts give (`Feed pumps
    for delivering the feed water` = `Pumps for delivering the feed water`)."""
    words = op.ref or op.other
    if (op.ref and op.other) or op.before or len(words) != 1 or not words[0].isalpha() or (
            words[0] in SCOPE_WORDS or len(words[0]) < 4):
        return False
    purpose = re.compile(r"\bfor\b[^;:]{0,60}?\b" + re.escape(words[0]) + r"\b", re.I)
    return all(purpose.search(text) for text in (context.ref_text, context.other_text))


# The same thing in one word or a compound: "component parts" are the components.
_COMPOUND_SYNONYMS = ({("components",), ("component", "parts")},
                     {("component",), ("component", "part")})


def compound_synonyms(op: Op, context: Context) -> bool:
    """`specially designed components therefor` = `specially designed component parts
    therefor`: a term and a compound that names the same thing (a short table; `parts` alone
    is not `components`)."""
    return any({op.ref, op.other} == pair for pair in _COMPOUND_SYNONYMS)


# "The control status of X is determined by the control status of Y" = "the status of ...":
# in an export-control note an item's status is its control status. A parameter the note
# calls "the control parameter" or "the specified parameter" is the entry's own parameter.
_STATUS_NOUNS = ("status",)
_PARAMETER_NOUNS = ("parameter", "parameters")


def control_status(op: Op, context: Context) -> bool:
    """`the control status of` = `the status of`; `the control parameter` = `the specified
    parameter`. Only "control" before "status", or "control"/"specified" before "parameter":
    "control" before any other word stays a difference."""
    head = op.after[:1]
    if {op.ref, op.other} == {(), ("control",)}:
        return head in {(noun,) for noun in _STATUS_NOUNS}
    if {op.ref, op.other} == {("control",), ("specified",)}:
        return head in {(noun,) for noun in _PARAMETER_NOUNS}
    return False


PairRule = Callable[[Op, Context], bool]
FUNCTIONS: dict[str, PairRule] = {
    "comparator-sense": comparator_sense,
    "flattened-power-of-ten": flattened_power,
    "acronym-expansion": acronym_expansion,
    "spelling-variants": spelling_variant,
    "compound-words": compound_words,
    "singular-plural": singular_plural,
    "word-forms": word_forms,
    "qualified-reference": qualified_reference,
    "referenced-items": referenced_items,
    "one-list-typo": one_list_typo,
    "cas-numbers": cas_numbers,
    "two-item-quantifiers": two_item_quantifiers,
    "comparative-synonyms": comparative_synonyms,
    "enumeration-connectors": enumeration_connectors,
    "quantity-name": quantity_name,
    "list-verbs": list_verbs,
    "decontrol-verbs": decontrol_verbs,
    "articles": articles,
    "relative-fillers": relative_fillers,
    "value-framing": value_framing,
    "capability-phrases": capability_phrases,
    "item-list-connectors": item_list_connectors,
    "opening-list-verb": opening_list_verb,
    "restated-modifier": restated_modifier,
    "compound-synonyms": compound_synonyms,
    "control-status": control_status,
    "restated-z-paragraphs": restated_z_paragraphs,
    "purpose-clause": purpose_clause,
    "definition-verbs": definition_verbs,
}

def explain(op: Op, context: Context) -> str:
    """The name of the first pair rule that explains `op`, or ""."""
    for name, rule in FUNCTIONS.items():
        if rule(op, context):
            return name
    return ""


def parameter_of(word: str, parameters: tuple[Parameter, ...]) -> Parameter | None:
    """The parsed parameter a key token stands for."""
    return next((p for p in parameters if p.token() == word), None)


# The rules as a table (names, what they explain, examples and guards).
PAIR_RULES = pair_table.PAIR_RULES
