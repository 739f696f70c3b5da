"""Sources: what is loaded, versions, checksums, provenance, loader notes; import a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

import loaders
from app_data import cache, downloads, page
from harmonize.compare import changes as version_changes
from harmonize.ingest import bundle, history, store
from harmonize.present.views import sources as view

PAGE = "sources"
page.header("Sources")
status = cache.status_frame()

if status.empty:
    st.info(
        "Nothing is loaded yet. Import a folder below (laid out as `DIR/<source-id>/<files>`, "
        "one folder per source: `us-ccl`, `eu-annex-i`, `wassenaar`, `au-dsgl`, `uk-sel`, "
        "`no-list-ii`, `ca-ecl`), or from the project folder run "
        "`.venv/bin/harmonize import ../shared/sources`.")
else:
    st.caption("One row per loaded list. The version is the date of the legal text; the "
               "checksum identifies the raw file kept in the store.")
    table = status.assign(sha256=status["sha256"].str[:12] + "…")
    st.dataframe(
        table[["id", "jurisdiction", "list", "version", "entries", "paragraphs", "notes",
               "unplaced", "imported_at", "sha256", "url"]],
        hide_index=True, width="stretch", height=38 + 35 * len(table),
        column_config={
            "id": st.column_config.TextColumn("list", width=120),
            "list": st.column_config.TextColumn("name", width="medium"),
            "jurisdiction": st.column_config.TextColumn("jur.", width=50),
            "version": st.column_config.TextColumn("version", width=95),
            "entries": st.column_config.NumberColumn("entries", width=70),
            "paragraphs": st.column_config.NumberColumn("paragraphs", width=85),
            "notes": st.column_config.NumberColumn("notes", width=65),
            "unplaced": st.column_config.NumberColumn("unplaced", width=75),
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
                ("licence", source["licence"]), ("imported from", source["origin"]),
                ("raw file in the store", source["raw_file"]), ("sha256", source["sha256"]),
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
                    st.caption(f"Text the loader could not place ({len(items)})")
                    st.dataframe(pd.DataFrame(items).astype(str), hide_index=True,
                                 width="stretch", height=min(400, 38 + 35 * len(items)))

kept = history.list_versions()
if any(not v.current for v in kept):
    st.subheader("Versions kept")
    st.dataframe(view.versions_table(kept), hide_index=True, width="stretch")
    lists_with_versions = sorted({v.list_id for v in kept})
    cols = st.columns(3)
    chosen_list = cols[0].selectbox("List", lists_with_versions, key=f"{PAGE}.changes.list")
    dates = [v.version for v in kept if v.list_id == chosen_list]
    older = cols[1].selectbox("From", dates, key=f"{PAGE}.changes.from")
    newer = cols[2].selectbox("To", dates, index=len(dates) - 1, key=f"{PAGE}.changes.to")
    if st.button("Show what changed", key=f"{PAGE}.changes.go"):
        try:
            found = version_changes.changes(chosen_list, older, newer).as_dict()
        except history.HistoryError as error:
            st.error(str(error))
        else:
            st.caption(f"{chosen_list}: {len(found['added'])} added, {len(found['removed'])} "
                       f"removed, {len(found['modified'])} modified "
                       f"({found['editorial_left_out']} editorial changes left out)")
            st.dataframe(view.changes_table(found), hide_index=True, width="stretch")

st.subheader("Import a folder")
st.caption("Each sub-folder named after a source id is snapshotted (sha256), parsed, checked "
           "and stored; a source that fails keeps its previous snapshot. Folders without a "
           "loader are listed as skipped. Dated folders (DIR/<source-id>/<YYYY-MM-DD>/) are kept "
           "as versions; a bundle folder made by `harmonize bundle` is verified first.")
with st.form("import"):
    folder = st.text_input("Folder", value=os.environ.get("HARMONIZE_IMPORT_DIR", ""),
                           placeholder="/path/to/sources", key=f"{PAGE}.folder")
    submitted = st.form_submit_button("Import", icon="📥", key=f"{PAGE}.import")
if submitted:
    path = Path(folder).expanduser()
    if not folder.strip() or not path.exists():
        st.error("That is not a folder or bundle on this machine.")
    else:
        bar = st.progress(0.0, text="Starting…")

        def progress(name: str, done: int, total: int) -> None:
            label = "Done" if name == "done" else f"Importing {name} ({done + 1} of {total})"
            bar.progress(done / total if total else 1.0, text=label)

        try:
            with st.spinner("Importing…"):
                outcomes = bundle.import_any(path, progress=progress,
                                             registry=loaders.registry())
        except bundle.BundleError as error:
            st.error(str(error))
            st.stop()
        report = pd.DataFrame([{"source": o.source_id, "status": o.status,
                                "seconds": round(o.seconds, 1), "message": o.message}
                               for o in outcomes])
        st.dataframe(report, hide_index=True, width="stretch")
        failed = [o.source_id for o in outcomes if o.status == "failed"]
        if failed:
            st.error("Failed: " + ", ".join(failed) + " (their previous snapshots are kept).")
        else:
            st.success("Imported. Every page now reads the new lists.")
st.caption(f"Store: {store.home()}")
