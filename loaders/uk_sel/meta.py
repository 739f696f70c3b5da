"""UK Strategic Export Control List: what the source is, where refresh gets it, how it is
read, and the facts of its print the parse step looks up (the metadata record, zavod-style)."""

from __future__ import annotations

import re
from dataclasses import replace

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="uk-sel",
    jurisdiction="GB",
    list_name="UK Dual-Use List",
    publisher="UK Export Control Joint Unit (GOV.UK)",
    url=(
        "https://www.gov.uk/government/publications/uk-strategic-export-control-lists-the-"
        "consolidated-list-of-strategic-military-and-dual-use-items-that-require-export-"
        "authorisation"
    ),
    format="PDF",
    licence="Open Government Licence v3.0",
    citation="UK Strategic Export Control List (16 December 2025)",
    file_patterns=("*.pdf",),
    expected_entries=(340, 480),
)

ANNEX_IV_META = replace(META, source_id="uk-sel-annex-iv", list_name="UK Dual-Use List, Annex IV",
                        expected_entries=(30, 150))
MILITARY_META = replace(META, source_id="uk-sel-ml", list_name="UK Military List",
                        expected_entries=(20, 40))

# GOV.UK's publication page of the consolidated list (it links the PDF attachment).
PUBLICATION_PAGE = (
    "/government/publications/uk-strategic-export-control-lists-the-consolidated-list-of-"
    "strategic-military-and-dual-use-items-that-require-export-authorisation")
REFRESH = RefreshRule(
    fetch="loaders.uk_sel.fetch",
    publishers={"govuk": "https://www.gov.uk",
                "govuk-assets": "https://assets.publishing.service.gov.uk"},
    no_as_of="GOV.UK serves the current consolidated list only",
)

# The record `loaders.registry()` finds.
SOURCE = ListSource(Reader("loaders.uk_sel.parse", META), refresh=REFRESH)

# -- the component lists of the PDF ------------------------------------------------------------

# Component lists, recognised by the title in the page footer.
PART_DUAL_USE = "dual-use"  # Annex I: introduction, definitions, categories 0-9
PART_NATIONAL = "national"  # Schedule 3, the "UK Dual-Use List" of PL entries
PART_ANNEX_IV = "annex-iv"
PART_MILITARY = "military"
PART_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^UK Military List\b"), PART_MILITARY),
    (re.compile(r"^UK Dual-Use List\b"), PART_NATIONAL),
    (re.compile(r"^Dual-Use List\s*[-–]\s*Annex IV\b"), PART_ANNEX_IV),
    (re.compile(r"^Dual-Use List\s*[-–]\s*(Introduction|Definitions|Category \d)\b"),
     PART_DUAL_USE),
    (re.compile(r"^Strategic Export Control Lists: Contents and Introduction"), "contents"),
    (re.compile(r"^Non-military Firearms List\b"), "Non-military Firearms List"),
    (re.compile(r"^Human Rights List\b"), "Human Rights List"),
    (re.compile(r"^UK Security and Human Rights List\b"), "UK Security and Human Rights List"),
    (re.compile(r"^UK Radioactive Sources? List\b"), "UK Radioactive Sources List"),
)
# Component lists left out, and the law each reproduces (named in a note).
LEFT_OUT = {
    "Non-military Firearms List": "Annex I to assimilated Regulation 258/2012",
    "Human Rights List": "Annexes II-IV to assimilated Regulation 125/2019",
    "UK Security and Human Rights List": "Articles 4A and 42S of the Export Control Order 2008",
    "UK Radioactive Sources List": "Schedule to the Export of Radioactive Sources (Control) "
                                   "Order 2006",
}
