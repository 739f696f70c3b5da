"""The table of pair rules (what each explains, why it is editorial, examples and guards); the
functions are in `pair_rules` (and two verdict-level ones in `verdicts`). The generated rule page
(`docs/editorial-rules.md`) lists these after the text rules of `editorial_table`."""

from __future__ import annotations

from harmonize.compare.editorial_rules import Rule

PAIR_RULES: tuple[Rule, ...] = (
    Rule("comparator-sense", "pair",
         "A comparator with its sense in brackets equals the comparator alone and the sense "
         "alone: `less (better) than` = `less than` = `better than` (same value and unit).",
         "The bracket says which direction is better; it restates, it does not change, the "
         "threshold.",
         (("equal to or less (better) than 0.5°", "equal to or less than 0.5°"),
          ("less (better) than 30 nm", "better than 30 nm")),
         (("less than 30 nm", "better than 30 nm"),
          ("less (better) than 30 nm", "less than 40 nm"))),
    Rule("flattened-power-of-ten", "pair",
         "A power of ten whose superscript one copy lost: `exceeding 103` = `exceeding 10^3` "
         "(same comparator and unit; only 10n against 10^n).",
         "The publisher printed 10³; the copy kept the digits without the superscript.",
         (("ratio equal to or exceeding 103.", "ratio equal to or exceeding 10^3."),
          ("larger than 100 µm in 109 alloy particles;",
           "larger than 100 µm in 10⁹ alloy particles;")),
         (("ratio equal to or exceeding 103.", "ratio equal to or exceeding 10^4."),
          ("larger than 100 µm in 108 alloy particles;",
           "larger than 100 µm in 10⁹ alloy particles;"))),
    Rule("acronym-expansion", "pair",
         "One text spells out what the other abbreviates, whatever the capitals: `exploding "
         "bridge wire` = `EBW`, `instantaneous field of view (IFOV)` = `IFOV`.",
         "The same term; the acronym must be printed in capitals and spell the words' "
         "initials.",
         (("an IFOV of less than 200 µrad", "an instantaneous field of view of less than 200 "
           "µrad"), ("Exploding foil initiators (EFI)", "EFI"),
          ("molecular laser isotope separation (MLIS) systems",
           "molecular laser isotope separation systems")),
         (("one rotor", "or"), ("arithmetic logic unit", "FPU"))),
    Rule("spelling-variants", "pair",
         "Spelling variants English allows, compared word for word: -lled/-led, ae/e, oe/e, "
         "-ence/-ense, -mme/-m, -eing/-ing, ph/f, besides the text rule's patterns.",
         "The same word in two spellings; both words must stand at the same place.",
         (("modelled", "modeled"), ("haemorrhagic fever", "hemorrhagic fever"),
          ("defence articles", "defense articles")),
         (("filling", "filing"), ("methyl", "ethyl"))),
    Rule("compound-words", "pair",
         "One word or two or hyphenated: `seabed` = `sea bed`, `co-ordinating` = "
         "`coordinating`, a word broken at a line end (`classi- fication`), a formula spaced "
         "otherwise (`126+20 log10f` = `126 + 20log10f`).",
         "The same letters in the same order; only the spacing differs.",
         (("relative to the seabed", "relative to the sea bed"),
          ("capable of co-ordinating", "capable of coordinating")),
         (("sea bed", "sea floor"),)),
    Rule("singular-plural", "pair",
         "The same noun in the singular and the plural at the same place: `missile` = "
         "`missiles`, `axis` = `axes`, `telecommunication` = `telecommunications`.",
         "Legal lists use number loosely: `for use in missiles` and `for use in missile "
         "systems` name the same items; a count (`two axes`) is compared as a number.",
         (("usable in rockets or missiles", "usable in rockets or missile"),
          ("more than 4 axes", "more than 4 axis")),
         (("missiles", "missions"),)),
    Rule("word-forms", "pair",
         "A verb and its noun or participle at the same place: `collects and stores images` = "
         "`collection and storage of images`, `when measured` = `when measuring`.",
         "Inflections and -ion/-ment/-age nouns of one stem name the same act; scope words "
         "(`not`, `any`, `all`...) never fold.",
         (("Collects and stores images having more than 2 × 10^8 pixels;",
           "Collection and storage of images having more than 2 x 10 8 pixels;"),
          ("an accuracy of better than 130 Pa when measured at 13 kPa",
           "an accuracy of better than 130 Pa when measuring at 13 kPa")),
         (("designed for production", "designed for products testing"),
          ("having all of the following", "having any of the following"))),
    Rule("qualified-reference", "pair",
         "A qualifier on items a reference already pins down: `usable in vibration test "
         "systems specified in 2B116.a` = `usable in systems specified in 2B116.a`.",
         "The reference names exactly which items; one to three plain words before them "
         "cannot change that set (scope words never fold).",
         (("usable in systems specified in 2B116.a.", "usable in vibration test systems "
           "specified in 2B116.a."),),
         (("usable in systems specified in 2B116.a.", "usable in systems not specified in "
           "2B116.a."), ("usable in test systems", "usable in systems"))),
    Rule("referenced-items", "pair",
         "A generic noun for the items a reference names: `the use of goods specified in "
         "6A108` = `the use of equipment controlled by 6A108` (goods, equipment, items, "
         "products, commodities).",
         "The reference says which items; a generic noun adds nothing. A noun that narrows "
         "them (`components`, `software`) or another reference stays a difference.",
         (("software for the use of goods specified in 6A108.",
           "software for the use of equipment controlled by 6A108."),),
         (("software for the use of goods specified in 6A108.",
           "software for the use of components controlled by 6A108."),
          ("software for the use of goods specified in 6A108.",
           "software for the use of equipment controlled by 6A107."))),
    Rule("one-list-typo", "pair",
         "A misspelling one list alone prints: one edit or transposition from a word of six "
         "letters or more that at least two lists use, the misspelt word used by no other "
         "list (`accompained` = `accompanied`).",
         "A typo in one list does not change what it controls; the guards keep real words "
         "(`methyl`/`ethyl`, both used by several lists) apart.",
         (("accompanied by software", "accompained by software"),),
         (("dimethyl", "diethyl"),)),
    Rule("cas-numbers", "pair",
         "CAS registry numbers (one or several) printed in one text only (`Sodium sulphide "
         "(CAS 1314-23-4)` = `Sodium sulphide`).",
         "The number identifies the substance the text names; a different number in both "
         "texts stays a difference.",
         (("Sodium sulphide (CAS 1314-23-4)", "Sodium sulphide"),
          ("Sodium azide (CAS 26628-22-8 / CAS 12345-67-8);", "Sodium azide;")),
         (("Diethylamine (CAS 109-89-7)", "Diethylamine (CAS 3982-91-0)"),)),
    Rule("two-item-quantifiers", "pair",
         "The quantifier before a list in the form a list of two takes: `all of the following` "
         "= `both of the following`, `any of the following` = `either of the following`.",
         "With two sub-items, all is both and any is either.",
         (("having all of the following:", "having both of the following:"),),
         (("having all of the following:", "having any of the following:"),)),
    Rule("comparative-synonyms", "pair",
         "Comparatives of one direction where no number follows them: `less (better) than any "
         "of the following` = `lower (better) than …`; `or more` = `or greater`.",
         "The same comparison in other words (with a number, the quantities rule reads it).",
         (("a 'sensitivity' less (better) than any of the following:",
           "a 'sensitivity' lower (better) than any of the following:"),),
         (("a 'sensitivity' less (better) than any of the following:",
           "a 'sensitivity' more (better) than any of the following:"),)),
    Rule("enumeration-connectors", "pair",
         "A connector added or dropped between two references of a list: `7A, 7B or 7D001, "
         "7D002 or 7D005` = `7A, 7B, 7D001, 7D002 or 7D005`; `and` before the list a text "
         "opens (`X and having all of the following` = `X having all of the following`); `or` "
         "between items of a list joined by `or` (`A, B or C, D` = `A, B, C or D`).",
         "A list of entries controlled is the same list whichever items the commas and `or` "
         "join; a condition joined by `and` is still a condition. Only `and`, and only there: "
         "`or` stays a difference.",
         (("specified in 7.A., 7.B., 7.D.1. or 7.D.5.", "specified in 7A, 7B or 7D001 or 7D005"),
          ("Output wavelength exceeding 2,100 nm and any of the following:",
           "Output wavelength exceeding 2,100 nm any of the following:"),
          ("Columns designed for isotope exchange and having all of the following:",
           "Columns designed for isotope exchange having all of the following:"),
          ("a layer of zinc oxide, boron nitride, tin oxide or diamond.",
           "a layer of zinc oxide, boron nitride or tin oxide, or diamond.")),
         (("specified in 7A and 7B", "specified in 7A and 7B and not 7C"),
          ("Columns designed for isotope exchange or having all of the following:",
           "Columns designed for isotope exchange having all of the following:"),
          ("a layer of zinc oxide, boron nitride and tin oxide.",
           "a layer of zinc oxide or boron nitride and tin oxide."))),
    Rule("quantity-name", "pair",
         "The quantity named before its value in one text only: `a vacuum (pressure equal to "
         "or less than 100 Pa)` = `vacuum (equal to or less than 100 Pa)`.",
         "The unit already says what is measured; only the exact name of that quantity "
         "counts, never a qualifier such as `peak` or `average`.",
         (("a vacuum (pressure equal to or less than 100 Pa)",
           "a vacuum (equal to or less than 100 Pa)"),
          ("for a period of greater than 48 hours", "for greater than 48 hours"),
          ("electronics rated to withstand a total radiation dose greater than 1 x 10^4 Gy "
           "(silicon)", "electronics rated to withstand greater than 1 x 10^4 Gy (Si)")),
         (("peak power exceeding 1 W", "power exceeding 1 W"),
          ("to withstand a total radiation dose rate greater than 5 Gy", "to withstand greater "
           "than 5 Gy"),
          ("to withstand a total radiation dose greater than 5 Gy", "to withstand greater "
           "than 6 Gy"),
          ("a vacuum (temperature equal to or less than 100 Pa)",
           "a vacuum (equal to or less than 100 Pa)"))),
    Rule("list-verbs", "pair",
         "The verb that opens a list of sub-items: `having any of the following` = "
         "`utilising any of the following` = `being all of the following`.",
         "The sub-items that follow set the condition; the verb only introduces them.",
         (("Fibres having all of the following:", "Fibres being all of the following:"),
          ("Utilising any of the following:", "Having any of the following:")),
         (("Having any of the following:", "Having all of the following:"),
          ("not having any of the following", "having any of the following"))),
    Rule("decontrol-verbs", "pair",
         "A decontrol note's verb: `5A002.a. does not apply to` = `5A002.a. does not control`.",
         "Both say the items that follow are outside the entry.",
         (("4D004 does not apply to software", "4D004 does not control software"),),
         (("4D004 does not apply to software", "4D004 does control software"),)),
    Rule("articles", "pair",
         "An article added, dropped or swapped: `the`, `a`, `an`; `of` before a value "
         "(`a switching time of less than 300 ms` = `switching time less than 300 ms`); "
         "`therefor` or `thereof` pointing back to the items just named.",
         "Articles do not change what is controlled.",
         (("for the reduction of heat loss", "for reduction of heat loss"),
          ("with a switching time of less than 300 ms", "with switching time less than 300 ms"),
          ("systems, equipment and components therefor, as follows:",
           "systems, equipment and components, as follows:")),
         (("for any reduction", "for reduction"),)),
    Rule("relative-fillers", "pair",
         "Relative-clause fillers around a description: `being`, `which`, `that`, `are`, `is`.",
         "`Being made from` and `Made from` describe the same items.",
         (("Being made from any of the following", "Made from any of the following"),),
         (("not made from", "made from"),)),
)

