"""Notes matched across levels and pointers told apart (issues 14 and 15), for `note_compare`.

Two things the per-code matching of `note_compare` cannot see:

- **The same note hung at another level.** One list prints a decontrol note under `6D003.a.5`,
  another under `6D003.a.5.b`; read per code, the first list "lacks" the note at one code and
  prints one "not in the reference" at the other: two findings for one note printed at two
  places. `merge_levels` joins such groups: within one entry, a group of notes on a code and a
  group on the same code or on an ancestor or descendant of it, held by different lists, whose
  texts are alike once folded (`match_words`: letters and digits, with the note's own marker,
  the decontrol verb and the style of codes folded), become one group at the code where the code's
  reference text prints the note. Each list's note is then judged against that note (identical,
  editorial or changed, as any note) and carries where it is printed (`placed`): a where, not
  a what.
- **Cross-references.** "SEE ALSO 6A102.", "See also the Munitions List.", "For radio receivers
  see 5A001.b.5." point elsewhere and control nothing. `is_cross_reference` tells a note that
  is only such a pointer (one or more of them, nothing else); its kind becomes
  `cross-reference` and it is shown, but a list printing it where another does not is no note
  difference (`note_compare.note_status`, the views' findings).

Before either, `note_parts` takes a note into the parts other lists print apart: a pointer
the parse glued to the start or end of a note ("SEE ALSO 1C202. 1. Note: ...";
`split_pointers`), and each item of a numbered note ("Technical Notes: 1. ... 2. ...";
`numbered_items`), never the items of one list ("any of the following: 1. ...; or 2. ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from rapidfuzz import fuzz

from harmonize.compare.note_rules import note_marker

__all__ = ["CROSS_REFERENCE", "LEVEL_SCORE", "Placed", "is_cross_reference", "match_words",
           "merge_levels", "note_kind", "note_parts", "numbered_items", "split_pointers"]

CROSS_REFERENCE = "cross-reference"
# Two groups on codes of one entry are one note at two levels when their folded texts are at
# least this similar (rapidfuzz ratio, 0-100); on the same code `note_compare.MATCH_SCORE`
# applies. Higher than the per-code score: a parent's note and a child's note of the same
# shape ("X does not apply to ...") about different items must stay apart.
LEVEL_SCORE = 75.0
# Folding a note (its editorial key) costs; pairs whose plain letters and digits are less alike
# than this are never alike enough once folded (folding changes code styles and a verb or two).
_PLAIN_FLOOR = 40.0

# A pointer: "SEE ALSO 6A102.", "1. See also the Munitions List.", "For radio receivers, see
# 5.A.1.b.5.", "See 1A007.b. for detonators.", "N.B. For X see Y": it opens (after a label or
# an N.B. marker) with "see" or "for", says "see", and every numbered item opens so too.
_OPENS = re.compile(r"^\W*(?:\d{1,2}\.?\s+|N\.\s?B\.\s*\d{0,2}\s*[:.]?\s*)?"
                    r"(?:see|for)\b(?!-)", re.I)
_SEE = re.compile(r"\bsee\b(?!-)", re.I)
_OTHER_ITEM = re.compile(r"\s(?:\d{1,2}|[a-z])\.\s+(?!(?:for|see)\b)[A-Z]", re.I)
# Words that make a note more than a pointer: it decontrols, defines or includes.
_CONTENT = re.compile(r"\b(?:does|do)\s+not\b|\bappl(?:y|ies)\b|\bmeans?\b|"
                      r"\binclude[sd]?\b|\bdefined\b|\brefers?\s+to\b", re.I)


def is_cross_reference(text: str) -> bool:
    """Whether a note only points elsewhere ("see (also) X", "For <items>, see X", "See X for
    <items>", several of them perhaps numbered), saying nothing about what is controlled
    here: no decontrol, definition or inclusion words, no other numbered item, no colon
    opening a list."""
    text = text.strip()
    return (len(text) <= 400 and _OPENS.match(text) is not None
            and _SEE.search(text) is not None and _CONTENT.search(text) is None
            and ":" not in text[12:] and _OTHER_ITEM.search(text) is None)


# A pointer sentence glued to a note by the parse: "SEE ALSO 1C202. 1. Note: 1C002 does not
# apply to ..." opens with it, "... see 9E003. SEE ALSO MILITARY GOODS CONTROLS." ends with it.
# Both are in capitals, as the lists print the pointer line that opens an entry's notes (a
# sentence "See also the ITAR ... Defense articles ... are subject to the ITAR." is one note).
# The opening one ends at the first full stop followed by a sentence ("For ...", "1. Note"),
# not at a code's ("3A201.a. and", "1C351.d. AND").
_LEADING_POINTER = re.compile(
    r"^(SEE ALSO\b.*?\.)\s+(?=\d{1,2}\.\s+[A-Z'\"‘“]|[A-Z][a-z])(.+)$", re.S)
_TRAILING_POINTER = re.compile(r"^(.+?[.;:])\s+(SEE ALSO\b.+)$", re.S)
_WORD = re.compile(r"[A-Za-z]{3}")  # the rest says something: not a bare label ("1.")


def split_pointers(text: str) -> list[str]:
    """A note's text as printed parts: a pointer sentence the parse glued to the note's start
    or end comes apart from it (both parts then compare as notes of their own: the pointer as
    a cross-reference, the rest as the note it is); any other text is one part."""
    if "SEE ALSO" not in text:  # cheap: the patterns below scan the whole text
        return [text]
    for pattern, pointer_at in ((_LEADING_POINTER, 0), (_TRAILING_POINTER, 1)):
        found = pattern.match(text.strip())
        if found is None:
            continue
        parts = [found.group(1).strip(), found.group(2).strip()]
        pointer, rest = parts[pointer_at], parts[1 - pointer_at]
        if is_cross_reference(pointer) and _WORD.search(rest):
            return parts
    return [text]


# The items of a numbered note: "1. ... 2. ... 3. ..." from the text's start or after a
# lead-in sentence ending in a colon ("For the purposes of 6.A.5.d.1.: 1. ..."), one more each
# time, each after a space and before a capital or a quote (a label that lost its dot too,
# after a sentence's end and before a sentence's first word: Norway's "3 A signal is ...",
# never "2 Hz is"; `_LABEL` finds the numbers, `_is_label` keeps the labels). Most lists print
# Wassenaar's separate technical notes of a code as one numbered note; some Wassenaar notes
# run items together.
_LABEL = re.compile(r"(?<!\S)(\d{1,2})(\.?)\s+(?=(\S+)(\s\S)?)")
_OPENS_ITEM = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"‘“(")
_FIRST_WORDS = frozenset({"A", "An", "The", "For", "In", "If", "Where", "When", "This", "These"})
_SECOND_ITEM = re.compile(r"\s2\.\s+[A-Z'\"‘“(]|[.;:]\s2\s+(?:A|An|The|For|In|If|Where|When"
                          r"|This|These)\s")  # an item 2's label, as `_is_label` reads one
_SENTENCE_START = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
_HEAD_WORDS = 8  # a note run into a lead-in says something; a code's full stop does not
_LIST_ITEM_END = re.compile(r"(?:[;,:]|\b(?:or|and))$")


def _is_label(text: str, found: re.Match[str]) -> bool:
    """Whether a number `_LABEL` found labels an item: "2. A ..." (before a capital or a
    quote), or without its dot after a sentence's end and before a sentence's first word."""
    if found.group(2):
        return found.group(3).startswith(_OPENS_ITEM)
    start, after = found.start(), found.group(4) or ""
    return (start >= 2 and text[start - 2] in ".;:" and found.group(3) in _FIRST_WORDS
            and (after[1:2].islower() or after[1:2] in ("'", '"', "‘", "“")))


def numbered_items(text: str) -> list[tuple[str, int]]:
    """The parts of a note numbered from 1, each with its item number: what comes before its
    lead-in (another note run into it; number 0), then each item with its label, as printed,
    after the lead-in if there is one (the first item may have lost its label). The text alone
    (number 0) when it is not such a note or its items are one list's ("any of the following:
    1. ...; or 2. ...")."""
    whole = [(text, 0)]
    if _SECOND_ITEM.search(text) is None:  # cheap: most notes have no item 2
        return whole
    starts = [(found.start(), int(found.group(1))) for found in _LABEL.finditer(text)
              if _is_label(text, found)]
    head, lead = "", ""
    if starts and starts[0][1] == 1 and starts[0][0] > 0:
        before = text[:starts[0][0]]
        if not before.rstrip().endswith(":"):
            return whole
        cut = max((found.end() for found in _SENTENCE_START.finditer(before)), default=0)
        if len(before[:cut].split()) < _HEAD_WORDS:  # "For the purposes of 3.A.1.a. Note: 1."
            cut = 0
        head, lead = before[:cut].strip(), before[cut:]
    elif starts and starts[0][0] > 0 and starts[0][1] == 2:
        starts.insert(0, (0, 1))  # "Technical Notes: 1." lost its label in the parse
    if not starts or starts[0][1] != 1:
        return whole
    items = [starts[0]]
    for position, number in starts[1:]:
        if number == items[-1][1] + 1:
            items.append((position, number))
    if len(items) < 2:
        return whole
    ends = [position for position, _ in items[1:]] + [len(text)]
    parts = [text[start:end].strip() for (start, _), end in zip(items, ends, strict=True)]
    if any(_LIST_ITEM_END.search(part) for part in parts[:-1]):
        return whole
    return ([(head, 0)] if head else []) + [
        (lead + part, number) for part, (_, number) in zip(parts, items, strict=True)]


def note_parts(text: str) -> list[tuple[str, int]]:
    """A note as the parts compared, each with its item number (0: not an item of a numbered
    note): pointer sentences apart (`split_pointers`), then each item of a numbered note."""
    return [item for part in split_pointers(text) for item in numbered_items(part)]


def note_kind(kind: str, text: str) -> str:
    """The note's kind as printed, or `cross-reference` when it only points elsewhere."""
    return CROSS_REFERENCE if is_cross_reference(text) else kind


# What matching folds (cheaply: the verdict then applies every editorial rule to the pair):
# the note's own marker ("Note:", "Technical Notes: 1.", "N.B."), the verbs of a decontrol
# note ("does not apply to" = "does not control"; `pair_rules.decontrol_verbs` says the same
# for the verdict) and the style of a code ("6.A.2.b." = "6A002.b": both "6a2 b").
_DECONTROL = re.compile(r"\b(does|do) not apply to\b")
_CODE_STYLE = re.compile(r"\b(\d)\.?\s?([a-e])\.?\s?0{0,2}(\d{1,3})\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def match_words(text: str) -> str:
    """The note's letters and digits, lower case, with what matching folds (above)."""
    text = _DECONTROL.sub(r"\1 not control", note_marker(text).lower())
    return _NOT_WORD.sub(" ", _CODE_STYLE.sub(r"\1\2\3", text)).strip()


class _Note(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def ikey(self) -> str: ...
    @property
    def ctext(self) -> str: ...
    @property
    def words(self) -> str: ...


N = TypeVar("N", bound=_Note)


@dataclass
class Placed(Generic[N]):
    """A group of the same note across lists, on `code`; `placed` names, per list whose note
    hangs on another code of the entry, that code."""

    code: str
    group: dict[str, N]
    placed: dict[str, str] = field(default_factory=dict)


def _entry(code: str) -> str:
    return code.split(".", 1)[0]


def _related(a: str, b: str) -> bool:
    """The same code, or one an ancestor of the other."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def merge_levels(levels: Mapping[str, Sequence[dict[str, N]]],
                 reference_of: Mapping[str, str], same_code_score: float,
                 words: Callable[[str], str] = match_words) -> list[Placed[N]]:
    """The groups of every code (`levels`: code -> its groups, as `note_compare.match_notes`
    made them), with groups of one note printed at two levels of an entry (or left apart on
    one code by an editorial difference matching could not see) joined (see the module doc).
    Each joined group stays on the code whose reference source (`reference_of`) it holds."""
    placed = [Placed(code, dict(group)) for code in sorted(levels) for group in levels[code]]
    by_entry: dict[str, list[int]] = {}
    for i, item in enumerate(placed):
        by_entry.setdefault(_entry(item.code), []).append(i)
    folded: dict[str, str] = {}

    def fold(note: N) -> str:
        if note.ctext not in folded:
            folded[note.ctext] = words(note.ctext)
        return folded[note.ctext]

    gone: set[int] = set()
    for members in by_entry.values():
        if len(members) < 2:
            continue
        pairs = []
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                a, b = placed[i], placed[j]
                # Only a group the code's reference text prints and one it does not: joining two
                # groups the reference lacks would leave both "not in the reference".
                if (reference_of.get(a.code) in a.group) == (reference_of.get(b.code) in b.group):
                    continue
                if not _related(a.code, b.code) or set(a.group) & set(b.group) or (
                        _kinds(a) != _kinds(b) and CROSS_REFERENCE in _kinds(a) | _kinds(b)):
                    continue
                floor = same_code_score if a.code == b.code else LEVEL_SCORE
                score = max((100.0 if n.ikey == m.ikey else _score(n, m, fold, floor)
                             for n in a.group.values() for m in b.group.values()), default=0.0)
                if score >= floor:
                    pairs.append((score, i, j))
        for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if i in gone or j in gone or set(placed[i].group) & set(placed[j].group):
                continue
            first_keeps = _first_keeps(placed[i], placed[j], reference_of)
            target, source = (placed[i], placed[j]) if first_keeps else (placed[j], placed[i])
            for lst, note in source.group.items():
                target.group[lst] = note
                here = source.placed.get(lst, source.code)
                if here != target.code:
                    target.placed[lst] = here
            gone.add(j if first_keeps else i)
    return [item for i, item in enumerate(placed) if i not in gone]


def _score(a: N, b: N, fold: Callable[[N], str], floor: float) -> float:
    """How alike two notes are once folded; 0 when their plain words already say they are not
    (the cheap test first)."""
    if fuzz.ratio(a.words, b.words, score_cutoff=_PLAIN_FLOOR) == 0.0:
        return 0.0
    return float(fuzz.ratio(fold(a), fold(b), score_cutoff=floor))


def _kinds(item: Placed[N]) -> set[str]:
    return {note.kind for note in item.group.values()}


def _first_keeps(a: Placed[N], b: Placed[N], reference_of: Mapping[str, str]) -> bool:
    """Whether the first of two groups keeps its code: the one holding its code's reference
    source does, else the one more lists print, else the shallower code."""
    def rank(item: Placed[N]) -> tuple[bool, int, int]:
        return (reference_of.get(item.code) in item.group, len(item.group),
                -item.code.count("."))

    return rank(a) >= rank(b)
