"""EU Annex I: the line dialect both formats are read into (the derived markdown's:
`## ANNEX I` titles, points indented three spaces a level, `*italic*` notes, `<sup>`), the
entry style, the annex regions and the independent count of entry headings; the derived
markdown itself is read here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harmonize.ingest import glyphs
from harmonize.ingest.labels import is_500_series
from harmonize.ingest.rawfiles import read_utf8
from harmonize.ingest.segmenter import CodeStyle
from harmonize.ingest.source import LoaderError
from loaders.eu_annex_i.meta import META

ENTRY_CODE = r"\d[A-E]\d{3}"
# Entry heading as the segmenter sees it: code, then the heading (glued or after a space).
STYLE = CodeStyle(
    "eu-annex-i",
    re.compile(rf"^(?P<code>{ENTRY_CODE})(?![\d.])\s*(?P<rest>.*)$"),
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1. ... 90.
    sparse_labels=is_500_series,  # 3A501.a.15 is the first point of 3A501.a
)
# Independent count of entry headings in the raw lines: a code at the start of a line (the
# derived copy prints 1C225 and 1C226 after one space), not followed by a paragraph dot.
HEADING_COUNT = re.compile(rf"^\s{{0,3}}({ENTRY_CODE})(?![\d.])\s*\S")

ANNEX_TITLE = re.compile(r"^##\s+ANNEX\s+(?P<n>[IVXLC]+)\s*$")
HEADING = re.compile(r"^#{1,6}\s")
SUP = re.compile(r"<sup>\s*(?P<sup>.*?)\s*</sup>", re.DOTALL)
TAG = re.compile(r"</?(?:sub|span|em|i|b|strong)>")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SourceLine:
    """One line of the annexes in the derived-markdown dialect (see the module doc)."""

    text: str  # leading spaces = indentation; *italic*, **bold**, <sup>...</sup>
    location: str  # "line 5801" (of the markdown, or of the HTML element's start tag)


@dataclass(frozen=True)
class RawDocument:
    """What the format layer hands on: the lines and where the version date can be read."""

    lines: list[SourceLine]
    version: str


# -- text -----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Readable text: emphasis stars dropped, superscripts rendered, spaces collapsed."""
    value = SUP.sub(_superscript, text)
    value = TAG.sub("", value)
    value = value.replace("*", "")
    return " ".join(value.split())


def _superscript(match: re.Match[str]) -> str:
    # Marked as raised; rendered as Unicode superscripts when the rows are finished
    # (harmonize.ingest.glyphs): 10<sup>9</sup> -> 10⁹, cm<sup>3</sup> -> cm³.
    return glyphs.superscript(match.group("sup"))


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


# -- the derived markdown -----------------------------------------------------------------------


def read_markdown(path: Path) -> RawDocument:
    """Lines of the derived markdown and the consolidation date from its front matter."""
    text = read_utf8(path, "UTF-8 text")[1].replace("\r\n", "\n")
    lines = text.split("\n")
    front: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip().strip('"').strip("'")
    version = front.get("last_updated", "")
    if not ISO_DATE.match(version):
        raise LoaderError(path, "front matter",
                          f"no consolidation date (last_updated: {version!r}); "
                          "not a derived copy of Regulation (EU) 2021/821")
    located = [SourceLine(line.rstrip(), f"line {number}")
               for number, line in enumerate(lines, start=1)]
    return RawDocument(located, version)


# -- regions ---------------------------------------------------------------------------------


def annex_region(lines: list[SourceLine], annex: str, path: Path) -> list[SourceLine]:
    """The lines of one annex: from its `## ANNEX n` title to the next annex title."""
    start = next((i for i, line in enumerate(lines)
                  if (m := ANNEX_TITLE.match(line.text)) and m["n"] == annex), None)
    if start is None:
        raise LoaderError(path, "whole file", f"no 'ANNEX {annex}' title: truncated or not "
                          "the text of Regulation (EU) 2021/821")
    end = next((i for i in range(start + 1, len(lines)) if ANNEX_TITLE.match(lines[i].text)),
               len(lines))
    return lines[start + 1:end]


def count_headings(lines: Iterable[SourceLine], path: Path) -> dict[str, str]:
    """Entry headings in the raw lines (code -> location), independent of the segmenter;
    a code printed twice is an error, since the segmenter would merge the two."""
    seen: dict[str, str] = {}
    for line in lines:
        match = HEADING_COUNT.match(line.text)
        if match:
            code = match.group(1)
            if code in seen:
                raise LoaderError(path, line.location,
                                  f"entry heading {code} printed twice (first at {seen[code]})")
            seen[code] = line.location
    return seen


def consolidated_url(version: str) -> str:
    return f"{META.url}-{version.replace('-', '')}"
