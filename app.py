"""Export Control Harmonization Dashboard: navigation only; each page is a thin file in pages/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Export Control Harmonization", page_icon="⚖️", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/lookup.py", title="Lookup", icon="🔎", url_path="lookup", default=True),
        st.Page("pages/sources.py", title="Sources", icon="📚", url_path="sources"),
    ]
)
navigation.run()
