"""Wassenaar Arrangement dual-use and munitions lists: what the source is, where refresh gets
it, how each edition is read, and the facts of its print the readers look up (zavod-style)."""

from __future__ import annotations

import re
from dataclasses import replace

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="wassenaar",
    jurisdiction="WA",
    list_name="Wassenaar Dual-Use List",
    publisher="Wassenaar Arrangement Secretariat",
    url=(
        "https://www.wassenaar.org/app/uploads/2026/01/"
        "List-of-Dual-Use-Goods-and-Technologies-and-ML-2025-Corr.pdf"
    ),
    format="PDF",
    licence="Public document of the Wassenaar Arrangement",
    citation="Wassenaar Arrangement, WA-LIST (25) 1 Corr.",
    file_patterns=("*.pdf",),
    expected_entries=(150, 300),
)
ML_META = replace(
    META, source_id="wassenaar-ml", list_name="Wassenaar Munitions List", expected_entries=(20, 30)
)
# Editions 2012-2021: one Word file per section (`word` reads the folder).
WORD_META = replace(
    META,
    url="https://www.wassenaar.org/control-lists/",
    format="MS Word, one file per section (.doc; .docx)",
    citation="Wassenaar Arrangement, WA-LIST",
    file_patterns=("*.doc", "*.docx"),
)

WORD_ML_META = replace(ML_META, url=WORD_META.url, format=WORD_META.format,
                      file_patterns=WORD_META.file_patterns)

REFRESH = RefreshRule(
    fetch="loaders.wassenaar.fetch",
    publishers={"wassenaar": "https://www.wassenaar.org"},
)

# The record `loaders.registry()` finds: the current PDF is read by `parse`; a dated folder of
# Word files (an edition of 2012-2021) goes to `word`, which reads the whole folder.
SOURCE = ListSource(
    Reader("loaders.wassenaar.parse", META),
    editions=(Reader("loaders.wassenaar.word", WORD_META, reads_folder=True),),
    refresh=REFRESH,
)

# -- the PDF: running headers and footers, and the titles that name each page's section ------

NOISE = (
    re.compile(r"^WA-LIST\s*\(\d+\)\s*\d+(?:\s+Corr\.)?$"),
    re.compile(r"^-\s*\d{1,3}\s*-$"),
    re.compile(r"^\d{2}-\d{2}-\d{4}$"),
    re.compile(r"^_{10,}$"),
    re.compile(r"^DUAL-USE LIST - CATEGORY \d"),
    re.compile(r"^(?:Very )?Sensitive List$"),
    re.compile(r"^MUNITIONS\s+LIST\*?$"),
    re.compile(r"^DEFINITIONS$"),
    re.compile(r"^Acronyms and Abbreviations$"),
    re.compile(r"^Statements of Understanding and Validity Notes$"),
)
SECTION_TITLES = (  # first match on a page names its section; order matters
    ("front", re.compile(r"^TABLE OF CONTENTS$")),
    ("very-sensitive", re.compile(r"^Very Sensitive List$|^VERY SENSITIVE LIST OF")),
    ("sensitive", re.compile(r"^Sensitive List$|^THE SENSITIVE LIST OF")),
    ("munitions", re.compile(r"^MUNITIONS\s+LIST\*?$")),
    ("definitions", re.compile(r"^DEFINITIONS")),
    ("acronyms", re.compile(r"^Acronyms and Abbreviations$|^ACRONYMS AND ABBREVIATIONS")),
    ("understandings", re.compile(r"^Statements of Understanding|^STATEMENTS OF UNDERSTANDING")),
    ("dual-use", re.compile(r"^DUAL-USE LIST\b")),
)
NOT_ENTRIES = {
    "definitions": "definitions of terms (not entries)",
    "acronyms": "acronyms and abbreviations (not entries)",
    "understandings": "statements of understanding and validity notes (not entries)",
}


# -- the Word editions: which file holds which section ----------------------------------------

SECTION_FILES = (  # file name -> section; first match wins
    ("contents", re.compile(r"Table of Contents", re.I)),
    ("dual-use", re.compile(r"\bCat\s*\d")),
    ("very-sensitive", re.compile(r"\bVSL\b")),
    ("sensitive", re.compile(r"\bSL\b")),
    ("munitions", re.compile(r"\bML\b")),
)
TOOL_TIMEOUT = 120  # seconds for one file through antiword
