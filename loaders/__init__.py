"""One small module per source. `REGISTRY` maps a source id (the folder name in an import
directory) to the module that parses it; modules are imported only when used."""

from __future__ import annotations

import importlib
from types import ModuleType

REGISTRY: dict[str, str] = {
    "us-ccl": "loaders.us_ccl",
    "eu-annex-i": "loaders.eu_annex_i",
    "wassenaar": "loaders.wassenaar",
    "au-dsgl": "loaders.au_dsgl",
    "uk-sel": "loaders.uk_sel",
    "no-list-ii": "loaders.no_list_ii",
    "ca-ecl": "loaders.ca_ecl",
}


def loader_for(source_id: str) -> ModuleType | None:
    """The loader module for a source id, or None when no loader reads it."""
    name = REGISTRY.get(source_id)
    return importlib.import_module(name) if name else None
