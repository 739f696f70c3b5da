"""EU Annex I (and Annex IV) of Regulation (EU) 2021/821: what the source is, where refresh
gets it, how each edition is read (the metadata record, zavod-style)."""

from __future__ import annotations

from dataclasses import replace

from harmonize.ingest.registry import ListSource, Reader, RefreshRule
from harmonize.ingest.source import SourceMeta

META = SourceMeta(
    source_id="eu-annex-i",
    jurisdiction="EU",
    list_name="Annex I to Regulation (EU) 2021/821",
    publisher="Publications Office of the EU (EUR-Lex)",
    # Refresh asks for the consolidated version of a date: CELEX:02021R0821-YYYYMMDD.
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821",
    format="EUR-Lex HTML (consolidated text); derived markdown accepted",
    licence="© European Union, reuse authorised (Commission Decision 2011/833/EU)",
    citation="Regulation (EU) 2021/821, Annex I",
    file_patterns=("*.html", "*.htm", "*.xhtml", "*.md"),
    # Annex I of the 2025 consolidation holds 384 entry headings (Wassenaar's list ~250).
    expected_entries=(300, 520),
)
# The EUR-Lex PDFs of 2015-2022 (older editions, read by `pdf`).
PDF_META = replace(
    META,
    format="EUR-Lex PDF (Official Journal or consolidated text)",
    file_patterns=("*.pdf",),
    # 2015/2420 holds ~330 entry headings, 2021/821 (2022) ~370.
    expected_entries=(250, 520),
)
# Annex IV: one row per table row, a list of its own in the same file.
ANNEX_IV_META = replace(
    META,
    source_id="eu-annex-iv",
    list_name="Annex IV to Regulation (EU) 2021/821",
    citation="Regulation (EU) 2021/821, Annex IV",
    expected_entries=(30, 150),  # 68 rows in the 2026 consolidation
)

REFRESH = RefreshRule(
    fetch="loaders.eu_annex_i.fetch",
    publishers={"eurlex": "https://eur-lex.europa.eu"},
)

# The record `loaders.registry()` finds: the consolidated HTML (or the derived markdown) is read
# by `parse`; a dated folder holding a PDF (an edition of 2015-2022) goes to `pdf`.
SOURCE = ListSource(
    Reader("loaders.eu_annex_i.parse", META),
    editions=(Reader("loaders.eu_annex_i.pdf", PDF_META),),
    refresh=REFRESH,
)
