"""US Commerce Control List (15 CFR Part 774, Supplement No. 1).

Two formats, chosen by the file suffix:

- eCFR versioner XML (`.xml`, or gzip as the API may send it): the official text. Entries open
  with `<FP-2><B>5A001 Heading</B></FP-2>` (a few with `<FP-1><B>`), licence data sits in
  `<FP-1>` blocks and a `<TABLE>`, items are `<P>j.1.a. ...</P>`, notes are `<NOTE>` elements.
  The file carries no issue date of its own, so the version is taken, in this order, from a date
  attribute on the root or the supplement (`date`, `issue_date` ...), a sidecar
  `<file>.meta.json` with `version` / `ecfrIssueDate` / `url` (refresh writes it), or a
  `YYYY-MM-DD` in the file name (`title-15-2026-07-23.xml`).
- eCFR-derived JSON (`ccl.json`, a third party's conversion of that XML): heading, reasons,
  licence rows and exceptions for every ECCN, paragraph text only for `deepCategories`.
  Version = `ecfrIssueDate`. The converter kept every `<P>` but dropped note headings, so notes
  arrive as unlabelled "text" items, numbered note paragraphs as kind "note", and a note's own
  `a.`/`b.` list as items whose codes clash with real paragraphs. `build` undoes that.

Both formats (`ecfr_xml`, `derived_json`) become `RawEntry` records with `RawBlock`s
(`records`); one builder (`build`) turns them into rows. The labels give full paths (`j.1.a`),
so the shared segmenter's relative-label placement is not used; the hard part here is telling
an entry's paragraphs from the note lists that re-use their letters, which `spine` does per
entry. Codes (harmonize.codes),
reconciliation and validation (harmonize.ingest.source.finish) are the shared ones.
"""

from __future__ import annotations

from pathlib import Path

from harmonize.ingest.source import LoaderError, ParsedList
from loaders.us_ccl.derived_json import parse_json
from loaders.us_ccl.ecfr_xml import parse_xml
from loaders.us_ccl.meta import META

__all__ = ["META", "parse"]  # the reader's record (checked by Reader.load) and its parse step


def parse(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Read one CCL file; `.json` -> the derived JSON, `.xml` / `.gz` -> eCFR XML."""
    path = Path(path)
    name = path.name.lower()
    if not path.is_file():
        raise LoaderError(path, "whole file", "no such file")
    if name.endswith(".json"):
        return parse_json(path, check_counts)
    if name.endswith((".xml", ".xml.gz", ".gz")):
        return parse_xml(path, check_counts)
    raise LoaderError(path, "file name", "expected .xml (eCFR), .xml.gz or .json (derived)")
