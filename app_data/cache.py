"""The dashboard's data boundary: every list, analysis and table a page reads.

The cached calls read the parse and analysis caches only (no page ever parses a source). They
are keyed by the store folder, the manifest's modification time (an import refreshes them) and
the reference list and date, so a rerun costs nothing and each process loads the lists once.

Shared frames: what `st.cache_resource` holds is one object for every visitor, so a page that
changed one would change every other visitor's view. The accessors below therefore hand out
shallow copies (new frame objects over the same buffers) and pandas' copy-on-write makes any
write to such a copy copy the data first: a page may add a column, sort in place or set a cell
without touching the cached frame (tests/test_app_data.py checks every page). `st.cache_data`
results are already copies (Streamlit unpickles each one).
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import dataclasses
import gc
import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st

from harmonize.compare import analysis as core
from harmonize.compare import candidates as ranking
from harmonize.compare import changes as version_changes
from harmonize.compare import lenses, measures, parties_lenses, parties_query, queries
from harmonize.compare.crosswalk import DEFAULT_REFERENCE, SourceSpec, comparable_sources
from harmonize.ingest import history, store
from harmonize.paths import dataset
from harmonize.present import overview, serve
from harmonize.present.views import changes as changes_view
from harmonize.present.views import common, explorer, partners
from harmonize.present.views import gaps as gaps_view
from harmonize.present.views import versus as versus_view

if TYPE_CHECKING:
    from harmonize.compare.search import SearchIndex

serve.use_system_arrow_allocator()  # before the first list is read; see harmonize/present/serve.py
if int(pd.__version__.split(".")[0]) < 3:  # always on from pandas 3; the guard relies on it
    pd.set_option("mode.copy_on_write", True)

Key = tuple[float, str]
_T = TypeVar("_T")

# Per reference list (and "as of" date): the default and the two most recently chosen others.
# Each more adds ~25 MB to the server (bench_ui.py, references; built frames' temporaries are
# handed back, `_trimmed`).
ANALYSES_KEPT = 3
SEARCH_LIMIT = 400  # list rows (and measures) a query returns, best first


def _manifest_stamp() -> float:
    """Changes when an import rewrites the manifest or the version index, so caches refresh
    after an import."""
    paths = (store.home() / store.MANIFEST, history.history_root() / history.INDEX)
    return sum(path.stat().st_mtime for path in paths if path.exists())


_held: dict[str, float] = {}  # store folder -> the stamp of the lists the caches were filled from
_forgetting = threading.Lock()


def key() -> Key:
    """What every cached read of the store is keyed on: the manifest's stamp and the store.
    When an import has changed the store, what the caches hold is of no use any more (every
    read asks with the new stamp): they are emptied at once and the memory handed back."""
    stamp, home = _manifest_stamp(), str(store.home())
    if _held.get(home) != stamp:
        with _forgetting:
            if _held.get(home) not in (None, stamp):
                forget()
            _held[home] = stamp
    return stamp, home


def forget() -> None:
    """Empty every cache keyed by the store's stamp and give the memory back."""
    for cached in _stamped():
        cached.clear()
    for memo in _memos():
        memo.cache_clear()
    _release()


# -- the guard --------------------------------------------------------------------------------


