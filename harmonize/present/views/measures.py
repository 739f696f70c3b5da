"""Measures: the register of measures beyond the lists, filtered, and its timeline."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go


def filter_measures(table: pd.DataFrame, *, jurisdictions: Sequence[str] = (),
                    types: Sequence[str] = (), statuses: Sequence[str] = (),
                    lenses: Sequence[str] = (), query: str = "") -> pd.DataFrame:
    """The register (measures.as_table) filtered; a lens matches its sub-lenses too."""
    rows = table
    if jurisdictions:
        rows = rows[rows["jurisdiction"].isin(list(jurisdictions))]
    if types:
        rows = rows[rows["type"].isin(list(types))]
    if statuses:
        rows = rows[rows["status"].isin(list(statuses))]
    if lenses:
        def hit(value: str) -> bool:
            own = [v.strip() for v in str(value).split(";") if v.strip()]
            return any(v == lens or v.startswith(lens + ".") for v in own for lens in lenses)
        rows = rows[rows["lenses"].map(hit)]
    text = query.strip().lower()
    if text:
        hay = (rows["id"] + " " + rows["title"] + " " + rows["citation"] + " " + rows["codes"]
               + " " + rows["summary"] + " " + rows["instrument"]).str.lower()
        mask = pd.Series(True, index=rows.index)
        for word in text.split():
            mask &= hay.str.contains(word, regex=False)
        rows = rows[mask]
    return rows.reset_index(drop=True)


MEASURE_STATUS_COLOURS = {"in-force": "#0072B2", "proposed": "#E69F00", "rescinded": "#CC79A7"}
_MEASURE_SYMBOLS = {"in-force": "circle", "proposed": "diamond-open", "rescinded": "x"}


def measures_timeline(table: pd.DataFrame) -> go.Figure:
    """One marker per measure at its first date (published, else effective), by jurisdiction,
    coloured and shaped by status; a rescinded measure has a line to its rescission."""
    fig = go.Figure()
    if table.empty:
        fig.update_layout(height=200)
        return fig
    first = table["date_published"].where(table["date_published"] != "", table["date_effective"])
    for status, colour in MEASURE_STATUS_COLOURS.items():
        part = table[(table["status"] == status) & (first != "")]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(first[part.index]), y=part["jurisdiction"], mode="markers",
            name=status, marker={"color": colour, "size": 12,
                                 "symbol": _MEASURE_SYMBOLS[status],
                                 "line": {"width": 2, "color": colour}},
            text=[html.escape(t) for t in part["title"]],
            customdata=part[["id", "type"]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d} %{y}<br>%{text}<br>%{customdata[1]} · "
                          "%{customdata[0]}<extra>" + status + "</extra>"))
    for row in table[(table["date_rescinded"] != "") & (first != "")].itertuples():
        fig.add_trace(go.Scatter(
            x=pd.to_datetime([first.loc[row.Index], row.date_rescinded]),  # type: ignore[index]
            y=[row.jurisdiction, row.jurisdiction], mode="lines",
            line={"color": MEASURE_STATUS_COLOURS["rescinded"], "dash": "dot"},
            showlegend=False, hoverinfo="skip"))
    height = max(260, 36 * table["jurisdiction"].nunique() + 120)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.15},
                      xaxis={"title": None, "type": "date", "range": date_range(first)},
                      yaxis={"title": None, "categoryorder": "category descending"})
    return fig


def date_range(dates: pd.Series, pad_days: int = 120) -> list[str] | None:
    """The time axis: the dates' span with room on both sides, at least a year wide (plotly
    zooms one date, or a few days, to hours)."""
    known = pd.to_datetime(dates[dates != ""], errors="coerce").dropna()
    if known.empty:
        return None
    low, high = known.min(), known.max()
    widen = max(pd.Timedelta(days=pad_days), (pd.Timedelta(days=365) - (high - low)) / 2)
    return [(low - widen).strftime("%Y-%m-%d"), (high + widen).strftime("%Y-%m-%d")]
