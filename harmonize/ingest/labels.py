"""Paragraph labels of the Wassenaar-family numbering, written once for every loader.

Under an entry the paragraphs are `a.`, `b.` ...; under a letter `1.`, `2.` ...; under a digit
`a.` again. Some entries open their first level with digits (1C350.1 ... 1C350.91). The
UK/EU 500-series entries (3A501, 2E503 ...) repeat the numbering of the Wassenaar entry they
extend, so their lists may open past `a.`/`1.` and skip labels (3A501.a.15, 2E503.g): the
one exception to gap-free numbering (`CodeStyle.sparse_labels` in the segmenter).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

_500_SERIES = re.compile(r"^\d[A-E]5\d\d")


def next_label(label: str) -> str:
    """The label after this one at the same level: b after a, 10 after 9."""
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def same_type(a: str, b: str) -> bool:
    """Both digits or both letters."""
    return a.isdigit() == b.isdigit()


def label_rank(label: str) -> int:
    """A number that orders labels of one type as the list does (a < b, 2 < 10)."""
    return int(label) if label.isdigit() else ord(label)


def first_of_type(like: str) -> str:
    """The first label of the type of `like`: 1 for digits, a for letters."""
    return "1" if like.isdigit() else "a"


def first_child(parent: str | None) -> str:
    """The first label below `parent`: digits under a letter, letters under a digit or the
    entry itself (None)."""
    return "1" if parent is not None and parent.isalpha() else "a"


def alternating(labels: Sequence[str]) -> bool:
    """Each label of a path is of the other type than the one before (a.1.b, 1.a.2)."""
    return all(not same_type(a, b) for a, b in pairwise(labels))


def labels_between(start: str, stop: str) -> list[str]:
    """The labels strictly between two of one type (b, c between a and d; 3, 4 between 2 and
    5); none when the types differ or a letter label is longer than one letter."""
    if start.isdigit() and stop.isdigit():
        return [str(n) for n in range(int(start) + 1, int(stop))]
    if start.isalpha() and stop.isalpha() and len(start) == len(stop) == 1:
        return [chr(c) for c in range(ord(start) + 1, ord(stop))]
    return []


def codes_between(first: str, last: str) -> list[str]:
    """Codes strictly between two siblings: 9E003.a.1 .. 9E003.a.5 -> a.2, a.3, a.4 (a range
    "X to Y" in a sensitive list); none when they are not siblings."""
    head_a, _, tail_a = first.rpartition(".")
    head_b, _, tail_b = last.rpartition(".")
    if head_a != head_b or not head_a:
        return []
    return [f"{head_a}.{label}" for label in labels_between(tail_a, tail_b)]


def is_500_series(entry: str) -> bool:
    """UK/EU plurilateral entries (3A501, 4A506 ...), whose paragraph labels may skip."""
    return bool(_500_SERIES.match(entry))