def guarded_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A new frame over the cached one's data: changing it (copy-on-write) leaves the cache as
    it was."""
    return frame.copy(deep=False)


def guarded_analysis(result: core.Analysis) -> core.Analysis:
    """The analysis with its frames guarded and its manifest and list of sources copied."""
    docs = result._docs  # computed once per analysis (candidates); guarded like the others
    return dataclasses.replace(
        result, frame=guarded_frame(result.frame), aligned=guarded_frame(result.aligned),
        tags=guarded_frame(result.tags), manifest=copy.deepcopy(result.manifest),
        specs=list(result.specs), _docs=None if docs is None else guarded_frame(docs))


def _release() -> None:
    """serve.release_memory over every object, the frozen ones too (`_trimmed`): what a dropped
    cache entry held in reference cycles is collected here, as before."""
    gc.unfreeze()
    serve.release_memory()


def _trimmed(built: _T) -> _T:
    """`built`, once the memory its making took and let go is handed back to the system:
    building the Explorer's index, the gaps and the search index left the server 20-30 MB
    larger each in temporaries glibc kept (measured with /proc VmRSS, real lists; bench_ui.py,
    references). Only glibc's malloc_trim, 1-6 ms: the temporaries are freed by reference
    counting already, and a full collection (serve.release_memory) took ~75 ms.

    Then every object alive is frozen (gc.freeze): Python's own oldest-generation collections
    walked the lists' millions of objects for 60-130 ms, at times inside a visitor's script run
    (the Overview's run took 7-16 ms, or 90-270 ms with one; timed in the served app, primed
    browser visits, bench_ui.py section 1). Frozen objects are still freed by reference
    counting; `_release` unfreezes them before each full collection."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    gc.freeze()
    return built


# -- cached calls (shared: their frames go out, to pages and views alike, only guarded) -------


@st.cache_data(show_spinner=False, max_entries=8)
def _manifest(stamp: float, home: str) -> dict[str, Any]:
    return store.read_manifest(Path(home))


@st.cache_resource(show_spinner="Loading the lists…", max_entries=2)
def _lists(stamp: float, home: str, as_of: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """The rows of every list, read once and shared by the analyses of every reference list
    (each would otherwise hold its own copy of the texts)."""
    return core.load_lists(Path(home), as_of=as_of or None)


@st.cache_data(show_spinner=False, max_entries=8)
def _compared_at(stamp: float, home: str, as_of: str) -> list[str]:
    """The compared lists that have a version by `as_of` (every one for the current lists)."""
    manifest, frame = _lists(stamp, home, as_of)
    return [spec.id for spec in comparable_sources(frame, manifest)]


@st.cache_resource(show_spinner="Loading the lists and their comparison…",
                   max_entries=ANALYSES_KEPT)
def _analysis(stamp: float, home: str, reference: str, as_of: str) -> core.Analysis:
    # A new analysis: the one it pushed out of the cache last time (ANALYSES_KEPT) is freed by
    # now; hand that memory back before taking more (bench_ui.py, references).
    _release()
    lists = _lists(stamp, home, as_of)
    try:
        return _trimmed(core.load_analysis(reference, Path(home), as_of=as_of or None,
                                           lists=lists))
    except ValueError:  # a reference without a version by then; comparison.reference() says
        return _trimmed(core.load_analysis(DEFAULT_REFERENCE, Path(home), as_of=as_of or None,
                                           lists=lists))


@st.cache_resource(show_spinner="Indexing every list's wording for search…", max_entries=2)
def _search(stamp: float, home: str, as_of: str) -> SearchIndex:
    """Concept and full-text search over the lists of that date and the measures register.
    Imported here: scikit-learn adds ~70 MB and a second to a server that only shows the
    Overview (bench_ui.py, references)."""
    from harmonize.compare import search

    _, frame = _lists(stamp, home, as_of)
    return _trimmed(search.SearchIndex.build(frame, measures.load_measures(),
                                             search.load_vocabulary()))


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT)
def _scores(stamp: float, home: str, reference: str, as_of: str) -> dict[str, pd.DataFrame]:
    return _trimmed(core.score_tables(guarded_analysis(_analysis(stamp, home, reference,
                                                                 as_of))))


@st.cache_resource(show_spinner="Indexing every list for search…", max_entries=ANALYSES_KEPT)
def _index(stamp: float, home: str, reference: str, as_of: str) -> pd.DataFrame:
    result = guarded_analysis(_analysis(stamp, home, reference, as_of))
    return _trimmed(explorer.explorer_index(result.frame, result.aligned, result.tags,
                                            [s.id for s in result.specs]))


