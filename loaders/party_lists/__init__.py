"""Readers of end-user (party) lists: parsing only, one module per source folder.

Each module exposes `META` (a `harmonize.ingest.parties.PartySourceMeta`) and
`parse(files) -> PartyParse` for the files of its folder that match `META.file_patterns`.
`readers()` maps source ids to these modules; `harmonize import` hands it to
`harmonize.ingest.parties_store.import_party_dir`. This package defines no control-list source:
list-source discovery ignores it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

READERS: dict[str, str] = {
    "us-ear-744": "loaders.party_lists.us_ear_744",
    "us-entity-list": "loaders.party_lists.us_entity_list",
    "eu-restrictive-measures": "loaders.party_lists.eu_restrictive_measures",
}


def readers() -> dict[str, ModuleType]:
    """Source id -> reader module (imported here, on demand)."""
    return {source: importlib.import_module(name) for source, name in READERS.items()}
