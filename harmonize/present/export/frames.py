"""The tables of a comparison workbook, cut to its scope (`comparison_frames`).

Every table is a plain DataFrame: the workbook writer lays them out and formats them, the CSV
writer writes them as they are, so both say the same. Ratios travel with the counts behind
them, and read "not comparable" where nothing is comparable (never 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from harmonize import __version__
from harmonize.compare import analysis as core
from harmonize.compare import scores
from harmonize.compare.crosswalk import STATUSES, load_crosswalk
from harmonize.compare.lenses import Lens
from harmonize.present.export import dictionary, provenance
from harmonize.present.export import notes as note_tables
from harmonize.present.export.changes import changes_frame
from harmonize.present.export.scope import ALL_CODES, TOOL, ExportScope, Scoped, cut, in_prefixes

HEADING_CHARS = 160
MATRIX_FIXED = ("code", "origin", "Wassenaar mark", "reasons for control", "lenses", "kind")
# The register's columns that go on paper, first; the others follow for filtering and citing.
MEASURES_ON_PAPER = ("id", "jurisdiction", "title", "status", "date_effective", "summary",
                     "citation")
_MARKS = {"sensitive": "Sensitive", "very-sensitive": "Very Sensitive"}
_COUNTS = [s.replace("-", " ") for s in STATUSES]


def comparison_frames(analysis: core.Analysis, scope: ExportScope,
                      measures: pd.DataFrame | None = None,
                      root: Path | None = None,
                      parties: note_tables.PartyData | None = None
                      ) -> dict[str, pd.DataFrame]:
    """The tables of a comparison workbook for `scope` (its lens and sub-lenses, the lists
    chosen, its codes, the Gaps page's filters). `root` is the store whose kept versions give
    the Changes table (default: the current store); `parties` (the parties and their lens
    tags, `notes.stored_parties`) adds the Parties tables."""
    # views.common imports this package: import when called
    from harmonize.present.views import common as common_views
    from harmonize.present.views import gaps as gap_views

    sc = cut(analysis, scope)
    facts = provenance.load_facts()
    main_list = {s.id: s.lists[0] for s in analysis.specs}
    records = {lst["id"]: lst for src in analysis.manifest["sources"].values()
               for lst in src["lists"]}
    extras = _CodeExtras(analysis)

    matrix = _matrix(sc, extras, common_views.natural_order, scope.lens)
    findings = note_tables.scope_findings(analysis, sc.aligned)
    gaps, hidden = _gaps(analysis, scope, sc, extras, main_list, records, facts, gap_views,
                         findings)
    texts = _texts(sc, matrix["code"])
    summary = _summary(sc, analysis.reference)
    pairs, square = _agreement(sc, {s.id: s.decimal_comma for s in analysis.specs})
    pairs["agree, notes differ"] = note_tables.note_pairs(analysis, sc.aligned, pairs)
    versions = {s: str(records[lst]["version"]) for s, lst in main_list.items()}
    notes = note_tables.notes_frame(analysis, findings, sc.sources, versions)
    roles = _roles(analysis, sc, main_list)
    sources = provenance.sources_frame(analysis.manifest, roles, facts)
    compared = [(main_list[s], str(records[main_list[s]]["version"])) for s in sc.sources]
    changes, change_notes = changes_frame(compared, sc.lenses if scope.lens else None,
                                          scope.codes, analysis.book, root)
    frames: dict[str, pd.DataFrame] = {
        "Scope": _scope_frame(analysis, scope, sc, hidden, len(gaps), change_notes),
        "Sources": sources,
        "Terms": pd.DataFrame(dictionary.TERMS, columns=["term", "meaning"]),
        "Summary": summary,
        "Agreement": square,
        "Pairs": pairs,
        "Matrix": matrix,
        "Gaps": gaps,
        "Notes": notes,
        "Texts": texts,
    }
    if measures is not None:
        frames["Measures"] = _measures(measures, scope, sc, analysis)
    frames["Crosswalk"] = _crosswalk(sc)
    if len(changes):
        frames["Changes"] = changes
    if parties is not None:
        frames.update(note_tables.party_frames(parties, root))
    frames["Dictionary"] = _dictionary(frames, sc.sources)
    return frames


# -- per code: heading, reasons for control, Wassenaar marks ------------------------------------


class _CodeExtras:
    """What a row shows beside its text: the entry's heading, the reasons for control a list
    states for the entry (the US CCL's), and the Wassenaar Sensitive / Very Sensitive marks."""

    def __init__(self, analysis: core.Analysis) -> None:
        frame = analysis.frame
        to_source = {lst: s.id for s in analysis.specs for lst in s.lists}
        jurisdiction = {s.id: s.jurisdiction for s in analysis.specs}
        entries = frame[(frame["kind"] == "entry") & frame["source_id"].isin(list(to_source))]
        sources = entries["source_id"].map(to_source).tolist()
        codes = entries["canonical"].astype(str).tolist()
        self.headings: dict[tuple[str, str], str] = dict(zip(
            zip(sources, codes, strict=True), entries["text"].astype(str).tolist(), strict=True))
        with_reasons = entries["reasons"].astype(str) != ""
        self.reasons: dict[str, dict[str, str]] = {}
        for source, code, reasons in zip(entries.loc[with_reasons, "source_id"].map(to_source),
                                         entries.loc[with_reasons, "canonical"].astype(str),
                                         entries.loc[with_reasons, "reasons"].astype(str),
                                         strict=True):
            self.reasons.setdefault(str(source), {})[code] = reasons
        self.reasons_prefix = {s: jurisdiction.get(s, s) for s in self.reasons}
        # A list's own entry code under a reviewed mapping (US 4A906 aligned as 4A506).
        mapped = analysis.aligned[analysis.aligned["mapped_from"] != ""]
        self.own_entry: dict[tuple[str, str], str] = {
            (str(s), str(c).split(".")[0]): str(m).split(".")[0]
            for s, c, m in zip(mapped["source"], mapped["canonical"], mapped["mapped_from"],
                               strict=True)}
        wa = [lst for s in analysis.specs if s.jurisdiction == "WA" for lst in s.lists]
        marked = frame[frame["source_id"].isin(wa) & frame["kind"].isin(["entry", "paragraph"])
                       & (frame["sensitivity"].astype(str) != "")]
        self.marks = dict(zip(marked["canonical"].astype(str),
                              marked["sensitivity"].astype(str).map(_MARKS), strict=True))

    def heading(self, code: str, reference: str, source: str) -> str:
        """The heading of the code's entry in the list giving its reference wording (so every
        list's row of a code shows the same heading), else in the row's own list."""
        if "." not in code:
            return ""  # an entry's own text is its heading
        entry = code.split(".")[0]
        text = (self.headings.get((reference, self.own_entry.get((reference, entry), entry)))
                or self.headings.get((source, self.own_entry.get((source, entry), entry)))
                or "")
        return _shorten(text, HEADING_CHARS)

    def reasons_for(self, code: str) -> str:
        entry = code.split(".")[0]
        parts = []
        for source, by_entry in self.reasons.items():
            found = by_entry.get(self.own_entry.get((source, entry), entry))
            if found:
                parts.append(f"{self.reasons_prefix[source]}: {found}")
        return "; ".join(parts)

    def mark(self, code: str) -> str:
        return self.marks.get(code, "")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut_at = text.rfind(" ", 0, limit - 2)
    return text[: cut_at if cut_at > limit // 2 else limit - 2] + " …"


# -- tables -------------------------------------------------------------------------------------


def _lens_labels(ids: pd.Series, scope_lens: str | None) -> str:
    """The most specific lenses tagging a code (a parent goes when a sub-lens is named),
    named below the export's lens ("intrusion" for "surveillance.intrusion")."""
    tagged = set(map(str, ids))
    kept = sorted(x for x in tagged if not any(y.startswith(x + ".") for y in tagged))
    if scope_lens:
        kept = [x.removeprefix(scope_lens + ".") for x in kept]
    return "; ".join(kept)


def _matrix(sc: Scoped, extras: _CodeExtras, natural_order: Any,
            scope_lens: str | None) -> pd.DataFrame:
    aligned = sc.aligned
    per_code = aligned.drop_duplicates("canonical").set_index("canonical")
    lens_of = sc.tags.groupby("canonical")["lens"].agg(lambda s: _lens_labels(s, scope_lens))
    status = aligned.pivot(index="canonical", columns="source", values="status").reindex(
        columns=sc.sources)
    codes = pd.Series(status.index.astype(str), index=status.index)
    status = status.iloc[natural_order(codes).argsort().to_numpy()]
    index = status.index
    table = pd.DataFrame({
        "code": index.astype(str),
        "origin": per_code["origin"].reindex(index).to_numpy(),
        "Wassenaar mark": [extras.mark(c) for c in index],
        "reasons for control": [extras.reasons_for(c) for c in index],
        "lenses": lens_of.reindex(index).fillna("").to_numpy(),
    })
    for source in sc.sources:
        table[source] = status[source].fillna("").to_numpy()
    table["kind"] = per_code["kind"].reindex(index).to_numpy()  # for filters, not for paper
    return table.reset_index(drop=True)


def _gaps(analysis: core.Analysis, scope: ExportScope, sc: Scoped, extras: _CodeExtras,
          main_list: dict[str, str], records: dict[str, dict[str, Any]],
          facts: provenance.SourceFacts, views: Any,
          findings: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    # Note differences include cells whose paragraph agrees: not among the divergences.
    rows = (sc.aligned if scope.note_differences_only
            else core.gaps(analysis, lens=scope.lens, sources=sc.sources))
    rows = rows[in_prefixes(rows["canonical"], scope.codes)]
    only = scope.note_differences_only
    chosen = views.select_gaps(rows, statuses=scope.statuses, origins=scope.origins,
                               query=scope.query, hide_national_absent=scope.hide_national_absent,
                               notes_only=only)
    hidden = 0
    if scope.hide_national_absent:
        hidden = len(views.select_gaps(rows, statuses=scope.statuses, origins=scope.origins,
                                       query=scope.query, notes_only=only)) - len(chosen)
    note_words, note_differences = note_tables.note_columns(chosen, findings)
    links = provenance.list_links(analysis.manifest, facts)
    as_of = bool(analysis.manifest.get("as_of"))
    version = {s: str(records[lst]["version"]) for s, lst in main_list.items()}
    code, source, ref_source = (chosen[c].astype(str).tolist()
                                for c in ("canonical", "source", "reference_source"))
    location = chosen["location"].tolist()
    link = [provenance.row_link(links.get(main_list[s]), loc, as_of)
            for s, loc in zip(source, location, strict=True)]
    table = pd.DataFrame({
        "code": code,
        "list": source,
        "status": chosen["status"].astype(str).to_numpy(),
        "item heading": [extras.heading(c, r, s)
                         for s, c, r in zip(source, code, ref_source, strict=True)],
        "text": chosen["text"].fillna("").astype(str).to_numpy(),
        "reference wording": [("" if r == s else str(t) if isinstance(t, str) else "")
                              for r, s, t in zip(ref_source, source, chosen["ref_text"],
                                                 strict=True)],
        "parameters": chosen["parameters"].fillna("").astype(str).to_numpy(),
        "notes": note_words,
        "note differences": note_differences,
        # On paper up to here; the rest are for filtering and citing.
        "reference list": ref_source,
        "jurisdiction": chosen["jurisdiction"].astype(str).to_numpy(),
        "origin": chosen["origin"].astype(str).to_numpy(),
        "list version": [version.get(s, "") for s in source],
        "reasons for control": [extras.reasons_for(c) for c in code],
        "Wassenaar mark": [extras.mark(c) for c in code],
        "mapped from": chosen["mapped_from"].fillna("").astype(str).to_numpy(),
        "citation": chosen["citation"].fillna("").astype(str).to_numpy(),
        "place in the file read": [str(x) if isinstance(x, str) else "" for x in location],
        "link": [x.url if x else "" for x in link],
    })
    return table, hidden


def _texts(sc: Scoped, order: pd.Series) -> pd.DataFrame:
    aligned = sc.aligned
    texts = aligned.pivot(index="canonical", columns="source", values="text").reindex(
        index=order.tolist(), columns=sc.sources)
    ref = aligned.drop_duplicates("canonical").set_index("canonical").reindex(order.tolist())
    table = pd.DataFrame({
        "code": order.tolist(),
        "reference list": ref["reference_source"].fillna("").astype(str).to_numpy(),
        "reference wording": ref["ref_text"].fillna("").astype(str).to_numpy(),
    })
    for source in sc.sources:
        table[source] = texts[source].fillna("").astype(str).to_numpy()
    return table


def _share(same: int, comparable: int) -> float | str:
    return round(same / comparable, 4) if comparable else dictionary.NOT_COMPARABLE


def _summary(sc: Scoped, reference: str) -> pd.DataFrame:
    """Per lens (and the whole scope) and list: counts by status, same, comparable, share."""
    every = pd.DataFrame({"lens": ALL_CODES, "canonical": sc.codes})
    tags = pd.concat([every, sc.tags[["lens", "canonical"]]], ignore_index=True)
    counts = scores.lens_scores(sc.aligned, tags, reference)
    lens_names = {ALL_CODES: "All codes in this export", **{x.id: _lens_name(x)
                                                            for x in sc.lenses}}
    order = {lens: i for i, lens in enumerate(lens_names)}
    where = {s: i for i, s in enumerate(sc.sources)}
    counts = counts.assign(_l=counts["lens"].map(order), _s=counts["source"].map(where))
    counts = counts.sort_values(["_l", "_s"]).reset_index(drop=True)
    jurisdiction = sc.aligned.drop_duplicates("source").set_index("source")["jurisdiction"]
    table = pd.DataFrame({
        "lens name": counts["lens"].map(lens_names),
        "lens": counts["lens"].where(counts["lens"] != ALL_CODES, ""),
        "list": counts["source"],
        "jurisdiction": counts["source"].map(jurisdiction),
    })
    for status in STATUSES:
        table[status.replace("-", " ")] = counts[status.replace("-", "_")].astype(int)
    table["total"] = counts["total"].astype(int)
    # what each share stands on: codes a copy speaks on and at least two lists hold
    table["comparable"] = counts["comparable"].astype(int)
    table["same"] = table["identical"] + table["editorial"]
    # Of those: the codes whose notes differ from the reference text's (note_compare).
    table["same, notes differ"] = counts["note_changed"].astype(int)
    table["share same"] = [_share(s, c) for s, c in zip(table["same"], table["comparable"],
                                                         strict=True)]
    # On paper up to "share same"; the ids after it are for filtering.
    return table[["lens name", "list", *_COUNTS, "total", "comparable", "same",
                  "same, notes differ", "share same", "lens", "jurisdiction"]]


def _lens_name(lens: Lens) -> str:
    return ("↳ " if lens.parent else "") + lens.name


def _agreement(sc: Scoped, decimal_comma: dict[str, bool]) -> tuple[pd.DataFrame, pd.DataFrame]:
    pairs = (scores.pairwise_agreement(sc.aligned, decimal_comma) if len(sc.aligned) else
             pd.DataFrame(columns=["a", "b", "agreement", "agree", "both_hold", "considered"]))
    square = scores.agreement_square(pairs, sc.sources).astype(object)
    square = square.where(square.notna(), dictionary.NOT_COMPARABLE)
    square = square.rename_axis("list").reset_index()
    square.columns.name = None
    table = pd.DataFrame({
        "list a": pairs["a"].astype(str), "list b": pairs["b"].astype(str),
        "agreement": [dictionary.NOT_COMPARABLE if a is None or pd.isna(a) else float(a)
                      for a in pairs["agreement"]],
        "agree": pairs["agree"].astype(int), "both hold": pairs["both_hold"].astype(int),
        "considered": pairs["considered"].astype(int),
    })
    return table, square


def _roles(analysis: core.Analysis, sc: Scoped, main_list: dict[str, str]) -> dict[str, str]:
    roles = {main_list[s]: "compared" for s in sc.sources}
    if analysis.reference in main_list:
        ref = main_list[analysis.reference]
        roles[ref] = "compared and reference" if ref in roles else "reference"
    used = set(sc.aligned["reference_source"].dropna()) - {analysis.reference}
    for source in sorted(used):  # the fallback reference wording comes from these lists
        lst = main_list.get(str(source))
        if lst and lst not in roles:
            roles[lst] = "fallback reference wording"
    return roles


def _measures(measures: pd.DataFrame, scope: ExportScope, sc: Scoped,
              analysis: core.Analysis) -> pd.DataFrame:
    """Measures of the scope's lenses, jurisdictions (and multilateral ones) and codes."""
    table = measures.reset_index(drop=True)
    if scope.lens and "lenses" in table:
        wanted = {x.id for x in sc.lenses}
        table = table[table["lenses"].astype(str).str.split(r";\s*").map(
            lambda ids: bool(wanted & set(ids)))]
    if scope.sources and "jurisdiction" in table:
        places = {s.jurisdiction for s in analysis.specs if s.id in sc.sources} | {"multilateral"}
        table = table[table["jurisdiction"].isin(places)]
    if scope.codes and "codes" in table:
        def touches(value: Any) -> bool:
            codes = [c for c in str(value).replace(";", " ").split() if c]
            return any(c == p or c.startswith(p + ".") or p.startswith(c + ".")
                       for c in codes for p in scope.codes)
        table = table[table["codes"].map(touches)]
    first = [c for c in MEASURES_ON_PAPER if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]].reset_index(drop=True)


def _crosswalk(sc: Scoped) -> pd.DataFrame:
    mappings = load_crosswalk()
    codes = pd.Series(sc.codes, dtype=object)
    keep = [str(m.source) in sc.sources
            and bool(in_prefixes(codes, (str(m.maps_to),)).any()) if len(codes) else False
            for m in mappings.itertuples()]
    chosen = mappings[keep] if len(mappings) else mappings
    return pd.DataFrame({
        "list": chosen["source"].astype(str).to_numpy(),
        "code in that list": chosen["code"].astype(str).to_numpy(),
        "same control as": chosen["maps_to"].astype(str).to_numpy(),
        "why": chosen["reason"].astype(str).to_numpy(),
        "reviewed": chosen["reviewed"].astype(str).to_numpy(),
    })


def _scope_frame(analysis: core.Analysis, scope: ExportScope, sc: Scoped, hidden: int,
                 gap_rows: int, change_notes: list[str]) -> pd.DataFrame:
    """The scope in words: the Cover's lines and each CSV zip's README."""
    specs = {s.id: s for s in analysis.specs}
    lists = ", ".join(f"{specs[s].jurisdiction} · {s}" for s in sc.sources)
    if scope.lens:
        top = analysis.book.by_id()[scope.lens]
        subs = [x.name for x in sc.lenses if x.id != scope.lens]
        lens = f"{top.name} ({top.id})" + (f", with its sub-lenses: {'; '.join(subs)}"
                                           if subs else "")
    else:
        lens = "none: every code of the lists chosen"
    ref = analysis.reference
    if ref in specs:
        record = next(lst for src in analysis.manifest["sources"].values()
                      for lst in src["lists"] if lst["id"] == specs[ref].lists[0])
        reference = f"{ref}: {record['list_name']}, version of {record['version']}"
        if ref not in sc.sources:
            reference += (" (not among the jurisdictions chosen: its wording stands beside "
                          "each gap)")
    else:
        reference = (f"{ref} is not loaded: each code is compared with the wording most lists "
                     "share (the fallback reference; About: reference wording)")
    as_of = analysis.manifest.get("as_of")
    filters = [f"divergences: {', '.join(scope.statuses) or 'all'}",
               f"origins: {', '.join(scope.origins) or 'all'}"]
    if scope.query:
        filters.append(f"code or words: {scope.query}")
    absences = (f"absences of national codes hidden ({hidden} row(s) left out: a code only one "
                "list holds is absent from every other list by definition; its 'national' row "
                "says so)" if scope.hide_national_absent else "absences of national codes shown")
    rows = [
        ("Title", _title(scope, analysis)),
        ("Lens", lens),
        ("Jurisdictions", (lists if scope.sources else f"all loaded: {lists}")),
        ("Reference list", reference),
        ("Lists as of", f"{as_of}: each list as its latest kept version dated on or before it"
         if as_of else "the lists as last imported (their versions: About)"),
        ("Codes", ", ".join(scope.codes) + " and the paragraphs below" if scope.codes
         else "every code of the lens" if scope.lens else "every code"),
        ("Gaps rows", f"{gap_rows}: " + "; ".join(
            [*filters, absences] + (["only the rows whose notes differ from the reference "
                                     "text's"] if scope.note_differences_only else []))),
        ("Changes since the previous kept version",
         "; ".join(change_notes) or "no earlier version kept for the lists in scope"),
        ("Made (UTC)", scope.generated_at),
        ("Made by", f"{TOOL} (harmonize {__version__})"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def _title(scope: ExportScope, analysis: core.Analysis) -> str:
    lens = (analysis.book.by_id()[scope.lens].name if scope.lens
            else ", ".join(scope.codes) if scope.codes else "All codes")
    where = ", ".join(scope.sources) if scope.sources else "all lists loaded"
    return f"Export control lists compared: {lens} — {where}"


def title_of(frames: dict[str, pd.DataFrame]) -> str:
    scope = frames.get("Scope")
    if scope is not None and len(scope) and scope.iloc[0]["item"] == "Title":
        return str(scope.iloc[0]["value"])
    return "Export control lists compared"


_SHEET_TABLES = {"About": ("Sources", "Terms"), "Summary": ("Summary",),
                 "Agreement": ("Agreement", "Pairs"), "Matrix": ("Matrix",), "Gaps": ("Gaps",),
                 "Notes": ("Notes",), "Texts": ("Texts",), "Measures": ("Measures",),
                 "Crosswalk": ("Crosswalk",), "Changes": ("Changes",),
                 "Parties": ("Party lists", "Parties")}


def _dictionary(frames: dict[str, pd.DataFrame], list_ids: list[str]) -> pd.DataFrame:
    sheets = []
    for sheet, names in _SHEET_TABLES.items():
        columns: list[str] = []
        for name in names:
            if name in frames:
                columns += [str(c) for c in frames[name].columns if str(c) not in columns]
        if columns:
            sheets.append((sheet, columns))
    sheets.append(("Dictionary", ["sheet", "column or value", "meaning"]))
    sheets.append(("Long texts", ["sheet", "cell", "part", "text"]))
    return dictionary.dictionary_frame(sheets, list_ids)
