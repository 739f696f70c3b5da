"""The dashboard's data boundary: everything the pages read comes through these cached calls,
which read the parse cache only (no page ever parses a source)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from harmonize import queries, store


def _manifest_stamp() -> float:
    """Changes when an import rewrites the manifest, so caches refresh after an import."""
    path = store.home() / store.MANIFEST
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner="Loading lists from the parse cache…")
def _lists(stamp: float, home: str) -> pd.DataFrame:
    return store.load_lists()


@st.cache_data
def _manifest(stamp: float, home: str) -> dict[str, Any]:
    return store.read_manifest()


def lists() -> pd.DataFrame:
    return _lists(_manifest_stamp(), str(store.home()))


def manifest() -> dict[str, Any]:
    return _manifest(_manifest_stamp(), str(store.home()))


def status_frame() -> pd.DataFrame:
    return pd.DataFrame(queries.status(manifest())["sources"])
