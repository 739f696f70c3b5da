"""Notes as the pages and the workbook show them: for each code and list, how the list's notes
stand against the notes of the code's reference text, in words, with both texts and where
each is printed.

Built on the notes table of `harmonize.compare.note_compare` (one row per governed code, note
group and compared source, each status against the group's note of reference) and on the
aligned cells (a list's notes matter only where it holds the code). Per note and list, a
finding:

- `changed`: both print the note and it differs in substance (the reason says how);
- `missing`: the reference text prints the note, this list does not;
- `only here`: this list prints a note the reference list, holding the code, does not
  ("not in the reference" on screen: other lists may print it too);
- `editorial` / `identical`: the same note up to editorial details / word for word;
- `cross-reference`: a pointer ("SEE ALSO 6A102.", `note_match`) one list prints and the
  reference text does not, or the other way round, or pointing elsewhere: shown (the reason
  says which), never counted as a note difference.

A note the list hangs on another code of the entry than the reference text does (a parent or
a child: `note_compare`'s `placed`) is judged like any note; its reason says where it is
printed ("printed at 6D003.a.5").

A cell's note status is its worst finding (`FINDINGS` order). `changed`, `missing` and
`only here` are the cells `note_compare.note_status` marks `changed`: what the scores count as
`note_changed`. Where the reference list is silent on a code (its copy has no text there),
a list's note is compared with the first other list printing it (`against`).

Lists compared with each other (A versus B, the workbook's Agreement): `signatures` says what
a list's notes on a code say, note by note, and `notes_differ` compares two of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from harmonize.compare.note_match import CROSS_REFERENCE
from harmonize.model import NOTE_KINDS

# Worst first: a cell's note status is the first of these among its notes' findings. A
# cross-reference ("SEE ALSO 6A102.") printed by one list only, or pointing elsewhere, is
# shown as `cross-reference`, never as a note difference (note_compare.note_status).
FINDINGS = ("changed", "missing", "only here", "cross-reference", "editorial", "identical")
DIFFERING = ("changed", "missing", "only here")
HELD = ("identical", "editorial", "substantive", "national")
PRINTED = ("identical", "editorial", "substantive")
KIND_WORDS = {"note": "Note", "technical-note": "Technical Note", "nb": "N.B.",
              CROSS_REFERENCE: "Cross-reference"}
FINDING_COLUMNS = ["canonical", "note", "label", "source", "finding", "reason", "text",
                   "against", "against_text", "against_version", "placed", "printed",
                   "against_printed"]


FINDING_WORDS = {"only here": "not in the reference"}


def finding_word(finding: str) -> str:
    """A finding in words ('only here': printed by this list, not by the reference list)."""
    return FINDING_WORDS.get(finding, finding)


def note_label(key: str, kind: str) -> str:
    """'5A002.a/note/2' -> 'Note 2' (the kind as printed, the ordinal of the list of
    reference); the governed code is said by the page around it."""
    ordinal = str(key).rsplit("/", 1)[-1]
    word = KIND_WORDS.get(str(kind), str(kind).replace("-", " ").title())
    return f"{word} {ordinal}" if ordinal.isdigit() else word


def note_findings(notes: pd.DataFrame, aligned: pd.DataFrame,
                  codes: set[str] | None = None) -> pd.DataFrame:
    """One row per (code, note, list) the list's notes are judged on (`FINDING_COLUMNS`), the
    codes' reference sources left out (their notes are the reference); `codes` limits the work
    to some codes (a page shows a few hundred rows at a time)."""
    if codes is not None:
        notes = notes[notes["canonical"].isin(codes)]
        aligned = aligned[aligned["canonical"].isin(codes)]
    if notes.empty or aligned.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    # Plain lists: iterating Arrow-backed columns item by item is slow.
    codes_, sources_ = aligned["canonical"].tolist(), aligned["source"].tolist()
    reference_of = dict(zip(codes_, aligned["reference_source"].tolist(), strict=True))
    status_of = dict(zip(zip(codes_, sources_, strict=True), aligned["status"].tolist(),
                         strict=True))
    if "placed" not in notes:  # an analysis cached before notes were matched across levels
        notes = notes.assign(placed="")
    columns = ("canonical", "note", "key", "kind", "source", "status", "reason", "detail",
               "text", "against", "against_version", "placed", "printed")
    # Plain tuples grouped by (code, note): a pandas groupby of ~2,000 small groups took 0.85 s.
    ordered = notes.sort_values(["canonical", "note"], kind="stable")
    rows = zip(*(ordered[c].tolist() for c in columns), strict=True)
    records = []
    for (code, number), members in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        group = list(members)
        _, _, key, kind, _, _, _, _, _, against, against_version, _, _ = group[0]
        against_text, against_printed = next(
            ((str(m[8] or ""), str(m[12] or "")) for m in group if m[4] == against), ("", ""))
        reference = reference_of.get(code, "")
        in_reference = next((str(m[5]) for m in group if m[4] == reference), "absent")
        reference_holds = status_of.get((code, reference)) in HELD
        label = note_label(str(key), str(kind))
        for *_, source, status, reason, detail, text, _, _, placed, printed in group:
            if source == reference or status_of.get((code, source)) not in HELD:
                continue
            finding = _finding(str(status), in_reference, reference_holds)
            if not finding:
                continue
            why = f"{reason}: {detail}" if reason and detail else str(reason or "")
            why = why if finding == "changed" else ""
            theirs, theirs_printed = (("", "") if finding == "only here"
                                      else (against_text, against_printed))
            if kind == CROSS_REFERENCE and finding in DIFFERING:
                # A pointer printed by one list only, or pointing elsewhere: said, not counted.
                why = finding_word(finding) + (f" ({why})" if why else "")
                finding = CROSS_REFERENCE
            if placed:  # the same note hung on another code of the entry: a where, not a what
                why = "; ".join(w for w in (why, f"printed at {placed}") if w)
            records.append((code, int(number), label, source, finding, why,
                            str(text or ""), against, theirs, str(against_version),
                            str(placed or ""), str(printed or ""), theirs_printed))
    return pd.DataFrame(records, columns=FINDING_COLUMNS)


def _finding(status: str, in_reference: str, reference_holds: bool) -> str:
    """One list's note against the reference text's (see the module doc); '' when there is
    nothing to say (neither prints it, or a copy is silent)."""
    if status == "absent":
        return "missing" if in_reference in PRINTED else ""
    if status not in PRINTED:
        return ""  # this list's copy is silent on the code
    if in_reference == "absent" and reference_holds:
        return "only here"
    return "changed" if status == "substantive" else status


@dataclass(frozen=True)
class CellNotes:
    """How one list's notes on one code stand against the reference text's."""

    status: str  # the worst finding
    counts: tuple[tuple[str, int], ...]  # (finding, how many notes), worst first

    def words(self) -> str:
        """'changed (1), identical (2)'."""
        return ", ".join(f"{finding_word(f)} ({n})" for f, n in self.counts)


def cell_notes(findings: pd.DataFrame) -> dict[tuple[str, str], CellNotes]:
    """(code, list) -> its CellNotes, for every cell with at least one finding."""
    tallies: dict[tuple[str, str], dict[str, int]] = {}
    for code, source, finding in zip(findings["canonical"].tolist(),
                                     findings["source"].tolist(),
                                     findings["finding"].tolist(), strict=True):
        found = tallies.setdefault((str(code), str(source)), {})
        found[str(finding)] = found.get(str(finding), 0) + 1
    out = {}
    for cell, found in tallies.items():
        counts = tuple((f, found[f]) for f in FINDINGS if f in found)
        out[cell] = CellNotes(counts[0][0], counts)
    return out


def differences(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings that are differences (changed, missing, only here)."""
    return findings[findings["finding"].isin(DIFFERING)]