@st.cache_data(show_spinner=False, max_entries=64)
def _found(stamp: float, home: str, as_of: str, query: str) -> list[dict[str, Any]]:
    """One query's results (the filters around it rerun without searching again)."""
    return _search(stamp, home, as_of).search(query, limit=SEARCH_LIMIT)


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT)
def _mapped(stamp: float, home: str, reference: str, as_of: str) -> dict[str, str]:
    """A code as its list prints it -> the code it is aligned under (reviewed crosswalk)."""
    aligned = _analysis(stamp, home, reference, as_of).aligned
    rows = aligned[aligned["mapped_from"] != ""]
    return dict(zip(rows["mapped_from"].astype(str), rows["canonical"].astype(str),
                    strict=True))


@st.cache_data(show_spinner="Ranking candidate counterparts…", max_entries=64)
def _candidates(stamp: float, home: str, reference: str, source: str,
                entry: str, as_of: str) -> pd.DataFrame:
    return core.national_candidates(_analysis(stamp, home, reference, as_of), source, entry)


@st.cache_data(show_spinner=False, max_entries=8)
def _version_dates(stamp: float, home: str) -> list[str]:
    return history.version_dates(Path(home))


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT)
def _gaps(stamp: float, home: str, reference: str, as_of: str) -> pd.DataFrame:
    """Every gap of the analysis in code order: a page's filters then only select rows."""
    return _trimmed(gaps_view.select_gaps(core.gaps(_analysis(stamp, home, reference, as_of))))


@st.cache_data(show_spinner=False, max_entries=16)
def _versus(stamp: float, home: str, reference: str, as_of: str, sources: tuple[str, ...],
            lens: str) -> pd.DataFrame:
    result = _analysis(stamp, home, reference, as_of)
    codes = explorer.lens_code_set(result.tags, result.book, lens) if lens else None
    decimal = {spec.id: spec.decimal_comma for spec in result.specs}
    rows = versus_view.differences(result.aligned, sources, codes, decimal)
    # The codes on which only the notes differ join them: worked out once per choice, not on
    # every rerun of the page.
    note_codes = versus_view.note_differences(result.aligned, result.notes, sources, codes)
    return versus_view.with_notes(rows, result.aligned, sources, note_codes, decimal)


@st.cache_data(show_spinner="Looking for counterparts in the chosen lists…", max_entries=16)
def _versus_candidates(stamp: float, home: str, reference: str, as_of: str,
                       sources: tuple[str, ...],
                       targets: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    docs = _analysis(stamp, home, reference, as_of).documents()
    mine = docs[docs["source"].isin(sources)].reset_index(drop=True)
    return ranking.rank_candidates(mine, list(targets), top=6)


@st.cache_data(show_spinner=False, max_entries=8)
def _list_versions(stamp: float, home: str) -> list[history.ListVersion]:
    return history.list_versions(Path(home))


@st.cache_data(show_spinner="Comparing the two versions…", max_entries=16)
def _changes(stamp: float, home: str, list_id: str, older: str, newer: str,
             editorial: bool) -> tuple[pd.DataFrame, int]:
    versions = history.versions_of(list_id, Path(home))
    old, new = history.pick(versions, older), history.pick(versions, newer)
    return changes_view.change_rows(history.read_rows(old), history.read_rows(new), editorial)


@st.cache_data(show_spinner="Following the code through the kept versions…", max_entries=64)
def _timeline(stamp: float, home: str, code: str) -> dict[str, Any]:
    return version_changes.timeline(code, Path(home))


@st.cache_data(show_spinner=False, max_entries=64)
def _unplaced(stamp: float, home: str, parsed_file: str) -> list[dict[str, Any]]:
    path = Path(home) / "parsed" / parsed_file.replace(".parquet", ".unplaced.json")
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data) if isinstance(data, list) else []


