"""Small tables as plain HTML: heatmaps (a coloured cell per value, its counts in the cell's
tooltip, optionally a link per cell) and short static tables.

Why: on the Overview, loading and drawing plotly for two heatmaps, and the Arrow decoder that
`st.table`/`st.dataframe` need for even a few rows, made the page take three times as long to
become usable as a bare Streamlit app (benchmarks/bench_ui.py). A table of coloured cells shows
the same thing, prints, reads aloud cell by cell, and each cell can be an ordinary link (open it
in a new tab, copy it).

Every label and tooltip goes through `html.escape`; links are built by the caller from
checked values (`views.common.page_link`) and escaped here again.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

# Light grey to the Okabe-Ito blue: one hue, ordered by lightness, so colour-blind readers and
# greyscale prints see the same order.
SCALE: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xF7, 0xF7, 0xF7)), (0.5, (0x7F, 0xB3, 0xD9)), (1.0, (0x00, 0x72, 0xB2)))
DARK_FROM = 0.6  # from this share on, cell text is white (contrast on the darker blues)
BLANK = "–"

CSS = """
<style>
.hz-heat{border-collapse:separate;border-spacing:2px;font-size:0.85rem;width:100%;
 table-layout:fixed}
.hz-heat th{font-weight:600;padding:2px 4px;vertical-align:bottom;text-align:center;
 overflow-wrap:anywhere;font-size:0.78rem}
.hz-heat th.hz-row{text-align:left;vertical-align:middle;font-size:0.82rem}
.hz-heat col.hz-rowcol{width:22%}
.hz-heat td{text-align:center;padding:0;height:30px;border-radius:3px}
.hz-heat td a,.hz-heat td span{display:block;line-height:30px;color:inherit;
 text-decoration:none}
.hz-heat td a:hover,.hz-heat td a:focus-visible{outline:2px solid #111;outline-offset:-2px;
 text-decoration:underline}
.hz-heat td.hz-blank{background:#fff;border:1px dashed #bbb;color:#555}
.hz-plain{border-collapse:collapse;font-size:0.85rem;width:100%}
.hz-plain th,.hz-plain td{border-bottom:1px solid #e0e0e0;padding:4px 6px;text-align:left;
 vertical-align:top;overflow-wrap:anywhere}
.hz-plain th{font-weight:600;color:#333}
dl.hz-figures{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0 0 8px 0;padding:0 !important}
.hz-figure{min-width:120px}
.hz-figure dt{font-size:0.85rem;color:#333}
.hz-figure dd{margin:0;font-size:2rem;line-height:1.3}
.hz-scale{display:flex;align-items:center;gap:6px;font-size:0.78rem;color:#333;
 margin:4px 0 10px 0}
.hz-scale .hz-bar{width:160px;height:10px;border-radius:2px;
 background:linear-gradient(to right,#F7F7F7,#7FB3D9,#0072B2);border:1px solid #ccc}
</style>
"""


def share_colour(value: float) -> str:
    """The cell colour of a share in [0, 1] (values outside are clamped), as #RRGGBB."""
    value = min(max(value, 0.0), 1.0)
    for (low, start), (high, end) in itertools.pairwise(SCALE):
        if value <= high:
            part = (value - low) / (high - low)
            rgb = (round(a + (b - a) * part) for a, b in zip(start, end, strict=True))
            return "#" + "".join(f"{c:02X}" for c in rgb)
    return "#" + "".join(f"{c:02X}" for c in SCALE[-1][1])


def _cell(value: float, tip: str, href: str | None) -> str:
    title = html.escape(tip, quote=True)
    if math.isnan(value):
        return f'<td class="hz-blank" title="{title}"><span>{BLANK}</span></td>'
    style = f"background:{share_colour(value)};color:{'#fff' if value >= DARK_FROM else '#111'}"
    text = f"{value:.0%}"
    inner = (f'<a href="{html.escape(href, quote=True)}">{text}</a>' if href
             else f"<span>{text}</span>")
    return f'<td style="{style}" title="{title}">{inner}</td>'


def heatmap_html(values: pd.DataFrame, tips: pd.DataFrame, row_names: Mapping[str, str],
                 column_names: Mapping[str, str], caption: str,
                 link: Callable[[str, str], str | None] | None = None) -> str:
    """A table of `values` (shares in [0, 1], NaN = nothing comparable) with `tips[row][column]`
    as each cell's tooltip and `link(row, column)` as its target; `caption` names the table
    for screen readers and sits above it."""
    columns: Sequence[str] = [str(c) for c in values.columns]
    head = "".join(f"<th scope=\"col\">{html.escape(column_names.get(c, c))}</th>"
                   for c in columns)
    rows = []
    for row_id, row in values.iterrows():
        key = str(row_id)
        cells = "".join(
            _cell(float(row[c]), str(tips.at[row_id, c]), link(key, c) if link else None)
            for c in columns)
        name = html.escape(row_names.get(key, key))
        rows.append(f'<tr><th scope="row" class="hz-row">{name}</th>{cells}</tr>')
    return (f'<table class="hz-heat"><caption style="caption-side:top;text-align:left;'
            f'font-size:0.85rem;color:#333">{html.escape(caption)}</caption>'
            f'<colgroup><col class="hz-rowcol"></colgroup>'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def scale_html(note: str) -> str:
    """The colour key under a heatmap: 0 % to 100 %, and what a blank cell means."""
    return (f'<div class="hz-scale"><span>0%</span><span class="hz-bar"></span>'
            f"<span>100%</span><span>· {BLANK} {html.escape(note)}</span></div>")


def table_html(frame: pd.DataFrame, caption: str) -> str:
    """A short table (a few dozen rows at most) with a header row; every value as text."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row)
        + "</tr>" for row in frame.itertuples(index=False))
    return (f'<table class="hz-plain"><caption style="position:absolute;left:-9999px">'
            f"{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def figures_html(figures: Mapping[str, int]) -> str:
    """Headline figures in a row: a label above each number (a description list)."""
    items = "".join(f'<div class="hz-figure"><dt>{html.escape(name)}</dt><dd>{value:,}</dd></div>'
                    for name, value in figures.items())
    return f'<dl class="hz-figures">{items}</dl>'
