"""Editorial vs substantive on real-world pairs, parameters, diffs."""

from __future__ import annotations

import pytest

from harmonize.compare.editorial_rules import identity_key, light_key
from harmonize.compare.textnorm import (
    compare_texts,
    detect_decimal_comma,
    editorial_key,
    extract_parameters,
    normalise_numbers,
    parameter_differences,
    word_diff,
)


@pytest.mark.parametrize(
    ("a", "b", "a_comma", "b_comma", "expected"),
    [
        ("strength of 1,95 GPa or more", "strength of 1.95 GPa or more", True, False, "editorial"),
        ("made of aluminium", "made of aluminum", False, False, "editorial"),
        ("Optical fibres of more than 500 m", "Optical fibers of more than 500 m", True, False,
         "editorial"),
        ('"Specially designed" components', "“specially designed” components", False, False,
         "editorial"),
        ("Specially designed components", "“Specially designed” components", False, False,
         "editorial"),
        ("below 218 K (−55 °C); or", "below 218 K (-55°C);", False, False, "editorial"),
        ("More than 1 000 channels;", "More than 1,000 channels;", True, False, "editorial"),
        ("to optimise the transmission", "to optimize the transmission", False, False,
         "editorial"),
        ("Telecommunications systems, as follows (see List of Items Controlled).",
         "Telecommunications systems, as follows:", False, False, "editorial"),
        ("same   text", "same text", False, False, "identical"),
        ("other than that specified in 5.D.1.a. or 5.D.1.c.,",
         "other than that specified in 5D001.a. or 5D001.c.,", False, True, "editorial"),
        ("surveillance on a carrier class IP network",
         "surveillance on a carrier class Internet Protocol (IP) network", False, True,
         "editorial"),
        ("tracking the movement or location of targets", "tracking the movement of targets",
         False, False, "substantive"),
        ("see 5.D.1.a.", "see 5.D.1.b.", False, False, "substantive"),
        ("an error of less than or equal to 1x10-4;", "an error of less than or equal to 10^-4;",
         False, True, "editorial"),
        ("less than or equal to 2x10-3;", "less than or equal to 2 × 10 −3 ;", False, False,
         "editorial"),
        ("less than or equal to 2x10-3;", "less than or equal to 3 × 10 −3 ;", False, False,
         "substantive"),
        ("items specified in 4A001.a;", "items specified by 4A001.a;", False, False, "editorial"),
        ("TPP of 4800 or more", "TPP of 4000 or more", False, False, "substantive"),
        ("above 10 GHz", "above 12 GHz", False, False, "substantive"),
        ("1,95 GPa", "1.95 GPa", False, False, "substantive"),  # "1,95" in a decimal-point list
        ("having all of the following", "having any of the following", False, False,
         "substantive"),
    ],
)
def test_compare(a: str, b: str, a_comma: bool, b_comma: bool, expected: str) -> None:
    assert compare_texts(a, b, a_comma, b_comma) == expected


def test_numbers_by_convention() -> None:
    assert normalise_numbers("1 000,5 and 0,125 and 1,95", True) == "1000.5 and 0.125 and 1.95"
    assert normalise_numbers("1,000.5 and 0.125 and 5A001.a.3", False) == (
        "1000.5 and 0.125 and 5A001.a.3")


def test_decimal_convention_detected() -> None:
    assert detect_decimal_comma(["1,5 MHz", "87,5 MHz", "1 000 channels"])
    assert not detect_decimal_comma(["1.5 MHz", "87.5 MHz", "1,000 channels"])


def test_parameters_value_unit_comparison() -> None:
    params = extract_parameters(
        "A 'total processing performance' of 4800 or more; operating above 31,8 GHz but not "
        "exceeding 57 GHz; equal to or greater than +20 dBm; 2 × 10<sup>9</sup> N; see 5A001.b",
        decimal_comma=True,
    )
    assert [(p.value, p.unit, p.comparison) for p in params] == [
        (4800.0, "", ">="), (31.8, "GHz", ">"), (57.0, "GHz", "<="), (20.0, "dBm", ">="),
        (2e9, "N", ""),
    ]


def test_parameter_differences_name_both_sides() -> None:
    ref = extract_parameters("above 10 GHz and less than 1 W")
    other = extract_parameters("above 12 GHz and less than 1 W")
    assert parameter_differences(ref, other) == {"reference": ["above 10 GHz"],
                                                 "list": ["above 12 GHz"]}


def test_word_diff() -> None:
    ops = word_diff("widgets above 10 GHz", "widgets above 12 GHz")
    assert ops == [{"op": "equal", "a": "widgets above", "b": "widgets above"},
                   {"op": "replace", "a": "10", "b": "12"},
                   {"op": "equal", "a": "GHz", "b": "GHz"}]


def test_editorial_key_keeps_meaningful_words() -> None:
    assert "not" in editorial_key("does not apply")
    assert editorial_key("precise") == "precise"  # -ise words that are not British spellings


