"""EU dual-use list: Regulation (EU) 2021/821, Annex I (and Annex IV), consolidated text.

Two formats, one pipeline:

- PRIMARY, the EUR-Lex consolidated HTML (`CELEX:02021R0821-YYYYMMDD`). `read_html` turns the
  document into the same line stream the derived markdown holds: annex titles
  (`p.title-annex-*`) become `## ANNEX I`, other titles (`p.title-gr-seq-level-*`,
  `p.title-division-*`) `#### ...` headings; a point (`div.grid-container.grid-list`, marker in
  `.grid-list-column-1`, content in `.grid-list-column-2`) becomes `marker text`, indented three
  spaces per enclosing point; `span.italics`/`em` become `*...*` (EUR-Lex sets notes in
  italics), `span.boldface` `**...**`, superscripts `<sup>...</sup>`; a two-cell table row whose
  first cell is a point marker or an entry code is a point in a layout table (no border, no
  `p.tbl-*` cells), any other row `| a | b |`; a title that starts with an entry code, and a
  bold code, are read as an entry heading. Amendment arrows (`p.modref`, `►M5`), footnotes
  and the document header tables are left out. The version is the consolidation date: the
  text's own header line (`02021R0821 — EN — 21.09.2026 — ...`), else the CELEX
  `02021R0821-YYYYMMDD` in the document or its file name.
  The structure was learnt from public EUR-Lex parsers (the consolidated-text classes listed in
  legalize-dev/legalize-pipeline `fetcher/eu/parser.py`, the converter that made the derived
  markdown below); no real EUR-Lex HTML was available here, so the HTML test fixture is
  hand-made in that structure.
- The DERIVED markdown of the same text (legalize-eu `32021R0821.md`), read line by line:
  entry headings are the code glued to the heading (`5A001Telecommunications ...`), points
  `a.` / `1.` indented three spaces per level, notes in italics (`*Note 1:*`, `*N.B.*`).

From the line stream (`annex_i_stream`):

- the Annex I text before the first entry (general notes, acronyms, definitions) and every
  category preface (from a heading to the next entry) are reported as unplaced; so are
  "None." lines (empty product groups whose group heading this copy lacks), note blocks that
  sit at the end of an entry, name a different code and precede the next product group (group
  or part prefaces, e.g. the Cryptography Note before 5A002), and blocks that cannot belong to
  the entry they follow (the Deposition Techniques table of 2E003.f, the APP technical note at
  the end of Category 4): their headings are absent in the derived copy;
- points are placed by their indentation. EU 500-series entries reproduce the numbering of the
  Wassenaar entry they extend, with gaps (`3A501.a.15` is the first point of 3A501.a,
  `2E503.g` the only point of 2E503): the shared segmenter takes them by its 500-series rule
  (`harmonize.ingest.labels.is_500_series`); a label of the wrong type for its level (digits
  under a digit, 0B004.b.10.1) is fed as the label it stands for and the printed code is put
  back afterwards (every point is checked to land where its indentation puts it, or the parse
  fails: a gap outside the 500-series fails it too);
- a note attaches to the deepest point whose indentation is left of the note's marker (the
  derived copy indents a note one level right of what it annotates, like that point's own
  sub-points); a note block (marker and its italic lines, with the note's own a./b. list) is
  one row. Italic text with no marker (lost in the derived copy) is a note all the same.

Superscripts are written as printed, in Unicode superscript characters (`10<sup>9</sup>` ->
`10⁹`, `10<sup>-7</sup>` -> `10⁻⁷`, `cm<sup>3</sup>` -> `cm³`, `(<sup>10</sup>B)` -> `(¹⁰B)`),
the representation every loader shares (harmonize.ingest.glyphs).

Annex IV (items needing a licence even within the Union) is its own list (`eu-annex-iv`): one
row per table row; its codes are references to Annex I items at any depth (`6A001.a.1.b.`),
so every row is an entry-kind row (depth 0) whose canonical code is the Annex I code it names
and whose `entry` is that code's entry. A code listed in both parts (1E201, 3E201) is one row
whose text gives both, marked by part. The text around the tables (the Category 0 rule with
its exceptions, the MTCR exemption) is reported, not expanded into rows.

Nothing here is national: every Annex I code is EU-level, 500-series codes included.
"""

