"""The list sources, one per subpackage or module, each declaring a `SOURCE` record
(`harmonize.ingest.registry.ListSource`). `registry()` finds them; the entry points hand the
result to the store, the history, bundles and refresh (the core never imports a loader)."""

from __future__ import annotations

from harmonize.ingest.registry import Registry, discover

# Packages here that are not list sources: `party_lists` holds restricted-party lists (another
# kind of source, with its own ingest), so it is never imported by the discovery.
NOT_LIST_SOURCES = frozenset({"party_lists"})


def registry() -> Registry:
    """Every list source of this package, by source id."""
    return discover(__name__, ignore=NOT_LIST_SOURCES)
