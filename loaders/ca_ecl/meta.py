"""Canada, Export Control List (SOR/89-202) and its Guide: what the source is, where refresh
gets it, how it is read, and the facts of the text the parse step looks up (zavod-style)."""

from __future__ import annotations

import dataclasses

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="ca-ecl",
    jurisdiction="CA",
    list_name="Export Control List (SOR/89-202)",
    publisher="Justice Canada (regulation); Global Affairs Canada (Guide)",
    url="https://laws-lois.justice.gc.ca/eng/XML/SOR-89-202.xml",
    format="LIMS XML (regulation); HTML (Guide)",
    licence="Open Government Licence – Canada",
    citation="Export Control List, SOR/89-202",
    # The regulation first: pick_file() parses one file per folder.
    file_patterns=("SOR-89-202.xml", "*.xml", "*.html", "*.htm"),
    # 9 group rows + ~40 items (Group 5, 3-01/3-02, 8000, 9-1...9-9); 50 in the 2025 text.
    expected_entries=(40, 120),
    # No Wassenaar-family category has paragraph text in the regulation: a code such as
    # 5A001.j is "not detailed" in ca-ecl, never "absent". Rows carry their own flag instead
    # (see parse_regulation, which hands finish() a copy without this override).
    detailed_categories=(),
)

GUIDE_SOURCE_ID = "ca-ecl-guide"
GUIDE_META = dataclasses.replace(
    META,
    source_id=GUIDE_SOURCE_ID,
    list_name="A Guide to Canada's Export Control List, Group 1 (Dual-Use List)",
    url="https://www.international.gc.ca/trade-commerce/controls-controles/ecl-lec/",
    format="HTML",
    citation="A Guide to Canada's Export Control List, Group 1",
    file_patterns=("*.html", "*.htm"),
    expected_entries=(250, 900),  # the Wassenaar dual-use list has some 500 entries
    detailed_categories=None,
)

REFRESH = RefreshRule(
    fetch="loaders.ca_ecl.fetch",
    publishers={"justice-ca": "https://laws-lois.justice.gc.ca"},
    no_as_of="Justice Canada serves the current consolidation as XML only",
)

# The record `loaders.registry()` finds: one reader for the regulation and the Guide (by suffix).
SOURCE = ListSource(Reader("loaders.ca_ecl.parse", META), refresh=REFRESH)

# Groups whose items the regulation describes only by reference to the Guide (s. 2 and the
# schedule's own wording "as described in Group N of the Guide").
GUIDE_GROUPS = frozenset({"1", "2", "3", "4", "6", "7"})
NATIONAL_GROUPS = frozenset({"5"})  # Canada's unilateral list; the others follow regimes/ATT
