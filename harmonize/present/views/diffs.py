"""Word-level differences as escaped HTML, with editorial noise hidden on request.

`diff_html(a, b)` marks every word that differs. `diff_html(a, b, editorial=False)` compares the
words as `textnorm.editorial_key` sees them (quotes, case, spelling, punctuation, decimal comma,
code-reference style folded away), so only words that differ in substance are marked, while the
text shown is the list's own. Words only in the reference are struck through (<del>), words only
in this text underlined (<ins>); every piece of text goes through `html.escape`.
"""

from __future__ import annotations

import difflib
import html
from functools import lru_cache

from harmonize.compare.textnorm import editorial_key

DIFF_CSS = """
<style>
del.hz-del{background:#F4D1E1;text-decoration:line-through;color:#6b2d4f}
ins.hz-ins{background:#FBE3C4;text-decoration:underline;color:#5a3a00}
</style>
"""


@lru_cache(maxsize=200_000)
def _key(word: str, decimal_comma: bool) -> str:
    return editorial_key(word, decimal_comma)


def _tokens(text: str, decimal_comma: bool, editorial: bool) -> tuple[list[str], list[str]]:
    """(words as printed, what the diff compares): with `editorial` off, the editorial key of
    each word ("" for a word that is punctuation only, which never counts as a difference)."""
    words = text.split()
    return words, words if editorial else [_key(w, decimal_comma) for w in words]


def diff_ops(reference: str, text: str, *, editorial: bool = True,
             ref_comma: bool = False, comma: bool = False) -> list[tuple[str, str, str]]:
    """(op, words of the reference, words of the text) for each run: op is "equal", "delete",
    "insert" or "replace". Without `editorial`, runs that differ only in words whose editorial
    key is empty or equal are "equal" (the text's words are kept)."""
    a_words, a_keys = _tokens(reference, ref_comma, editorial)
    b_words, b_keys = _tokens(text, comma, editorial)
    if not editorial:  # punctuation-only words are noise: compare without them
        a_pos = [i for i, k in enumerate(a_keys) if k]
        b_pos = [j for j, k in enumerate(b_keys) if k]
    else:
        a_pos, b_pos = list(range(len(a_words))), list(range(len(b_words)))
    matcher = difflib.SequenceMatcher(a=[a_keys[i] for i in a_pos],
                                      b=[b_keys[j] for j in b_pos], autojunk=False)
    ops: list[tuple[str, str, str]] = []
    a_done = b_done = 0  # words of each text already placed in a run
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_end = a_pos[i2 - 1] + 1 if i2 > i1 else a_done
        b_end = b_pos[j2 - 1] + 1 if j2 > j1 else b_done
        if tag == "equal":  # noise words in between ride along with the equal run
            a_end, b_end = a_pos[i2 - 1] + 1, b_pos[j2 - 1] + 1
        ops.append((tag, " ".join(a_words[a_done:a_end]), " ".join(b_words[b_done:b_end])))
        a_done, b_done = a_end, b_end
    if a_done < len(a_words) or b_done < len(b_words):  # trailing punctuation-only words
        ops.append(("equal", " ".join(a_words[a_done:]), " ".join(b_words[b_done:])))
    return ops


def diff_html(reference: str, text: str, *, editorial: bool = True, ref_comma: bool = False,
              comma: bool = False) -> str:
    """`text` with the words that differ from `reference` marked (see the module doc)."""
    parts: list[str] = []
    for op, a, b in diff_ops(reference, text, editorial=editorial, ref_comma=ref_comma,
                             comma=comma):
        if op == "equal":
            if b:
                parts.append(html.escape(b))
            continue
        if a:
            parts.append(f'<del class="hz-del">{html.escape(a)}</del>')
        if b:
            parts.append(f'<ins class="hz-ins">{html.escape(b)}</ins>')
    return " ".join(parts)


def differs_in_substance(reference: str, text: str, ref_comma: bool = False,
                         comma: bool = False) -> bool:
    """True when the texts differ beyond editorial variation (`textnorm.editorial_key`)."""
    return editorial_key(reference, ref_comma) != editorial_key(text, comma)
