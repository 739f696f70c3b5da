"""One normal form for the Wassenaar numbering family.

`5. A. 1. j.`, `5A001.j`, `5A001j`, `1-5.A.1.j` and `5.\tA.\t001.\tj.` all become `5A001.j`.
Codes outside the family (UK `PL9002`, munitions `ML1.a`, Canada `5504`) keep their printed
form, trimmed of whitespace and trailing dots, so they still compare equal to themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Category digit, product group letter, entry number; an optional Canadian Guide group prefix
# ("1-") which is dropped because Group 1 of the Guide *is* the Wassenaar dual-use list.
_FAMILY = re.compile(
    r"""^(?:(?P<guide_group>\d)\s*-\s*)?
        (?P<cat>\d)\s*\.?\s*
        (?P<group>[A-Ea-e])\s*\.?\s*
        (?:Part\s*\d\s*\.?\s*)?          # never a code part; tolerated so headings normalise
        (?P<num>\d{1,3})(?!\d)
        (?P<rest>[\s.A-Za-z0-9]*)$""",
    re.VERBOSE,
)
_REST_TOKEN = re.compile(r"[A-Za-z]|\d+")
_OUTSIDE_FAMILY = re.compile(r"^[A-Za-z]{0,4}\s*\d[\w.\-\s]*$")


def entry_code(canonical: str) -> str:
    """The entry part of a canonical code: `5A001.j.1.a` -> `5A001`."""
    return canonical.split(".", 1)[0]


def paragraph_labels(canonical: str) -> list[str]:
    """The paragraph labels below the entry: `5A001.j.1.a` -> `['j', '1', 'a']`."""
    parts = canonical.split(".")
    return parts[1:]


def parent_code(canonical: str) -> str:
    """The canonical code one level up, or '' for an entry."""
    return canonical.rsplit(".", 1)[0] if "." in canonical else ""


@lru_cache(maxsize=100_000)  # the comparison meets the same references in many texts
def canonical_code(printed: str) -> str | None:
    """Normalise a code as printed in any publisher's style; None when it is not a code."""
    text = printed.replace("\u00a0", " ").replace("\t", " ").strip().rstrip(".").strip()
    if not text:
        return None
    match = _FAMILY.match(text)
    if match:
        if match["guide_group"] not in (None, "1"):
            # Other Guide groups (2 munitions, 3 nuclear, 6 MTCR...) are not dual-use codes.
            return _plain(text)
        rest_raw = match["rest"]
        tokens = _REST_TOKEN.findall(rest_raw)
        # Rest must be paragraph labels only: "5A001 Telecommunications" is a heading, not a code.
        if any(len(t) > 1 and t.isalpha() for t in re.findall(r"[A-Za-z]+", rest_raw)):
            return None
        labels = [t.lower() if t.isalpha() else str(int(t)) for t in tokens]
        base = f"{match['cat']}{match['group'].upper()}{int(match['num']):03d}"
        return ".".join([base, *labels])
    if _OUTSIDE_FAMILY.match(text):
        return _plain(text)
    return None


def _plain(text: str) -> str:
    collapsed = re.sub(r"\s+", "", text).rstrip(".")
    prefix = re.match(r"^[A-Za-z]{1,4}(?=\d)", collapsed)
    if prefix:  # "pl9002" and "PL9002" are one code; paragraph letters after it stay lower-case
        return prefix.group().upper() + collapsed[prefix.end():]
    return collapsed


@lru_cache(maxsize=200_000)
def is_family_code(canonical: str) -> bool:
    """True for a Wassenaar-family canonical code (`5A001...`)."""
    return bool(re.match(r"^\d[A-E]\d{3}(\.|$)", canonical))


def category_of(canonical: str) -> str:
    """The category digit of a family code, '' otherwise."""
    return canonical[0] if is_family_code(canonical) else ""