@st.cache_resource(show_spinner="Matching the party lists…", max_entries=2)
def _parties(stamp: float, decisions: float, home: str
             ) -> tuple[parties_query.Parties, pd.DataFrame, dict[str, str]]:
    result = parties_query.load_parties(Path(home))
    lenses = parties_lenses.load_party_lenses()
    tags = parties_lenses.tag_parties(result.table, result.listings, lenses)
    return result, tags, {lens.id: lens.name for lens in lenses}


@st.cache_data(show_spinner=False, max_entries=2)
def _lens_file(mtime: float) -> dict[str, str]:
    return {lens.id: lens.name for lens in lenses.load_lenses().lenses}


@st.cache_data(show_spinner=False, max_entries=4)
def _measures(mtime: float) -> pd.DataFrame:
    return measures.as_table(measures.load_measures())


@st.cache_data(show_spinner=False, max_entries=4)
def _partners(mtime: float) -> pd.DataFrame:
    return partners.load_partners()


@st.cache_data(show_spinner=False, max_entries=2)
def _topojson(mtime: float) -> str | None:
    return partners.topojson_url()


# The Overview's HTML, per reference list, date and colour metric (harmonize/present/overview.py).
@st.cache_resource(show_spinner=False, max_entries=4 * ANALYSES_KEPT)
def _overview_head(stamp: float, home: str, reference: str, as_of: str, label: str) -> str:
    result = guarded_analysis(_analysis(stamp, home, reference, as_of))
    return overview.head_html(result, label, _names(stamp, home))


@st.cache_resource(show_spinner=False, max_entries=4 * ANALYSES_KEPT)
def _overview_body(stamp: float, home: str, reference: str, as_of: str, metric: str,
                   carried: tuple[tuple[str, str], ...]) -> str:
    result = guarded_analysis(_analysis(stamp, home, reference, as_of))
    gaps = common.link_maker("gaps", dict(carried))
    return overview.body_html(result, _guarded_scores(stamp, home, reference, as_of),
                              _lens_names(result),
                              common.source_labels(result.specs, _names(stamp, home)), metric,
                              lambda lens, source: gaps(lens=lens, src=source))


@st.cache_data(show_spinner=False, max_entries=4)
def _names(stamp: float, home: str) -> dict[str, str]:
    return common.list_names(_manifest(stamp, home))


def _stamped() -> tuple[Any, ...]:
    """The cached calls keyed by the store's stamp (forget() empties them)."""
    return (_manifest, _lists, _compared_at, _analysis, _search, _scores, _index, _found,
            _mapped, _candidates, _gaps, _versus, _versus_candidates, _list_versions, _changes,
            _version_dates, _timeline, _unplaced, _parties, _overview_head, _overview_body,
            _names)


def _guarded_scores(stamp: float, home: str, reference: str,
                    as_of: str) -> dict[str, pd.DataFrame]:
    return {name: guarded_frame(frame)
            for name, frame in _scores(stamp, home, reference, as_of).items()}


def _lens_names(result: core.Analysis) -> dict[str, str]:
    return {lens.id: ("↳ " if "." in lens.id else "") + lens.name for lens in result.book.lenses}


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


# -- small facts, memoised in the process ----------------------------------------------------
# Every run asks these dozens of times (each link a page draws carries the reference list and
# date, checked against them first): through Streamlit's caches each ask hashed its arguments
# and unpickled the manifest, ~190 asks per Explorer filter change and ~30 ms of a Gaps lens
# change (cProfile of the server during bench_ui.py, section 2). These are plain memos of
# immutable values (tuples, frozen records; mappings are copied on the way out), keyed like
# the caches on the store's stamp; forget() empties them with the caches.


@lru_cache(maxsize=8)
def _loaded(stamp: float, home: str) -> bool:
    return bool(_manifest(stamp, home)["sources"])


@lru_cache(maxsize=8)
def _dates(stamp: float, home: str) -> tuple[str, ...]:
    return tuple(_version_dates(stamp, home))


