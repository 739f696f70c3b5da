"""Every page runs inside app.py's navigation, even on a process's first visit.

Why this exists: the pages live in a folder named `pages/` (the project's name for it, kept).
Streamlit takes a `pages/` folder beside the entry script for its legacy multipage mode, in
which it runs the page file alone, without app.py (no page config, no top navigation, no
`?page=` routing), until some session of the process calls `st.navigation`: its documentation
says the folder is ignored "as soon as any session of your app executes the st.navigation
command". No setting turns the mode off: in Streamlit 1.67 `PagesManager.uses_pages_directory`
is set from the folder's existence alone, and `client.showSidebarNavigation = false` only hides
the legacy sidebar (streamlit/runtime/scriptrunner/script_runner.py, `_mpa_v1`). `harmonize
serve` runs the app once before the first visitor, which leaves the mode; a deep link
(`/compare?code=…`) opened first on a server started otherwise (`streamlit run app.py`, or
before that warm-up run ends) would still get a bare page, and Streamlit's AppTest starts the
mode again before every run.

So a page run in that mode, in a session that has not yet been through app.py, clears
Streamlit's flag (a private class attribute: the one use here of Streamlit's internals) and
reruns: the rerun goes through app.py onto the same page, with the same query parameters.
Only then: in a server the mode ends for good at the first `st.navigation`, so only AppTest
brings it back to a session that has been through app.py, and a rerun there would drop a
button's click. Without the attribute (another Streamlit version) it does nothing.

Tested: tests/test_app_data.py (`test_a_deep_link_opened_first_runs_inside_the_navigation`) and
tests/browser (`test_a_deep_link_opened_first_shows_the_navigation`, on a fresh server).
"""

from __future__ import annotations

import streamlit as st

_NAVIGATED = "_routing.navigated"  # this session has run through app.py's st.navigation


def ensure_navigation() -> None:
    """Called by every page first: when Streamlit ran the page without app.py (its legacy
    `pages/` mode), leave that mode and rerun through app.py."""
    from streamlit.runtime.pages_manager import PagesManager

    if not getattr(PagesManager, "uses_pages_directory", None):
        st.session_state[_NAVIGATED] = True  # st.navigation (app.py) has cleared the flag
    elif not st.session_state.get(_NAVIGATED):
        st.session_state[_NAVIGATED] = True
        PagesManager.uses_pages_directory = False
        st.rerun()
