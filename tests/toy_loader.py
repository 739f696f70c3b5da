"""A tiny loader for a hand-written plain-text list, used to test the store and the CLI
without depending on any real publisher's format."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from harmonize.ingest.registry import ListSource, Reader, Registry, discover
from harmonize.ingest.segmenter import CodeStyle, Line, segment
from harmonize.ingest.source import LoaderError, ParsedList, SourceMeta, finish, source_info
from harmonize.model import ListRow

META = SourceMeta(
    source_id="toy-list", jurisdiction="XX", list_name="Toy List", publisher="Tests",
    url="https://example.invalid/toy", format="text", licence="test fixture",
    citation="Toy List", file_patterns=("*.txt",), expected_entries=(1, 50),
    detailed_categories=("5",),
)
STYLE = CodeStyle("toy", re.compile(r"^(?P<code>\d[A-E]\d{3})\s+(?P<rest>.*)$"),
                  is_national=lambda c: c[2] == "9")
VERSION = re.compile(r"^Version: (\d{4}-\d{2}-\d{2})$", re.M)


def parse(path: Path) -> list[ParsedList]:
    text = path.read_text(encoding="utf-8")
    version = VERSION.search(text)
    if not version:
        raise LoaderError(path, "line 1", "no 'Version: YYYY-MM-DD' line")
    lines = [Line(t, f"line {i + 1}") for i, t in enumerate(text.splitlines()) if i > 0]
    seg = segment(lines, STYLE)
    headings = {m[1]: f"line {text[:m.start()].count(chr(10)) + 1}"
                for m in re.finditer(r"^(\d[A-E]\d{3}) ", text, re.M)}
    rows: list[ListRow] = seg.rows
    return [finish(path, META, source_info(META, version[1]), rows, headings, seg.unplaced,
                   lines=seg.lines)]


SOURCE = ListSource(Reader(__name__, META))


@functools.cache
def registry() -> Registry:
    """The project's list sources with this toy list beside them: what the tests hand in."""
    import loaders  # discovered directly: a test may put this function in loaders.registry's place

    return discover(loaders.__name__, ignore=loaders.NOT_LIST_SOURCES).including(SOURCE)
