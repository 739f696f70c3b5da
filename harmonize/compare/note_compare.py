"""Notes compared across lists like paragraphs: decontrol notes change what is controlled.

Every note row carries the code it governs (`canonical`) and `details.note_key`
(`harmonize.ingest.notes`). Ordinals differ between lists (one prints Note 1 and Note 2,
another only Note 2), so notes are matched by text, not by key:

- `compare_notes(frame, aligned, specs, crosswalk)`: per governed code, the notes of its
  lists are matched one-to-one by text (editorial identity first, then a similarity of their
  editorial key words of at least `MATCH_SCORE`, the same kind preferred), the sources taken in
  the order of the code's reference text (the reference list, or the fallback the crosswalk
  names, then complete before partial copies, newest first). A matched group's text of
  reference is its note in the first source of that order holding it (`against`). One row per
  (code, note group, compared source): `identical` / `editorial` / `substantive` (with reason,
  detail and parameters from `verdicts.compare`), `absent` where the list lacks that note (or
  the code), `not-detailed` where its copy is silent on the code.
- Notes are compared in the parts other lists print apart (`note_match.note_parts`): a
  pointer line run into a note, and each item of a numbered note ("1. ... 2. ..."); a part
  keeps the whole note as printed (`printed`).
- A note one list prints as two (a sentence or an item split off as a note of its own) is
  compared whole: `join_split_notes` joins the two when together they resemble the group's
  text of reference at least `JOINED_SCORE` and clearly more than the matched part alone, and
  the other part matched no other list's note.
- `note_status(aligned, notes)`: per aligned cell, `same` when every note of the code agrees
  with the reference list's up to editorial differences, `changed` when one differs
  substantively, is missing, or is printed where the reference list prints none (`note_detail`
  says which), `""` when no list prints a note on the code. The paragraph's own status is
  unchanged: scores count `note_changed` beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from harmonize.compare import mappings, note_match, note_rules, verdicts
from harmonize.compare.editorial_rules import identity_key
from harmonize.model import NOTE_KINDS

__all__ = ["JOINED_SCORE", "MATCH_SCORE", "NOTE_COLUMNS", "Note", "compare_notes",
           "join_split_notes", "match_notes", "note_status"]

# Two notes of one code are the same note when their editorial key words are this similar
# (rapidfuzz ratio, 0-100): a changed threshold or a reworded item keeps a note well above it,
# a decontrol note and a definition on the same code fall far below.
MATCH_SCORE = 60.0
# A note split in two by one list is joined back when the two together resemble the text of
# reference this much, and at least JOINED_GAIN more than the matched part alone.
JOINED_SCORE = 90.0
JOINED_GAIN = 5.0
NOTE_COLUMNS = ["canonical", "note", "key", "kind", "source", "status", "reason", "detail",
                "text", "against", "against_version", "parameter_list", "placed", "printed"]
# What matching measures: the identity key's letters and digits (cheap; the verdict then
# applies every editorial rule to the matched pair).
_WORDS = re.compile(r"[^a-z0-9]+")
HELD = ("identical", "editorial", "substantive", "national")
DIVERGING = ("substantive", "absent")


@dataclass(frozen=True)
class Note:
    """One printed note: its source, kind, key as loaded, text and the text compared
    (references translated through reviewed mappings)."""

    source: str
    kind: str
    key: str
    text: str
    ctext: str
    ikey: str  # identity key of `ctext`
    words: str  # its letters and digits: what matching measures
    printed: str = ""  # the whole note as printed, when this is one part of it (note_parts)


def _note_rows(frame: pd.DataFrame, list_to_source: dict[str, str],
               crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The note rows of the compared lists, renamed through reviewed mappings like paragraphs."""
    rows = frame[frame["kind"].isin(NOTE_KINDS) & frame["source_id"].isin(list(list_to_source))]
    rows = rows[["canonical", "entry", "kind", "text", "details", "source_id", "seq"]].copy()
    rows["source"] = rows["source_id"].map(list_to_source)
    rows = rows.astype({c: object for c in ("canonical", "entry", "kind", "text", "source")})
    rows = mappings.apply_crosswalk(rows, crosswalk)
    rows["text"] = rows["text"].fillna("").str.strip()
    return rows[rows["text"] != ""].sort_values(["source", "seq"], kind="stable")


