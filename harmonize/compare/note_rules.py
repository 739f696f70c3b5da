"""Editorial rules that notes brought to light (issue 15), kept apart so `editorial_rules` and
`pair_rules` stay readable; they run with the others (`editorial_rules.PREPARE`,
`pair_rules.FUNCTIONS`) and are listed in the same tables (`editorial_table`, `pair_table`).

- `note_marker` (text): the note's own heading printed inside its text by one copy ("Note:",
  "Technical Notes: 1.", "N.B.") is the note's kind, compared apart.
- `inline_labels` (text): the labels of the items a note lists after a colon ("...: a. X; or
  b. Y" = "...: 1. X; or 2. Y") say only the order of the items; the items' words and their
  connectors are compared.
- `restated_z_paragraphs` (pair): the US CCL's `.z` paragraphs hold the items of a lettered
  paragraph of the same entry that also meet the 3A090/4A090 parameters, so a reference to them
  beside a reference to that entry ("5A004.b, z.3 or z.4") names no other items.
- `numbered_labels` (text): a numbered item printed without its dot ("... frequency. 3 A
  signal is ...") between items "2." and "4." is item 3, not three amperes.
- `note_verbs` (text): "X controls (only)" = "X applies (only) to" where a note opens with it.
- `purpose_clause` (pair): "For the purposes of X, ..." opening one text only restates the code
  the note governs.
- `definition_verbs` (pair): "means" = "refers to" = "is defined as" in a definition.
"""

from __future__ import annotations

import re
from typing import Protocol

__all__ = ["definition_verbs", "inline_labels", "item_label", "note_marker", "note_verbs",
           "numbered_labels", "purpose_clause", "restated_z_paragraphs"]

_MARKER = re.compile(r"^\s*(?:(?:technical\s+)?notes?\s*\d{0,2}\s*[:.]\s*"
                     r"|n\.\s?b\.\s*\d{0,2}\s*[:.]?\s*)+(?=\S)", re.I)


def note_marker(text: str) -> str:
    """"Note: 5D001.e does not apply" = "5D001.e does not apply"; "Technical Notes: 1. For the
    purposes" = "1. For the purposes" (the label is `leading_label`'s)."""
    if text[:1] not in "NnTt " or not _MARKER.match(text):
        return text
    return _MARKER.sub("", text, count=1)


# An item label after the colon that opens a list, or after the ";", ",", "; or", "; and"
# between items: "a.", "1.", "(a)", "(1)", "(i)", before the item's first word (capital or
# quote). After a full stop only a letter label: "not exceeding 5. The" keeps its number.
_LABELS = (r"(?:\(?[a-z]\)|[a-z]\.|\(?\d{1,2}\)|\d{1,2}\.(?!\d)|"
           r"\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))")
_ITEM_LABEL = re.compile(r"(?<=[:;,])(\s+(?:(?:and|or)\s+)?)" + _LABELS
                         + r"\s+(?=[A-Z\"'“‘])|(?<=[a-z)\"”'’]\.)(\s+(?:(?:and|or)\s+)?)"
                         r"(?:[a-z]\.|\([a-z]\))\s+(?=[A-Z\"'“‘])")


def inline_labels(text: str) -> str:
    """Item labels inside a text ("...following: a. Billing; b. QoS") dropped, their
    connectors kept."""
    if ":" not in text and ";" not in text:
        return text
    return _ITEM_LABEL.sub(lambda m: m.group(1) or m.group(2) or " ", text)


# A number opening a sentence (start of text or after ". ", ": ") and followed by a capital,
# with no dot of its own: "frequency. 3 A signal".
_BARE_NUMBER = re.compile(r"(?:^|(?<=[.:]\s))(\d{1,2})\s(?=[A-Z])")


def item_label(text: str, number: int) -> str:
    """An item known to be item `number` of a numbered note (`note_match.numbered_items`),
    with its label's dot given back if it lost it: "3 A signal is ..." = "3. A signal is ..."
    (item 3, not three amperes); `numbered_labels` reads the same inside a whole note from the
    labels around it. Any other text (`number` 0) as it is."""
    found = _BARE_NUMBER.search(text) if number else None
    if found is None or int(found.group(1)) != number:
        return text
    return f"{text[:found.start()]}{number}. {text[found.end():]}"


def numbered_labels(text: str) -> str:
    """"2. SFDR is ... 3 A signal is ... 4. 'Adjusted" = "... 3. A signal ...": a number that
    opens a sentence is an item label that lost its dot when the items before and after it,
    one less and one more, are labelled with theirs. Without both neighbours it stays a number
    ("exceeding 5. 3 A or more")."""
    if not any(c.isdigit() for c in text):
        return text

    def label(match: re.Match[str]) -> str:
        number = int(match.group(1))
        before, after = text[:match.start()], text[match.end():]
        if number > 1 and re.search(rf"(?:^|[.:;]\s){number - 1}\.\s", before) and \
                re.search(rf"(?:^|[.:;]\s){number + 1}\.\s", after):
            return f"{number}. "
        return match.group(0)

    return _BARE_NUMBER.sub(label, text)