# Rules added after a random draw of cells (seed 20261205) was labelled; each has guards that
# change one thing the rule must not fold (a number, a "not", a scope noun).
PAIR_RULES = (*PAIR_RULES, Rule(
    "value-framing", "pair",
    "Words that frame a value, before it or between a range's bounds: `having a purity equal "
    "to or greater than 99.99 %` = `of purity levels of 99.99 % or more`; `in the wavelength "
    "range exceeding 400 nm but not exceeding 2 000 nm` = `at a wavelength that is greater "
    "than 400 nm and less than or equal to 2 000 nm`.",
    "The comparator, value and unit are compared as data and must match; the framing words "
    "(having, with, of, in, at, level, range, that is; but/and between a lower and an upper "
    "bound) say nothing about the threshold. Scope words never frame.",
    (("Bismuth having a purity equal to or greater (better) than 99.99%;",
      "Bismuth of purity levels of 99.99 % or more;"),
     ("a detector with a peak response in the wavelength range exceeding 400 nm but not "
      "exceeding 2 000 nm", "a detector with a peak response at a wavelength that is greater "
      "than 400 nm and less than or equal to 2,000 nm"),
     ("Containing 12 - 18 % by weight of cobalt;", "Containing 12 - 18 weight percent cobalt;")),
    (("Bismuth having a purity equal to or greater than 99.99%;",
      "Bismuth of purity levels of 99.9 % or more;"),
     ("Bismuth having a purity equal to or greater than 99.99%;",
      "Bismuth not having a purity equal to or greater than 99.99%;"),
     ("Bismuth having a purity equal to or greater than 99.99%;",
      "Bismuth having an impurity equal to or greater than 99.99%;"),
     ("a detector with a peak response in the wavelength range exceeding 400 nm but not "
      "exceeding 2 000 nm", "a detector with a peak response in the wavelength range "
      "exceeding 400 nm or not exceeding 2 000 nm"),
     ("Containing 12 - 18 % by weight of cobalt;", "Containing 12 - 19 weight percent cobalt;"),
     ("a detector with a peak response in the wavelength range exceeding 400 nm but not "
      "exceeding 2 000 nm", "a detector with a peak response outside the wavelength range "
      "exceeding 400 nm but not exceeding 2 000 nm"))), Rule(
    "capability-phrases", "pair",
    "Phrases that say what an item can do: `capable of` = `allowing (for)` = `permitting` = "
    "`enabling` (`equipment capable of in situ monitoring` = `equipment allowing for the in "
    "situ monitoring`).",
    "Each says the item has the capability; none says what it is designed or meant for, so "
    "`designed for` and `for use in` stay different.",
    (("Coating equipment capable of in situ monitoring of layer thickness",
      "Coating equipment allowing for the in situ monitoring of layer thickness"),),
    (("Coating equipment capable of in situ monitoring", "Coating equipment designed for in "
      "situ monitoring"),
     ("Coating equipment capable of in situ monitoring", "Coating equipment not allowing for "
      "the in situ monitoring"),
     ("Coating equipment capable of in situ monitoring", "Coating equipment allowing for the "
      "in situ repair"))), Rule(
    "item-list-connectors", "pair",
    "`and` or `or` joining the kinds of item a text opens by naming: `Valves or pumps for "
    "cryogenic fluids` = `Valves and pumps for cryogenic fluids`.",
    "Each kind named is controlled either way. Only in the opening noun phrase, before any "
    "condition (`having`, `with`, `for`, `capable`...): between conditions `and` and `or` "
    "differ.",
    (("Valves or pumps for cryogenic fluids, having any of the following:",
      "Valves and pumps for cryogenic fluids, having any of the following:"),),
    (("Valves having a bore exceeding 5 cm or a seal made of steel",
      "Valves having a bore exceeding 5 cm and a seal made of steel"),
     ("Valves or pumps for cryogenic or corrosive fluids",
      "Valves and pumps for cryogenic and corrosive fluids"))), Rule(
    "opening-list-verb", "pair",
    "A sub-item opening with the verb of the list it belongs to, carried over `and` to the "
    "list it opens: `Having three or more linear axes and all of the following` = `At least "
    "three linear axes having all of the following`.",
    "The heading's `having` already governs each sub-item; repeating it, and joining the "
    "sub-item's own list with `and`, states the same conditions. Any other connector (`or`), "
    "a changed count or quantifier stays different.",
    (("At least three linear axes having all of the following:",
      "Having three or more linear axes and all of the following:"),),
    (("At least three linear axes having all of the following:",
      "Having three or more linear axes or all of the following:"),
     ("At least three linear axes having all of the following:",
      "Having four or more linear axes and all of the following:"),
     ("At least three linear axes having all of the following:",
      "Having three or more linear axes and any of the following:"))), Rule(
    "restated-modifier", "pair",
    "A word before the first noun that restates the purpose both texts give: `Feed pumps "
    "specially designed for delivering the feed water of boilers` = `Pumps specially designed "
    "for delivering the feed water of boilers`.",
    "Pumps for delivering the feed water are feed pumps; the word adds nothing the `for` "
    "clause does not say. A word the purpose does not repeat stays a difference.",
    (("Feed pumps specially designed for delivering the feed water of boilers;",
      "Pumps specially designed for delivering the feed water of boilers;"),),
    (("Vacuum pumps specially designed for delivering the feed water of boilers;",
      "Pumps specially designed for delivering the feed water of boilers;"),
     ("Feed pumps specially designed for boilers;", "Pumps specially designed for boilers;"))),
    Rule(
    "compound-synonyms", "pair",
    "A term and a compound naming the same thing: `components` = `component parts` (a short "
    "table).",
    "A component part is a component; `parts` alone is a term of its own in some lists and "
    "is not folded.",
    (("Separation systems and specially designed components therefor.",
      "Separation systems and specially designed component parts therefor."),),
    (("Separation systems and specially designed components therefor.",
      "Separation systems and specially designed parts therefor."),
     ("Separation systems and specially designed components therefor.",
      "Separation systems and specially designed component assemblies therefor."))))
