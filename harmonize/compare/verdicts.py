"""Verdicts: identical, editorial or substantive, and for every substantive the reason.

`compare(reference, other, ...)` decides one cell:
1. identical: the texts differ at most in whitespace and Unicode compatibility forms;
2. editorial: their editorial keys (`editorial_rules`) are equal, or every difference left
   between the keys is explained by a pair rule (`pair_rules`);
3. substantive otherwise, with the reason (`REASONS`, most telling first) and a detail that
   names exactly what changed ("upper frequency 110 GHz → 90 GHz"; added "or location").
A residual word difference no rule explains is "unexplained wording": still substantive, but
counted apart so the rules can grow.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from harmonize.compare import pair_rules, quantities
from harmonize.compare.editorial_rules import identity_key, key_words, light_key, prepare

REASONS = {
    "parameter changed": "a threshold differs (value, unit or comparator), or is printed in "
                         "one text only; the detail names it (\"upper frequency 110 GHz → 90 "
                         "GHz\")",
    "number changed": "a number whose unit is not printed differs",
    "reference changed": "a cross-reference names another entry or paragraph",
    "paragraph added": "the text holds a sub-paragraph the reference lacks",
    "paragraph removed": "the text lacks a sub-paragraph the reference holds",
    "scope words added": "words the reference lacks (\"tracking the movement or location\")",
    "scope words removed": "words of the reference the text lacks",
    "scope words changed": "operators that set the scope differ: and/or, all/any, not, "
                           "except, only, other than",
    "note changed": "the texts differ only in a note",
    "unexplained wording": "a word difference no rule explains; substantive, counted apart "
                           "so the rules can grow",
}
_NUMBER_WORD = re.compile(r"^[-+]?\d(?![a-e]\d{3}|[a-e]$|[a-e]_)")  # a number, not a code
_INLINE_LABEL = re.compile(r"(?:^|[:;]\s+)(?:\([a-z]\)|[a-z]\.|\(\d{1,2}\)|\d{1,2}\.)\s+"
                           r"(?=[A-Z\"“'‘])")
_NOTE = re.compile(r"\b(?:Technical\s+)?Notes?\s*\d*\s*[:.]|\bN\.\s?B\.", re.I)


@dataclass(frozen=True)
class Verdict:
    status: str  # identical / editorial / substantive
    reason: str  # "" / "editorial" / one of REASONS
    detail: str  # what changed, in words
    rules: tuple[str, ...] = ()  # pair rules that explained differences (editorial)
    changes: tuple[quantities.Change, ...] = ()  # parameters that differ

    def parameters(self, reference_source: str, source: str) -> list[dict[str, object]]:
        """The differing parameters as {source, quantity, comparator, value, unit, text}."""
        out: list[dict[str, object]] = []
        for change in self.changes:
            if change.before is not None and change.before.reported:
                out.append(change.before.as_dict(reference_source))
            if change.after is not None and change.after.reported:
                out.append(change.after.as_dict(source))
        return out

    def summary(self) -> str:
        """One line for tables: the parameters that changed ("frequency 10 GHz → 12 GHz"),
        else the reason with what changed."""
        if self.status != "substantive":
            return ""
        if self.reason == "parameter changed" or not self.detail:
            return self.detail or self.reason
        return f"{self.reason}: {self.detail}"


IDENTICAL = Verdict("identical", "", "")


@dataclass(frozen=True)
class Vocabulary:
    """How many compared lists use each key word (the one-list-typo guard); hashed by
    identity so verdicts cache per vocabulary."""

    counts: Mapping[str, int]

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


# Where a list's decimal comma can change a reading: `quantities._number` and
# `editorial_rules.normalise_numbers` consult it only for a number holding a comma or two points.
_COMMA_READ = re.compile(r",|\d\.\d+\.\d")


# Word differences no rule explained: (opcode tag, reference words, other words).
Residual = list[tuple[str, tuple[str, ...], tuple[str, ...]]]


def reads_commas(text: str, decimal_comma: bool) -> bool:
    """The decimal-comma flag `text` is read with: False where no number could be read
    otherwise, so a text two lists print alike (the EU's and the UK's) is keyed once, not once
    per list's convention."""
    return decimal_comma and _COMMA_READ.search(prepare(text)) is not None


def opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    return list(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())


@lru_cache(maxsize=200_000)
def compare(reference: str, other: str, ref_comma: bool = False, other_comma: bool = False,
            vocabulary: Vocabulary | None = None) -> Verdict:
    """The verdict on `other` against `reference` (see module doc)."""
    # Equal identity keys imply equal light keys (the light key folds the identity key
    # further), so the cached light key decides first and most pairs need no identity key.
    if light_key(reference) == light_key(other):
        if identity_key(reference) == identity_key(other):
            return IDENTICAL
        return Verdict("editorial", "editorial", "")
    ref_comma, other_comma = reads_commas(reference, ref_comma), reads_commas(other, other_comma)
    if ref_comma == other_comma and prepare(reference) == prepare(other):
        # The editorial key is read from the prepared text alone: equal keys, without them.
        return Verdict("editorial", "editorial", "")
    ka, kb = key_words(reference, ref_comma), key_words(other, other_comma)
    if ka == kb:
        return Verdict("editorial", "editorial", "")
    context = pair_rules.Context(prepare(reference), prepare(other), ref_comma, other_comma,
                                 vocabulary.counts if vocabulary else None)
    used: list[str] = []
    residual: Residual = []
    edges: set[str] = set()  # the words just outside each residual difference, in its text
    for tag, i1, i2, j1, j2 in opcodes(ka, kb):
        if tag == "equal":
            continue
        longer, lo, hi = (ka, i1, i2) if i2 - i1 >= j2 - j1 else (kb, j1, j2)
        op = pair_rules.Op(ka[i1:i2], kb[j1:j2], longer[max(0, lo - 8):lo], longer[hi:hi + 4])
        rule = pair_rules.explain(op, context)
        if rule:
            used.append(rule)
        else:
            residual.append((tag, ka[i1:i2], kb[j1:j2]))
            edges.update(ka[max(0, i1 - 1):i1] + ka[i2:i2 + 1] if i2 > i1
                         else kb[max(0, j1 - 1):j1] + kb[j2:j2 + 1])
    if residual and _bracketed_synonyms(residual, context):
        used.append("bracketed-synonyms")
        residual = []
    if residual and _reordered_conditions(residual, edges):
        used.append("reordered-conditions")
        residual = []
    if residual and _reordered_alternatives(residual, edges):
        used.append("reordered-alternatives")
        residual = []
    if not residual:
        return Verdict("editorial", "editorial", "", tuple(dict.fromkeys(used)))
    return _substantive(reference, other, ref_comma, other_comma, residual)


