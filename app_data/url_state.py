"""URL state: widgets bound to query parameters, and moves to other pages that carry the
comparison (reference list and date) along.

Every widget a page binds with `select`, `multiselect`, `text` or `toggle` starts from its query
parameter and writes its value back, so a copied link reproduces the view. A value in the URL
that differs from the last one the app wrote (a link, a page switch with parameters) wins over
the widget's remembered state; values equal to the default are left out of the URL. URL values
are untrusted: they are checked against the widget's options, and no file path is ever taken
from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from app_data import comparison
from harmonize.present.views import common


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


def chosen(page: str, param: str, options: Sequence[str], default: str,
           initial: str | None = None) -> tuple[str, str]:
    """(widget key, fallback) for a one-of-options widget bound to `param`, its state adopted
    from the URL and checked against `options`; `initial` is the value a new widget takes when
    the URL says nothing (else `default`)."""
    opts = list(options)
    fallback = default if default in opts else (opts[0] if opts else "")
    start = initial if initial in opts else fallback
    key = f"{page}.{param}"
    _adopt(key, param, lambda v: common.pick(v, opts, fallback), start)
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
    _adopt(key, param, lambda v: common.parse_list(v, opts), fallback)
    st.session_state[key] = [v for v in st.session_state[key] if v in opts]
    where = container or st
    value = list(where.multiselect(label, opts, key=key, format_func=format_func, help=help,
                                   placeholder=placeholder))
    _write(param, common.join_list(value), common.join_list(fallback))
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


def go(page: str, **params: str | Sequence[str] | None) -> None:
    """Switch to a page with query parameters (the reference list and date travel along)."""
    st.switch_page(f"pages/{page}.py", query_params=common.carry(params, comparison.carried()))

