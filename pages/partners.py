"""Partners: the Initiative, Wassenaar and EU states on a world map, with their lists' scores."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app_data import cache, comparison, downloads, page, url_state
from harmonize.present.views import common
from harmonize.present.views import partners as view
from harmonize.present.views.shares import lens_shares

PAGE = "partners"
page.header("Partners", PAGE)
st.caption("Export Controls and Human Rights Initiative founders and supporters (10 Dec 2021), "
           "Code of Conduct subscribing states (30 Mar 2023), Wassenaar participating states "
           "and EU member states: `datasets/partners.csv`, each row with its source.")

partners = cache.partner_states()
result = comparison.analysis() if cache.loaded() else None
specs = result.specs if result else []
scores = comparison.scores()["lens_scores"] if result else None
top_lenses = [lens.id for lens in result.book.lenses if not lens.parent] if result else []
lens_names = {lens.id: lens.name for lens in result.book.lenses} if result else {}
labels = comparison.labels() if result else {}
table = view.partner_table(partners, specs, scores if scores is not None else
                           pd.DataFrame(), top_lenses, labels)

row = st.columns([3, 2])
modes = list(view.MAP_MODES) if top_lenses else [m for m in view.MAP_MODES if m != "score"]
mode = url_state.select(PAGE, "map", "Show", modes, "initiative",
                        format_func=view.MAP_MODES.__getitem__, container=row[0], kind="radio")
lens = ""
if mode == "score":
    lens = url_state.select(PAGE, "lens", "Lens", top_lenses, top_lenses[0], container=row[1],
                            format_func=lambda i: lens_names.get(i, i))
figure = view.partner_map(table, mode, lens or None)
config: dict[str, object] = {"displaylogo": False}
topojson = cache.topojson()
if topojson:
    config["topojsonURL"] = topojson
st.plotly_chart(figure, config=config, key=f"{PAGE}.chart.map")
legend = view.map_legend(mode)
if legend:
    st.html("".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'border:1px solid #555;margin:0 4px 0 12px"></span>{html.escape(label)}'
        for colour, label in legend))
st.caption("Malta and Kosovo are too small for the world map at this scale; they are in the "
           "table below.")

if not cache.loaded():
    st.info(page.NOTHING_LOADED)

st.subheader("Partner states")
shown = table.drop(columns=["iso3", "wassenaar", "eu", "scored_id"])
config_cols = {lens_id: st.column_config.ProgressColumn(
    f"{lens_names.get(lens_id, lens_id)}: same text", format="percent", min_value=0.0,
    max_value=1.0, width=150,
    color=common.STATUS_COLOURS["identical"]) for lens_id in top_lenses}
st.dataframe(shown, hide_index=True, width="stretch", height=420, column_config={
    "state": st.column_config.TextColumn("state", width=130),
    "groups": st.column_config.TextColumn("groups", width="large"),
    "initiative": st.column_config.TextColumn("Initiative", width=110),
    "lists loaded": st.column_config.TextColumn("lists that apply (loaded)", width="medium"),
    "scored on": st.column_config.TextColumn("scored on", width=170),
    **config_cols})
downloads.table_buttons(lambda: shown, len(shown), "partners", "Partners",
                        [("Map", view.MAP_MODES[mode])], key=PAGE)

if result is not None and scores is not None:
    st.subheader("One partner, lens by lens")
    names = dict(zip(table["iso3"], table["state"], strict=True))
    pick = url_state.select(PAGE, "state", "Partner", list(table["iso3"]), "USA",
                            format_func=lambda i: names.get(i, i))
    chosen = table[table["iso3"] == pick].iloc[0]
    scored = str(chosen["scored_id"])
    if not scored:
        st.caption("No list of this partner (nor the EU list) is loaded, so it has no score; "
                   "it implements the regime lists it takes part in through its own law.")
    else:
        st.caption(f"Scored on {labels.get(scored, scored)} ({chosen['lists loaded']!s}), "
                   f"against {comparison.reference_label()}.")
        shares = lens_shares(scores, "same")
        part = shares[shares["source"] == scored][
            ["lens", "identical", "editorial", "substantive", "absent", "national",
             "not_detailed", "share"]]
        part = part.assign(lens=part["lens"].map(lambda i: lens_names.get(i, i)))
        st.dataframe(part, hide_index=True, width="stretch", column_config={
            "not_detailed": st.column_config.NumberColumn("not detailed"),
            "share": st.column_config.ProgressColumn("same text", format="percent",
                                                     min_value=0.0, max_value=1.0,
                                                     color=common.STATUS_COLOURS["identical"])})
        st.page_link("pages/gaps.py", label=f"Open the gaps of {labels.get(scored, scored)}",
                     icon="🧩", query_params=common.carry({"src": scored, "lens": "all"},
                                                          comparison.carried()))
