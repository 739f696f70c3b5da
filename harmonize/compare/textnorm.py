"""Comparing legal texts: the stable entry points over the verdict engine.

- `identity_key`, `editorial_key` (`editorial_rules`): equal identity keys = identical; equal
  editorial keys = editorial.
- `compare_texts` (`verdicts.compare`): identical, editorial or substantive, with pair rules
  (acronyms spelt out, one-list typos, spelling variants) beyond the keys.
- `extract_parameters`, `parameter_differences` (`quantities`): thresholds as data.
- `word_diff`, `diff_text`: word-level diffs of the texts as printed.
"""

from __future__ import annotations

import difflib
import re

from harmonize.compare import editorial_rules, quantities, verdicts
from harmonize.compare.editorial_rules import (
    editorial_key,
    identity_key,
    normalise_numbers,
    prepare,
)
from harmonize.compare.quantities import Parameter

__all__ = ["Parameter", "clear_caches", "compare_texts", "detect_decimal_comma", "diff_text",
           "editorial_key", "extract_parameters", "identity_key", "normalise_numbers",
           "parameter_differences", "word_diff"]


def clear_caches() -> None:
    """Every per-text cache of the comparison (benchmarks start cold with it)."""
    editorial_rules.clear_caches()
    verdicts.clear_caches()


def detect_decimal_comma(texts: list[str]) -> bool:
    """Whether a list writes decimals with a comma (EU style `1,95 GPa`), judged by counting
    numbers whose comma or point is followed by one or two digits (never a thousands group)."""
    sample = " ".join(texts[:5000])
    commas = len(re.findall(r"\d,\d{1,2}(?!\d)", sample))
    points = len(re.findall(r"\d\.\d{1,2}(?!\d)", sample))
    return commas > points


def extract_parameters(text: str, decimal_comma: bool = False) -> list[Parameter]:
    """The thresholds a text prints (value, unit, comparator), restatements left out."""
    return [p for p in quantities.named(prepare(text), decimal_comma)
            if p.reported and not p.restated]


def parameter_differences(reference: list[Parameter],
                          other: list[Parameter]) -> dict[str, list[str]]:
    """Parameters printed in one text and not the other (as printed)."""
    changes = quantities.differences(reference, other)
    return {"reference": [c.before.text for c in changes if c.before is not None],
            "list": [c.after.text for c in changes if c.after is not None]}


def word_diff(a: str, b: str) -> list[dict[str, str]]:
    """Word-level diff of two texts: a list of {"op": equal|insert|delete|replace, "a", "b"}."""
    wa, wb = a.split(), b.split()
    ops = []
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append({"op": tag, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])})
    return ops


def diff_text(a: str, b: str) -> str:
    """The diff as one readable line: [-removed-] {+added+}."""
    parts = []
    for op in word_diff(a, b):
        if op["op"] == "equal":
            parts.append(op["a"])
        else:
            if op["a"]:
                parts.append(f"[-{op['a']}-]")
            if op["b"]:
                parts.append(f"{{+{op['b']}+}}")
    return " ".join(parts)


def compare_texts(reference: str, other: str, ref_decimal_comma: bool = False,
                  other_decimal_comma: bool = False) -> str:
    """identical, editorial or substantive."""
    return verdicts.compare(reference, other, ref_decimal_comma, other_decimal_comma).status
