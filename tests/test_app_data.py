"""The dashboard's data boundary (app_data/): the lists are read once and shared between
sessions; no page or view changes the shared frames; a deep link opened first on a fresh
process still runs inside app.py's navigation."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from app_data import cache as app_cache
from harmonize.compare import analysis as core
from harmonize.ingest import history, store
from harmonize.present.views import explorer as explorer_view
from tests.test_app import APP, PAGES, build_store, html_blocks, run


@pytest.fixture()
def data_home(store_home: Path) -> Path:
    return build_store(store_home)


# Every function that reads or computes what the caches hold, by the module the app calls it
# through: none may run again once a page has been shown.
READS = [
    (store, "read_manifest"), (pd, "read_parquet"), (core, "load_lists"), (core, "load_analysis"),
    (core, "score_tables"), (explorer_view, "explorer_index"), (history, "version_dates"),
]


def spy_on_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    for module, name in READS:
        original = getattr(module, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def test_lists_are_read_once_and_reruns_read_nothing(data_home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    calls = spy_on_reads(monkeypatch)
    at = run("explorer", {"q": "5A001"})
    # The lists and the default reference list's analysis are each built once.
    assert calls.count("load_lists") == 1 and calls.count("load_analysis") == 1, calls
    calls.clear()
    at.text_input(key="explorer.q").input("9A001").run()  # the fragment
    at.run()  # the whole page again
    assert not at.exception and calls == []
    assert isinstance(at.dataframe[0].value, pd.DataFrame)
    for page in PAGES:  # other sessions, every page
        run(page)
    assert calls.count("load_analysis") == 0, calls


def frame_digest(frame: pd.DataFrame) -> tuple[Any, ...]:
    """What a frame holds: columns, types, index and every value (order included)."""
    values = pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy()
    return (tuple(frame.columns), tuple(map(str, frame.dtypes)), frame.shape, values.tobytes())


def core_digest(reference: str) -> dict[str, Any]:
    """A digest of the lists and the analysis the caches share between sessions."""
    stamp, home = app_cache.key()
    manifest, frame = app_cache._lists(stamp, home, "")
    result = app_cache._analysis(stamp, home, reference, "")
    digest: dict[str, Any] = {
        "lists": frame_digest(frame), "lists manifest": json.dumps(manifest, sort_keys=True),
        "manifest": json.dumps(result.manifest, sort_keys=True),
        "specs": repr(result.specs), "reference": result.reference,
    }
    for name in ("frame", "aligned", "tags"):
        digest[name] = frame_digest(getattr(result, name))
    return digest


def shared_digest(reference: str) -> dict[str, Any]:
    """`core_digest` with the tables built from it: scores and search index."""
    stamp, home = app_cache.key()
    digest = core_digest(reference)
    digest["index"] = frame_digest(app_cache._index(stamp, home, reference, ""))
    for name, table in app_cache._scores(stamp, home, reference, "").items():
        digest[f"scores {name}"] = frame_digest(table)
    return digest


def changed(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
            ) -> list[tuple[str, str]]:
    return [(ref, name) for ref in before for name in before[ref]
            if after[ref][name] != before[ref][name]]


def test_no_page_changes_the_shared_frames(data_home: Path) -> None:
    """Pages and the views they call get the frames every visitor shares (st.cache_resource);
    building the tables from them, then showing each page with its widgets used, leaves them
    exactly as they were."""
    st.cache_resource.clear()
    references = ["wassenaar", "eu-annex-i", "us-ccl"]
    first = {ref: core_digest(ref) for ref in references}  # before any view has seen them
    built = {ref: shared_digest(ref) for ref in references}  # scores, index: views ran
    assert changed(first, built) == []
    visits: list[tuple[str, dict[str, str]]] = [
        ("overview", {"numbers": "1", "metric": "substantive"}),
        ("explorer", {"q": "widgets", "status": "substantive,national", "lens": "surveillance"}),
        ("explorer", {"q": "5A001", "ref": "eu-annex-i"}),
        ("compare", {"code": "5A001", "below": "1"}), ("compare", {"code": "5A980"}),
        ("compare", {"code": "5A001.j", "ref": "us-ccl", "src": "eu-annex-i,us-ccl"}),
        ("gaps", {"lens": "all"}), ("gaps", {"lens": "surveillance", "natabs": "1"}),
        ("versus", {"src": "wassenaar,eu-annex-i,us-ccl", "lens": "all"}),
        ("explorer", {"q": "spyware"}),
        ("partners", {"map": "score", "state": "DEU"}), ("measures", {}), ("sources", {}),
    ]
    for page, params in visits:
        run(page, params).run()  # a first visit, then a rerun
    assert changed(built, {ref: shared_digest(ref) for ref in references}) == []


def test_the_guard_keeps_a_changed_copy_apart(data_home: Path) -> None:
    """What the data boundary hands out can be changed freely: the shared frames stay."""
    result = app_cache.analysis("wassenaar", "")
    before = shared_digest("wassenaar")
    result.frame["text"] = "changed"
    result.aligned.loc[result.aligned.index[0], "status"] = "changed"
    result.tags.index = result.tags.index[::-1]
    result.manifest["sources"].clear()
    index = app_cache.index("wassenaar", "")
    index.columns = [f"renamed {c}" for c in index.columns]
    index.iloc[:, 0] = "changed"
    lens_scores = app_cache.scores("wassenaar", "")["lens_scores"]
    lens_scores.iloc[0, 0] = "changed"
    assert shared_digest("wassenaar") == before


def test_a_deep_link_opened_first_runs_inside_the_navigation(data_home: Path) -> None:
    """A process's first visit straight to a page (Streamlit's legacy `pages/` mode runs the
    page file without app.py) reruns through app.py's st.navigation onto the same page and
    parameters (app_data/routing.py)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/compare.py")  # before any run: the page is opened as a deep link
    at.query_params["code"] = "5A001.b"
    at.run()
    assert not at.exception
    # Cleared: the rerun ran the entry script, app.py (as Streamlit does whenever it is clear).
    assert PagesManager.uses_pages_directory is False
    assert at.title[0].value == "Compare one code across the lists"
    assert at.text_input(key="compare.code").value == "5A001.b"
    assert 'class="hz-code"' in html_blocks(at)