PAIR_RULES = (*PAIR_RULES, Rule(
    "control-status", "pair",
    "`the control status of` = `the status of`; `the control parameter` = `the specified "
    "parameter`.",
    "In a note on an export-control list an item's status is its control status, and the "
    "parameter a note names is the entry's own. `control` before any other word (`control "
    "equipment`), or `specified` against another word, stays a difference.",
    (("The status of semiconductor lasers specially designed for other equipment is "
      "determined by the status of the other equipment.",
      "The control status of semiconductor lasers specially designed for other equipment is "
      "determined by the control status of the other equipment."),
     ("designed with the intent to meet, or exceed, the specified parameter.",
      "designed with the intent to meet, or exceed, the control parameter.")),
    (("The status of semiconductor lasers specially designed for other equipment is "
      "determined by the status of the other equipment.",
      "The status of semiconductor lasers specially designed for control equipment is "
      "determined by the status of the other equipment."),
     ("designed with the intent to meet, or exceed, the specified parameter.",
      "designed with the intent to meet, or exceed, the control range."))))
# Added when notes were compared across lists (issue 14); the function is in `note_rules`.
PAIR_RULES = (*PAIR_RULES, Rule(
    "restated-z-paragraphs", "pair",
    "References to the US CCL's `.z` paragraphs in one text only, right after a reference to "
    "the same entry: `items specified by 5A004.b, z.3 or z.4` = `items specified in 5.A.4.b.`.",
    "A `.z` paragraph holds items of a lettered paragraph of the same entry that also meet the "
    "3A090/4A090 parameters (15 CFR 774, e.g. 5A004.z: \"Commodities that are described in "
    "5A004.a or .b and that also meet ...\"): it names no other items. A `.z` paragraph of "
    "another entry, or any other added reference, stays a difference.",
    (("for items specified in 5.A.4.b., 5.D.2.a.3.b. or 5.D.2.c.3.b.",
      "for items specified by 5A004.b, z.3 or z.4, 5D002.a.3.b, z.4, or 5D002.c.3.b."),),
    (("for items specified in 5.A.4.b., 5.D.2.a.3.b. or 5.D.2.c.3.b.",
      "for items specified by 5A004.b, 5A001.z.3, 5D002.a.3.b or 5D002.c.3.b."),
     ("for items specified in 5.A.4.b., 5.D.2.a.3.b. or 5.D.2.c.3.b.",
      "for items specified by 5A004.b, z.3, 5A004.c, 5D002.a.3.b or 5D002.c.3.b."))))
