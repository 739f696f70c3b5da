"""Sources: what is loaded, which version of the legal text, checksums and provenance."""

from __future__ import annotations

import streamlit as st

import app_data
from harmonize import store

st.title("Sources")
status = app_data.status_frame()
if status.empty:
    st.info(
        "Nothing is loaded yet. From the project folder run\n\n"
        "    .venv/bin/harmonize import ../shared/sources\n\n"
        f"(or any folder laid out as DIR/<source-id>/<files>). The store is {store.home()}."
    )
    st.stop()
st.caption(f"Store: {store.home()}")
st.dataframe(
    status[["id", "jurisdiction", "list", "version", "entries", "paragraphs", "notes", "unplaced",
            "imported_at", "sha256", "publisher", "format", "citation", "url"]],
    hide_index=True,
    use_container_width=True,
    column_config={"url": st.column_config.LinkColumn("publisher URL")},
)
for _, row in status.iterrows():
    if row["loader_notes"]:
        with st.expander(f"{row['id']}: what the loader left out"):
            for note in row["loader_notes"]:
                st.text(note)
