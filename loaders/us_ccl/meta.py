"""US Commerce Control List: what the source is, where refresh gets it, how it is read.

The metadata record (zavod-style): publisher, address, format, licence, expected counts; the
refresh rule; the readers; and the facts of the publisher's text the parse step looks up.
"""

from __future__ import annotations

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="us-ccl",
    jurisdiction="US",
    list_name="Commerce Control List",
    publisher="US Department of Commerce, Bureau of Industry and Security (eCFR)",
    url="https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=774",
    format="eCFR XML (or eCFR-derived JSON)",
    licence="US public domain",
    citation="15 CFR Part 774, Supplement No. 1 (Commerce Control List)",
    file_patterns=("*.xml", "*.xml.gz", "ccl.json", "*.json"),
    expected_entries=(550, 750),
    # The reference copy (derived JSON) holds paragraph text for these categories only; the
    # XML holds everything, and parse() widens this to all categories for it.
    detailed_categories=("1", "3", "4", "5"),
)

REFRESH = RefreshRule(
    fetch="loaders.us_ccl.fetch",
    publishers={"ecfr": "https://www.ecfr.gov"},
)

# The record `loaders.registry()` finds: one reader for both formats (by file suffix).
SOURCE = ListSource(Reader("loaders.us_ccl.parse", META), refresh=REFRESH)

# -- facts of the text the parse step looks up --------------------------------------------------

SUPPLEMENT = "Supplement No. 1 to Part 774"  # the N attribute of the list's <DIV9>
# Reason-for-control codes: an FP-1 "NS: ..." line is not a licence exception.
REASON_CODES = frozenset(
    ["NS", "MT", "NP", "CB", "CW", "RS", "CC", "SL", "EI", "AT", "UN", "FC", "SI", "SS", "XP"]
)