PAIR_RULES = (*PAIR_RULES, Rule(
    "purpose-clause", "pair",
    "A note opening `For the purposes of 1.C.3.a., measurement ...` in one text and "
    "`Measurement ...` in the other; `For the purposes of 7A003.b., this entry refers to` = "
    "`7.A.3.b. refers to`.",
    "The clause restates the code the note governs. Only at the start of the text; a clause "
    "naming another code than the other text stays a difference.",
    (("For the purposes of 1.C.3.a., measurement of permeability must be performed.",
      "Measurement of permeability must be performed."),
     ("7.A.3.b. refers to systems in which units are built.",
      "For the purposes of 7A003.b., this entry refers to systems in which units are built.")),
    (("For the purposes of 1.C.3.a., measurement of permeability must be performed.",
      "For the purposes of 1.C.3.b., measurement of permeability must be performed."),
     ("For the purposes of 1.C.3.a., measurement of permeability must be performed.",
      "Measurement of permeability must not be performed."),
     ("7.A.3.b. refers to systems in which units are built.",
      "For the purposes of 7A003.c., this entry refers to systems in which units are built."))),
    Rule(
    "definition-verbs", "pair",
    "The verb of a definition: `'EUV' means` = `'EUV' refers to` = `is defined as`.",
    "Each says what the term stands for.",
    (("'EUV' means wavelengths greater than 5 nm and less than 124 nm.",
      "'EUV' refers to wavelengths greater than 5 nm and less than 124 nm."),),
    (("'EUV' means wavelengths greater than 5 nm and less than 124 nm.",
      "'EUV' excludes wavelengths greater than 5 nm and less than 124 nm."),
     ("'EUV' means wavelengths greater than 5 nm and less than 124 nm.",
      "'EUV' refers to wavelengths greater than 6 nm and less than 124 nm."))))
