"""US CCL: what both formats are read into (an ECCN with its printed blocks), the
designators printed at a block's start, and which codes are national."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harmonize.ingest.segmenter import NOTE_WORDS

ECCN = re.compile(r"^\d[A-E]\d{3}$")
# A paragraph designator as the eCFR prints it: "a. ", "j.1.a. ", "1. ", "2.b. ".
DESIGNATOR = re.compile(
    r"^(?P<label>(?:[a-z]|\d{1,2})(?:\.(?:[a-z]|\d{1,2}))*)\.\s+(?P<rest>\S.*)$"
)
# A designator the converter missed: dot missing or doubled ("b.1 Being", "b.2.a.. Auto...").
LOOSE_DESIGNATOR = re.compile(
    r"^(?P<label>[a-z](?:\.(?:[a-z]|\d{1,2}))+)\.{0,2}\s+(?P<rest>\S.*)$"
)
NOTE_MARKER = re.compile(rf"^(?P<marker>{NOTE_WORDS})(?![A-Za-z])")



# -- national numbering ----------------------------------------------------------------------
def is_national(canonical: str) -> bool:
    """US-only ECCNs: 0x9x (3A090, 4E091), 500/600-series (0A521, 9A610), 900-series (3A981)."""
    entry = canonical.split(".", 1)[0]
    if not ECCN.match(entry):
        return False
    number = int(entry[2:])
    return 90 <= number <= 99 or 500 <= number <= 699 or number >= 900


def is_national_paragraph(entry: str, label: str) -> bool:
    """A paragraph of a national entry, or a `.z` paragraph (US-only pull-in of 3A090/4A090
    items) and everything below it."""
    return is_national(entry) or label.split(".", 1)[0] == "z"


# -- format-neutral records ------------------------------------------------------------------
@dataclass
class RawBlock:
    """One printed paragraph of an entry's body, before it is placed."""

    text: str
    location: str
    label: str | None = None  # designator printed at its start ('j.1.a', '1', '2.b')
    note_group: str | None = None  # explicit note (XML <NOTE>) holding it
    note_marker: str = ""  # that note's printed heading ("Technical Note:")


@dataclass
class RawEntry:
    """One ECCN as read from either format."""

    eccn: str
    heading: str
    location: str
    reasons: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    blocks: list[RawBlock] = field(default_factory=list)


def split_designator(text: str) -> tuple[str | None, str]:
    """'j.1.a. Analysis ...' -> ('j.1.a', 'Analysis ...'); no designator -> (None, text)."""
    match = DESIGNATOR.match(text)
    if match and len(match["label"]) <= 16:
        return match["label"], match["rest"]
    return None, text
