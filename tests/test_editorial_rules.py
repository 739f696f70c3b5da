"""Every editorial rule on its own examples and guards; the generated rule page stays in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.compare import editorial_rules, editorial_table, pair_rules, verdicts
from harmonize.compare.editorial_rules import Rule, editorial_key
from harmonize.compare.editorial_table import TEXT_RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "editorial-rules.md"
ALL_RULES = TEXT_RULES + pair_rules.PAIR_RULES
# The typo rule needs to know which lists use which words: "accompanied" by two, the typo by one.
VOCABULARY = verdicts.Vocabulary({"accompanied": 3, "accompained": 1, "dimethyl": 3,
                                  "diethyl": 3, "software": 5})


def _verdict(a: str, b: str, commas: tuple[bool, bool] = (False, False)) -> verdicts.Verdict:
    return verdicts.compare(a, b, commas[0], commas[1], vocabulary=VOCABULARY)


def _cases(field: str) -> list[tuple[str, str, str, tuple[bool, bool]]]:
    return [(rule.name, a, b, rule.commas) for rule in ALL_RULES for a, b in getattr(rule, field)]


@pytest.mark.parametrize(("name", "a", "b", "commas"), _cases("examples"))
def test_rule_examples_are_editorial(name: str, a: str, b: str, commas: tuple[bool, bool]) -> None:
    verdict = _verdict(a, b, commas)
    assert verdict.status in ("identical", "editorial"), (name, verdict)
    # either way round
    assert _verdict(b, a, commas[::-1]).status in ("identical", "editorial"), name


@pytest.mark.parametrize(("name", "a", "b", "commas"), _cases("keeps"))
def test_rule_guards_stay_substantive(name: str, a: str, b: str,
                                      commas: tuple[bool, bool]) -> None:
    assert _verdict(a, b, commas).status == "substantive", name


@pytest.mark.parametrize("rule", [r for r in TEXT_RULES
                                  if r.name not in ("quantities", "punctuation", "spelling")],
                         ids=lambda r: r.name)
def test_each_text_rule_is_needed_for_its_first_example(rule: Rule) -> None:
    """Without the rule's function the first example would not be folded: the example tests
    the rule, not some other rule."""
    a, b = rule.examples[0]
    function = RULE_FUNCTIONS[rule.name]
    stages = editorial_rules.PREPARE if function in editorial_rules.PREPARE else (
        editorial_rules.WORDS)
    name = "PREPARE" if stages is editorial_rules.PREPARE else "WORDS"
    without = tuple(f for f in stages if f is not function)
    editorial_rules.clear_caches()
    try:
        setattr(editorial_rules, name, without)
        ca, cb = rule.commas
        assert editorial_key(a, ca) != editorial_key(b, cb), rule.name
    finally:
        setattr(editorial_rules, name, stages)
        editorial_rules.clear_caches()


RULE_FUNCTIONS = {
    "symbol-font-glyphs": editorial_rules.symbol_font,
    "markup-and-superscripts": editorial_rules.markup_and_superscripts,
    "unicode-forms": editorial_rules.unicode_forms,
    "flattened-layout": editorial_rules.flattened_layout,
    "footnote-marks": editorial_rules.footnote_marks,
    "number-words": editorial_rules.number_words,
    "chemical-locants": editorial_rules.chemical_locants,
    "code-references": editorial_rules.code_references,
    "numbered-labels": editorial_rules.numbered_labels,
    "inline-labels": editorial_rules.inline_labels,
    "note-marker": editorial_rules.note_marker,
    "leading-label": editorial_rules.leading_label,
    "note-verbs": editorial_rules.note_verbs,
    "acronyms": editorial_rules.acronyms,
    "element-symbols": editorial_rules.element_symbols,
    "heading-boilerplate": editorial_rules.heading_boilerplate,
}


@pytest.mark.parametrize("rule", [r for r in pair_rules.PAIR_RULES
                                  if r.name in pair_rules.FUNCTIONS], ids=lambda r: r.name)
def test_each_pair_rule_explains_its_examples(rule: Rule) -> None:
    for a, b in rule.examples:
        verdict = _verdict(a, b, rule.commas)
        assert verdict.status == "identical" or rule.name in verdict.rules or (
            verdict.rules == () and editorial_key(a) == editorial_key(b)), (rule.name, a, b)


def test_every_rule_is_documented_with_examples() -> None:
    names = [r.name for r in ALL_RULES]
    assert len(names) == len(set(names))
    for rule in ALL_RULES:
        assert rule.folds and rule.why and rule.examples, rule.name
    assert set(pair_rules.FUNCTIONS) <= set(names)
    assert set(RULE_FUNCTIONS) | {"quantities", "punctuation", "spelling"} == {
        r.name for r in TEXT_RULES}


def test_docs_page_is_generated_from_the_rules() -> None:
    assert DOCS.read_text(encoding="utf-8") == editorial_table.document(), (
        "docs/editorial-rules.md differs from the rules: run "
        "`.venv/bin/python -m harmonize.compare.editorial_table > docs/editorial-rules.md`")


@pytest.mark.parametrize(("word", "american"), [
    ("analogue", "analog"), ("catalogues", "catalogs"), ("colour", "color"),
    ("behaviour", "behavior"), ("metre", "meter"), ("centres", "centers"), ("fibre", "fiber"),
    ("calibre", "caliber"), ("optimisation", "optimization"), ("analysed", "analyzed"),
    ("sulphide", "sulfide"), ("vapour", "vapor"), ("contour", "contour"), ("four", "four"),
    ("acre", "acre"), ("precise", "precise"), ("exercise", "exercise"), ("genre", "genre"),
])
def test_spelling_is_a_rule_not_a_list(word: str, american: str) -> None:
    assert editorial_rules.american(word) == american
