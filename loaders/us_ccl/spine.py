"""US CCL: telling an entry's paragraphs from the note lists that reuse their letters.

The labels give full paths (`j.1.a`); the question is which labelled blocks are the entry's
paragraphs. `choose_spine` takes the largest set that reads as one pre-order walk of a tree;
`note_lists` and `mark_prelist` find the lists that notes open (announced with ':', restarting
at `a.` after the entry's own `a.`, or a run printed before the items)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from harmonize.ingest.labels import alternating, first_child, next_label, same_type
from loaders.us_ccl.records import RawBlock

ANNOUNCES_CHILDREN = re.compile(r"(:|following|as follows)\s*$")
SOFT_END = re.compile(r"(;|\bor|\band)\s*$")
ITEMS_MARKER = re.compile(r"^Items\s*:?\s*$")


def is_ccl_path(parts: list[str]) -> bool:
    """A CCL path: a letter first, then digits and letters by turns (j.1.a)."""
    return parts[0].isalpha() and alternating(parts)


# -- the tree builder -------------------------------------------------------------------------
def fits_list(cursor: list[str], parts: list[str]) -> int | None:
    """Where a label continues a note's own list, given the list's cursor (path of the last
    item): the level it opens, or None. A single label may close any number of levels; a
    longer one must extend the cursor's path, and inside a numbered note ('2.') that path is
    printed without the number ('a.1' under '2.a')."""
    if len(parts) == 1:
        label = parts[0]
        for level in range(len(cursor), -1, -1):
            if level == len(cursor):
                if label in ({first_child(cursor[-1])} if cursor else {"a", "1"}):
                    return level
            elif label == next_label(cursor[level]) and same_type(label, cursor[level]):
                return level
        return None
    depth = len(parts) - 1
    for offset in range(len(cursor)):
        end = offset + depth
        if end > len(cursor) or cursor[offset:end] != parts[:-1]:
            continue
        expected = first_child(cursor[-1]) if end == len(cursor) else next_label(cursor[end])
        if parts[-1] == expected:
            return end
    return None


def note_lists(blocks: list[RawBlock], announces: Callable[[int], bool]) -> set[int]:
    """Lettered blocks that belong to a note's own list ("5A001.j does not apply to ...:" then
    a., b.), for lists opened where `announces(i)` holds for the opening block i.

    From the opening block on, labelled blocks belong to the list while they continue its
    cursor (a numbered `1.` may nest in it; unlabelled text such as a Technical Note may
    interrupt it). The list ends at a label it cannot take, at a numbered block that starts a
    new note, or at a full stop closing a list whose items end in ';' / 'or' / 'and' (lists of
    whole sentences end every item with a full stop, so there it closes nothing).
    """
    marked: set[int] = set()
    cursor: list[str] | None = None  # None: no list running
    soft_ends = False  # an item of the running list ended in ';', 'or' or 'and'
    opener = -1
    for i, block in enumerate(blocks):
        if block.note_group is not None:
            cursor = None
            continue
        if block.label is None:
            if announces(i):
                cursor, soft_ends, opener = [], False, i
            continue
        parts = block.label.split(".")
        if cursor is not None:
            level = fits_list(cursor, parts)
            if (level == len(cursor) and cursor and i - 1 != opener
                    and blocks[i - 1].label is not None
                    and not ANNOUNCES_CHILDREN.search(blocks[i - 1].text)):
                level = None  # only an item that announces sub-items ("...following:") has them
            closed = (soft_ends and level is not None and level < len(cursor)
                      and blocks[i - 1].label is not None
                      and blocks[i - 1].text.rstrip().endswith("."))
            if level is not None and not closed:
                cursor = [*cursor[:level], parts[-1]]
                soft_ends = soft_ends or bool(SOFT_END.search(block.text))
                if not block.label[0].isdigit():
                    marked.add(i)
                continue
        cursor = [parts[-1]] if block.label[0].isdigit() and announces(i) else None
        soft_ends, opener = False, i
    return marked


def announces_with_colon(blocks: list[RawBlock], i: int) -> bool:
    """A note that ends with ':' right before an `a.` (or `1.`) opens its own list."""
    text, label = blocks[i].text.rstrip(), blocks[i].label
    following = blocks[i + 1].label if i + 1 < len(blocks) else None
    if label is None:
        return text.endswith(":") and not ITEMS_MARKER.match(text) and following in ("a", "1")
    return label[0].isdigit() and text.endswith(":") and following == "a"


def opens_note_before_a(blocks: list[RawBlock], i: int, first_a: int) -> bool:
    """A note (unlabelled or numbered) followed by an `a.` when the entry already has its `a.`:
    that `a.` starts the note's list (3A090 Technical Note 1: a. ... d.)."""
    block = blocks[i]
    opener = (block.label is None and not ITEMS_MARKER.match(block.text.strip())) or (
        block.label is not None and block.label[0].isdigit())
    return opener and i + 1 < len(blocks) and blocks[i + 1].label == "a" and first_a < i