def match_notes(order: list[str], notes: dict[str, list[Note]]) -> list[dict[str, Note]]:
    """Groups of the same note across sources, one note per source at most. Sources are taken
    in `order`; each note joins the group it resembles most (against any member), pairs of
    higher similarity first, the same kind before another; notes that match none found a
    group of their own."""
    groups: list[dict[str, Note]] = []
    kinds: list[set[str]] = []  # the kinds of each group's members
    # Each group's distinct identity keys with their words: members printed alike score alike,
    # so a note is measured against each distinct text once, however many lists print it.
    texts: list[dict[str, str]] = []
    for source in order:
        mine = notes.get(source, [])
        pairs = []
        for i, note in enumerate(mine):
            for g, distinct in enumerate(texts):
                score = _resemblance(note, distinct)
                if score >= MATCH_SCORE:
                    pairs.append((score, note.kind in kinds[g], -i, -g))
        taken_notes: set[int] = set()
        taken_groups: set[int] = set()
        for _, _, i, g in sorted(pairs, reverse=True):
            if -i in taken_notes or -g in taken_groups:
                continue
            groups[-g][source] = mine[-i]
            kinds[-g].add(mine[-i].kind)
            texts[-g].setdefault(mine[-i].ikey, mine[-i].words)
            taken_notes.add(-i)
            taken_groups.add(-g)
        for i, note in enumerate(mine):
            if i not in taken_notes:
                groups.append({source: note})
                kinds.append({note.kind})
                texts.append({note.ikey: note.words})
    return groups


def _joined(first: Note, second: Note, matched: Note) -> Note:
    """The two parts as one note, in print order, with the kind and key of the part matched."""
    ctext = f"{first.ctext} {second.ctext}"
    ikey = identity_key(ctext)
    printed = first.printed if first.printed == second.printed else ""
    return Note(matched.source, matched.kind, matched.key, f"{first.text} {second.text}", ctext,
                ikey, _WORDS.sub(" ", ikey.lower()), printed)


def join_split_notes(groups: list[dict[str, Note]], order: list[str],
                     notes: dict[str, list[Note]]) -> list[dict[str, Note]]:
    """`groups` (match_notes) with each note a list split in two joined back: a source's note
    in a group beside the text of reference, and a note of the same source that matched no
    other list's (a group of its own), are one note when, joined in the order the list prints
    them, they resemble the text of reference at least JOINED_SCORE and JOINED_GAIN more than
    the matched part alone. The verdict then compares the whole note, so a real change in
    either part is still found."""
    lone = {id(g[s]): g for g in groups if len(g) == 1 for s in g}
    if not lone:
        return groups
    dropped: set[int] = set()
    for group in groups:
        against = next((s for s in order if s in group), None)
        if against is None or len(group) < 2:
            continue
        target = group[against].words
        for source, note in list(group.items()):
            if source == against:
                continue
            printed = notes.get(source, [])
            position = {id(n): i for i, n in enumerate(printed)}
            alone = fuzz.ratio(note.words, target)
            best: tuple[float, Note, int] | None = None
            for other in printed:
                single = lone.get(id(other))
                if single is None or id(single) in dropped or other is note:
                    continue
                pair = ((note, other) if position[id(note)] < position[id(other)]
                        else (other, note))
                whole = _joined(*pair, note)
                score = fuzz.ratio(whole.words, target)
                if score >= JOINED_SCORE and score >= alone + JOINED_GAIN and (
                        best is None or score > best[0]):
                    best = (score, whole, id(single))
            if best is not None:
                group[source] = best[1]
                dropped.add(best[2])
    return [g for g in groups if id(g) not in dropped]