# A verdict-level rule (verdicts._bracketed_synonyms), listed here with the pair rules.
PAIR_RULES = (*PAIR_RULES, Rule(
    "bracketed-synonyms", "pair",
    "A name and its synonym in brackets, in either order: `Viscumin (Viscum Album Lectin 1)` = "
    "`Viscum Album Lectin 1 (Viscumin)`.",
    "The same two names; which one is bracketed is house style. Only words moved whole, "
    "bracketed in one of the texts, count.",
    (("Viscumin (Viscum Album Lectin 1);", "Viscum Album Lectin 1 (Viscumin);"),),
    (("not A but B", "not B but A"),)), Rule(
    "reordered-conditions", "pair",
    "The same conditions joined by `and` in another order: `systems incorporating a digital "
    "controller and employing feedback` = `systems employing feedback and incorporating a "
    "digital controller`.",
    "`and` is commutative; words whose place changes the meaning (`not`, `except`, `or`, "
    "`other than`), or an `or` just beside the moved part (`A and B or C`), rule it out.",
    (("Test systems incorporating a digital controller and employing feedback techniques, "
      "capable of vibrating", "Test systems employing feedback techniques and incorporating a "
      "digital controller, capable of vibrating"),),
    (("Test systems incorporating a controller and not employing feedback techniques",
      "Test systems employing feedback techniques and not incorporating a controller"),
     ("Designed for launch vehicles specified in 9A004 and sounding rockets specified in 9A104 "
      "or unmanned aerial vehicles specified in 9A012;",
      "Designed for launch vehicles specified in 9A004 or unmanned aerial vehicles specified "
      "in 9A012 and sounding rockets specified in 9A104;"))), Rule(
    "reordered-alternatives", "pair",
    "The same items of an `or` list in another order: `vehicles specified in 9A004, sounding "
    "rockets specified in 9A104 or unmanned aerial vehicles specified in 9A012` = `vehicles "
    "specified in 9A004, unmanned aerial vehicles specified in 9A012 or sounding rockets "
    "specified in 9A104`.",
    "`or` is commutative in a list of alternatives. Only one item moving with its one `or` and "
    "otherwise unchanged; an `and` among the moved words (`A or B and C`), or a word whose "
    "place can change the meaning (`not`, `except`, `other than`), rules it out.",
    (("Designed for use in space launch vehicles specified in 9A004, sounding rockets "
      "specified in 9A104 or unmanned aerial vehicles specified in 9A012;",
      "Designed for use in space launch vehicles specified in 9A004, unmanned aerial vehicles "
      "specified in 9A012 or sounding rockets specified in 9A104;"),),
    (("Designed for use in launch vehicles specified in 9A004, sounding rockets specified in "
      "9A104 or unmanned aerial vehicles specified in 9A012;",
      "Designed for use in unmanned aerial vehicles specified in 9A012, sounding rockets "
      "specified in 9A104 or launch vehicles specified in 9A004;"),
     ("Designed for use in launch vehicles specified in 9A004, sounding rockets specified in "
      "9A104 or unmanned aerial vehicles specified in 9A012;",
      "Designed for use in launch vehicles specified in 9A004, unmanned aerial vehicles "
      "specified in 9A012 or sounding rockets specified in 9A105;"))))
