"""The table of text rules (what each folds, why it is editorial, examples and guards) and
the generated rule page: `python -m harmonize.compare.editorial_table > docs/editorial-rules.md`.
The functions are in `editorial_rules` (text rules) and `pair_rules`; the pair rules' table is
`pair_table`."""

from __future__ import annotations

import sys

from harmonize.compare.editorial_rules import Rule

TEXT_RULES: tuple[Rule, ...] = (
    Rule("symbol-font-glyphs", "text",
         "Symbol-font glyphs left as private-use code points (U+F06D, U+F0B4) read as the "
         "characters they draw (µ, ×, λ, χ, °).",
         "The publisher printed µ or ×; the code point is an artefact of PDF text extraction.",
         (("pulse duration exceeding 1 \uf06ds", "pulse duration exceeding 1 µs"),
          ("3.3\uf0b410-11 m/V or more", "3.3 × 10^-11 m/V or more")),
         (("exceeding 1 \uf06ds", "exceeding 1 s"),)),
    Rule("markup-and-superscripts", "text",
         "Exponents kept as HTML (`10<sup>9</sup>`) or Unicode superscripts (`10⁻¹⁴`, the "
         "loaders' faithful form) read as `10^9`, `10^-14` before any compatibility folding "
         "(which would make `10⁶` the number 106); other HTML tags dropped.",
         "Copies derived from HTML or typeset PDFs print the same power of ten differently.",
         (("2 × 10<sup>9</sup> N/m2", "2 × 10^9 N/m2"), ("10⁻¹⁴ J", "10^-14 J"),
          ("less than 10⁻¹⁴ J", "less than 10-14 J"),
          ("exceeding 14.65 × 10⁶ m", "exceeding 14.65 x 106 m")),
         (("10⁻¹⁴ J", "10^-13 J"), ("exceeding 14.65 × 10⁶ m", "exceeding 14.65 × 10⁷ m"))),
    Rule("unicode-forms", "text",
         "Unicode compatibility forms (℃, ﬁ), quotes of every style, dashes and minus signs, "
         "the micro sign, non-breaking spaces, and degrees printed as º or a letter o.",
         "Typography, not wording: the same characters as a reader sees them.",
         (("at 215ºC", "at 215 °C"), ('"Specially designed" components',
                                        "“specially designed” components"),
          ("below 218 K (−55 °C)", "below 218 K (-55°C)"),
          ("cooled to -50oC", "cooled to −50 °C")),
         (("not exceeding -50 °C", "not exceeding 50 °C"),)),
    Rule("flattened-layout", "text",
         "Layout lost in extraction: a unit's exponent printed apart (`A/cm 2` = `A/cm2`, "
         "`m 3 /h` = `m3/h`), a word glued to the number after it (`exceeds1:5 000`), a number "
         "broken after a hyphen at a line end (`1274-08- 4`), a unit prefix parted from its unit "
         "(`0.1n W`).",
         "The PDF or derived copy kept the characters but not their layout.",
         (("exceeding 5 A/cm 2", "exceeding 5 A/cm2"), ("exceeds1:5 000", "exceeds 1:5 000"),
          ("Dibutyl ferrocene (CAS 1274-08- 4)", "Dibutyl ferrocene (CAS 1274-08-4)"),
          ("an absorption of less than 10 -5 cm -1", "an absorption of less than 10-5 cm-1"),
          ("a power greater than 0.2n W (-67 dBm)", "a power greater than 0.2 nW (-67 dBm)")),
         (("exceeding 5 A/cm 2", "exceeding 5 A/cm3"),
          ("a power greater than 0.2n W", "a power greater than 0.2 mW"))),
    Rule("footnote-marks", "text",
         "A footnote mark printed after a standard's year: `ISO 230-2:1988 (6)` = "
         "`ISO 230-2:19881` = `ISO 230-2:1988`.",
         "The footnote points to the publisher's own note; the standard cited is the same.",
         (("according to ISO 230-2:1988 (6) or national equivalents",
           "according to ISO 230-2:19881 or national equivalents"),),
         (("according to ISO 230-2:1988", "according to ISO 230-2:2006"),)),
    Rule("number-words", "text",
         "Numbers written as words up to twenty (`four axes`, `twenty or more`) read as digits.",
         "The same count, spelt out or in figures.",
         (("more than four axes", "more than 4 axes"),
          ("twenty or more elements", "20 or more elements")),
         (("more than four axes", "more than 5 axes"),)),
    Rule("chemical-locants", "text",
         "Locants in chemical names (`1,2,3-triazole`) kept apart from decimal numbers.",
         "A locant is part of a name; read as a decimal comma it would change a decimal-comma "
         "list's chemical into another string than the same name in a decimal-point list.",
         (("4,5-diazidomethyl-2-methyl-1,2,3-triazole", "4,5-diazidomethyl-2-methyl-1,2,3-"
           "triazole"), ("1,2- Dimethylhydrazinium azide", "1,2-Dimethylhydrazinium azide")),
         (("1,2,3-triazole", "1,2,4-triazole"),), (True, False)),
    Rule("code-references", "text",
         "Cross-references in any publisher's style: `5.D.1.a.` = `5D001.a`; a category and "
         "group `6.A., 6.B.` = `6A, 6B`; `specified by`, `specified in`, `controlled by`, "
         "`described in`, `by ECCNs` or a bare `by` before a code = `in`; `other than those "
         "specified in` = `not specified in`; `having the characteristics listed in` = "
         "`specified in`; `the specified limits of 6A007.a.` = `the limits specified in "
         "6A007.a.`; shorthands for siblings (`3B001.a. to f.`, `5A002.a.1 to a.3`).",
         "Each list writes references to the same entry in its own numbering style.",
         (("other than that specified in 5.D.1.a. or 5.D.1.c.",
           "other than that specified in 5D001.a. or 5D001.c."),
          ("equipment specified by 6.A., 6.B. or 6.C.", "equipment specified by 6A, 6B or 6C"),
          ("items specified in 4.A.5.", "items controlled by ECCNs 4A005"),
          ("equipment specified in 3.B.1.a. to 3.B.1.f.", "equipment specified by 3B001.a. to f."),
          ("as specified in any of the following", "as specified by any of the following"),
          ("not specified in 6.A.5.a., 6A.5.b. or 6.A.5.c.",
           "not specified in 6A005.a., 6A005.b. or 6A005.c."),
          ("systems, not specified in 5.A.1.b.4.",
           "systems, other than those specified in 5A001.b.4."),
          ("tubes having the characteristics listed in 6.A.2.a.2.a.",
           "tubes specified in 6A002.a.2.a."),
          ("not specified in 5.A.2.a.1. to 5.A.2.a.3.",
           "not specified in paragraphs 5A002.a.1 to a.3"),
          ("conditions specified in ISO 3977-2:1997", "conditions specified by ISO 3977-2:1997"),
          ("other than those specified in 1C010.a., .b. or .e.",
           "other than those specified in 1C010.a., b. or e."),
          ("masks designed for circuits specified in 3.A.1.;", "masks designed for circuits "
           "by 3A001;"),
          ("better than the limits specified in 6.A.7.a. or 6.A.7.b.",
           "better than the specified limits of 6A007.a. or 6A007.b.")),
         (("see 5.D.1.a.", "see 5.D.1.b."), ("specified by 4A or 4D", "specified by 4A or 4E"),
          ("circuits by 3A001", "circuits by 3A002"),
          ("the limits specified in 6.A.7.a.", "the specified limits of 6A007.b."))),
    Rule("numbered-labels", "text",
         "A numbered item printed without its dot between its neighbours: `2. SFDR is ... "
         "3 A signal is ... 4. Adjusted` = `... 3. A signal is ...`.",
         "A number opening a sentence, between items labelled one less and one more, is the "
         "missing label; read as a value it made `3 A` three amperes. Without both neighbours "
         "the number stays a number.",
         (("1. SFDR is the ratio of the RMS values. 2. SFDR is read from the table. 3. A signal "
           "is full scale above -3 dBfs. 4. The adjusted update rate is the rate of the DAC.",
           "1. SFDR is the ratio of the RMS values. 2. SFDR is read from the table. 3 A signal "
           "is full scale above -3 dBfs. 4. The adjusted update rate is the rate of the DAC."),),
         (("1. SFDR is the ratio of the RMS values. 2. SFDR is read from the table. A signal "
           "is full scale above -3 dBfs.",
           "1. SFDR is the ratio of the RMS values. 2. SFDR is read from the table. 3 A signal "
           "is full scale above -3 dBfs."),
          ("Rated at 2 A. Holding current: 3 A Maximum.",
           "Rated at 2 A. Holding current: 4 A Maximum."))),
    Rule("inline-labels", "text",
         "The labels of the items a text lists after a colon or between items (`...: a. X; or "
         "b. Y` = `...: 1. X; or 2. Y`), dropped; the items' words and their connectors stay.",
         "Lists restyle the labels of a note's items (letters or numbers); the labels give "
         "only the order, the items say what is listed.",
         (("does not apply to sensors incorporating any of the following: a. Charge Coupled "
           "Devices (CCD); or b. CMOS devices.", "does not apply to sensors incorporating any "
           "of the following: 1. Charge Coupled Devices (CCD); or 2. CMOS devices."),),
         (("any of the following: a. Charge Coupled Devices (CCD); or b. CMOS devices.",
           "any of the following: 1. Charge Coupled Devices (CCD); and 2. CMOS devices."),
          ("any of the following: a. Charge Coupled Devices (CCD); or b. CMOS devices.",
           "any of the following: 1. Charge Coupled Devices (CCD)."),
          ("any of the following: a. Devices having 3 elements; or b. CMOS devices.",
           "any of the following: 1. Devices having 4 elements; or 2. CMOS devices."),
          ("any of the following: a. Arrays not exceeding 5. The array is cooled.",
           "any of the following: a. Arrays not exceeding 6. The array is cooled."))),
    Rule("note-marker", "text",
         "A note's own heading printed inside its text by one copy: `Note: 5D001.e does not "
         "apply to` = `5D001.e does not apply to`; `Technical Notes: 1. For the purposes of` = "
         "`For the purposes of` (with `leading-label`).",
         "The heading is the note's kind, which is compared apart (Note, Technical Note, N.B.).",
         (("Note: 5D001.e does not apply to billing software.",
           "5.D.1.e. does not apply to billing software."),
          ("Technical Notes: 1. For the purposes of 5D001.e, a handover interface is an "
           "interface.", "For the purposes of 5.D.1.e., a handover interface is an "
           "interface.")),
         (("Note: 5D001.e does not apply to billing software.",
           "5.D.1.e. does apply to billing software."),
          ("Note: 5D001.e does not apply to billing software.",
           "Not 5.D.1.e. does not apply to billing software."))),
    Rule("note-verbs", "text",
         "The verb a note opens with after the code it governs: `4A003.c. controls only` = "
         "`4.A.3.c. applies only to` = `4A003.c only controls`; `1C008.a. controls` = "
         "`1.C.8.a. applies to`.",
         "Both say which items the entry covers; only at the opening of a text after a code "
         "(elsewhere `controls` is a noun: flight controls).",
         (("4A003.c. controls only electronic assemblies.",
           "4.A.3.c. applies only to electronic assemblies."),
          ("1C008.a. controls substances in liquid form.",
           "1.C.8.a. applies to substances in liquid form.")),
         (("1C008.a. controls only substances in liquid form.",
           "1.C.8.a. applies to substances in liquid form."),
          ("1C008.a. controls substances in liquid form.",
           "1.C.8.a. does not apply to substances in liquid form."))),
    Rule("leading-label", "text",
         "A paragraph label printed at the start of the text (`a. `, `(1) `) by one copy.",
         "The label is the paragraph's code, compared apart.",
         (("a. Radar systems", "Radar systems"),),
         (("Radar systems", "Sonar systems"),)),
    Rule("quantities", "text",
         "Each parameter read as data (see `harmonize/compare/quantities.py`): comparator "
         "wording (`greater than` = `exceeding` = `more than`; `or more` = `equal to or greater "
         "than`), units with pint (`1 Watt` = `1 W`, `50W/cm2` = `50 W/cm²`, `parts per "
         "million` = `ppm`, `5 percent` = `5 %`, `1000 MHz` = `1 GHz`), powers of ten (`x`/`×`, "
         "`10^6`, `10 6`, `10⁻¹⁴`) as one value, a quantity restated in other units in "
         "brackets (`4.5 K (-268.65 °C)`) or the unit spelled out after it (`10 ppm (parts per "
         "million)`).",
         "Same comparison, same value, same unit: the threshold is the same.",
         (("1 Watt or more", "1 W or more"), ("exceeding 50W/cm2", "exceeding 50 W/cm2"),
          ("greater than 10 GHz", "exceeding 10 GHz"),
          ("exceeding 10.15 x 106 m", "exceeding 10.15 × 10^6 m"),
          ("purity better than 5 parts per million", "purity better than 5 ppm"),
          ("less than 5 percent", "less than 5 %"), ("1 kW or more", "equal to or more than 1 kW"),
          ("greater (better) than 48 dB", "better than 48 dB"),
          ("at 4.5 K (-268.65 °C)", "at 4.5 K"), ("less than 1 000 MHz", "less than 1 GHz"),
          ("less than 20 ppm (parts per million) by weight", "less than 20 ppm by weight"),
          ("40 weight per cent or more cobalt", "40 % by weight or more cobalt")),
         (("1 mW", "1 MW"), ("exceeding 1 kW", "1 kW or more"), ("above 10 GHz", "above 12 GHz"),
          ("less than 0.5 °", "better than 0.5 °"), ("specified by 4A or 4D", "specified by 4 A"),
          ("less than 20 ppm (parts per billion) by weight", "less than 20 ppm by weight"))),
    Rule("acronyms", "text",
         "A long form followed by its acronym in brackets folds to the acronym, whatever the "
         "long form's capitalisation (`Exploding Bridge Wire (EBW)` = `exploding bridge wire "
         "(EBW)` = `EBW`); an acronym's plural (`DACs`) = its singular.",
         "The acronym is defined where it is used; the thing named is the same.",
         (("Exploding Bridge Wire (EBW) detonators", "EBW detonators"),
          ("carrier class Internet Protocol (IP) network", "carrier class IP network"),
          ("digital-to-analogue converters (DAC)", "DACs")),
         (("silicon germanium (SiGe)", "SiGe"), ("Exploding Bridge Wire (EBW)", "EFI"))),
    Rule("element-symbols", "text",
         "A chemical element's name and symbol: `Gy (silicon)` = `Gy (Si)`; a name followed "
         "by its formula: `hydrogen (H2)` = `hydrogen`, `gallium nitride (GaN)` = `gallium "
         "nitride`.",
         "The same element or compound, named or by its symbol or formula.",
         (("5 x 10^3 Gy (silicon)", "5 x 10^3 Gy (Si)"),
          ("hydrogen (H2)-compatible", "hydrogen-compatible"),
          ("silicon carbide (SiC), gallium oxide (Ga2O3) or diamond",
           "silicon carbide, gallium oxide or diamond")),
         (("Gy (silicon)", "Gy (germanium)"), ("gallium nitride (GaN)", "gallium nitride (GaAs)"))),
    Rule("heading-boilerplate", "text",
         "Heading boilerplate: `(see List of Items Controlled)`, `as follows`, `(see also …)`, "
         "`having all of the following characteristics` = `having all the following`, the "
         "US `characteristics described in this ECCN` = `the following`, a leading `Items:`; "
         "each list's name for its munitions list (`Military Goods Controls`, `Munitions "
         "List`, `U.S. Munitions List`, `Common Military List`), `in` or `on` it.",
         "Publisher conventions around a heading, not part of what it controls.",
         (("Telecommunications systems, as follows (see List of Items Controlled).",
           "Telecommunications systems, as follows:"),
          ("having both of the following characteristics:", "having both of the following:"),
          ("having all of the following:", "having all the following:"),
          ("other than that specified in the Military Goods Controls",
           "other than that specified in the Munitions List"),
          ("fuels specified in 1C011 or in the Military Goods Controls.",
           "fuels described in 1C011, or on the U.S. Munitions List.")),
         (("having all of the following", "having any of the following"),)),
    Rule("punctuation", "text",
         "Punctuation, brackets, letter case, `valve(s)` = `valves`, `and/or` = `or`, `/` "
         "between words = `per`, `×` between words = `x`, decimal comma vs point by each "
         "list's convention, thousands separators, a trailing `; or`, `; and`.",
         "Layout and house style; numbers keep their value.",
         (("strength of 1,95 GPa or more; or", "strength of 1.95 GPa or more"),
          ("More than 1 000 channels;", "More than 1,000 channels;"),
          ("Rated at 1 000,5 V", "Rated at 1,000.5 V"),
          ("[Psat>505,62 W × GHz2/fGHz 2]", "[Psat>505.62 W*GHz2/fGHz 2]"),
          ("Switching valve(s);", "switching valves"),
          ("0.05 nT (rms)/square root Hz", "0.05 nT (rms) per square root Hz"),
          ("Mercury and/or lithium amalgam pumps;", "Mercury or lithium amalgam pumps;")),
         (("having all of the following", "having any of the following"),
          ("does not apply", "does apply"),
          ("a power exceeding 1 W and exceeding 2 kg", "a power exceeding 1 W or exceeding 2 kg")),
         (True, False)),
    Rule("spelling", "text",
         "British and American spelling as a rule: -ise/-isation/-yse = -ize/-ization/-yze, "
         "-our = -or, -tre/-bre = -ter/-ber, -ogue = -og, sulph- = sulf-, plus a table of "
         "irregular words (aluminium, programme, tyre, licence, modelling...).",
         "The same word in two spellings.",
         (("Analogue signal processing", "analog signal processing"),
          ("optical fibres to optimise behaviour", "optical fibers to optimize behavior"),
          ("a centre of calibre", "a center of caliber")),
         (("precise", "precize"), ("four", "for"), ("contour", "contor"))),
)


