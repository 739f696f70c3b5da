"""The words of an export: statuses, origins, terms, the meaning of every column, the cover's
disclaimer and marking line. One place, so the workbook's Dictionary, the About sheet and each
CSV zip's README say the same."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from harmonize.compare.crosswalk import ORIGINS, STATUSES

# Okabe-Ito palette (colour-blind safe), light tints for cell fills.
STATUS_FILLS = {
    "identical": "CCE5F5",     # blue
    "editorial": "D5EFE6",     # bluish green
    "substantive": "FBE3C4",   # orange
    "absent": "F4D1E1",        # reddish purple
    "national": "FFF6C2",      # yellow
    "not-detailed": "E6E6E6",  # grey
}
STATUS_LEGEND = {
    "identical": "Same text as the reference wording after normalising whitespace.",
    "editorial": "Differs only editorially: quotes, spelling, punctuation, decimal comma/point, "
                 "code-reference style, acronym expansion.",
    "substantive": "Numbers, units, terms or conditions differ: see the parameters column and "
                   "the reference wording beside it.",
    "absent": "The list holds that part of the list in detail but not this code.",
    "national": "Only this list holds the code (beyond the shared numbering).",
    "not-detailed": "The loaded copy lacks paragraph text there; silence is not absence in law.",
}
ORIGIN_LEGEND = {
    "wassenaar": "In the Wassenaar dual-use list.",
    "other-regime": "A code of another regime's family (entry number 1xx-4xx: MTCR, NSG, "
                    "Australia Group, CWC).",
    "plurilateral": "Held by several lists, not by Wassenaar (e.g. the 2024-25 EU, UK and US "
                    "additions).",
    "national": "Held by one list only.",
}
assert set(STATUS_FILLS) == set(STATUSES) and set(ORIGIN_LEGEND) == set(ORIGINS)

# How a list's note stands against the note of the code's reference text (Gaps, Notes).
NOTE_LEGEND = {
    "changed": "Both print the note; it differs in substance (the reason says how).",
    "missing": "The reference text prints the note; this list does not.",
    "not in the reference": "This list prints the note; the reference list, holding the code, "
                            "does not.",
}
NOT_COMPARABLE = "not comparable"
DISCLAIMER = (
    "Made by software from the lists named on the About sheet, as loaded on the date above. It "
    "compares wording; it is not legal advice and not an official interpretation of any list. "
    "Where a list's copy is a third party's conversion (About: copy), or lacks paragraph text "
    "(not detailed), check the official text at the link given before relying on a row.")
CLASSIFICATION = "Classification / handling marking (to be completed by the sender)"

TERMS = [
    ("reference list", "The list every status is measured against (chosen when the export is "
     "made; default: the Wassenaar dual-use list)."),
    ("reference wording", "The reference list's text of a code. Where the reference list does "
     "not hold the code, the fallback reference: the wording most of the compared lists share "
     "(ties go to a list holding the code under its own number, then to the list order); the "
     "column 'reference list' names the list it was taken from."),
    ("origin", "Where a code comes from, whatever list is the reference: "
     + " ".join(f"{k}: {v}" for k, v in ORIGIN_LEGEND.items())),
    ("status", "How one list's text of a code compares with the reference wording; the "
     "Dictionary sheet defines each status."),
    ("comparable", "Codes whose loaded copy is detailed (total minus not detailed)."),
    ("share same", "same / comparable, where same = identical + editorial: the share of the "
     "comparable codes a list holds with the reference wording up to editorial differences. "
     f"'{NOT_COMPARABLE}' where no code is comparable (never 0)."),
    ("agreement", "For two lists: among the codes either holds and neither copy is silent on "
     "(not detailed), the share both hold with the same text up to editorial differences "
     "(agree / considered). Computed over the codes in this export's scope only. "
     f"'{NOT_COMPARABLE}' where no code is considered."),
    ("mapped from", "A reviewed equivalence (Crosswalk sheet) aligned the list's own code "
     "with this one; the list prints the code named here."),
    ("derived copy", "A third party's conversion of the official text into another format: "
     "the wording is the official wording, structure and completeness depend on the "
     "converter. The About sheet says which copies are derived and what they lack."),
    ("as of", "With an 'as of' date, each list is the latest kept version dated on or before "
     "it; a list with no version by then is left out, never counted as absent."),
]

# Sheets in order, and what each holds (the Cover's contents).
SHEETS = {
    "Cover": "Title, scope, reference list, dates, marking line, disclaimer.",
    "About": "The lists in scope (version, official or derived copy, caveats, link to the "
             "version compared) and the terms used.",
    "Dictionary": "Every column of every sheet, every status.",
    "Summary": "Per lens and list: counts by status and the share held the same, with the "
               "counts behind it.",
    "Agreement": "Pairwise agreement between the lists chosen (square), with the counts "
                 "behind each figure.",
    "Matrix": "Every code in scope and its status in each list chosen.",
    "Gaps": "Every divergence (national, absent, substantive, editorial) with the list's "
            "text and the reference wording beside it.",
    "Notes": "Every note (Note, Technical Note, N.B.) that differs from the reference text's "
             "notes: changed, missing or not in the reference, both texts side by side with "
             "their versions and citations.",
    "Texts": "Every code's text in each list chosen, beside the reference wording.",
    "Measures": "Measures outside the lists (catch-alls, rules, proposals) in scope.",
    "Crosswalk": "Reviewed equivalences between differently numbered codes.",
    "Changes": "What changed in each list in scope since its previous kept version.",
    "Parties": "End users listed by the US and the EU (when party lists are loaded): who "
               "lists each, under which citation, and why records are one party; the party "
               "lists read.",
    "Long texts": "Full text of any cell cut at Excel's 32,767-character limit.",
}

_LIST_COLUMN = ("<list id>", "One column per list chosen")
LAYOUT = "(layout)"  # a Dictionary row about how a sheet shows its columns, not a column
COLUMNS: dict[str, dict[str, str]] = {
    "About": {
        "list": "Id of the list (the store's source or list id).",
        "jurisdiction": "Who issues the list (WA = the Wassenaar Arrangement).",
        "list name": "The list's name.",
        "role": "compared (a jurisdiction chosen) or reference (the list statuses are measured "
                "against), or both.",
        "version": "Date of the legal text compared (YYYY-MM-DD).",
        "copy": "official (the publisher's own file) or derived (a third party's conversion), "
                "and what it was made from.",
        "caveats": "What the copy lacks or how old it is: read before relying on its rows.",
        "where to read it": "What the link opens: the version compared where the publisher "
                            "has a page for it.",
        "link": "Live address of that page.",
        "citation": "How to cite the list.",
        "publisher": "Who publishes the list.",
        "licence": "Terms of reuse of the text.",
        "file read": "Name of the file imported.",
        "sha256": "Checksum of the file imported (proves which file was read).",
        "imported at": "When the file was imported (UTC).",
        "term": "A word used in this workbook.",
        "meaning": "What it means here.",
    },
    "Dictionary": {
        "sheet": "Sheet the column is on.",
        "column or value": "A column's header, or a value a column takes (status: …).",
        "meaning": "What it means.",
    },
    "Summary": {
        "lens name": f"The technology lens (sub-lenses listed below their lens; "
                     f"'{'(all codes in scope)'}' counts every code of the export).",
        "lens": "The lens id (datasets/lenses.toml).",
        "list": "Id of the list.",
        "jurisdiction": "Who issues the list.",
        **{s.replace("-", " "): f"Codes of the lens with status {s} in this list."
           for s in STATUSES},
        "total": "Codes of the lens (union over the lists loaded).",
        "comparable": "total - not detailed.",
        "same": "identical + editorial.",
        "same, notes differ": "Of the codes counted same: those whose notes differ from the "
                              "reference text's (a note changed, missing or not in the "
                              "reference). Shares stand on the paragraph text.",
        "share same": "same / comparable (or 'not comparable').",
    },
    "Agreement": {
        "list": "Row list of the square.",
        "<list id>": "Agreement of the row list with this list (or 'not comparable').",
        "list a": "First list of the pair.",
        "list b": "Second list of the pair.",
        "agreement": "agree / considered (or 'not comparable').",
        "agree": "Codes both hold with the same text up to editorial differences.",
        "both hold": "Codes both lists hold.",
        "considered": "Codes either holds and neither copy is silent on.",
        "agree, notes differ": "Codes both hold the same as the reference wording whose notes "
                               "differ between the two lists (one prints a note the other "
                               "lacks, or they print it differently in substance).",
    },
    "Matrix": {
        "code": "The code in the common style (5A001.j); lists may print it differently.",
        "kind": "entry or paragraph.",
        "origin": "wassenaar, other-regime, plurilateral or national (About: origin).",
        "Wassenaar mark": "Sensitive or Very Sensitive where the Wassenaar list marks the code "
                          "(or a code above it) so.",
        "reasons for control": "Reasons for control stated by a list for the code's entry "
                               "(the US CCL: NS, MT, AT, …), prefixed by its jurisdiction.",
        "lenses": "The most specific lenses that tag the code, named below the export's lens "
                  "(intrusion = surveillance.intrusion).",
        _LIST_COLUMN[0]: "Status of the code in that list (Dictionary: status).",
    },
    "Gaps": {
        "code": "The code in the common style.",
        "list": "Id of the list that diverges.",
        "jurisdiction": "Who issues it.",
        "status": "national, absent, substantive or editorial (Dictionary: status).",
        "item heading": "The heading of the code's entry (its opening words, up to 160 "
                        "characters) in the reference list (else in this list); empty on entry "
                        "rows, whose text is the heading.",
        "text": "This list's text of the code (empty where absent).",
        "reference wording": "The reference wording of the code (About: reference wording); "
                             "empty where it is this list's own text (national codes).",
        "reference list": "The list the reference wording is taken from.",
        "parameters": "For substantive rows: the numbers, units or terms that differ, per list.",
        "notes": "The code's notes (Note, Technical Note, N.B.) against the reference text's: "
                 "same (up to editorial details), differ, or empty where no list prints a note "
                 "on the code. A decontrol note can differ where the paragraph agrees.",
        "note differences": "Which note differs and how (the Notes sheet gives both texts).",
        "origin": "wassenaar, other-regime, plurilateral or national.",
        "list version": "Date of the list's version compared.",
        "reasons for control": "As in Matrix.",
        "Wassenaar mark": "As in Matrix.",
        "mapped from": "The list's own code where a reviewed equivalence aligned it.",
        "citation": "How to cite the row.",
        "place in the file read": "Page, line or element of the row in the file imported.",
        "link": "Live address of the version compared (at the page, for PDFs).",
        LAYOUT: "Where the item heading, the text or the reference wording repeats the row "
                "above, the cell reads '(same as above)': its full text is in the cell (formula "
                "bar, filters, copies). On paper: the columns up to 'parameters'.",
    },
    "Texts": {
        "code": "The code in the common style.",
        "reference wording": "As in Gaps.",
        "reference list": "The list the reference wording is taken from.",
        _LIST_COLUMN[0]: "That list's text of the code (empty where the list lacks it).",
        LAYOUT: "Where a list's text is the reference wording word for word, the cell reads "
                "'(same as the reference wording)': its full text is in the cell (formula "
                "bar, filters, copies).",
    },
    "Notes": {
        "code": "The code the note governs, in the common style.",
        "list": "Id of the list whose note differs.",
        "note": "The note as the list of reference numbers it (Note 2, Technical Note 1, N.B.).",
        "note status": "changed, missing or not in the reference (Dictionary: note status).",
        "reason": "For changed notes: how they differ (parameter, number, scope words …).",
        "note text": "This list's text of the note (empty where missing).",
        "reference note text": "The note it is compared with: the reference text's (empty "
                               "where the reference list does not print it).",
        "reference list": "The list whose note is the note of reference (the reference list, "
                          "or the first list printing it where that list's copy is silent).",
        "list version": "Date of the list's version.",
        "reference version": "Date of the reference note's list version.",
        "citation": "How to cite this list's note.",
        "reference citation": "How to cite the reference note.",
        "place in the file read": "Page, line or element of this list's note in the file "
                                  "imported.",
    },
    "Measures": {
        "id": "Id of the measure in the register (datasets/measures.csv).",
        "jurisdiction": "Who adopted it.",
        "title": "Its title.",
        "instrument": "The legal instrument.",
        "citation": "How to cite it.",
        "type": "Kind of measure.",
        "status": "proposed, in-force or rescinded.",
        "date_published": "Date published.",
        "date_effective": "Date it took effect.",
        "date_rescinded": "Date it was rescinded.",
        "lenses": "Lenses it concerns.",
        "codes": "List codes it concerns.",
        "url": "Where to read it.",
        "verified": "Whether the entry was checked against the sources named.",
        "verified_against": "What it was checked against.",
        "summary": "What it does.",
        "notes": "Notes.",
    },
    "Crosswalk": {
        "list": "The list whose code is mapped.",
        "code in that list": "The code as that list numbers it.",
        "same control as": "The code it is the same control as (rows align under it).",
        "why": "The reviewer's reason, from reading both texts.",
        "reviewed": "When and how it was reviewed.",
    },
    "Changes": {
        "list": "The list.",
        "previous version": "The kept version before the one compared.",
        "version compared": "The version in this export.",
        "code": "The code (in the list's own numbering).",
        "change": "added, removed or modified (editorial-only changes are left out).",
        "difference": "For modified codes: the words removed [-…-] and added {+…+}; for added "
                      "or removed codes: their text.",
    },
    "Parties": {  # and the party columns of parties_view.SHEET_COLUMNS (`meaning`)
        "source": "Id of the party source read.",
        "jurisdiction": "Who issues it (US or EU).",
        "publisher": "Who publishes it.",
        "format": "The format read.",
        "licence": "Terms of reuse.",
        "files read": "Files read from it.",
        "records": "Records read (a listing each).",
        "imported at": "When it was imported (UTC).",
        "url": "Where the publisher offers it.",
    },
    "Long texts": {
        "sheet": "Sheet of the cut cell (this sheet exists only when a cell was cut).",
        "cell": "The cut cell.",
        "part": "Part number (long texts are split into parts).",
        "text": "The full text, part by part.",
    },
}


def meaning(sheet: str, column: str) -> str | None:
    known = COLUMNS.get(sheet, {})
    if column not in known and sheet == "Parties":
        # Imported when a Parties sheet is written: it brings plotly and the party matcher.
        from harmonize.present.parties_view import SHEET_COLUMNS

        return SHEET_COLUMNS.get(column)
    return known.get(column)


def dictionary_frame(sheets: Iterable[tuple[str, Iterable[str]]],
                     list_ids: Iterable[str]) -> pd.DataFrame:
    """(sheet, column or value, meaning) for every column of the sheets written, then every
    status. A list id column is defined once per sheet as '<list id>'."""
    ids = set(list_ids)
    rows: list[tuple[str, str, str]] = []
    for sheet, columns in sheets:
        generic_done = False
        for column in columns:
            if column in ids and _LIST_COLUMN[0] in COLUMNS.get(sheet, {}):
                if not generic_done:
                    rows.append((sheet, _LIST_COLUMN[0], COLUMNS[sheet][_LIST_COLUMN[0]]))
                    generic_done = True
                continue
            text = meaning(sheet, column)
            if text is None and sheet == "Measures":  # the register may grow columns
                text = "A column of the measures register (datasets/measures.md defines it)."
            if text is None:
                raise KeyError(f"no definition of column {column!r} of sheet {sheet!r}")
            rows.append((sheet, column, text))
        if LAYOUT in COLUMNS.get(sheet, {}):
            rows.append((sheet, LAYOUT, COLUMNS[sheet][LAYOUT]))
    rows += [("Matrix, Gaps", f"status: {s}", STATUS_LEGEND[s]) for s in STATUSES]
    rows += [("Matrix, Gaps", f"origin: {o}", ORIGIN_LEGEND[o]) for o in ORIGINS]
    rows += [("Gaps, Notes", f"note status: {s}", NOTE_LEGEND[s]) for s in NOTE_LEGEND]
    return pd.DataFrame(rows, columns=["sheet", "column or value", "meaning"])