@pytest.mark.parametrize(("faithful", "flat", "expected"), [
    # the loaders' Unicode forms (harmonize.ingest.glyphs) against copies that lost them
    ("dissipation less than 10⁻¹⁴ J;", "dissipation less than 10-14 J;", "editorial"),
    ("a density of 1.50 g/cm³ or more", "a density of 1.50 g/cm3 or more", "identical"),
    ("exceeding 14.65 × 10⁶ m", "exceeding 14.65 x 106 m", "editorial"),
    ("more than 2 × 10⁸ pixels", "more than 2 x 108 pixels", "editorial"),
    ("more than 2 × 10⁸ pixels", "more than 2 x 109 pixels", "substantive"),
    ("3.3 × 10⁻¹¹ m/V or more", "3.3\uf0b410-11 m/V or more", "editorial"),
    ("ISO 230-2:1988¹ or national equivalents", "ISO 230-2:1988 (6) or national equivalents",
     "editorial"),
])
def test_superscripts_as_the_loaders_print_them(faithful: str, flat: str, expected: str) -> None:
    assert compare_texts(faithful, flat) == expected
    assert compare_texts(flat, faithful) == expected


def test_a_power_of_ten_is_never_identical_to_the_number_its_digits_make() -> None:
    """NFKC alone folds `10⁶` into `106`: the keys read the power first."""
    assert identity_key("exceeding 10⁶ Hz") != identity_key("exceeding 106 Hz")
    assert light_key("exceeding 10⁶ Hz") != light_key("exceeding 106 Hz")
    assert identity_key("1 m²") == identity_key("1 m2")  # a unit's exponent folds harmlessly


@pytest.mark.parametrize(("text", "expected"), [
    # "or less" after a restatement whose bracket closes after a space
    ("capable of temperatures of 153 K (-120°C ) or less;", [("<=", 153.0, "K", "")]),
    # a sign glued to the variable it bounds
    ("within the range of 10 kHz< F≤ 100 kHz", [("", 10.0, "kHz", ""), ("<=", 100.0, "kHz", "")]),
    # parts per million: better is less
    ("a purity level better than 5 parts per million", [("<", 5.0, "ppm", "better")]),
    ("a purity better than 99.9995 %", [("better", 99.9995, "%", "")]),
    # a formula in square brackets restates the prose: no thresholds of its own
    ("greater than 505.62 divided by f squared [P sat >505.62 W*GHz 2 /f GHz 2 ] for any",
     [(">", 505.62, "", "")]),
])
def test_parameters_read_in_context(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    from harmonize.compare import quantities
    from harmonize.compare.editorial_rules import prepare

    found = [p for p in quantities.parse(prepare(text)) if not p.restated]
    assert [(p.comparator, p.value, p.unit, p.sense) for p in found] == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("a purity level better than 5 parts per million 'boron equivalent'",
     "a purity level of less than 5 ppm 'boron equivalent'", "editorial"),
    ("a purity level better than 5 parts per million", "a purity level of less than 6 ppm",
     "substantive"),
    ("a purity level better than 5 parts per million", "a purity level of more than 5 ppm",
     "substantive"),
    ("cooling to 150 K (-123 °C) or less", "cooling to 150 K (-123°C ) or less", "editorial"),
    ("cooling to 150 K (-123 °C) or less", "cooling to 150 K (-123°C )", "substantive"),
    ("the range of 10 kHz < F ≤ 100 kHz", "the range of 10 kHz< F≤ 100 kHz", "editorial"),
    ("the range of 10 kHz < F ≤ 100 kHz", "the range of 10 kHz< F≤ 110 kHz", "substantive"),
    ("[Psat>505.62 W*GHz²/fGHz ²] for any channel",
     "[P sat >505.62 W*GHz 2 /f GHz 2 ] for any channel", "editorial"),
    ("[Psat>505.62 W*GHz²/fGHz ²] for any channel",
     "[P sat >505.63 W*GHz 2 /f GHz 2 ] for any channel", "substantive"),
    # "or" between two values is scope (only a trailing "; or" is layout)
    ("exceeding 1 W and exceeding 2 kg; or", "exceeding 1 W or exceeding 2 kg", "substantive"),
])
def test_parameters_in_context_compare(a: str, b: str, expected: str) -> None:
    assert compare_texts(a, b) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("an accuracy of 0.1 µm or less (better), for", "an accuracy of 0,1 µm or less, for",
     "editorial"),
    ("an accuracy of 0.1 µm or less (better), for", "an accuracy of 0,2 µm or less, for",
     "substantive"),
    ("an accuracy of 0.1 µm or less (better), for", "an accuracy of 0,1 µm or more, for",
     "substantive"),
    ("containing 17.0-23.0% by weight of chromium", "containing 17,0 - 23,0 % by weight of "
     "chromium", "editorial"),
    ("containing 17.0-23.0% by weight of chromium", "containing 17,0 - 25,0 % by weight of "
     "chromium", "substantive"),
])
def test_sense_after_the_value_and_glued_ranges(a: str, b: str, expected: str) -> None:
    """The second text is from a decimal-comma list."""
    assert compare_texts(a, b, False, True) == expected
