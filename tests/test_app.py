"""The dashboard opens with and without data (Streamlit AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_store_cli import toy_dir  # noqa: F401  (fixture)

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_opens_with_nothing_loaded(store_home: Path) -> None:
    at = AppTest.from_file(APP).run(timeout=30)
    assert not at.exception
    assert "No lists are loaded yet" in at.info[0].value


def test_lookup_and_sources_with_a_loaded_list(toy_dir: Path) -> None:  # noqa: F811
    from harmonize import store

    store.import_dir(toy_dir)
    at = AppTest.from_file(APP)
    at.query_params["code"] = "5.A.1.a.1"
    at.run(timeout=30)
    assert not at.exception
    assert at.subheader[0].value == "Canonical code 5A001.a.1"
    table = at.dataframe[0].value
    assert list(table["citation"]) == ["Toy List, 5A001.a.1"]
    at.switch_page("pages/sources.py").run(timeout=30)
    assert not at.exception
    assert list(at.dataframe[0].value["id"]) == ["toy-list"]


@pytest.mark.parametrize("code", ["<script>alert(1)</script>", "**bold**"])
def test_hostile_search_text_is_harmless(store_home: Path, toy_dir: Path, code: str) -> None:  # noqa: F811
    from harmonize import store

    store.import_dir(toy_dir)
    at = AppTest.from_file(APP)
    at.query_params["code"] = code
    at.run(timeout=30)
    assert not at.exception