def test_an_import_empties_the_caches_and_no_session_keeps_the_old_lists(data_home: Path
                                                                       ) -> None:
    """After an import (a new manifest) every cache of the old lists is emptied and no analysis
    stays referenced in the process. (What a live server's sessions keep, such as a download
    button's callable, is measured by bench_ui.py, section 6: memory across 30 imports.)"""
    import gc

    at = run("overview")
    run("gaps", {"lens": "all"})
    assert app_cache._analysis(*app_cache.key(), "wassenaar", "") is not None
    stamp, _ = app_cache.key()
    manifest = store.read_manifest(data_home)
    for _ in range(50):  # a new modification time, as an import's rewrite gives
        store.write_manifest(manifest, data_home)
        if app_cache._manifest_stamp() != stamp:
            break
    app_cache.key()
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, core.Analysis)]
    assert alive == [], f"{len(alive)} analyses still referenced"
    assert at is not None  # the sessions are still open


def test_the_memoised_facts_follow_the_store(data_home: Path) -> None:
    """The small facts every run asks many times (lists loaded, their names and labels, the
    reference lists one can choose) are memoised in the process, keyed like the caches on the
    store's stamp: a rewritten manifest (an import) gives the new facts at once, and forget()
    empties the memos."""
    assert app_cache.loaded()
    assert app_cache.list_names()["us-ccl"] == "us-ccl list"
    assert app_cache.labels("wassenaar", "")["us-ccl"].endswith("us-ccl list")
    assert "us-ccl" in app_cache.reference_options()
    handed_out = app_cache.list_names()
    handed_out["us-ccl"] = "changed by a page"  # what a page gets is its own copy
    assert app_cache.list_names()["us-ccl"] == "us-ccl list"

    manifest = store.read_manifest(data_home)
    for source in manifest["sources"].values():
        for item in source["lists"]:
            item["list_name"] = f"renamed {item['id']}"
    rewrite_manifest(manifest, data_home)
    assert app_cache.list_names()["us-ccl"] == "renamed us-ccl"
    assert app_cache.labels("wassenaar", "")["us-ccl"].endswith("renamed us-ccl")

    app_cache.forget()
    assert all(memo.cache_info().currsize == 0 for memo in app_cache._memos())
    rewrite_manifest({"sources": {}}, data_home)
    assert not app_cache.loaded()
    assert app_cache.reference_options() == [app_cache.DEFAULT_REFERENCE]


def rewrite_manifest(manifest: dict[str, Any], home: Path) -> None:
    """Write the manifest until its stamp changes, as an import's rewrite does."""
    stamp, _ = app_cache.key()
    for _ in range(50):
        store.write_manifest(manifest, home)
        if app_cache._manifest_stamp() != stamp:
            return
    raise AssertionError("the manifest's stamp did not change")


def test_every_explorer_filter_selects(data_home: Path) -> None:
    """The Explorer's rows are worked out from its filters alone (app_data/selections.py: a
    download's callable keeps the filters, never the rows): each filter changes the rows it
    selects, so none can be dropped on the way."""
    from app_data import selections

    labels = app_cache.labels("wassenaar", "")

    def codes(**changed: Any) -> list[str]:
        wanted = selections.ExplorerFilters(**changed)
        return list(selections.explorer_rows("wassenaar", "", wanted, labels).rows["canonical"])

    every = codes()
    assert "5A001.j" in every and "ML1" in every
    assert codes(query="5A001") == [c for c in every if c.startswith("5A001")]
    assert "5A001.j" in codes(query="surveillance systems")  # ranked
    assert codes(query="surveillance systems", every=True) == ["5A001.j"]
    assert codes(categories=("5",)) == [c for c in every if c.startswith("5")]
    assert "5A001.j" in codes(lens="surveillance") and "ML1" not in codes(lens="surveillance")
    held_by_us = codes(sources=("us-ccl",), statuses=("absent",))
    assert held_by_us and set(held_by_us) != set(codes(sources=("eu-annex-i",),
                                                       statuses=("absent",)))
    assert set(codes(origins=("national",))) < set(every)


def test_the_loaded_lists_are_kept_out_of_full_collections_until_released(data_home: Path
                                                                          ) -> None:
    """Python's full collections walked every object of the loaded lists, at times inside a
    visitor's script run: the analysis is frozen once built, and unfrozen before the caches'
    own full collection (so what a dropped entry held in cycles is still collected)."""
    try:
        app_cache.forget()
        assert gc.get_freeze_count() == 0
        run("overview")
        assert gc.get_freeze_count() > 0
        app_cache.forget()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