def _resemblance(note: Note, texts: dict[str, str]) -> float:
    """How much `note` resembles the group member it resembles most (0-100), given the
    group's distinct identity keys and their words: 100 for the same identity key, else the
    similarity of the words (0 when under `MATCH_SCORE`)."""
    if note.ikey in texts:
        return 100.0
    # Only scores of at least `MATCH_SCORE` count: below it rapidfuzz stops early (and says 0).
    return max(float(fuzz.ratio(note.words, words, score_cutoff=MATCH_SCORE))
               for words in texts.values())


def _source_order(reference: str, specs: dict[str, Any], holders: set[str]) -> list[str]:
    """The code's reference source, then complete copies before partial ones, newest first,
    then the stable source order (`crosswalk.reference_rows`' rule)."""
    position = {s: i for i, s in enumerate(specs)}
    rest = sorted((s for s in holders if s != reference),
                  key=lambda s: (not specs[s].complete, _negated(specs[s].version), position[s]))
    return ([reference] if reference in holders else []) + rest


def _negated(version: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in version)


def compare_notes(frame: pd.DataFrame, aligned: pd.DataFrame, specs: list[Any],
                  crosswalk: pd.DataFrame,
                  vocabulary: verdicts.Vocabulary | None = None) -> pd.DataFrame:
    """One row per (governed code, note group, compared source); see the module doc."""
    by_id = {s.id: s for s in specs}
    list_to_source = {lst: s.id for s in specs for lst in s.lists}
    rows = _note_rows(frame, list_to_source, crosswalk)
    cells = aligned[aligned["canonical"].isin(set(rows["canonical"]))]
    if rows.empty or cells.empty:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    cell_codes = cells["canonical"].tolist()
    status_of = dict(zip(zip(cell_codes, cells["source"].tolist(), strict=True),
                         cells["status"].tolist(), strict=True))
    reference_of = dict(zip(cell_codes, cells["reference_source"].tolist(), strict=True))
    of_source = mappings.by_source(mappings.as_mappings(crosswalk))
    by_code: dict[str, dict[str, list[Note]]] = {}
    for code, source, kind, text, details, mapped in zip(
            *(rows[c].tolist() for c in ("canonical", "source", "kind", "text", "details",
                                         "mapped_from")), strict=True):
        if code not in reference_of:  # a note on a code no compared list holds as a control
            continue
        key = str(json.loads(details or "{}").get("note_key", ""))
        parts = note_match.note_parts(text)
        for part, number in parts:
            compared = note_rules.item_label(part, number)
            ctext = (mappings.translate_references(compared, source, of_source[source],
                                                   mapped or code)
                     if source in of_source else compared)
            ikey = identity_key(ctext)
            # An item of a numbered note is that note as printed: "Technical Note 3".
            part_key = f"{key.rsplit('/', 1)[0]}/{number}" if number and "/" in key else key
            by_code.setdefault(code, {}).setdefault(source, []).append(
                Note(source, note_match.note_kind(str(kind), ctext), part_key, part, ctext,
                     ikey, _WORDS.sub(" ", ikey.lower()), text if len(parts) > 1 else ""))
    levels = {}
    for code, printed in by_code.items():
        order = _source_order(str(reference_of[code]), by_id, set(printed))
        levels[code] = join_split_notes(match_notes(order, printed), order, printed)
    # The same note printed at another level of the entry joins its group (note_match).
    records: list[dict[str, Any]] = []
    number_of: dict[str, int] = {}
    for item in note_match.merge_levels(levels, reference_of, MATCH_SCORE):
        number_of[item.code] = number = number_of.get(item.code, 0) + 1
        order = _source_order(str(reference_of[item.code]), by_id, set(item.group))
        records += _group_rows(item.code, number, item.group, order, by_id, status_of, vocabulary,
                               item.placed)
    return pd.DataFrame(records, columns=NOTE_COLUMNS)