def _sort_key(label: tuple[str, ...]) -> tuple[int, ...]:
    """Labels as numbers that order like the list (a < b, 2 < 10); letters and digits alternate
    by depth in a candidate, so equal depths always compare like with like."""
    return tuple(int(p) if p.isdigit() else ord(p) for p in label)


def _follows(previous: tuple[int, ...], label: tuple[int, ...]) -> int | None:
    """Placeholders needed when `label` comes right after `previous` in a pre-order walk of the
    paragraph tree (a child, or a later sibling of the path); None when it cannot."""
    common = 0
    limit = min(len(previous), len(label))
    while common < limit and previous[common] == label[common]:
        common += 1
    if common == len(previous):
        return len(label) - common - 1 if len(label) > common else None
    if common < len(label) and label[common] > previous[common]:
        return len(label) - common - 1
    return None


def choose_spine(candidates: list[tuple[int, tuple[str, ...]]]) -> set[int]:
    """The paragraphs: the largest set of labelled blocks that reads, in document order, as one
    pre-order walk of a tree (siblings ascending, children after parents).

    Notes' own a./b. lists, licence notes enumerated before the items and the like repeat or
    go back in the labels, so they fall outside the walk. Skipped parent levels cost half a
    paragraph (they become placeholders); among equals the later blocks win, because the
    derived copy puts note-like lists before the items they mirror.
    """
    keys = [_sort_key(label) for _, label in candidates]
    best: list[float] = []
    back: list[int] = []
    for i, key in enumerate(keys):
        score, prev = 1.0 - 0.5 * (len(key) - 1), -1
        for j in range(i):
            gap = _follows(keys[j], key)
            if gap is not None and best[j] + 1.0 - 0.5 * gap > score:
                score, prev = best[j] + 1.0 - 0.5 * gap, j
        best.append(score + candidates[i][0] * 1e-7)
        back.append(prev)
    if not best:
        return set()
    end = max(range(len(best)), key=lambda k: best[k])
    chosen: set[int] = set()
    while end >= 0:
        chosen.add(candidates[end][0])
        end = back[end]
    return chosen


def mark_prelist(blocks: list[RawBlock]) -> list[RawBlock]:
    """Turn a leading a./b./c. run that the real items then restart into one note.

    The derived JSON keeps every <P> of the entry, including a list printed in a heading note
    before the items (1C240: "does not control: a. ...; b. ..." then a.1, a.2, b.). Such a run is
    recognised when the very next block restarts or goes back in the tree (`a.` again, or `a.1`
    after `b.`) with no note text in between.
    """
    start = next((i for i, b in enumerate(blocks) if b.label and b.note_group is None), None)
    if start is None or blocks[start].label != "a":
        return blocks
    end = start
    while end + 1 < len(blocks):
        following = blocks[end + 1].label
        if following is None or "." in following or following[0].isdigit():
            break
        if following != next_label(blocks[end].label or "a"):
            break
        end += 1
    if end + 1 >= len(blocks):
        return blocks
    nxt = blocks[end + 1].label
    last = blocks[end].label or "a"
    if nxt is None or nxt[0].isdigit() or nxt.split(".")[0] > last:
        return blocks
    if nxt.split(".")[0] == last and "." in nxt:
        return blocks  # 'b' then 'b.1': the run goes on, in order
    group = f"prelist-{start}"
    marked = list(blocks)
    for i in range(start, end + 1):
        marked[i] = dataclasses.replace(blocks[i], note_group=group)
    return marked
