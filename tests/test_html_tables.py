"""HTML heatmaps: the colour scale, escaping, blanks, tooltips and links."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from harmonize.present import html_tables


def test_share_colour_follows_the_scale_and_clamps() -> None:
    assert html_tables.share_colour(0.0) == "#F7F7F7"
    assert html_tables.share_colour(0.5) == "#7FB3D9"
    assert html_tables.share_colour(1.0) == "#0072B2"
    assert html_tables.share_colour(0.25) == "#BBD5E8"  # halfway between the first two stops
    assert html_tables.share_colour(-1) == "#F7F7F7" and html_tables.share_colour(7) == "#0072B2"
    darkness = [sum(int(html_tables.share_colour(v / 10)[i:i + 2], 16) for i in (1, 3, 5))
                for v in range(11)]
    assert darkness == sorted(darkness, reverse=True)  # darker as the share grows


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    values = pd.DataFrame([[1.0, math.nan], [0.2, 0.75]], index=["ai", "<x>"],
                          columns=["us", "eu"])
    tips = pd.DataFrame([["all <b>4</b>", "none"], ["1 of 5", "3 of 4"]],
                        index=values.index, columns=values.columns)
    return values, tips


def test_cells_show_shares_tooltips_and_links() -> None:
    values, tips = frames()
    page = html_tables.heatmap_html(values, tips, {"ai": "AI & compute"}, {"us": "US · us-ccl"},
                                caption="Same text",
                                link=lambda row, col: f"gaps?lens={row}&src={col}")
    assert page.count("<tr>") == 3 and page.count("<td") == 4
    assert "<th scope=\"row\" class=\"hz-row\">AI &amp; compute</th>" in page
    assert "&lt;x&gt;" in page and "<x>" not in page  # unnamed rows show their escaped id
    assert '<th scope="col">US · us-ccl</th><th scope="col">eu</th>' in page
    assert 'title="all &lt;b&gt;4&lt;/b&gt;"' in page
    assert '<a href="gaps?lens=ai&amp;src=us">100%</a>' in page
    assert 'style="background:#0072B2;color:#fff"' in page  # dark cell, white text
    assert 'style="background:#BBD5E8;color:#111"' not in page
    blank = re.search(r'<td class="hz-blank" title="none"><span>–</span></td>', page)
    assert blank is not None  # nothing comparable: a blank, never 0 % and never a link
    assert page.count("<a ") == 3


def test_short_column_names_carry_the_full_one_as_a_tooltip() -> None:
    values, tips = frames()
    page = html_tables.heatmap_html(values, tips, {}, {"us": "US"}, caption="c",
                                    column_titles={"us": "US · Commerce <Control> List"})
    assert '<th scope="col" title="US · Commerce &lt;Control&gt; List">US</th>' in page
    assert '<th scope="col">eu</th>' in page  # no title, no attribute


def test_without_links_cells_are_plain_text() -> None:
    values, tips = frames()
    page = html_tables.heatmap_html(values, tips, {}, {}, caption="Agreement")
    assert "<a " not in page and "<span>20%</span>" in page
    assert "<caption" in page and "Agreement</caption>" in page


@pytest.mark.parametrize("hostile", ['"><script>alert(1)</script>', "javascript:alert(1)"])
def test_hostile_labels_and_tips_stay_text(hostile: str) -> None:
    values, tips = frames()
    tips.iloc[0, 0] = hostile
    page = html_tables.heatmap_html(values, tips, {"ai": hostile}, {"us": hostile}, caption=hostile)
    assert "<script>" not in page
    if "<" in hostile:
        assert hostile not in page and html.escape(hostile, quote=True) in page
    assert page.count(html.escape(hostile, quote=True)) == 4  # caption, row, column, tooltip
