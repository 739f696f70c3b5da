"""Sources: what is loaded, versions, checksums, provenance, loader notes; import a folder
where the server allows it (in a separate, limited process)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from app_data import cache, comparison, downloads, page
from harmonize.ingest import isolated, store
from harmonize.present import serve
from harmonize.present.views import common
from harmonize.present.views import sources as view

PAGE = "sources"
page.header("Sources", PAGE)
status = cache.status_frame()

if status.empty:
    st.info("Nothing is loaded yet. The owner imports lists from the command line: "
            "`harmonize import DIR`, where DIR holds one folder per source (`us-ccl`, "
            "`eu-annex-i`, `wassenaar`, `au-dsgl`, `uk-sel`, `no-list-ii`, `ca-ecl`), or a "
            "bundle made by `harmonize bundle`.")
else:
    st.caption("One row per loaded list. The version is the date of the legal text; the "
               "checksum identifies the raw file kept in the store. **Unplaced**: "
               + common.UNPLACED_HELP + ".")
    table = status.assign(sha256=status["sha256"].str[:12] + "…")
    st.dataframe(
        table[["id", "jurisdiction", "list", "version", "entries", "paragraphs", "notes",
               "unplaced", "imported_at", "sha256", "url"]],
        hide_index=True, width="stretch", height=38 + 35 * len(table),
        column_config={
            "id": st.column_config.TextColumn("list id", width=120),
            "list": st.column_config.TextColumn("name", width="medium"),
            "jurisdiction": st.column_config.TextColumn("jur.", width=50),
            "version": st.column_config.TextColumn("version", width=95),
            "entries": st.column_config.NumberColumn("entries", width=70),
            "paragraphs": st.column_config.NumberColumn("paragraphs", width=85),
            "notes": st.column_config.NumberColumn("notes", width=65),
            "unplaced": st.column_config.NumberColumn("unplaced", width=75,
                                                      help=common.UNPLACED_HELP),
            "imported_at": st.column_config.TextColumn("imported (UTC)", width=150),
            "sha256": st.column_config.TextColumn("sha256", width=110),
            "url": st.column_config.LinkColumn("publisher", display_text="open ↗", width=80),
        })
    full = status.drop(columns=["loader_notes"]).assign(
        detailed_categories=status["detailed_categories"].map(
            lambda v: "all" if v is None else ", ".join(v)))
    downloads.table_buttons(lambda: full, len(full), "sources", "Sources", [], key=PAGE)

    manifest = cache.manifest()
    for source_id in sorted(manifest["sources"]):
        source = manifest["sources"][source_id]
        with st.expander(f"{source_id} · {source['publisher']}"):
            facts = pd.DataFrame([
                ("publisher", source["publisher"]), ("format", source["format"]),
                ("licence", source["licence"]),
                ("imported from (folder)", view.shown_path(str(source["origin"]))),
                ("raw file", view.shown_path(str(source["raw_file"]))),
                ("sha256", source["sha256"]),
                ("size (bytes)", f"{source['size']:,}"), ("imported at", source["imported_at"]),
                ("parse key", source["parse_key"]),
                ("other files in the folder (not parsed)",
                 ", ".join(source.get("not_parsed", [])) or "none"),
            ], columns=["fact", "value"])
            st.dataframe(facts, hide_index=True, width="stretch")
            for lst in source["lists"]:
                detailed = lst.get("detailed_categories")
                st.markdown(f"**{lst['id']}** · version {lst['version']} · "
                            f"{lst['entries']:,} entries, {lst['paragraphs']:,} paragraphs, "
                            f"{lst['notes']:,} notes, {lst['unplaced']:,} unplaced · "
                            "paragraph text for "
                            + ("every category" if detailed is None else
                               "categories " + ", ".join(detailed) if detailed else
                               "no category (headings only)"))
                st.caption("Citation")
                st.text(lst["citation"])
                if lst.get("loader_notes"):
                    st.caption("What the loader reports")
                    st.text("\n".join(f"• {n}" for n in lst["loader_notes"]))
                items = cache.unplaced(lst["parsed_file"])
                if items:
                    st.caption(f"Unplaced text ({len(items)}): {common.UNPLACED_HELP}")
                    st.dataframe(pd.DataFrame(items).astype(str), hide_index=True,
                                 width="stretch", height=min(400, 38 + 35 * len(items)))

kept = cache.list_versions()
if any(not v.current for v in kept):
    st.subheader("Versions kept", anchor=False)
    st.dataframe(view.versions_table(kept), hide_index=True, width="stretch")
    st.page_link("pages/changes.py", icon=":material/history:",
                 label="What changed between two versions of a list (Changes)",
                 query_params=comparison.carried())

st.subheader("Import a folder", anchor=False)
if not serve.import_allowed(os.environ, st.get_option("server.address")):
    st.info("Importing from the dashboard is switched off on this server. Its owner imports "
            "from the command line (`harmonize import DIR`), or starts the server with "
            "`harmonize serve --allow-import` to let visitors import here.")
    st.stop()
st.caption("Each sub-folder named after a source id is snapshotted (sha256), parsed, checked "
           "and stored, in a separate process with memory, CPU and time limits; a source that "
           "fails keeps its previous snapshot. Dated folders (DIR/<source-id>/<YYYY-MM-DD>/) "
           "are kept as versions; a bundle made by `harmonize bundle` is verified first.")
configured = os.environ.get("HARMONIZE_IMPORT_DIR", "")
with st.form("import"):
    folder = st.text_input("Folder or bundle on the server", key=f"{PAGE}.folder",
                           placeholder="/path/to/sources")
    use_configured = bool(configured) and st.checkbox(
        "the folder this server was started with (HARMONIZE_IMPORT_DIR)",
        key=f"{PAGE}.configured")
    submitted = st.form_submit_button("Import", icon="📥", key=f"{PAGE}.import")
if submitted:
    target = configured if use_configured else folder.strip()
    if not target:
        st.error(view.NOTHING_IMPORTED)
        st.stop()
    with st.spinner("Importing in a separate process…"):
        done = isolated.import_isolated(Path(target).expanduser(), home=store.home())
    report = view.import_report(done.ok, done.public_message(), done.sources, done.stopped)
    if len(report.rows):
        st.dataframe(report.rows, hide_index=True, width="stretch")
    {"done": st.success, "failed": st.error, "stopped": st.error,
     "nothing": st.warning}[report.kind](report.message)