class _Op(Protocol):
    @property
    def ref(self) -> tuple[str, ...]: ...
    @property
    def other(self) -> tuple[str, ...]: ...
    @property
    def before(self) -> tuple[str, ...]: ...
    @property
    def after(self) -> tuple[str, ...]: ...


# References in an editorial key: "5a004_z_3" (a .z paragraph), "5a004_b".
_Z_CODE = re.compile(r"^(\d[a-e]\d{3})_z(?:_[a-z0-9]+)*$")
_CODE = re.compile(r"^(\d[a-e]\d{3})(?:_[a-z0-9]+)*$")
_JOINS = {"or", "and", "to", "through"}


def restated_z_paragraphs(op: _Op, context: object) -> bool:
    """References to US `.z` paragraphs in one text only, beside a reference to the same
    entry: `5A004.b, z.3 or z.4` = `5A004.b`. A `.z` paragraph of another entry, or any other
    reference, stays a difference."""
    words = op.ref or op.other
    if (op.ref and op.other) or not words or not op.before:
        return False
    previous = _CODE.match(op.before[-1]) if op.before[-1] not in _JOINS else None
    if previous is None and len(op.before) > 1:
        previous = _CODE.match(op.before[-2])
    if previous is None:
        return False
    codes = [_Z_CODE.match(w) for w in words if w not in _JOINS]
    return bool(codes) and all(c is not None and c.group(1) == previous.group(1)
                               for c in codes)


# "1C008_a controls only", "1C008_a only controls", "1C008_a applies only to": the verb a note
# opens with, after the code it governs (a code reference is one word by then).
_OPENING_VERB = re.compile(r"^(\s*\d[A-E]\d{3}(?:_\w+)*\s+)(?:only\s+controls|controls\s+only|"
                           r"applies\s+only\s+to)\b")
_OPENING_CONTROLS = re.compile(r"^(\s*\d[A-E]\d{3}(?:_\w+)*\s+)controls\b")


def note_verbs(text: str) -> str:
    """"4A003.c. controls only" = "4.A.3.c. applies only to"; "1C008.a. controls" = "1.C.8.a.
    applies to": the verb after the code a note opens with (not elsewhere: "controls" is also
    a noun, "flight controls")."""
    if "controls" not in text and "applies" not in text:
        return text
    text = _OPENING_VERB.sub(r"\1applies only to", text, count=1)
    return _OPENING_CONTROLS.sub(r"\1applies to", text, count=1)


_PURPOSE = ("for", "the", "purposes", "of")
_THIS_ENTRY = ("this", "entry")


def _without_purpose(words: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Words without an opening "for the purpose(s) of <code>" (and a following "this entry"),
    and that code ("" when there is no such clause)."""
    head = tuple("purposes" if w == "purpose" else w for w in words[:4])
    if head != _PURPOSE or len(words) < 5 or _CODE.match(words[4]) is None:
        return words, ""
    rest = words[5:]
    return (rest[2:] if rest[:2] == _THIS_ENTRY else rest), words[4]


def purpose_clause(op: _Op, context: object) -> bool:
    """A note opening "For the purposes of 1.C.3.a., measurement ..." in one text and
    "Measurement ..." in the other: at the start of the text only, the code the clause names
    and nothing else (the other text may name the same code instead: "7.A.3.b. refers to" =
    "For the purposes of 7A003.b., this entry refers to")."""
    lone = op.ref or op.other
    if op.ref and op.other:
        lone = ()
    if lone == _THIS_ENTRY and len(op.before) == 5 and _without_purpose(op.before)[1]:
        return True  # "For the purposes of 7A003.b., [this entry] refers to"
    if op.before:
        return False
    if tuple("purposes" if w == "purpose" else w for w in lone) == _PURPOSE and (
            op.after[:1] and _CODE.match(op.after[0])):
        return True  # the clause's code matched the other text's opening code
    for one, other in ((op.ref, op.other), (op.other, op.ref)):
        rest, code = _without_purpose(one)
        if code and rest == () and other in ((), (code,)):
            return True
    return False


_DEFINING = {("means",), ("refers", "to"), ("is", "defined", "as")}


def definition_verbs(op: _Op, context: object) -> bool:
    """"'EUV' means wavelengths ..." = "'EUV' refers to wavelengths ..." = "... is defined as":
    the verb of a definition."""
    return op.ref != op.other and op.ref in _DEFINING and op.other in _DEFINING
