"""Canada: the Export Control List (SOR/89-202) and "A Guide to Canada's Export Control List".

One module, two formats, chosen by the file suffix:

- `.xml`: the regulation as Justice Canada consolidates it (LIMS `regulation_web.dtd`). Its
  schedule marks every item as an element (`<Provision><Label>5504</Label>...`), so rows are
  built straight from the tree; the shared segmenter is not needed. Group 5 (Canada's own items:
  `5400` US-origin goods, `5504` strategic goods, `5505` catch-all, `5506` emerging technologies)
  is there in full, as are items `3-01`/`3-02`, `8000` and the Arms Trade Treaty items `9-1`...
  Groups 1, 2, 3, 4, 6 and 7 are only a sentence pointing to the Guide. Each group therefore is
  a row of its own (`CA-G1`...), with detailed=False where its item text lives in the Guide:
  Canada's dual-use list is "not detailed" in this copy, never absent.
- `.html`/`.htm`: the Guide (Global Affairs Canada). Its Group 1 is the Wassenaar dual-use list
  printed `1-5.A.1.`; those lines go through the shared segmenter into canonical Wassenaar codes
  (`5A001.j`) under the source id "ca-ecl-guide".
"""

from __future__ import annotations

from pathlib import Path

from harmonize.ingest.source import LoaderError, ParsedList
from loaders.ca_ecl.guide import parse_guide
from loaders.ca_ecl.meta import META
from loaders.ca_ecl.regulation import parse_regulation

__all__ = ["META", "parse"]  # the reader's record (checked by Reader.load) and its parse step


def parse(path: Path) -> list[ParsedList]:
    """Read one raw file: the regulation (.xml) or the Guide (.html/.htm)."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return [parse_regulation(path)]
    if suffix in (".html", ".htm"):
        return [parse_guide(path)]
    raise LoaderError(path, "file name",
                      f"suffix {suffix!r}: expected .xml (regulation) or .html/.htm (Guide)")
