"""Verdicts measured against cells labelled by reading both texts (`tests/data/
verdicts_labelled.csv`): precision of "substantive", recall of real differences, differences
hidden as identical or editorial, reasons and parameters.

Used by `benchmarks/bench_verdicts.py` (prints) and the integration test (asserts targets).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SAME = ("identical", "editorial")
# Reasons that name the same kind of difference (a labeller's "scope words added" and the
# tool's "scope words changed" both say the wording of the scope differs).
FAMILIES = {
    "parameter changed": "parameter", "number changed": "parameter",
    "reference changed": "reference", "paragraph added": "paragraph",
    "paragraph removed": "paragraph", "scope words added": "scope",
    "scope words removed": "scope", "scope words changed": "scope",
    "note changed": "note", "unexplained wording": "unexplained",
}


@dataclass(frozen=True)
class Label:
    reference_source: str
    code: str
    compared_source: str
    status: str
    reason: str
    parameters: str
    note: str


def load_labels(path: Path) -> list[Label]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [Label(r["reference_source"], r["code"], r["compared_source"],
                      r["expected_status"], r["expected_reason"], r["expected_parameters"],
                      r["note"]) for r in rows]


def _parameter_key(source: str, comparator: str, value: float, unit: str) -> tuple[str, ...]:
    return (source, comparator, f"{value:.6g}", unit.replace("μ", "µ").replace(" ", ""))


def expected_parameters(text: str) -> list[tuple[str, ...]]:
    """"wassenaar:<= 110 GHz;au-dsgl:<= 90 GHz" as comparable keys."""
    keys = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        source, _, rest = item.partition(":")
        words = rest.split()
        comparator = words[0] if words and not _is_number(words[0]) else ""
        numbers = words[1:] if comparator else words
        value = float(numbers[0]) if numbers else 0.0
        keys.append(_parameter_key(source, comparator, value, " ".join(numbers[1:])))
    return sorted(keys)


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def produced_parameters(parameter_list: str) -> list[tuple[str, ...]]:
    return sorted(_parameter_key(p["source"], p["comparator"], float(p["value"]), p["unit"])
                  for p in json.loads(parameter_list or "[]"))


@dataclass
class Report:
    cells: int = 0
    missing: list[str] = field(default_factory=list)
    other_reference: list[str] = field(default_factory=list)
    status_right: int = 0
    said_substantive: int = 0
    true_substantive: int = 0  # labelled substantive and said substantive
    real_differences: int = 0  # labelled substantive
    hidden: list[str] = field(default_factory=list)  # real difference said identical/editorial
    false_substantive: list[str] = field(default_factory=list)
    reason_right: int = 0
    unexplained: int = 0  # said substantive with reason "unexplained wording"
    with_parameters: int = 0
    parameters_right: int = 0
    parameter_errors: list[str] = field(default_factory=list)
    status_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_substantive / self.said_substantive if self.said_substantive else 1.0

    @property
    def recall(self) -> float:
        return self.true_substantive / self.real_differences if self.real_differences else 1.0

    @property
    def parameter_accuracy(self) -> float:
        return self.parameters_right / self.with_parameters if self.with_parameters else 1.0


def _cell(cells: pd.DataFrame, code: str, source: str) -> dict[str, str]:
    """One aligned cell as plain strings ("" for missing values)."""
    values = cells.loc[[(code, source)]].astype(object).to_dict(orient="records")[0]
    return {str(k): "" if v is None or v != v else str(v) for k, v in values.items()}


def evaluate(aligned: pd.DataFrame, labels: list[Label]) -> Report:
    """Each label against the aligned cell (code, compared source)."""
    cells = aligned.set_index(["canonical", "source"])
    report = Report()
    for label in labels:
        where = f"{label.code} {label.compared_source}"
        if (label.code, label.compared_source) not in cells.index:
            report.missing.append(where)
            continue
        cell = _cell(cells, label.code, label.compared_source)
        report.cells += 1
        if cell["reference_source"] and cell["reference_source"] != label.reference_source:
            report.other_reference.append(f"{where}: {cell['reference_source']}")
        status = str(cell["status"])
        said = f"{where}: {status} ({cell['reason']}: {str(cell['detail'])[:90]})"
        if status == label.status or (status in SAME and label.status in SAME):
            report.status_right += 1
        else:
            report.status_errors.append(f"{said}; labelled {label.status}")
        if label.status == "substantive":
            report.real_differences += 1
            if status in SAME:
                report.hidden.append(said)
        if status == "substantive":
            report.said_substantive += 1
            report.unexplained += int(cell["reason"] == "unexplained wording")
            if label.status == "substantive":
                report.true_substantive += 1
                report.reason_right += int(FAMILIES.get(label.reason) == FAMILIES.get(
                    cell["reason"]))
            else:
                report.false_substantive.append(f"{said}; labelled {label.status}")
        if label.status == "substantive" and status == "substantive":
            expected = expected_parameters(label.parameters)
            produced = produced_parameters(str(cell["parameter_list"]))
            if expected or produced:
                report.with_parameters += 1
                if expected == produced:
                    report.parameters_right += 1
                else:
                    report.parameter_errors.append(f"{where}: {produced} vs {expected}")
    return report
