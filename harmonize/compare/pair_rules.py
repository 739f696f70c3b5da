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

from harmonize.compare.editorial_rules import Rule, american, expands
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
    return any(_CAS.match(w) for w in words) and all(_CAS.match(w) or w in ("cas", "no")
                                                     for w in words)


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
    following` (the connector before the list a heading opens)."""
    words = set(op.ref) | set(op.other)
    if not words or not words <= {"or", "and"} or (op.ref and op.other):
        return False
    if op.after[:3] in (("any", "the", "following"), ("all", "the", "following")) and (
            words == {"and"}):
        return True
    return bool(op.before and op.after and CODE_WORD.match(op.before[-1])
                and CODE_WORD.match(op.after[0]))


_NAMES_BY_TOKEN = {dimension.replace(" ", ""): name
                   for dimension, name in QUANTITY_NAMES.items()}
# Other single nouns that name what a unit measures ("for a period of 48 hours").
_SYNONYMS = {"time": {"period", "duration"}, "length": {"distance"},
             "frequency": {"frequencies"}, "temperature": {"temperatures"},
             "pressure": {"pressures"}}


def quantity_name(op: Op, context: Context) -> bool:
    """The quantity named before its value in one text only: `a vacuum (pressure equal to or
    less than 100 Pa)` = `vacuum (equal to or less than 100 Pa)`. Only the exact name of what
    the unit measures (`pressure` before pascals), never a qualifier (`peak power`)."""
    if (op.ref and op.other) or not op.after or not op.after[0].startswith("⟨"):
        return False
    token = _token(op.after[0])
    words = [w for w in (op.ref or op.other) if w not in ("a", "an", "the", "of")]
    if token is None or len(words) != 1:
        return False
    name = _NAMES_BY_TOKEN.get(token[2], "")
    return bool(name) and (words[0] == name or words[0] in _SYNONYMS.get(name, ()))


_LIST_VERBS = {"having", "being", "with", "utilizing", "utilising", "using", "employing"}


def list_verbs(op: Op, context: Context) -> bool:
    """The verb that opens a list of sub-items: `having any of the following` = `utilising
    any of the following` = `being any of the following`; the sub-items set the condition."""
    return (len(op.ref) == 1 and len(op.other) == 1 and op.ref[0] in _LIST_VERBS
            and op.other[0] in _LIST_VERBS and op.after[1:3] == ("the", "following")
            and op.after[:1] in (("any",), ("all",), ("both",), ("either",)))


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
}

PAIR_RULES: tuple[Rule, ...] = (
    Rule("comparator-sense", "pair",
         "A comparator with its sense in brackets equals the comparator alone and the sense "
         "alone: `less (better) than` = `less than` = `better than` (same value and unit).",
         "The bracket says which direction is better; it restates, it does not change, the "
         "threshold.",
         (("equal to or less (better) than 0.5°", "equal to or less than 0.5°"),
          ("less (better) than 30 nm", "better than 30 nm")),
         (("less than 30 nm", "better than 30 nm"),
          ("less (better) than 30 nm", "less than 40 nm"))),
    Rule("flattened-power-of-ten", "pair",
         "A power of ten whose superscript one copy lost: `exceeding 103` = `exceeding 10^3` "
         "(same comparator and unit; only 10n against 10^n).",
         "The publisher printed 10³; the copy kept the digits without the superscript.",
         (("ratio equal to or exceeding 103.", "ratio equal to or exceeding 10^3."),
          ("larger than 100 µm in 109 alloy particles;",
           "larger than 100 µm in 10⁹ alloy particles;")),
         (("ratio equal to or exceeding 103.", "ratio equal to or exceeding 10^4."),
          ("larger than 100 µm in 108 alloy particles;",
           "larger than 100 µm in 10⁹ alloy particles;"))),
    Rule("acronym-expansion", "pair",
         "One text spells out what the other abbreviates, whatever the capitals: `exploding "
         "bridge wire` = `EBW`, `instantaneous field of view (IFOV)` = `IFOV`.",
         "The same term; the acronym must be printed in capitals and spell the words' "
         "initials.",
         (("an IFOV of less than 200 µrad", "an instantaneous field of view of less than 200 "
           "µrad"), ("Exploding foil initiators (EFI)", "EFI"),
          ("molecular laser isotope separation (MLIS) systems",
           "molecular laser isotope separation systems")),
         (("one rotor", "or"), ("arithmetic logic unit", "FPU"))),
    Rule("spelling-variants", "pair",
         "Spelling variants English allows, compared word for word: -lled/-led, ae/e, oe/e, "
         "-ence/-ense, -mme/-m, -eing/-ing, ph/f, besides the text rule's patterns.",
         "The same word in two spellings; both words must stand at the same place.",
         (("modelled", "modeled"), ("haemorrhagic fever", "hemorrhagic fever"),
          ("defence articles", "defense articles")),
         (("filling", "filing"), ("methyl", "ethyl"))),
    Rule("compound-words", "pair",
         "One word or two or hyphenated: `seabed` = `sea bed`, `co-ordinating` = "
         "`coordinating`, a word broken at a line end (`classi- fication`), a formula spaced "
         "otherwise (`126+20 log10f` = `126 + 20log10f`).",
         "The same letters in the same order; only the spacing differs.",
         (("relative to the seabed", "relative to the sea bed"),
          ("capable of co-ordinating", "capable of coordinating")),
         (("sea bed", "sea floor"),)),
    Rule("singular-plural", "pair",
         "The same noun in the singular and the plural at the same place: `missile` = "
         "`missiles`, `axis` = `axes`, `telecommunication` = `telecommunications`.",
         "Legal lists use number loosely: `for use in missiles` and `for use in missile "
         "systems` name the same items; a count (`two axes`) is compared as a number.",
         (("usable in rockets or missiles", "usable in rockets or missile"),
          ("more than 4 axes", "more than 4 axis")),
         (("missiles", "missions"),)),
    Rule("word-forms", "pair",
         "A verb and its noun or participle at the same place: `collects and stores images` = "
         "`collection and storage of images`, `when measured` = `when measuring`.",
         "Inflections and -ion/-ment/-age nouns of one stem name the same act; scope words "
         "(`not`, `any`, `all`...) never fold.",
         (("Collects and stores images having more than 2 × 10^8 pixels;",
           "Collection and storage of images having more than 2 x 10 8 pixels;"),
          ("an accuracy of better than 130 Pa when measured at 13 kPa",
           "an accuracy of better than 130 Pa when measuring at 13 kPa")),
         (("designed for production", "designed for products testing"),
          ("having all of the following", "having any of the following"))),
    Rule("qualified-reference", "pair",
         "A qualifier on items a reference already pins down: `usable in vibration test "
         "systems specified in 2B116.a` = `usable in systems specified in 2B116.a`.",
         "The reference names exactly which items; one to three plain words before them "
         "cannot change that set (scope words never fold).",
         (("usable in systems specified in 2B116.a.", "usable in vibration test systems "
           "specified in 2B116.a."),),
         (("usable in systems specified in 2B116.a.", "usable in systems not specified in "
           "2B116.a."), ("usable in test systems", "usable in systems"))),
    Rule("one-list-typo", "pair",
         "A misspelling one list alone prints: one edit or transposition from a word of six "
         "letters or more that at least two lists use, the misspelt word used by no other "
         "list (`accompained` = `accompanied`).",
         "A typo in one list does not change what it controls; the guards keep real words "
         "(`methyl`/`ethyl`, both used by several lists) apart.",
         (("accompanied by software", "accompained by software"),),
         (("dimethyl", "diethyl"),)),
    Rule("cas-numbers", "pair",
         "A CAS registry number printed in one text only (`Sodium sulphide (CAS 1314-23-4)` = "
         "`Sodium sulphide`).",
         "The number identifies the substance the text names; a different number in both "
         "texts stays a difference.",
         (("Sodium sulphide (CAS 1314-23-4)", "Sodium sulphide"),),
         (("Diethylamine (CAS 109-89-7)", "Diethylamine (CAS 3982-91-0)"),)),
    Rule("two-item-quantifiers", "pair",
         "The quantifier before a list in the form a list of two takes: `all of the following` "
         "= `both of the following`, `any of the following` = `either of the following`.",
         "With two sub-items, all is both and any is either.",
         (("having all of the following:", "having both of the following:"),),
         (("having all of the following:", "having any of the following:"),)),
    Rule("comparative-synonyms", "pair",
         "Comparatives of one direction where no number follows them: `less (better) than any "
         "of the following` = `lower (better) than …`; `or more` = `or greater`.",
         "The same comparison in other words (with a number, the quantities rule reads it).",
         (("a 'sensitivity' less (better) than any of the following:",
           "a 'sensitivity' lower (better) than any of the following:"),),
         (("a 'sensitivity' less (better) than any of the following:",
           "a 'sensitivity' more (better) than any of the following:"),)),
    Rule("enumeration-connectors", "pair",
         "A connector added or dropped between two references of a list: `7A, 7B or 7D001, "
         "7D002 or 7D005` = `7A, 7B, 7D001, 7D002 or 7D005`.",
         "A list of entries controlled is the same list whichever items the commas and `or` "
         "join; only between two references, never elsewhere.",
         (("specified in 7.A., 7.B., 7.D.1. or 7.D.5.", "specified in 7A, 7B or 7D001 or 7D005"),
          ("Output wavelength exceeding 2,100 nm and any of the following:",
           "Output wavelength exceeding 2,100 nm any of the following:")),
         (("specified in 7A and 7B", "specified in 7A and 7B and not 7C"),)),
    Rule("quantity-name", "pair",
         "The quantity named before its value in one text only: `a vacuum (pressure equal to "
         "or less than 100 Pa)` = `vacuum (equal to or less than 100 Pa)`.",
         "The unit already says what is measured; only the exact name of that quantity "
         "counts, never a qualifier such as `peak` or `average`.",
         (("a vacuum (pressure equal to or less than 100 Pa)",
           "a vacuum (equal to or less than 100 Pa)"),
          ("for a period of greater than 48 hours", "for greater than 48 hours")),
         (("peak power exceeding 1 W", "power exceeding 1 W"),
          ("a vacuum (temperature equal to or less than 100 Pa)",
           "a vacuum (equal to or less than 100 Pa)"))),
    Rule("list-verbs", "pair",
         "The verb that opens a list of sub-items: `having any of the following` = "
         "`utilising any of the following` = `being all of the following`.",
         "The sub-items that follow set the condition; the verb only introduces them.",
         (("Fibres having all of the following:", "Fibres being all of the following:"),
          ("Utilising any of the following:", "Having any of the following:")),
         (("Having any of the following:", "Having all of the following:"),
          ("not having any of the following", "having any of the following"))),
    Rule("decontrol-verbs", "pair",
         "A decontrol note's verb: `5A002.a. does not apply to` = `5A002.a. does not control`.",
         "Both say the items that follow are outside the entry.",
         (("4D004 does not apply to software", "4D004 does not control software"),),
         (("4D004 does not apply to software", "4D004 does control software"),)),
    Rule("articles", "pair",
         "An article added, dropped or swapped: `the`, `a`, `an`; `of` before a value "
         "(`a switching time of less than 300 ms` = `switching time less than 300 ms`); "
         "`therefor` or `thereof` pointing back to the items just named.",
         "Articles do not change what is controlled.",
         (("for the reduction of heat loss", "for reduction of heat loss"),
          ("with a switching time of less than 300 ms", "with switching time less than 300 ms"),
          ("systems, equipment and components therefor, as follows:",
           "systems, equipment and components, as follows:")),
         (("for any reduction", "for reduction"),)),
    Rule("relative-fillers", "pair",
         "Relative-clause fillers around a description: `being`, `which`, `that`, `are`, `is`.",
         "`Being made from` and `Made from` describe the same items.",
         (("Being made from any of the following", "Made from any of the following"),),
         (("not made from", "made from"),)),
)