def _moved(residual: Residual) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The words taken out at one place and the words put in at another, when the residual is
    exactly that (one delete and one insert); else None."""
    if len(residual) != 2 or {residual[0][0], residual[1][0]} != {"insert", "delete"}:
        return None
    return residual[0][1] or residual[0][2], residual[1][1] or residual[1][2]


def _bracketed_synonyms(residual: Residual, context: pair_rules.Context) -> bool:
    """`Viscumin (Viscum Album Lectin 1)` = `Viscum Album Lectin 1 (Viscumin)`: the same
    words moved, the moved ones in brackets in one of the texts."""
    parts = _moved(residual)
    if parts is None or parts[0] != parts[1]:
        return False
    pattern = r"\(\W*" + r"\W+".join(re.escape(w) for w in parts[0]) + r"\W*\)"
    both = (context.ref_text + " " + context.other_text).lower()
    return re.search(pattern, both) is not None


_ORDER_SENSITIVE = {"not", "no", "nor", "except", "excluding", "other", "than", "only",
                    "without", "unless", "but", "or"}


def _reordered_conditions(residual: Residual, edges: set[str]) -> bool:
    """The same conditions joined by `and` in another order: `X incorporating Y and employing
    Z` = `X employing Z and incorporating Y`. Words that change meaning with their place
    (`not`, `except`, `or`...) rule it out, and so does an `or` just beside a moved part
    (`edges`: `A and B or C` is not `A or C and B`)."""
    parts = _moved(residual)
    if parts is None or "or" in edges:
        return False
    first, second = ([w for w in part if w != "and"] for part in parts)
    return (len(first) >= 3 and sorted(first) == sorted(second)
            and not set(first) & _ORDER_SENSITIVE)


def _reordered_alternatives(residual: Residual, edges: set[str]) -> bool:
    """The same items of an `or` list in another order: `launch vehicles in 9A004, sounding
    rockets in 9A104 or UAVs in 9A012` = `launch vehicles in 9A004, UAVs in 9A012 or sounding
    rockets in 9A104`. One item moved with its one `or`; an `and` among the moved words or
    just beside them (`edges`), or any other word whose place changes the meaning (`not`,
    `except`, `other than`...) in the moved words, rules it out."""
    parts = _moved(residual)
    if parts is None or "and" in edges:
        return False
    first, second = parts
    return (len(first) >= 3 and sorted(first) == sorted(second) and first.count("or") == 1
            and "and" not in first and not set(first) & (_ORDER_SENSITIVE - {"or"}))


def _substantive(reference: str, other: str, ref_comma: bool, other_comma: bool,
                 residual: Residual) -> Verdict:
    ref_params = quantities.named(prepare(reference), ref_comma)
    other_params = quantities.named(prepare(other), other_comma)
    changes = tuple(quantities.differences(list(ref_params), list(other_params)))
    reasons: list[str] = []
    details: list[str] = []
    reported = [c for c in changes if (c.before is not None and c.before.reported)
                or (c.after is not None and c.after.reported)]
    if reported:
        reasons.append("parameter changed")
        details += [c.describe() for c in reported]
    elif changes or any(_NUMBER_WORD.match(w) for _, a, b in residual for w in (*a, *b)):
        reasons.append("number changed")
        details += [c.describe() for c in changes] or [_words_detail(residual, numeric=True)]
    labels = len(_INLINE_LABEL.findall(other)) - len(_INLINE_LABEL.findall(reference))
    if labels:
        reasons.append("paragraph added" if labels > 0 else "paragraph removed")
    for tag, a, b in residual:
        words = [w for w in (*a, *b) if not w.startswith("⟨") and not _NUMBER_WORD.match(w)]
        if not words:
            continue
        if any(pair_rules.CODE_WORD.match(w) for w in words):
            reasons.append("reference changed")
        elif tag == "insert":
            reasons.append("scope words added")
        elif tag == "delete":
            reasons.append("scope words removed")
        elif set(words) & pair_rules.SCOPE_WORDS:
            reasons.append("scope words changed")
        else:
            reasons.append("unexplained wording")
    if _only_notes_differ(reference, other, ref_comma, other_comma):
        reasons.insert(0, "note changed")
    reasons = [r for r in REASONS if r in reasons] or ["unexplained wording"]
    wording = _words_detail(residual, numeric=False)
    if wording:
        details.append(wording)
    return Verdict("substantive", reasons[0], "; ".join(details), (), changes)


def _words_detail(residual: Residual,
                  numeric: bool) -> str:
    """'added "or location"; "cryogenic" → "superconducting"' (key words, codes restored)."""
    parts = []
    for tag, a, b in residual:
        if any(w.startswith("⟨") for w in (*a, *b)):
            continue
        has_number = any(_NUMBER_WORD.match(w) for w in (*a, *b))
        if has_number != numeric:
            continue
        shown_a, shown_b = _shown(a), _shown(b)
        if tag == "insert":
            parts.append(f'added "{shown_b}"')
        elif tag == "delete":
            parts.append(f'removed "{shown_a}"')
        else:
            parts.append(f'"{shown_a}" → "{shown_b}"')
    return "; ".join(parts[:6]) + (" …" if len(parts) > 6 else "")


def _shown(words: tuple[str, ...]) -> str:
    return " ".join(w.replace("_", ".").upper() if pair_rules.CODE_WORD.match(w) else w
                    for w in words)


def _only_notes_differ(reference: str, other: str, ref_comma: bool, other_comma: bool) -> bool:
    """Both texts carry a note, and without their notes they are editorially equal."""
    ref_note, other_note = _NOTE.search(reference), _NOTE.search(other)
    if not ref_note and not other_note:
        return False
    ref_main = reference[:ref_note.start()] if ref_note else reference
    other_main = other[:other_note.start()] if other_note else other
    return key_words(ref_main, ref_comma) == key_words(other_main, other_comma)


def clear_caches() -> None:
    compare.cache_clear()
    pair_rules.capitals_cache_clear()
