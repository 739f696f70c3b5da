"""The verdict engine's shortcuts decide exactly as the full rules would.

`verdicts.compare` keys a text once whatever its list's decimal convention where no number
could be read otherwise (`reads_commas`), and asks for the identity key only when the light
keys agree. Both rest on facts about the text rules checked here, on the rules' own examples
and on generated texts.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.compare import pair_rules, verdicts
from harmonize.compare.editorial_rules import identity_key, key_words, light_key, prepare
from harmonize.compare.editorial_table import TEXT_RULES

EXAMPLES = int(os.environ.get("HARMONIZE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
RULE_TEXTS = sorted({text for rule in (*TEXT_RULES, *pair_rules.PAIR_RULES)
                     for pair in (*rule.examples, *rule.keeps) for text in pair})
# Pieces of thresholds as the lists print them: numbers with points, commas and spaced
# thousands, powers of ten, units, comparators, references and notes.
PIECES = ["1", "5", "10", "0.5", "1.5", "2.3.4", "1,5", "1,000", "1 000", "1 000,5", "10^6",
          "x 10-3", "×", "mm", "GHz", "W", "kg", "%", "°C", "exceeding", "less than",
          "equal to or more than", "from", "to", "or more", "(", ")", ".", ",", ";", "-", "a.",
          "5A001.a", "6.A.2.", "Note:", "Technical Note", "\u00a0", " ", "'", "“", "—", "µ"]


texts = st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join)


def test_a_comma_changes_the_reading_only_where_the_shortcut_says_it_may() -> None:
    assert verdicts.reads_commas("exceeding 1,5 mm", True)
    assert key_words("exceeding 1,5 mm", True) != key_words("exceeding 1,5 mm", False)
    assert verdicts.reads_commas("version 2.3.4 or later", True)
    assert not verdicts.reads_commas("exceeding 1.5 mm", True)
    assert not verdicts.reads_commas("exceeding 1,5 mm", False)  # a decimal-point list


@pytest.mark.parametrize("text", RULE_TEXTS)
def test_rule_examples_read_alike_under_both_conventions_without_commas(text: str) -> None:
    if not verdicts.reads_commas(text, True):
        assert key_words(text, True) == key_words(text, False), prepare(text)


@FUZZ
@given(texts)
def test_generated_texts_read_alike_under_both_conventions_without_commas(text: str) -> None:
    if not verdicts.reads_commas(text, True):
        assert key_words(text, True) == key_words(text, False), prepare(text)


@FUZZ
@given(texts, texts)
def test_equal_identity_keys_imply_equal_light_keys(a: str, b: str) -> None:
    for one, other in ((a, b), (a, a.replace(" ", "  ")), (a, a.replace(" ", "\u00a0"))):
        if identity_key(one) == identity_key(other):
            assert light_key(one) == light_key(other)


@pytest.mark.parametrize(("one", "other", "status"), [
    ("exceeding 1,5 mm", "exceeding 1,5 mm", "identical"),
    ("exceeding 1.5\u00a0mm", "exceeding 1.5 mm", "identical"),
    ("“exceeding” 1.5 mm", "\"exceeding\" 1.5 mm", "editorial"),
    ("exceeding 1,5 mm", "exceeding 1.5 mm", "editorial"),
])
def test_shortcuts_keep_the_statuses(one: str, other: str, status: str) -> None:
    assert verdicts.compare(one, other, True, False).status == status
