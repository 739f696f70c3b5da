"""The Overview page's content as HTML: the headline figures, the lens x jurisdiction heatmap,
the pairwise agreement beside the lists loaded, and the status legend.

Why HTML in two blocks: the browser pays for every Streamlit element when a page starts
(React components, styles, a markdown parser per caption); with its headings and captions as
separate elements the Overview took ~1.7x as long as a bare app to become usable
(benchmarks/bench_ui.py). The blocks depend only on the data, the reference list, the date and
the colour metric, so the dashboard builds each once and caches it (app_data/cache.py).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from harmonize.compare import scores
from harmonize.present import html_tables
from harmonize.present.views import common, shares
from harmonize.present.views.sources import source_versions

CSS = """
<style>
.hz-page h3{font-size:1.5rem;font-weight:600;margin:1.2rem 0 0.4rem 0;padding:0}
.hz-page p.hz-note{font-size:0.875rem;color:#555;margin:0 0 0.6rem 0}
.hz-cols{display:grid;grid-template-columns:3fr 2fr;gap:0 2.5rem}
@media (max-width:900px){.hz-cols{grid-template-columns:1fr}}
</style>
"""
LENS_HEADING = "Technology lenses × jurisdictions"
DOWNLOAD_NOTE = (
    "Every table on this page in one workbook: the lists loaded (About), the numbers behind "
    "the heatmap (Summary) and the pairwise agreement (Agreement), beside every code's "
    "statuses (Matrix), divergences (Gaps) and texts (Texts); or the same tables as CSV files.")


def _heading(text: str) -> str:
    return f"<h3>{html.escape(text)}</h3>"


def _note(text: str) -> str:
    return f'<p class="hz-note">{text}</p>'  # callers escape; notes may hold <b>


INTRO = (
    "Export controls on <b>surveillance</b> and <b>artificial-intelligence</b> technologies: how "
    "the United States, the European Union and their partners (the Wassenaar Arrangement, the "
    "United Kingdom, Australia, Norway, Canada) control interception and intrusion tools, "
    "network monitoring, biometrics, advanced chips, chip-making equipment and AI model weights "
    "in their dual-use lists, compared paragraph by paragraph, each list against a reference "
    "list. A <b>code</b> is one entry or paragraph number, such as 5A001.j, in any publisher's "
    "style.")


def lens_note(reference: str) -> str:
    """`reference`: what the statuses are measured against, in words."""
    return _note(
        "Share of each lens's codes (union over every loaded list) that a list holds, against "
        f"<b>{html.escape(reference)}</b>. Codes where a copy has no "
        "paragraph text and codes held by one list alone are left out of its share; a blank "
        "cell (–) means not comparable. Hover a cell for the counts; click it to open the "
        "matching gaps.")


def legend_html() -> str:
    """The statuses, their marks and what each means; the origins of a code in words."""
    items = " · ".join(f"{html.escape(mark)} <b>{html.escape(status)}</b>: {html.escape(text)}"
                       for mark, status, text in common.status_legend())
    origins = " · ".join(f"<b>{html.escape(word)}</b>: {html.escape(text)}"
                         for word, text in common.origin_legend())
    return _note("Statuses: " + items) + _note("Origins of a code: " + origins)


def head_html(result: Any, reference: str, names: Mapping[str, str]) -> str:
    """Above the colour-metric selector: the styles, what the tool is, the headline figures of
    `result` (a harmonize.compare.analysis.Analysis; `names`: list id -> list name) and the
    lens heatmap's heading and note; `reference` is what the statuses are measured against,
    in words."""
    figures = shares.headline(result.aligned, result.frame, result.specs)
    compared = ", ".join(common.source_labels(result.specs, names).values())
    return (html_tables.CSS + CSS + '<div class="hz-page">' + _note(INTRO)
            + html_tables.figures_html([(f.label, f.value, f.detail) for f in figures])
            + _note(f"Lists compared: {html.escape(compared)}. Statuses are measured against "
                    f"<b>{html.escape(reference)}</b>.")
            + _heading(LENS_HEADING) + lens_note(reference) + "</div>")


def body_html(result: Any, tables: Mapping[str, pd.DataFrame], lens_names: Mapping[str, str],
              labels: Mapping[str, str], metric: str,
              link: Callable[[str, str], str | None]) -> str:
    """Below the selector: the lens heatmap coloured by `metric` (each cell links through
    `link(lens, source)`), its key and the legend; the pairwise agreement beside the lists
    loaded. `tables` are `result`'s scores (analysis.score_tables)."""
    sources = [s.id for s in result.specs]
    short = common.short_labels(result.specs)
    versions = source_versions(result.manifest)
    values, tips = shares.lens_matrix(tables["lens_scores"], list(lens_names), sources, metric)
    lenses = (html_tables.heatmap_html(values, tips, lens_names, short,
                                       caption=shares.SHARE_METRICS[metric], link=link,
                                       column_titles=labels)
              + html_tables.scale_html(
                  "nothing comparable: the list's copy has no paragraph text there")
              + legend_html())
    square = scores.agreement_square(tables["pairwise"], sources)
    agreement = (
        _heading("Pairwise agreement")
        + _note("Among the codes either list holds (and neither copy is silent on), the share "
                "both hold with the same text up to editorial differences.")
        + html_tables.heatmap_html(square, shares.agreement_tips(square, tables["pairwise"],
                                                                 labels),
                                   short, short, caption="Agreement, hover for the counts",
                                   column_titles=labels))
    compared = {x for s in result.specs for x in s.lists}
    table = pd.DataFrame({
        "list": versions["list name"],
        "jurisdiction": versions["jurisdiction"].map(common.jurisdiction_name),
        "version": versions["version"],
        "compared": ["yes" if x in compared else "kept apart" for x in versions["list"]],
    })
    loaded = (_heading("Lists loaded")
              + html_tables.table_html(table, caption="Lists loaded"))
    return ('<div class="hz-page">' + lenses
            + f'<div class="hz-cols"><section>{agreement}</section><section>{loaded}</section>'
            + "</div></div>")