from __future__ import annotations

from pathlib import Path

from harmonize.ingest.segmenter import segment
from harmonize.ingest.source import LoaderError, ParsedList, finish
from harmonize.model import ListRow, SourceInfo
from loaders.eu_annex_i.annex_iv import parse_annex_iv
from loaders.eu_annex_i.dialect import (
    STYLE,
    RawDocument,
    annex_region,
    consolidated_url,
    count_headings,
    read_markdown,
)
from loaders.eu_annex_i.eurlex_html import read_html
from loaders.eu_annex_i.meta import META
from loaders.eu_annex_i.outline import Stream, annex_i_stream

# -- Annex I: segment and restore the printed codes --------------------------------------------


def restore_codes(rows: list[ListRow], stream: Stream, path: Path) -> list[ListRow]:
    """Check every point landed where its indentation puts it; put the printed codes back and
    attach notes by indentation."""
    placed: dict[str, list[str]] = {}
    for row in rows:
        if row.kind == "paragraph":
            placed.setdefault(row.location, []).append(row.canonical)
    for location, fed, printed in stream.points:
        if fed not in placed.get(location, []):
            got = ", ".join(placed.get(location, [])) or "no paragraph"
            raise LoaderError(path, location, f"point {printed} was placed as {got}: the "
                              "indentation and the label sequence disagree")
    for row in rows:
        if row.kind == "paragraph":
            printed = stream.printed_code[row.canonical]
            row.parent = stream.printed_code.get(row.parent, row.parent)
            row.canonical = row.code = printed
        elif row.kind != "entry" and row.location in stream.note_attach:
            target, depth, marker = stream.note_attach[row.location]
            row.canonical = row.parent = row.code = target
            row.depth = depth
            if marker:
                row.details = {"marker": marker}
        elif row.kind != "entry":  # a plain "Note: ..." line the segmenter took as a note
            row.canonical = row.parent = row.code = stream.printed_code.get(row.canonical,
                                                                             row.canonical)
    return rows


def parse_annex_i(path: Path, raw: RawDocument, check_counts: bool = True) -> ParsedList:
    region = annex_region(raw.lines, "I", path)
    stream = annex_i_stream(region, path)
    seg = segment(stream.lines, STYLE)
    rows = restore_codes(seg.rows, stream, path)
    unplaced = [*stream.unplaced, *seg.unplaced]
    reasons: dict[str, int] = {}
    for item in unplaced:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    notes = [f"unplaced lines: {count} x {reason}" for reason, count in sorted(reasons.items())]
    if stream.gaps:
        notes.append(f"{len(stream.gaps)} point(s) continue a numbering with gaps, kept as "
                     f"printed: {', '.join(stream.gaps)}")
    if stream.regrouped:
        notes.append("point(s) printed at another point's indentation, placed by label: "
                     f"{', '.join(stream.regrouped)}")
    if stream.undotted:
        notes.append(f"point label(s) printed without a dot: {', '.join(stream.undotted)}")
    if stream.unmarked_notes:
        notes.append(f"{stream.unmarked_notes} note(s) printed in italics without a marker "
                     "(kept as notes)")
    info = SourceInfo(META.source_id, META.jurisdiction, META.list_name, raw.version,
                      META.citation, consolidated_url(raw.version))
    return finish(path, META, info, rows, count_headings(region, path), unplaced, notes,
                  check_counts=check_counts, lines=seg.lines)


# -- entry points -------------------------------------------------------------------------------


def extract_lines(path: Path) -> RawDocument:
    """The format layer: HTML (.html/.htm/.xhtml) or the derived markdown (.md)."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return read_html(path)
    if suffix in (".md", ".markdown"):
        return read_markdown(path)
    raise LoaderError(path, "file name",
                      f"suffix {suffix!r}: expected EUR-Lex HTML (.html) or the derived .md")


def parse_file(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Annex I and Annex IV of one file; `check_counts=False` for small hand-made fixtures."""
    raw = extract_lines(path)
    return [parse_annex_i(path, raw, check_counts), parse_annex_iv(path, raw, check_counts)]


def parse(path: Path) -> list[ParsedList]:
    """Read one raw file: the EUR-Lex consolidated HTML or the derived markdown."""
    return parse_file(path)