@lru_cache(maxsize=8)
def _options(stamp: float, home: str) -> tuple[str, ...]:
    ids = [s.id for s in _analysis(stamp, home, DEFAULT_REFERENCE, "").specs]
    return (DEFAULT_REFERENCE, *[i for i in ids if i != DEFAULT_REFERENCE])


@lru_cache(maxsize=16)
def _available(stamp: float, home: str, as_of: str) -> tuple[str, ...]:
    return tuple(_compared_at(stamp, home, as_of))


@lru_cache(maxsize=8)
def _name_items(stamp: float, home: str) -> tuple[tuple[str, str], ...]:
    return tuple(_names(stamp, home).items())


@lru_cache(maxsize=4 * ANALYSES_KEPT)
def _spec_tuple(stamp: float, home: str, reference: str, as_of: str) -> tuple[SourceSpec, ...]:
    return tuple(_analysis(stamp, home, reference, as_of).specs)


@lru_cache(maxsize=4 * ANALYSES_KEPT)
def _labels(stamp: float, home: str, reference: str, as_of: str
            ) -> tuple[tuple[str, str], ...]:
    names = dict(_name_items(stamp, home))
    return tuple(common.source_labels(list(_spec_tuple(stamp, home, reference, as_of)),
                                      names).items())


@lru_cache(maxsize=4 * ANALYSES_KEPT)
def _lens_name_items(stamp: float, home: str, reference: str, as_of: str
                     ) -> tuple[tuple[str, str], ...]:
    return tuple(_lens_names(_analysis(stamp, home, reference, as_of)).items())


@lru_cache(maxsize=64)
def _lens_codes(stamp: float, home: str, reference: str, as_of: str,
                lens: str) -> frozenset[str]:
    result = _analysis(stamp, home, reference, as_of)
    return frozenset(explorer.lens_code_set(result.tags, result.book, lens))


def _memos() -> tuple[Any, ...]:
    """The memos above (forget() empties them)."""
    return (_loaded, _dates, _options, _available, _name_items, _spec_tuple, _labels,
            _lens_name_items, _lens_codes)


# -- what pages read --------------------------------------------------------------------------


def manifest() -> dict[str, Any]:
    return _manifest(*key())


def loaded() -> bool:
    return _loaded(*key())


def version_dates() -> list[str]:
    """Dates of the kept versions, newest first: the choices of the "as of" selector."""
    stamp, home = key()
    return list(_dates(stamp, home)) if _loaded(stamp, home) else []


def reference_options() -> list[str]:
    """The reference lists one can choose: the default first, then every compared list."""
    stamp, home = key()
    return list(_options(stamp, home)) if _loaded(stamp, home) else [DEFAULT_REFERENCE]


def analysis(reference: str, as_of: str) -> core.Analysis:
    return guarded_analysis(_analysis(*key(), reference, as_of))


def specs(reference: str, as_of: str) -> list[SourceSpec]:
    """The compared lists (frozen records; no frame is handed out)."""
    return list(_spec_tuple(*key(), reference, as_of))


def lens_names(reference: str, as_of: str) -> dict[str, str]:
    """Lens id -> name, sub-lenses marked with an arrow (the order of the lens file)."""
    return dict(_lens_name_items(*key(), reference, as_of))


def scores(reference: str, as_of: str) -> dict[str, pd.DataFrame]:
    return _guarded_scores(*key(), reference, as_of)


def index(reference: str, as_of: str) -> pd.DataFrame:
    return guarded_frame(_index(*key(), reference, as_of))


def lens_codes(reference: str, as_of: str, lens: str) -> frozenset[str]:
    """Every code a lens (and its sub-lenses) tags."""
    return _lens_codes(*key(), reference, as_of, lens)


def candidates(reference: str, as_of: str, source: str, entry: str) -> pd.DataFrame:
    return _candidates(*key(), reference, source, entry, as_of)


def compared_at(as_of: str) -> list[str]:
    """Ids of the compared lists that have a version by `as_of` ("" = now)."""
    stamp, home = key()
    return list(_available(stamp, home, as_of)) if _loaded(stamp, home) else []


