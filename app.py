"""Export Control Harmonization Dashboard: navigation only; each page is a thin file in pages/
(UI), its logic lives in harmonize/present/views/ and its data comes through app_data/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Export Control Harmonization", page_icon="⚖️", layout="wide")

PAGES = {  # url_path = the name used in links (?page=… works too)
    "overview": st.Page(
        "pages/overview.py", title="Overview", icon=":material/grid_view:", url_path="overview",
        default=True),
    "explorer": st.Page(
        "pages/explorer.py", title="Explorer", icon=":material/search:", url_path="explorer"),
    "compare": st.Page(
        "pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    "gaps": st.Page(
        "pages/gaps.py", title="Gaps", icon=":material/difference:", url_path="gaps"),
    "versus": st.Page(
        "pages/versus.py", title="A versus B", icon=":material/compare_arrows:",
        url_path="versus"),
    "changes": st.Page(
        "pages/changes.py", title="Changes", icon=":material/history:", url_path="changes"),
    "partners": st.Page(
        "pages/partners.py", title="Partners", icon=":material/public:", url_path="partners"),
    "parties": st.Page(
        "pages/parties.py", title="Parties", icon=":material/groups:", url_path="parties"),
    "measures": st.Page(
        "pages/measures.py", title="Measures", icon=":material/gavel:", url_path="measures"),
    "sources": st.Page(
        "pages/sources.py", title="Sources", icon=":material/library_books:", url_path="sources"),
}
# The pages an analyst moves between stay in the top bar; the context pages share one menu
# (fewer links for the browser to lay out when every page starts; see pages/overview.py).
CONTEXT = ("partners", "parties", "measures", "sources")
navigation = st.navigation(
    {"": [p for name, p in PAGES.items() if name not in CONTEXT],
     "Context": [PAGES[name] for name in CONTEXT]}, position="top")

# `?page=compare&code=...` on any URL opens that page with the other parameters.
wanted = st.query_params.get("page")
if wanted in PAGES and PAGES[wanted].url_path != navigation.url_path:
    rest = {k: st.query_params.get(k, "") for k in st.query_params if k != "page"}
    st.switch_page(PAGES[wanted], query_params=rest)
elif "page" in st.query_params:
    del st.query_params["page"]

# Each page opens with app_data.page.header: its title and the one reference-list selector.
navigation.run()
