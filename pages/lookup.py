"""Lookup: one code, typed in any publisher's style, across every loaded list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_data
from harmonize import queries

st.title("Lookup a control code")
st.caption("Any style works: `5.A.1.j`, `5A001j`, `5. A. 1. j.`, `1-5.A.1.j.`")

if not app_data.manifest()["sources"]:
    st.info("No lists are loaded yet. Run `harmonize import ../shared/sources` "
            "(see the Sources page).")
    st.stop()

code = st.text_input("Code", value=st.query_params.get("code", "5A001.j"), key="code")
st.query_params["code"] = code  # the view is a shareable link
if code.strip():
    result = queries.lookup(app_data.lists(), app_data.manifest(), code)
    st.subheader(f"Canonical code {result['canonical']}")
    if result["matches"]:
        table = pd.DataFrame(result["matches"])[
            ["source", "jurisdiction", "version", "code", "kind", "national", "text", "citation",
             "location"]
        ]
        # st.dataframe shows cell text as text: markup inside legal text is never interpreted.
        st.dataframe(table, hide_index=True, use_container_width=True)
        for match in result["matches"]:
            for note in match["notes"]:
                with st.expander(f"{match['source']}: {note['kind']}"):
                    st.text(note["text"])
    else:
        st.warning("No loaded list has this code.")
    if result["absent_in"]:
        st.write("Absent in: " + ", ".join(result["absent_in"]))
    if result["not_detailed_in"]:
        st.write("Not detailed in the loaded copy (silence here is not absence in law): "
                 + ", ".join(result["not_detailed_in"]))
