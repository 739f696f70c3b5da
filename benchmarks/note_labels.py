"""Note findings labelled by reading both texts (`tests/data/notes_labelled.csv`): the draw
of findings to label and the measure of a comparison against the labels, for
`bench_verdicts.py`.

A labelled finding is keyed by its list and the two texts it stands on (the list's note, the
note of reference; "" where one is not printed), not by code or label: a note matched at
another level keeps its texts. The file holds only a short hash of each text (`text_key`:
the sources are never copied into the project). Each label says whether the two texts differ
in substance (`real`: yes/no), read in both texts.

- precision: of the labelled findings a comparison reports as a note difference (changed,
  missing, not in the reference), the share whose texts really differ;
- hidden: labelled real differences no note difference of that list reports any more (neither
  text appears in one), which must be 0.
"""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DIFFERING = ("changed", "missing", "only here")


def text_key(text: object) -> str:
    """A short hash of a text, whitespace folded ("" for no text)."""
    folded = " ".join(str(text or "").split())
    return hashlib.sha256(folded.encode()).hexdigest()[:16] if folded else ""


_norm = text_key


@dataclass(frozen=True)
class NoteLabel:
    code: str
    source: str
    finding: str  # as drawn
    text: str  # text_key of the list's note
    against_text: str  # text_key of the note of reference
    real: bool
    why: str


def load(path: Path) -> list[NoteLabel]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [NoteLabel(r["code"], r["source"], r["finding"], r["text_key"],
                          r["against_key"], r["real"] == "yes", r["why"])
                for r in rows]


def draw(findings: pd.DataFrame, seed: int, quota: int) -> pd.DataFrame:
    """`quota` note differences drawn with `random.Random(seed)` from the sorted findings."""
    rows = findings[findings["finding"].isin(DIFFERING)]
    keys = sorted(set(zip(rows["canonical"], rows["source"], rows["label"], rows["finding"],
                          rows["text"].map(_norm), rows["against_text"].map(_norm),
                          strict=True)))
    picked = random.Random(seed).sample(keys, min(quota, len(keys)))
    return pd.DataFrame(sorted(picked), columns=["code", "source", "label", "finding", "text",
                                                 "against_text"])


@dataclass(frozen=True)
class Report:
    reported: int  # labelled findings reported as note differences
    true: int  # of which real
    hidden: list[NoteLabel]
    false: list[NoteLabel]

    @property
    def precision(self) -> float:
        return self.true / self.reported if self.reported else 1.0


def evaluate(findings: pd.DataFrame, labels: list[NoteLabel],
             printed: dict[tuple[str, str], str] | None = None) -> Report:
    """`printed` maps (list, text_key of a note's part) to the text_key of the whole note as
    printed (the comparison judges a numbered note item by item): a label read on the whole
    note is the finding of any of its parts."""
    rows = findings[findings["finding"].isin(DIFFERING)]
    said = set(zip(rows["source"], rows["text"].map(_norm), rows["against_text"].map(_norm),
                   strict=True))
    whole = printed or {}
    said |= {(s, whole.get((s, a), a), whole.get((r, b), b))
             for s, a, r, b in zip(rows["source"], rows["text"].map(_norm), rows["against"],
                                   rows["against_text"].map(_norm), strict=True)}
    texts = {(s, t) for s, a, b in said for t in (a, b) if t}
    reported = [label for label in labels
                if (label.source, label.text, label.against_text) in said]
    hidden = [label for label in labels if label.real and label not in reported and not any(
        (label.source, t) in texts for t in (label.text, label.against_text) if t)]
    return Report(len(reported), sum(label.real for label in reported), hidden,
                  [label for label in reported if not label.real])


def printed_keys(notes: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(list, text_key of a part) -> text_key of the whole note as printed, for `evaluate`."""
    if "printed" not in notes:
        return {}
    parts = notes[notes["printed"].fillna("") != ""]
    return {(str(s), _norm(t)): _norm(p) for s, t, p in zip(
        parts["source"], parts["text"], parts["printed"], strict=True)}
