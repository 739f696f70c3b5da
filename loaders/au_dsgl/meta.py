"""Australia, Defence and Strategic Goods List: what the source is, where refresh gets it, how
it is read, and the facts of the file the parse step looks up (the metadata record, zavod-style)."""

from __future__ import annotations

import dataclasses

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="au-dsgl",
    jurisdiction="AU",
    list_name="Defence and Strategic Goods List 2024, Part 2 (dual-use)",
    publisher="Australian Government, Department of Defence (Federal Register of Legislation)",
    url="https://www.legislation.gov.au/F2024L01024/latest",
    format="DOCX",
    licence="CC BY 4.0 (Federal Register of Legislation)",
    citation="Defence and Strategic Goods List 2024 (F2024L01024)",
    file_patterns=("*.docx",),
    expected_entries=(300, 450),
)
ML_META = dataclasses.replace(
    META,
    source_id="au-dsgl-ml",
    list_name="Defence and Strategic Goods List 2024, Part 1 (munitions)",
    expected_entries=(25, 45),
)

REFRESH = RefreshRule(
    fetch="loaders.au_dsgl.fetch",
    publishers={"legislation-au": "https://www.legislation.gov.au"},
)

# The record `loaders.registry()` finds.
SOURCE = ListSource(Reader("loaders.au_dsgl.parse", META), refresh=REFRESH)
