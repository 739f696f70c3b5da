"""Gaps: the divergences of a lens and lists, filtered, in code order, as shown (links to
Compare) and as downloaded."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from harmonize.codes import canonical_code
from harmonize.present.views.common import compare_links, natural_order, status_cell

DIVERGENCES = ("national", "absent", "substantive", "editorial")


def select_gaps(gap_rows: pd.DataFrame, *, statuses: Sequence[str] = (),
                origins: Sequence[str] = (), query: str = "",
                hide_national_absent: bool = False) -> pd.DataFrame:
    """Gaps (rows of analysis.gaps) filtered by status, origin and words/code, in code order.

    `hide_national_absent` drops the `absent` rows of codes only one list holds (origin
    national): every other list lacks them by definition, the `national` row says it all."""
    rows = gap_rows
    if hide_national_absent:
        rows = rows[~((rows["status"] == "absent") & (rows["origin"] == "national"))]
    if statuses:
        rows = rows[rows["status"].isin(list(statuses))]
    if origins:
        rows = rows[rows["origin"].isin(list(origins))]
    text = query.strip()
    if text:
        code = canonical_code(text)
        codes = rows["canonical"].astype(str)
        if code and ((codes == code) | codes.str.startswith(code + ".")).any():
            rows = rows[(codes == code) | codes.str.startswith(code + ".")]
        else:
            hay = (codes + " " + rows["text"].fillna("").astype(str) + " "
                   + rows["ref_text"].fillna("").astype(str) + " "
                   + rows["parameters"].fillna("").astype(str)).str.lower()
            mask = pd.Series(True, index=rows.index)
            for word in text.lower().split():
                mask &= hay.str.contains(word, regex=False)
            rows = rows[mask]
    return (rows.assign(_o=natural_order(rows["canonical"])).sort_values(["_o", "source"])
            .drop(columns="_o"))


def gap_table(rows: pd.DataFrame, *, reference: str = "",
              labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Selected gaps (select_gaps) as shown: a link to Compare per row, the list's label, the
    status with its mark, the text (else the reference's). Links cost ~60 ms per 10k rows,
    so the page builds this for the rows it draws, and for the download when clicked."""
    names = labels or {}
    # Plain lists first: iterating Arrow-backed string columns item by item is slow.
    shown_codes, texts, ref_texts = (rows[c].tolist() for c in ("canonical", "text", "ref_text"))
    return pd.DataFrame({
        "code": compare_links(shown_codes, reference),
        "canonical": rows["canonical"].astype(str).to_numpy(),
        "jurisdiction": [names.get(str(s), str(s)) for s in rows["source"].tolist()],
        "status": [status_cell(str(s)) for s in rows["status"].tolist()],
        "origin": rows["origin"].astype(str).to_numpy(),
        "text": [t if isinstance(t, str) and t else
                 f"(reference: {r})" if isinstance(r, str) and r.strip() else ""
                 for t, r in zip(texts, ref_texts, strict=True)],
        "parameters": rows["parameters"].fillna("").astype(str).to_numpy(),
    }).reset_index(drop=True)


def gap_download(table: pd.DataFrame) -> pd.DataFrame:
    """The Gaps table for a spreadsheet: plain status words, no links."""
    out = table.drop(columns=["code"]).copy()
    out["status"] = [str(s).split(" ", 1)[-1] for s in out["status"]]
    return out
