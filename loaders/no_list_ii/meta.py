"""Norway, List II (dual-use goods): what the source is, where refresh gets it, how it is
read, and the facts of its text the parse step looks up (the metadata record, zavod-style)."""

from __future__ import annotations

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="no-list-ii",
    jurisdiction="NO",
    list_name="List II (dual-use goods)",
    publisher="Norwegian Ministry of Foreign Affairs (Lovdata)",
    url="https://lovdata.no/dokument/SF/forskrift/2013-06-19-718",
    format="PDF",
    licence="Public legal text (Norwegian Copyright Act § 14)",
    citation="Regulation FOR-2013-06-19-718, List II",
    file_patterns=("*.pdf",),
    # EU Annex I of 2021/821 has 366 entry headings; far outside means a changed layout.
    expected_entries=(300, 500),
)

REFRESH = RefreshRule(
    fetch="loaders.no_list_ii.fetch",
    publishers={"lovdata": "https://lovdata.no"},
    no_as_of="lovdata serves the list in force only",
)

# The record `loaders.registry()` finds.
SOURCE = ListSource(Reader("loaders.no_list_ii.parse", META), refresh=REFRESH)

# List II copies EU Annex I, whose third digit names the regime that agreed an entry:
# 0 Wassenaar (and the nuclear trigger list), 1 MTCR, 2 NSG, 3 Australia Group, 4 CWC.
# Another digit would be a Norwegian addition. (EU-level 500-series entries, added to Annex I
# in 2025, would need "5" here once a List II follows them.)
EU_REGIME_DIGITS = frozenset("01234")