def cell_summary(findings: pd.DataFrame, differing_only: bool = True
                 ) -> dict[tuple[str, str], str]:
    """(code, list) -> its notes' differences in one line ("Note 2 changed (parameter
    changed: 10 GHz -> 12 GHz); N.B. 1 missing"), for tables."""
    rows = differences(findings) if differing_only else findings
    out: dict[tuple[str, str], list[str]] = {}
    for code, source, label, finding, reason in zip(
            rows["canonical"], rows["source"], rows["label"], rows["finding"], rows["reason"],
            strict=True):
        out.setdefault((str(code), str(source)), []).append(
            f"{label} {finding_word(str(finding))}" + (f" ({reason})" if reason else ""))
    return {cell: "; ".join(parts) for cell, parts in out.items()}


def differing_cells(aligned: pd.DataFrame) -> pd.DataFrame:
    """The cells whose notes differ from the reference text's (`note_status` changed), of
    any paragraph status: a decontrol note can differ where the paragraphs agree."""
    if "note_status" not in aligned:
        return aligned.iloc[0:0]
    return aligned[aligned["note_status"] == "changed"]


@dataclass(frozen=True)
class Printed:
    """Where a note text is printed: its list's citation, place in the file and version."""

    citation: str
    location: str
    version: str


def where_printed(frame: pd.DataFrame, findings: pd.DataFrame,
                  list_of: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], Printed]:
    """(source, note text) -> where that list prints it, for the texts of `findings` (the
    list's own note rows; texts are matched as stored, stripped). A text compared as one part
    of a note (`printed`: the whole note) is found where the whole note is printed."""
    if findings.empty:
        return {}
    wanted = set(findings["source"]) | set(findings["against"])
    lists = {lst: s for s in wanted for lst in list_of.get(str(s), [str(s)])}
    whole_of: dict[tuple[str, str], str] = {}
    for side in (("source", "text", "printed"), ("against", "against_text", "against_printed")):
        for source, text, printed in zip(*(findings[c].fillna("") for c in side), strict=True):
            if text:
                whole_of[(str(source), str(text))] = str(printed or text)
    rows = frame[frame["kind"].isin(NOTE_KINDS) & frame["source_id"].isin(list(lists))]
    # By text, not by code: the notes table names codes after reviewed mappings.
    rows = rows[rows["text"].fillna("").str.strip().isin(set(whole_of.values()))]
    found: dict[tuple[str, str], Printed] = {}
    for lst, text, citation, location, version in zip(*(rows[c].tolist() for c in (
            "source_id", "text", "citation", "location", "version")), strict=True):
        key = (lists[str(lst)], str(text or "").strip())
        found.setdefault(key, Printed(str(citation or ""), str(location or ""),
                                      str(version or "")))
    return {key: found[(key[0], whole)] for key, whole in whole_of.items()
            if (key[0], whole) in found}


def signatures(notes: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...] | None]:
    """(code, list) -> what its notes say, note by note ('' not printed, '=' the same as the
    note of reference up to editorial details, else the text); None where the copy is
    silent."""
    out: dict[tuple[str, str], list[str] | None] = {}
    if "kind" in notes:  # pointers are shown, not compared (note_match)
        notes = notes[notes["kind"] != CROSS_REFERENCE]
    ordered = notes.sort_values(["canonical", "note"], kind="stable")
    for code, source, status, text in zip(*(ordered[c].tolist() for c in (
            "canonical", "source", "status", "text")), strict=True):
        key = (str(code), str(source))
        known = out.setdefault(key, [])
        if known is None:
            continue
        if status == "not-detailed":
            out[key] = None
        elif status == "absent":
            known.append("")
        elif status in ("identical", "editorial"):
            known.append("=")
        else:
            known.append(" ".join(str(text).split()).lower())
    return {k: tuple(v) if v is not None else None for k, v in out.items()}


def notes_differ(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> bool:
    """Two lists' notes on a code differ; not where either is silent or no list prints a
    note on the code (no signature)."""
    return a is not None and b is not None and a != b