def _group_rows(code: str, number: int, group: dict[str, Note], order: list[str],
                specs: dict[str, Any], status_of: dict[tuple[str, str], str],
                vocabulary: verdicts.Vocabulary | None,
                placed: dict[str, str] | None = None) -> list[dict[str, Any]]:
    against = next(s for s in order if s in group)
    first = group[against]
    rows = []
    for source, spec in specs.items():
        note = group.get(source)
        verdict: verdicts.Verdict | None = None
        if note is None:
            status = ("not-detailed" if status_of.get((code, source)) == "not-detailed"
                      else "absent")
        elif source == against or note.ikey == first.ikey:
            status = "identical"
        else:
            verdict = verdicts.compare(first.ctext, note.ctext, specs[against].decimal_comma,
                                       spec.decimal_comma, vocabulary)
            status = verdict.status
        substantive = verdict is not None and verdict.status == "substantive"
        rows.append({
            "canonical": code, "note": number, "key": first.key, "kind": first.kind,
            "source": source, "status": status,
            "reason": verdict.reason if substantive and verdict else "",
            "detail": verdict.detail if substantive and verdict else "",
            "text": note.text if note else "", "against": against,
            "against_version": specs[against].version,
            "parameter_list": json.dumps(verdict.parameters(against, source), ensure_ascii=False)
            if substantive and verdict and verdict.changes else "[]",
            "placed": (placed or {}).get(source, "") if note else "",
            "printed": note.printed if note else "",
        })
    return rows


def note_status(aligned: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """`aligned` with `note_status` and `note_detail` per cell (see the module doc): a source
    diverges on a note the reference text of the code prints and it lacks or prints
    substantively otherwise, or on a note it prints and the reference list, holding the code,
    does not."""
    out = aligned.assign(note_status="", note_detail="")
    if notes.empty or aligned.empty:
        return out
    # Plain lists: iterating Arrow-backed columns element by element is slow.
    codes, sources = aligned["canonical"].tolist(), aligned["source"].tolist()
    reference_of = dict(zip(codes, aligned["reference_source"].tolist(), strict=True))
    status_of = dict(zip(zip(codes, sources, strict=True), aligned["status"].tolist(),
                         strict=True))
    groups: dict[tuple[str, int], list[tuple[str, str, str, str]]] = {}
    for code, number, key, kind, source, status, reason in zip(
            notes["canonical"].tolist(), notes["note"].tolist(), notes["key"].tolist(),
            notes["kind"].tolist(), notes["source"].tolist(), notes["status"].tolist(),
            notes["reason"].tolist(), strict=True):
        if kind == note_match.CROSS_REFERENCE:  # a pointer is shown, not a note difference
            continue
        groups.setdefault((code, int(number)), []).append((str(key), source, status, reason))
    findings: dict[tuple[str, str], list[str]] = {}
    for (code, _), members in groups.items():
        reference = reference_of[code]
        in_reference = next((m[2] for m in members if m[1] == reference), "absent")
        reference_holds = status_of.get((code, reference)) in HELD
        for key, source, status, reason in members:
            if source == reference or status_of.get((code, source)) not in HELD:
                continue
            if status == "substantive":
                finding = f"{key}: {reason}"
            elif status == "absent" and in_reference != "absent":
                finding = f"{key} absent"
            elif status in ("identical", "editorial") and in_reference == "absent" \
                    and reference_holds:
                finding = f"{key} not in {reference}"
            else:
                continue
            findings.setdefault((code, source), []).append(finding)
    coded = {code for code, _ in groups}
    keys = list(zip(codes, sources, strict=True))
    out["note_status"] = [("changed" if k in findings else "same")
                          if k[0] in coded and status_of.get(k) in HELD else "" for k in keys]
    out["note_detail"] = ["; ".join(findings[k][:4]) if k in findings else "" for k in keys]
    return out
