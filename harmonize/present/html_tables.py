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
from dataclasses import dataclass

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
 vertical-align:top;overflow-wrap:break-word}
.hz-plain th{font-weight:600;color:#333;white-space:nowrap}
.hz-plain{margin-bottom:8px}
dl.hz-figures{display:flex;flex-wrap:wrap;gap:8px 22px;margin:0 0 8px 0;padding:0 !important}
.hz-figure{min-width:110px;max-width:175px}
.hz-figure dt{font-size:0.85rem;color:#333}
.hz-figure dd{margin:0;font-size:1.8rem;line-height:1.3}
.hz-figure dd.hz-of{font-size:0.75rem;line-height:1.2;color:#555}
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
                 link: Callable[[str, str], str | None] | None = None,
                 column_titles: Mapping[str, str] | None = None) -> str:
    """A table of `values` (shares in [0, 1], NaN = nothing comparable) with `tips[row][column]`
    as each cell's tooltip and `link(row, column)` as its target; `caption` names the table
    for screen readers and sits above it; `column_titles` are the headers' tooltips."""
    columns: Sequence[str] = [str(c) for c in values.columns]
    titles = column_titles or {}
    head = "".join(
        "<th scope=\"col\""
        + (f' title="{html.escape(titles[c], quote=True)}"' if c in titles else "")
        + f">{html.escape(column_names.get(c, c))}</th>" for c in columns)
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


def figures_html(figures: Sequence[tuple[str, int, str]]) -> str:
    """Headline figures in a row: a label above each number and, below it, its unit and what
    it is counted out of (a description list)."""
    items = "".join(f'<div class="hz-figure"><dt>{html.escape(name)}</dt><dd>{value:,}</dd>'
                    f'<dd class="hz-of">{html.escape(detail)}</dd></div>'
                    for name, value, detail in figures)
    return f'<dl class="hz-figures">{items}</dl>'


@dataclass(frozen=True)
class Segment:
    """One part of a bar: `label` (e.g. "absent"), its count, colour and link."""

    label: str
    count: int
    colour: str
    href: str | None = None


BARS_CSS = """
<style>
.hz-bars{border-collapse:collapse;width:100%;font-size:0.82rem;margin:2px 0 6px 0}
.hz-bars th{font-weight:600;text-align:left;padding:2px 8px 2px 0;white-space:nowrap;
 width:1%}
.hz-bars td{padding:2px 0}
.hz-bars td.hz-total{width:1%;padding-left:8px;text-align:right;white-space:nowrap;color:#333}
.hz-track{display:flex;height:22px;background:#f3f3f3;border-radius:3px;overflow:hidden}
.hz-track a,.hz-track span{display:block;height:22px;line-height:22px;text-align:center;
 overflow:hidden;white-space:nowrap;text-decoration:none;font-size:0.75rem}
.hz-track a:hover,.hz-track a:focus-visible{outline:2px solid #111;outline-offset:-2px}
.hz-key{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:0.78rem;color:#333;margin:0 0 4px 0}
.hz-key i{display:inline-block;width:11px;height:11px;margin-right:4px;border:1px solid #777;
 vertical-align:-1px}
</style>
"""


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (#RRGGBB)."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#111" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#fff"


def bars_html(rows: Sequence[tuple[str, Sequence[Segment]]], caption: str) -> str:
    """Horizontal stacked bars, one per (label, segments), on one scale (the largest total
    fills the track): each segment shows its count when there is room, its label and count as
    a tooltip, and links where it has a target. A key of the segments' labels sits above.
    Everything is escaped; links are built by the caller from checked values."""
    largest = max((sum(s.count for s in segments) for _, segments in rows), default=0)
    key: dict[str, str] = {}
    body = []
    for label, segments in rows:
        total = sum(s.count for s in segments)
        parts = []
        for segment in segments:
            key.setdefault(segment.label, segment.colour)
            if not segment.count:
                continue
            width = 100 * segment.count / largest
            text = f"{segment.count:,}" if width >= 4 else ""
            tip = html.escape(f"{label}: {segment.label} {segment.count:,}", quote=True)
            style = (f"width:{width:.2f}%;background:{segment.colour};"
                     f"color:{_ink(segment.colour)}")
            parts.append(
                f'<a href="{html.escape(segment.href, quote=True)}" target="_self" '
                f'style="{style}" title="{tip}">{text}</a>' if segment.href else
                f'<span style="{style}" title="{tip}">{text}</span>')
        body.append(f'<tr><th scope="row">{html.escape(label)}</th><td><div class="hz-track">'
                    f'{"".join(parts)}</div></td><td class="hz-total">{total:,}</td></tr>')
    legend = "".join(f'<span><i style="background:{colour}"></i>{html.escape(name)}</span>'
                     for name, colour in key.items())
    return (f'<div class="hz-key" aria-hidden="true">{legend}</div>'
            f'<table class="hz-bars"><caption style="position:absolute;left:-9999px">'
            f"{html.escape(caption)}</caption><tbody>{''.join(body)}</tbody></table>")
