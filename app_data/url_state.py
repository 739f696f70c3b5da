"""URL state: widgets bound to query parameters, a page's view kept while the visitor looks at
other pages, and moves to other pages that carry the comparison (reference list and date) along.

Every widget a page binds with `select`, `multiselect`, `text`, `toggle` or `expander` starts
from its query parameter and writes its value back, so the address bar always holds the view and
a copied link reproduces it; values equal to the default are left out of the URL.

Moving between pages (app.py calls `arrive` with the page shown, before the page runs):
- a link that names some of the page's parameters (a heatmap cell, a row, a shared URL) shows
  exactly that view: the parameters it leaves out take their defaults;
- arriving with none of them (the top navigation, a bare page address) restores the view the
  visitor last had on that page, and puts it back into the URL;
- the reference list and the "as of" date (`ref`, `asof`) always carry over unless a link sets
  them.
Why a memory of our own: Streamlit drops a widget's state once a run of another page goes by
without it, and a widget of the same key on another page does not take over its value (the
header's reference-list selector on a new page came up with the default: issue 16).

URL values are untrusted: they are checked against the widget's options, and no file path is
ever taken from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from app_data import comparison
from harmonize.present.views import common

CARRIED = ("ref", "asof")  # parameters of the page header, on every page
_LAST = "_qp_last"  # param -> the value the app last wrote to the URL
_MEMORY = "_qp_memory"  # widget key -> its last value (survives leaving the page)
_VISIT = "_qp_visit"  # the page shown and how it was reached
_ADOPTED = "_qp_adopted"  # widget key -> the visit in which it last took its start value


def _slot(name: str) -> dict[str, Any]:
    value = st.session_state.setdefault(name, {})
    assert isinstance(value, dict)
    return value


def arrive(page: str) -> None:
    """Record the page this run shows (app.py, before the page runs). A new visit starts when
    the page differs from the last run's; it came by a link when the URL names any parameter
    besides the carried ones."""
    visit = _slot(_VISIT)
    if visit.get("page") == page:
        return
    named = set(st.query_params) - {"page", *CARRIED}
    visit.update(page=page, token=int(visit.get("token", 0)) + 1, link=bool(named))


def _start(key: str, param: str, parse: Callable[[str | None], Any], default: Any) -> None:
    """Put the widget's value for this run into the session before the widget is drawn."""
    url = st.query_params.get(param)
    visit, adopted, memory = _slot(_VISIT), _slot(_ADOPTED), _slot(_MEMORY)
    token = visit.get("token", 0)
    if adopted.get(key) != token:  # first time this visit: the URL, the memory or the default
        adopted[key] = token
        if url is not None:
            value = parse(url)
        elif param in CARRIED or not visit.get("link"):
            value = memory.get(key, default)
        else:
            value = default
        st.session_state[key] = value
    elif url is not None and url != _slot(_LAST).get(param):  # a link to the same page
        st.session_state[key] = parse(url)
    elif key not in st.session_state:
        st.session_state[key] = memory.get(key, default)


def _write(key: str, value: Any, param: str, text: str, default: str) -> None:
    """Remember the widget's value and put it into the URL (left out at its default)."""
    _slot(_MEMORY)[key] = value
    _slot(_LAST)[param] = text
    if text == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


def chosen(page: str, param: str, options: Sequence[str], default: str,
           initial: str | None = None) -> tuple[str, str]:
    """(widget key, fallback) for a one-of-options widget bound to `param`, its state set from
    the URL, the memory or `initial` (else `default`) and checked against `options`."""
    opts = list(options)
    fallback = default if default in opts else (opts[0] if opts else "")
    start = initial if initial in opts else fallback
    key = f"{page}.{param}"
    _start(key, param, lambda v: common.pick(v, opts, fallback), start)
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
    key, fallback = chosen(page, param, opts, default, initial)
    where = container or st
    if kind == "radio":
        value = where.radio(label, opts, key=key, format_func=format_func, help=help,
                            horizontal=True)
    elif kind == "segmented":
        value = where.segmented_control(label, opts, key=key, format_func=format_func,
                                        help=help, required=True)
    else:
        value = where.selectbox(label, opts, key=key, format_func=format_func, help=help)
    value = str(value) if value is not None else fallback
    _write(key, value, param, value, fallback)
    return value


def multiselect(page: str, param: str, label: str, options: Sequence[str],
                default: Sequence[str] = (), *, format_func: Callable[[str], str] = str,
                container: Any = None, help: str | None = None,
                placeholder: str = "all", max_selections: int | None = None) -> list[str]:
    """A multiselect bound to `param` (comma-separated in the URL)."""
    opts = list(options)
    fallback = [d for d in default if d in opts]
    key = f"{page}.{param}"
    _start(key, param, lambda v: common.parse_list(v, opts), fallback)
    kept = [v for v in st.session_state[key] if v in opts]
    st.session_state[key] = kept[:max_selections] if max_selections else kept
    where = container or st
    value = list(where.multiselect(label, opts, key=key, format_func=format_func, help=help,
                                   placeholder=placeholder, max_selections=max_selections))
    _write(key, value, param, common.join_list(value), common.join_list(fallback))
    return value


def text(page: str, param: str, label: str, default: str = "", *, container: Any = None,
         placeholder: str | None = None, help: str | None = None,
         initial: str | None = None) -> str:
    """A text input bound to `param` (the text is only ever used as a search string);
    `initial` fills a new input when the URL says nothing."""
    key = f"{page}.{param}"
    _start(key, param, lambda v: (v or "")[:200], default if initial is None else initial)
    where = container or st
    value = str(where.text_input(label, key=key, placeholder=placeholder, help=help,
                                 max_chars=200))
    _write(key, value, param, value.strip(), default)
    return value.strip()


def toggle(page: str, param: str, label: str, default: bool = False, *,
           container: Any = None, help: str | None = None) -> bool:
    key = f"{page}.{param}"
    _start(key, param, lambda v: v == "1", default)
    where = container or st
    value = bool(where.toggle(label, key=key, help=help))
    _write(key, value, param, "1" if value else "0", "1" if default else "0")
    return value


def expander(page: str, param: str, label: str, *, container: Any = None) -> Any:
    """An expander bound to `param` ("1" while open) whose `.open` says whether to draw its
    content: closed, it costs the page's start nothing of what it holds."""
    key = f"{page}.{param}"
    _start(key, param, lambda v: v == "1", False)
    where = container or st
    box = where.expander(label, key=key, on_change="rerun")
    _write(key, bool(box.open), param, "1" if box.open else "0", "0")
    return box


def nonce(name: str) -> int:
    """A counter that makes a selection widget new after it navigated (no stale selection)."""
    value = st.session_state.get(f"_nonce.{name}", 0)
    return int(value)


def bump(name: str) -> None:
    st.session_state[f"_nonce.{name}"] = nonce(name) + 1


def link(page: str, **params: str | Sequence[str] | None) -> str:
    """A relative link to a page with `params` and the comparison (reference list, date)."""
    return common.page_link(page, **common.carry(params, comparison.carried()))


def go(page: str, **params: str | Sequence[str] | None) -> None:
    """Switch to a page with query parameters (the reference list and date travel along)."""
    st.switch_page(f"pages/{page}.py", query_params=common.carry(params, comparison.carried()))