def _visible(text: str) -> str:
    """Private-use code points (Symbol-font glyphs) shown as U+F06D."""
    return "".join(f"U+{ord(c):04X}" if "\ue000" <= c <= "\uf8ff" else c for c in text)


def rule_table(rules: tuple[Rule, ...]) -> str:
    """The rules as a Markdown table (docs/editorial-rules.md is this, generated)."""
    lines = ["| rule | kind | treated as editorial | why | example |", "|---|---|---|---|---|"]
    for rule in rules:
        a, b = (_visible(text) for text in rule.examples[0])
        example = f"`{a}` = `{b}`".replace("|", "\\|")
        lines.append(f"| `{rule.name}` | {rule.kind} | {rule.folds.replace('|', '/')} | "
                     f"{rule.why.replace('|', '/')} | {example} |")
    return "\n".join(lines)


def document() -> str:
    """docs/editorial-rules.md, generated from the rule tables (text and pair rules)."""
    from harmonize.compare import pair_rules, verdicts

    rules = TEXT_RULES + pair_rules.PAIR_RULES
    reasons = "\n".join(f"- `{name}`: {text}" for name, text in verdicts.REASONS.items())
    return (
        "# Editorial rules\n\n"
        "Generated by `python -m harmonize.compare.editorial_table` from the rule tables in\n"
        "`harmonize/compare/editorial_table.py` and `pair_table.py`; `tests/test_editorial_"
        "rules.py`\nfails when this page and the code differ. Two texts are **identical** when "
        "they differ\nonly in whitespace and Unicode compatibility forms, **editorial** when "
        "the rules below\nexplain every difference, **substantive** otherwise, with a reason.\n\n"
        "Text rules fold each text on its own, in this order; pair rules explain one remaining\n"
        "difference between two texts.\n\n" + rule_table(rules) + "\n\n"
        "## Reasons a difference is substantive\n\n" + reasons + "\n")


if __name__ == "__main__":
    sys.stdout.write(document())