def list_names() -> dict[str, str]:
    """Source and list id -> the list's name (from the manifest)."""
    return dict(_name_items(*key()))


def labels(reference: str, as_of: str) -> dict[str, str]:
    """Source id -> "US · Commerce Control List" for the lists compared against `reference`."""
    return dict(_labels(*key(), reference, as_of))


def prepare_search(as_of: str) -> None:
    """Build (or find) the search index of that date's lists."""
    _search(*key(), as_of)


def found(as_of: str, query: str) -> list[dict[str, Any]]:
    """Concept and full-text search over the lists of that date and the register, best first
    (harmonize.compare.search: each result says why it matched)."""
    return _found(*key(), as_of, " ".join(query.split())[:200])


def mapped(reference: str, as_of: str) -> dict[str, str]:
    return _mapped(*key(), reference, as_of)


def overview_head(reference: str, as_of: str, label: str) -> str:
    return _overview_head(*key(), reference, as_of, label)


def overview_body(reference: str, as_of: str, metric: str, carried: dict[str, str]) -> str:
    return _overview_body(*key(), reference, as_of, metric, tuple(sorted(carried.items())))


def gaps(reference: str, as_of: str) -> pd.DataFrame:
    """Every gap (divergence) against the reference list, in code order."""
    return guarded_frame(_gaps(*key(), reference, as_of))


def versus(reference: str, as_of: str, sources: list[str], lens: str) -> pd.DataFrame:
    """The codes of a lens (every code for "") on which the chosen lists really differ, in
    their paragraphs or their notes (harmonize.present.views.versus.differences, with_notes)."""
    return _versus(*key(), reference, as_of, tuple(sources), lens)


def versus_candidates(reference: str, as_of: str, sources: list[str],
                      targets: list[tuple[str, str]]) -> pd.DataFrame:
    """Candidate counterparts for (list, entry) targets among the chosen lists' entries."""
    return _versus_candidates(*key(), reference, as_of, tuple(sources), tuple(targets))


def list_versions() -> list[history.ListVersion]:
    """Every kept version of every list (history and current), oldest first per list."""
    return _list_versions(*key()) if loaded() else []


def changes(list_id: str, older: str, newer: str, editorial: bool) -> tuple[pd.DataFrame, int]:
    """What changed in a list between two kept versions: (one row per change, the number of
    editorial-only changes left out)."""
    return _changes(*key(), list_id, older, newer, editorial)


def lens_file_names() -> dict[str, str]:
    """Lens id -> name from datasets/lenses.toml (no list needed)."""
    return _lens_file(_mtime(dataset("lenses.toml")))


def timeline(code: str) -> dict[str, Any]:
    return _timeline(*key(), code)


def unplaced(parsed_file: str) -> list[dict[str, Any]]:
    return _unplaced(*key(), parsed_file)


def status_frame() -> pd.DataFrame:
    return pd.DataFrame(queries.status(manifest())["sources"])


def parties() -> tuple[parties_query.Parties, pd.DataFrame, dict[str, str]]:
    """The matched party lists, their lens tags and lens names (refreshed by an import or an
    edit of the reviewed decisions or party lenses)."""
    reviewed = sum(_mtime(dataset(name)) for name in ("party_decisions.csv",
                                                       "party_lenses.toml"))
    stamp, home = key()
    result, tags, names = _parties(stamp, reviewed, home)
    return dataclasses.replace(result, table=guarded_frame(result.table),
                               listings=guarded_frame(result.listings)), guarded_frame(tags), names


def measures_table() -> pd.DataFrame:
    return _measures(_mtime(measures.DEFAULT_PATH))


def partner_states() -> pd.DataFrame:
    return _partners(_mtime(partners.PARTNERS_FILE))


def topojson() -> str | None:
    return _topojson(_mtime(partners.WORLD_TOPOJSON))
