"""The dashboard's data boundary and its shared UI plumbing.

Data: everything the pages read comes through the cached calls below, which read the parse and
analysis caches only (no page ever parses a source). Caches are keyed by the store folder, the
manifest's modification time (an import refreshes them) and the reference list, so a rerun costs
nothing and each process loads the lists once.

URL state: every widget a page binds with `select`, `multiselect`, `text` or `toggle` starts from
its query parameter and writes its value back, so a copied link reproduces the view. A value in
the URL that differs from the last one the app wrote (a link, a page switch with parameters)
wins over the widget's remembered state; values equal to the default are left out of the URL.
URL values are untrusted: they are checked against the widget's options, and no file path is
ever taken from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from harmonize.compare import analysis as core
from harmonize.compare import changes as version_changes
from harmonize.compare import measures, queries
from harmonize.compare.crosswalk import DEFAULT_REFERENCE
from harmonize.ingest import history, store
from harmonize.present import export, overview, serve, views

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTHING_LOADED = (
    "No lists are loaded yet. Import a folder laid out as `DIR/<source-id>/<files>` on the "
    "**Sources** page, or from the project folder run `.venv/bin/harmonize import "
    "../shared/sources`. The Measures page works without any list."
)

# -- data -------------------------------------------------------------------------------------

serve.use_system_arrow_allocator()  # before the first list is read; see harmonize/serve.py


def _manifest_stamp() -> float:
    """Changes when an import rewrites the manifest or the version index, so caches refresh
    after an import."""
    paths = (store.home() / store.MANIFEST, history.history_root() / history.INDEX)
    return sum(path.stat().st_mtime for path in paths if path.exists())


def _key() -> tuple[float, str]:
    return _manifest_stamp(), str(store.home())


@st.cache_data(show_spinner=False, max_entries=8)
def _manifest(stamp: float, home: str) -> dict[str, Any]:
    return store.read_manifest(Path(home))


@st.cache_resource(show_spinner="Loading the lists…", max_entries=2)
def _lists(stamp: float, home: str, as_of: str = "") -> tuple[dict[str, Any], pd.DataFrame]:
    """The rows of every list, read once and shared by the analyses of every reference list
    (each would otherwise hold its own copy of the texts)."""
    return core.load_lists(Path(home), as_of=as_of or None)


# Per reference list (and "as of" date): the default and the two most recently chosen others.
# Each more adds ~25-70 MB to the server (bench_ui.py, references); the bound keeps it under
# its 500 MB target whatever visitors choose.
ANALYSES_KEPT = 3


@st.cache_resource(show_spinner="Loading the lists and their comparison…",
                   max_entries=ANALYSES_KEPT)
def _analysis(stamp: float, home: str, reference: str, as_of: str = "") -> core.Analysis:
    lists = _lists(stamp, home, as_of)
    try:
        return core.load_analysis(reference, Path(home), as_of=as_of or None, lists=lists)
    except ValueError:  # that reference list has no version by the chosen date
        return core.load_analysis(DEFAULT_REFERENCE, Path(home), as_of=as_of or None,
                                  lists=lists)


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT)
def _scores(stamp: float, home: str, reference: str, as_of: str = "") -> dict[str, pd.DataFrame]:
    return core.score_tables(_analysis(stamp, home, reference, as_of))


@st.cache_resource(show_spinner="Indexing every list for search…", max_entries=ANALYSES_KEPT)
def _index(stamp: float, home: str, reference: str, as_of: str = "") -> pd.DataFrame:
    result = _analysis(stamp, home, reference, as_of)
    return views.explorer_index(result.frame, result.aligned, result.tags,
                                [s.id for s in result.specs])


@st.cache_data(show_spinner="Ranking candidate counterparts…", max_entries=64)
def _candidates(stamp: float, home: str, reference: str, source: str,
                entry: str, as_of: str = "") -> pd.DataFrame:
    return core.national_candidates(_analysis(stamp, home, reference, as_of), source, entry)


@st.cache_data(show_spinner=False, max_entries=8)
def _version_dates(stamp: float, home: str) -> list[str]:
    return history.version_dates(Path(home))


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


@st.cache_data(show_spinner=False, max_entries=4)
def _measures(mtime: float) -> pd.DataFrame:
    return measures.as_table(measures.load_measures())


@st.cache_data(show_spinner=False, max_entries=4)
def _partners(mtime: float) -> pd.DataFrame:
    return views.load_partners()


@st.cache_data(show_spinner=False, max_entries=2)
def _topojson(mtime: float) -> str | None:
    return views.topojson_url()


# The Overview's HTML, per reference list, date and colour metric (harmonize/overview.py).
@st.cache_resource(show_spinner=False, max_entries=4 * ANALYSES_KEPT)
def _overview_head(stamp: float, home: str, reference: str, as_of: str) -> str:
    return overview.head_html(_analysis(stamp, home, reference, as_of), reference)


@st.cache_resource(show_spinner=False, max_entries=4 * ANALYSES_KEPT)
def _overview_body(stamp: float, home: str, reference: str, as_of: str, metric: str) -> str:
    result = _analysis(stamp, home, reference, as_of)
    gaps = linker("gaps", reference, as_of)
    return overview.body_html(result, _scores(stamp, home, reference, as_of),
                              _lens_names(result), views.source_labels(result.specs), metric,
                              lambda lens, source: gaps(lens=lens, src=source))


def manifest() -> dict[str, Any]:
    return _manifest(*_key())


def loaded() -> bool:
    return bool(manifest()["sources"])


def analysis(reference: str | None = None) -> core.Analysis:
    return _analysis(*_key(), reference or current_reference(), current_as_of())


def scores(reference: str | None = None) -> dict[str, pd.DataFrame]:
    return _scores(*_key(), reference or current_reference(), current_as_of())


def index(reference: str | None = None) -> pd.DataFrame:
    return _index(*_key(), reference or current_reference(), current_as_of())


def candidates(source: str, entry: str) -> pd.DataFrame:
    return _candidates(*_key(), current_reference(), source, entry, current_as_of())


def version_dates() -> list[str]:
    """Dates of the kept versions, newest first: the choices of the "as of" selector."""
    return _version_dates(*_key()) if loaded() else []


def current_as_of() -> str:
    """The date every page compares the lists as of ("" = the current lists)."""
    value = st.session_state.get("_asof", "")
    return value if isinstance(value, str) and value in version_dates() else ""


def timeline(code: str) -> dict[str, Any]:
    return _timeline(*_key(), code)


def unplaced(parsed_file: str) -> list[dict[str, Any]]:
    return _unplaced(*_key(), parsed_file)


def status_frame() -> pd.DataFrame:
    return pd.DataFrame(queries.status(manifest())["sources"])


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def measures_table() -> pd.DataFrame:
    return _measures(_mtime(measures.DEFAULT_PATH))


def partners() -> pd.DataFrame:
    return _partners(_mtime(views.PARTNERS_FILE))


def topojson() -> str | None:
    return _topojson(_mtime(views.WORLD_TOPOJSON))


class Comparison(NamedTuple):
    """What a page that shows statuses needs: the analysis against the current reference list,
    the lists' labels and ids, the lens names (file order) and the reference list's id."""

    result: core.Analysis
    labels: dict[str, str]
    sources: list[str]
    lens_names: dict[str, str]
    reference: str


def comparison() -> Comparison:
    return Comparison(analysis(), labels(), source_ids(), lens_names(), current_reference())


def lens_names() -> dict[str, str]:
    """Lens id -> name, sub-lenses marked with an arrow (the order of the lens file)."""
    return _lens_names(analysis())


def _lens_names(result: core.Analysis) -> dict[str, str]:
    return {lens.id: ("↳ " if "." in lens.id else "") + lens.name for lens in result.book.lenses}


def overview_head() -> str:
    return _overview_head(*_key(), current_reference(), current_as_of())


def overview_body(metric: str) -> str:
    return _overview_body(*_key(), current_reference(), current_as_of(), metric)


def labels() -> dict[str, str]:
    return views.source_labels(analysis().specs)


def source_ids() -> list[str]:
    return [s.id for s in analysis().specs]


def reference_options() -> list[str]:
    """The reference lists one can choose: the default first, then every compared list."""
    if not loaded():
        return [DEFAULT_REFERENCE]
    ids = [s.id for s in _analysis(*_key(), DEFAULT_REFERENCE).specs]
    return [DEFAULT_REFERENCE, *[i for i in ids if i != DEFAULT_REFERENCE]]


def current_reference() -> str:
    value = st.session_state.get("_ref", DEFAULT_REFERENCE)
    return value if isinstance(value, str) and value in reference_options() else DEFAULT_REFERENCE


_LEFT_PAGES_DIRECTORY_MODE = False


def _leave_pages_directory_mode() -> None:
    """Streamlit runs a process's first script in the legacy `pages/`-folder mode until some
    script calls st.navigation; a deep link (`/compare?code=…`) opened first would then run the
    page without app.py (no navigation, no layout). Once per process: clear the flag and rerun
    through app.py."""
    global _LEFT_PAGES_DIRECTORY_MODE
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not _LEFT_PAGES_DIRECTORY_MODE:
        _LEFT_PAGES_DIRECTORY_MODE = True
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str) -> None:
    """The page title and, beside it, the one reference-list selector that drives every status
    on every page (`?ref=`; the choice also survives moving between pages in a session), with
    the "as of" date when older versions are kept. Both sit in a popover whose label shows the
    current choice: its widgets are drawn only when opened (select boxes drawn at every page
    start cost the Overview ~0.05-0.1 s in side-by-side runs of page variants)."""
    _leave_pages_directory_mode()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.title(title, anchor=False)  # no link icon: the page's URL is the link
    options = reference_options()
    names = labels() if loaded() else {}
    initial = str(st.session_state.get("_ref", DEFAULT_REFERENCE))
    ref_key, _ = _chosen("app", "ref", options, DEFAULT_REFERENCE, initial)
    dates = version_dates()  # several only when older versions are kept (dated folders)
    asof_key, _ = _chosen("app", "asof", ["", *dates], "",
                          str(st.session_state.get("_asof", "")))
    shown = f"Compared with **{names.get(st.session_state[ref_key], st.session_state[ref_key])}**"
    if len(dates) > 1 and st.session_state[asof_key]:  # as current_as_of reads it
        shown += f" as of **{st.session_state[asof_key]}**"
    with right.popover(shown, width="stretch", key="app.compared"):
        st.caption("Every status on every page is measured against the reference list"
                   + (", with the lists as they stood on the date chosen." if len(dates) > 1
                      else "."))
        st.session_state["_ref"] = select(
            "app", "ref", "Reference list", options, DEFAULT_REFERENCE,
            format_func=lambda s: names.get(s, s), initial=initial,
            help="Every status (identical, editorial, substantive, absent…) is measured "
                 "against this list. Without it loaded, each code is compared with the text "
                 "most lists share.")
        if len(dates) > 1:
            st.session_state["_asof"] = select(
                "app", "asof", "As of", ["", *dates], "",
                format_func=lambda d: d or "current lists",
                initial=str(st.session_state.get("_asof", "")),
                help="Compare the lists as they stood on this date: for each list, the latest "
                     "kept version dated on or before it. Lists with no version by then are "
                     "left out, never counted as absent.")


# -- URL state --------------------------------------------------------------------------------


def _last() -> dict[str, str]:
    last = st.session_state.setdefault("_qp_last", {})
    assert isinstance(last, dict)
    return last


def _adopt(key: str, param: str, parse: Callable[[str | None], Any], default: Any) -> None:
    url = st.query_params.get(param)
    if key not in st.session_state:
        st.session_state[key] = parse(url) if url is not None else default
    elif url is not None and url != _last().get(param):
        st.session_state[key] = parse(url)


def _write(param: str, value: str, default: str) -> None:
    _last()[param] = value
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def _chosen(page: str, param: str, options: Sequence[str], default: str,
            initial: str | None = None) -> tuple[str, str]:
    """(widget key, fallback) for a one-of-options widget bound to `param`, its state adopted
    from the URL and checked against `options`; `initial` is the value a new widget takes when
    the URL says nothing (else `default`)."""
    opts = list(options)
    fallback = default if default in opts else (opts[0] if opts else "")
    start = initial if initial in opts else fallback
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: views.pick(v, opts, fallback), start)
    if st.session_state[key] not in opts:
        st.session_state[key] = fallback
    return key, fallback


def select(page: str, param: str, label: str, options: Sequence[str], default: str, *,
           format_func: Callable[[str], str] = str, container: Any = None,
           help: str | None = None, kind: str = "selectbox",
           initial: str | None = None) -> str:
    """A selectbox (`kind`: or a horizontal "radio", or a "segmented" control) bound to query
    parameter `param`."""
    opts = list(options)
    key, fallback = _chosen(page, param, opts, default, initial)
    where = container or st
    if kind == "radio":
        value = where.radio(label, opts, key=key, format_func=format_func, help=help,
                            horizontal=True)
    elif kind == "segmented":  # its scripts come with the pills' (toggle_pill)
        value = where.segmented_control(label, opts, key=key, format_func=format_func,
                                        help=help, required=True)
    else:
        value = where.selectbox(label, opts, key=key, format_func=format_func, help=help)
    value = str(value) if value is not None else fallback
    _write(param, value, fallback)
    return value


def multiselect(page: str, param: str, label: str, options: Sequence[str],
                default: Sequence[str] = (), *, format_func: Callable[[str], str] = str,
                container: Any = None, help: str | None = None,
                placeholder: str = "all") -> list[str]:
    """A multiselect bound to `param` (comma-separated in the URL)."""
    opts = list(options)
    fallback = [d for d in default if d in opts]
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: views.parse_list(v, opts), fallback)
    st.session_state[key] = [v for v in st.session_state[key] if v in opts]
    where = container or st
    value = list(where.multiselect(label, opts, key=key, format_func=format_func, help=help,
                                   placeholder=placeholder))
    _write(param, views.join_list(value), views.join_list(fallback))
    return value


def text(page: str, param: str, label: str, default: str = "", *, container: Any = None,
         placeholder: str | None = None, help: str | None = None,
         initial: str | None = None) -> str:
    """A text input bound to `param` (the text is only ever used as a search string);
    `initial` fills a new input when the URL says nothing."""
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: (v or "")[:200], default if initial is None else initial)
    where = container or st
    value = str(where.text_input(label, key=key, placeholder=placeholder, help=help,
                                 max_chars=200))
    _write(param, value.strip(), default)
    return value.strip()


def toggle(page: str, param: str, label: str, default: bool = False, *,
           container: Any = None, help: str | None = None) -> bool:
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: v == "1", default)
    where = container or st
    value = bool(where.toggle(label, key=key, help=help))
    _write(param, "1" if value else "0", "1" if default else "0")
    return value


def toggle_pill(page: str, param: str, label: str, *, container: Any = None,
                help: str | None = None) -> bool:
    """`toggle` drawn as one pill that reads `label` and is highlighted while on (a pill's
    scripts come with the segmented control's; with buttons beside it, the Overview took
    ~0.1 s longer to start in side-by-side runs of page variants)."""
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: label if v == "1" else None, None)
    if st.session_state[key] not in (label, None):
        st.session_state[key] = None
    where = container or st
    value = where.pills(label, [label], key=key, help=help, label_visibility="collapsed") == label
    _write(param, "1" if value else "0", "0")
    return value


def nonce(name: str) -> int:
    """A counter that makes a selection widget new after it navigated (no stale selection)."""
    value = st.session_state.get(f"_nonce.{name}", 0)
    return int(value)


def bump(name: str) -> None:
    st.session_state[f"_nonce.{name}"] = nonce(name) + 1


def _carried(params: dict[str, str | Sequence[str] | None],
             extra: dict[str, str] | None = None) -> dict[str, str]:
    """`params` without empty values, plus the reference list and the date when not the
    defaults (`extra`, else worked out now), so the next page compares the same way."""
    query = views.clean_params(params)
    carried = _comparison_params() if extra is None else extra
    return query | {k: v for k, v in carried.items() if k not in query}


def _comparison_params(reference: str | None = None, as_of: str | None = None
                       ) -> dict[str, str]:
    """`ref` and `asof` for links, left out at their defaults (the current ones if not given)."""
    reference = current_reference() if reference is None else reference
    as_of = current_as_of() if as_of is None else as_of
    extra = {}
    if reference != DEFAULT_REFERENCE:
        extra["ref"] = reference
    if as_of:
        extra["asof"] = as_of
    return extra


def go(page: str, **params: str | Sequence[str] | None) -> None:
    """Switch to a page with query parameters (the reference list and date travel along)."""
    st.switch_page(f"pages/{page}.py", query_params=_carried(params))


def linker(page: str, reference: str | None = None, as_of: str | None = None
           ) -> Callable[..., str]:
    """A maker of relative links to `page` with query parameters, carrying what `go` carries
    (worked out once: a heatmap asks for a hundred links)."""
    extra = _comparison_params(reference, as_of)
    return lambda **params: views.page_link(page, **_carried(params, extra))


# -- downloads --------------------------------------------------------------------------------


def downloads(make: Callable[[], pd.DataFrame], rows: int, name: str, title: str,
              filters: Sequence[tuple[str, str]], key: str, container: Any = None) -> None:
    """xlsx and csv buttons for the table `make()` builds (of `rows` rows), with the filters
    written above it. The table and the files are made only when a button is clicked."""
    where = container or st
    shown = [("Reference list", current_reference()), *filters, ("Rows", str(rows)),
             ("Generated at (UTC)", store.now_iso())]
    left, right = where.columns(2)
    left.download_button("⬇ xlsx", data=lambda: views.table_xlsx(make(), title, shown),
                         file_name=f"{name}.xlsx", mime=XLSX, key=f"{key}.xlsx",
                         on_click="ignore", help="One sheet: the filters, then the table",
                         width="stretch")
    right.download_button("⬇ csv", data=lambda: views.table_csv(make(), shown),
                          file_name=f"{name}.csv", mime="text/csv", key=f"{key}.csv",
                          on_click="ignore", help="`# filter: value` lines, then the table",
                          width="stretch")


def comparison_downloads(scope: export.ExportScope, name: str, key: str,
                         columns: Sequence[Any] = (),
                         csv_tables: Sequence[str] = ("Matrix", "Gaps"),
                         csv_label: str = "⬇ matrix + gaps (csv)") -> None:
    """The comparison workbook (About, Summary, Matrix, Gaps, Texts, Measures) and
    `csv_tables` of it as zipped CSV, for the scope shown, written by harmonize.present.export; the
    two buttons go into `columns` (two of a row), else into a new row."""
    result = analysis(scope.reference)

    def frames() -> dict[str, pd.DataFrame]:
        return export.comparison_frames(result, scope, measures_table())

    def xlsx() -> bytes:
        import io

        buffer = io.BytesIO()
        export.write_xlsx(frames(), scope, buffer)
        return buffer.getvalue()

    left, right = columns or st.columns(2)
    left.download_button("⬇ comparison workbook", data=xlsx, file_name=f"{name}.xlsx",
                         mime=XLSX, key=f"{key}.cmp.xlsx", on_click="ignore", width="stretch",
                         help="Sheets: About (scope, lists loaded, legend), Summary (lens "
                              "scores, pairwise agreement), Matrix, Gaps, Texts, Measures")
    right.download_button(csv_label, data=lambda: export.write_csv(frames(), names=csv_tables),
                          file_name=f"{name}-csv.zip", mime="application/zip",
                          key=f"{key}.cmp.csv", on_click="ignore", width="stretch",
                          help="A zip of CSV files: " + ", ".join(csv_tables))


# -- shared bits of UI ------------------------------------------------------------------------


def need_lists() -> None:
    """Stop the page with guidance when nothing is loaded."""
    if not loaded():
        st.info(NOTHING_LOADED)
        st.page_link("pages/sources.py", label="Go to Sources to import lists", icon="📚")
        st.stop()


def status_legend(container: Any = None) -> None:
    where = container or st
    where.caption(" · ".join(f"{mark} {status}" for mark, status, _ in views.status_legend())
                  + " — against the reference list; hover a column header for its list.")