def explain(op: Op, context: Context) -> str:
    """The name of the first pair rule that explains `op`, or ""."""
    for name, rule in FUNCTIONS.items():
        if rule(op, context):
            return name
    return ""


def parameter_of(word: str, parameters: tuple[Parameter, ...]) -> Parameter | None:
    """The parsed parameter a key token stands for."""
    return next((p for p in parameters if p.token() == word), None)

# A verdict-level rule (verdicts._bracketed_synonyms), listed here with the pair rules.
PAIR_RULES = (*PAIR_RULES, Rule(
    "bracketed-synonyms", "pair",
    "A name and its synonym in brackets, in either order: `Viscumin (Viscum Album Lectin 1)` = "
    "`Viscum Album Lectin 1 (Viscumin)`.",
    "The same two names; which one is bracketed is house style. Only words moved whole, "
    "bracketed in one of the texts, count.",
    (("Viscumin (Viscum Album Lectin 1);", "Viscum Album Lectin 1 (Viscumin);"),),
    (("not A but B", "not B but A"),)), Rule(
    "reordered-conditions", "pair",
    "The same conditions joined by `and` in another order: `systems incorporating a digital "
    "controller and employing feedback` = `systems employing feedback and incorporating a "
    "digital controller`.",
    "`and` is commutative; words whose place changes the meaning (`not`, `except`, `or`, "
    "`other than`) rule it out.",
    (("Test systems incorporating a digital controller and employing feedback techniques, "
      "capable of vibrating", "Test systems employing feedback techniques and incorporating a "
      "digital controller, capable of vibrating"),),
    (("Test systems incorporating a controller and not employing feedback techniques",
      "Test systems employing feedback techniques and not incorporating a controller"),)))
