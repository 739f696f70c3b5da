"""Property tests (hypothesis) for the code normaliser and the shared segmenter.

Bounded in CI (HARMONIZE_FUZZ_EXAMPLES, default 150 examples per property); the benchmark
script runs them longer.
"""

from __future__ import annotations

import itertools
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import CodeStyle, Line, segment

EXAMPLES = int(os.environ.get("HARMONIZE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@st.composite
def family_codes(draw: st.DrawFn) -> tuple[str, str, int, list[str]]:
    category = draw(st.sampled_from("0123456789"))
    group = draw(st.sampled_from("ABCDE"))
    number = draw(st.integers(1, 999))
    depth = draw(st.integers(0, 4))
    labels = [draw(st.sampled_from(LETTERS[:12])) if i % 2 == 0 else str(draw(st.integers(1, 12)))
              for i in range(depth)]
    return category, group, number, labels


def styles(category: str, group: str, number: int, labels: list[str]) -> list[str]:
    dotted = "".join(f".{x}" for x in labels)
    return [
        f"{category}{group}{number:03d}{dotted}",                                  # EU, US, UK
        f"{category}{group}{number:03d}{''.join(labels)}" if not any(
            a.isdigit() and b.isdigit() for a, b in itertools.pairwise(labels))
        else f"{category}{group}{number:03d}{dotted}",                             # UK, no dots
        f"{category}. {group}. {number}. " + " ".join(f"{x}." for x in labels),   # Wassenaar
        f"1-{category}.{group}.{number}.{''.join(f'{x}.' for x in labels)}",      # Canada Guide
        f"{category}.\t{group}.\t{number:03d}.\t" + "\t".join(f"{x}." for x in labels),  # DSGL
    ]


@FUZZ
@given(family_codes())
def test_every_style_gives_one_canonical_code(code: tuple[str, str, int, list[str]]) -> None:
    category, group, number, labels = code
    expected = ".".join([f"{category}{group}{number:03d}", *labels])
    for printed in styles(category, group, number, labels):
        if printed.endswith("\t"):
            printed = printed.rstrip()
        assert canonical_code(printed) == expected, printed


@FUZZ
@given(st.text(max_size=40))
def test_normaliser_never_crashes_and_is_idempotent(text: str) -> None:
    first = canonical_code(text)
    if first is not None:
        assert canonical_code(first) == first


STYLE = CodeStyle("fuzz", re.compile(r"^(?P<code>\d[A-E]\d{3})\s+(?P<rest>.+)$"),
                  noise=(re.compile(r"^PAGE \d+$"),))
WORDS = st.text(alphabet="qwertyuiopsdfghjklzxcvbnm", min_size=3, max_size=8)


@st.composite
def trees(draw: st.DrawFn) -> list[tuple[int, str, str]]:
    """(depth, label, text) lines of one entry's paragraph tree, in reading order."""
    out: list[tuple[int, str, str]] = []

    def children(depth: int, budget: int) -> int:
        count = draw(st.integers(0, min(3, budget)))
        for index in range(count):
            label = LETTERS[index] if depth % 2 == 1 else str(index + 1)
            out.append((depth, label, " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))))
            if depth < 4:
                budget -= children(depth + 1, max(0, budget - 1))
        return count

    children(1, 8)
    return out


@FUZZ
@given(trees(), st.booleans(), st.booleans())
def test_segmenter_rebuilds_the_tree_and_loses_no_text(
        tree: list[tuple[int, str, str]], with_noise: bool, with_note: bool) -> None:
    lines = [Line("9A123 Gadgets as follows:", "line 1")]
    expected_codes, path = [], []
    for depth, label, text in tree:
        path = [*path[: depth - 1], label]
        expected_codes.append("9A123." + ".".join(path))
        lines.append(Line(f"{label}. {text}", f"line {len(lines) + 1}", indent=float(depth * 10)))
        if with_noise:
            lines.append(Line(f"PAGE {len(lines)}", "footer"))
    if with_note:
        lines.append(Line("Note: this note closes the entry.", f"line {len(lines) + 1}"))
    seg = segment(lines, STYLE)
    paragraphs = [r.canonical for r in seg.rows if r.kind == "paragraph"]
    assert paragraphs == expected_codes
    kept = " ".join(r.text for r in seg.rows) + " " + " ".join(u.text for u in seg.unplaced)
    for line in lines:
        if line.location == "footer":
            continue
        for word in re.findall(r"[a-z]{3,}", line.text):
            assert word in kept, (word, line.text)
    assert seg.dropped_noise == (len(tree) if with_noise else 0)
