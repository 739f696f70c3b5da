"""Partners: the partner states (datasets/partners.csv), the lists that apply to each and their
lens scores, and the world map (drawn offline from the shipped TopoJSON)."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from harmonize.paths import datasets_dir
from harmonize.present.views.shares import lens_shares

DATASETS = datasets_dir()
PARTNERS_FILE = DATASETS / "partners.csv"
WORLD_TOPOJSON = DATASETS / "world_110m.json"
PARTNER_GROUPS: dict[str, str] = {
    "initiative-founder": "Initiative founder (10 Dec 2021)",
    "initiative-supporter": "Initiative supporter at launch",
    "code-of-conduct": "Code of Conduct signatory (30 Mar 2023)",
    "wassenaar": "Wassenaar participant",
    "eu-member": "EU member state",
}


def load_partners(path: Path | None = None) -> pd.DataFrame:
    """The partners file (datasets/partners.csv): one row per state and group."""
    target = path or PARTNERS_FILE
    frame = pd.read_csv(target, dtype=str, keep_default_na=False)
    missing = {"iso3", "iso2", "state", "group", "role", "since", "source"} - set(frame.columns)
    if missing:
        raise ValueError(f"{target}: missing column(s) {sorted(missing)}")
    unknown = set(frame["group"]) - set(PARTNER_GROUPS)
    if unknown:
        raise ValueError(f"{target}: unknown group(s) {sorted(unknown)}")
    return frame


def partner_lists(iso2: str, groups: set[str], specs: Sequence[Any]) -> list[tuple[str, str]]:
    """(source id, why it applies) for a partner: its own list, the EU list for EU members,
    the Wassenaar list for participants."""
    out = []
    for spec in specs:
        if spec.jurisdiction == iso2:
            out.append((spec.id, "national list"))
        elif spec.jurisdiction == "EU" and "eu-member" in groups:
            out.append((spec.id, "EU list (member state)"))
        elif spec.jurisdiction == "WA" and "wassenaar" in groups:
            out.append((spec.id, "regime list (participant)"))
    return out


def partner_table(partners: pd.DataFrame, specs: Sequence[Any],
                  lens_scores: pd.DataFrame, lenses: Sequence[str],
                  labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per partner state: groups, loaded lists that apply (by `labels`, else by id),
    the list its scores come from (`scored on`, its id in `scored_id`), and the share of each
    lens its own list (else the EU list for EU members) holds with the same text as the
    reference."""
    names = labels or {}
    shares = lens_shares(lens_scores, "same") if len(lens_scores) else pd.DataFrame(
        columns=["lens", "source", "share"])
    share_of = {(str(r.lens), str(r.source)): r.share for r in shares.itertuples(index=False)}
    records = []
    for iso3, rows in partners.groupby("iso3", sort=False):
        groups = set(rows["group"])
        iso2 = str(rows["iso2"].iloc[0])
        applies = partner_lists(iso2, groups, specs)
        scored = next((s for s, why in applies if why == "national list"), None) or next(
            (s for s, why in applies if why.startswith("EU")), None)
        record: dict[str, Any] = {
            "iso3": str(iso3), "state": str(rows["state"].iloc[0]),
            "groups": "; ".join(PARTNER_GROUPS[g] for g in PARTNER_GROUPS if g in groups),
            "initiative": _initiative_role(groups),
            "wassenaar": "wassenaar" in groups, "eu": "eu-member" in groups,
            "lists loaded": "; ".join(f"{names.get(s, s)} ({why})" for s, why in applies),
            "scored on": names.get(scored, scored) if scored else "",
            "scored_id": scored or "",
        }
        for lens in lenses:
            value = share_of.get((lens, scored)) if scored else None
            number = float(value) if value is not None else float("nan")  # type: ignore[arg-type]
            record[lens] = None if number != number else number
        records.append(record)
    return pd.DataFrame(records)


def _initiative_role(groups: set[str]) -> str:
    for group, label in (("initiative-founder", "founder"),
                         ("initiative-supporter", "supporter"),
                         ("code-of-conduct", "Code of Conduct signatory")):
        if group in groups:
            return label
    return ""


MAP_MODES: dict[str, str] = {
    "initiative": "Export Controls and Human Rights Initiative",
    "wassenaar": "Wassenaar participants",
    "eu": "EU member states",
    "score": "Lens score of the partner's list",
}
_INITIATIVE_COLOURS = {"founder": "#0072B2", "supporter": "#56B4E9",
                       "Code of Conduct signatory": "#009E73", "": "#E6E6E6"}


def partner_map(table: pd.DataFrame, mode: str, lens: str | None = None) -> go.Figure:
    """World choropleth by ISO3 (discrete Okabe-Ito colours, or a blue scale for scores)."""
    hover = [
        f"<b>{html.escape(str(state))}</b><br>{html.escape(str(groups))}<br>lists: "
        f"{html.escape(str(lists) or 'none loaded')}"
        for state, groups, lists in zip(table.get("state", []), table.get("groups", []),
                                        table.get("lists loaded", []), strict=True)
    ]
    fig = go.Figure()
    if mode == "score" and lens:
        values = table[lens].astype(float) if lens in table.columns else pd.Series(dtype=float)
        keep = values.notna()
        fig.add_trace(go.Choropleth(
            locations=table.loc[keep, "iso3"], z=values[keep], locationmode="ISO-3",
            zmin=0, zmax=1, colorscale=[[0.0, "#F7F7F7"], [0.5, "#7FB3D9"], [1.0, "#0072B2"]],
            colorbar={"title": {"text": "same text"}, "tickformat": ".0%"},
            text=[h for h, k in zip(hover, keep, strict=True) if k],
            hovertemplate="%{text}<br>share: %{z:.0%}<extra></extra>",
            marker={"line": {"color": "#555", "width": 0.5}}))
    else:
        if mode == "initiative":
            categories = table["initiative"].fillna("")
            colours = _INITIATIVE_COLOURS
        else:
            flag = table["wassenaar" if mode == "wassenaar" else "eu"].astype(bool)
            label = MAP_MODES[mode]
            categories = flag.map({True: label, False: ""})
            colours = {label: "#0072B2", "": "#E6E6E6"}
        for name, colour in colours.items():
            if not name:
                continue
            chosen = (categories == name).to_numpy(dtype=bool)
            if not chosen.any():
                continue
            fig.add_trace(go.Choropleth(
                locations=table.loc[chosen, "iso3"], z=[1] * int(chosen.sum()),
                locationmode="ISO-3", colorscale=[[0, colour], [1, colour]], showscale=False,
                text=[h for h, k in zip(hover, chosen, strict=True) if k], name=name,
                hovertemplate="%{text}<extra></extra>", showlegend=False,
                marker={"line": {"color": "#555", "width": 0.5}}))
    fig.update_geos(showcountries=True, countrycolor="#BBBBBB", showland=True,
                    landcolor="#F4F4F4", showocean=False, showframe=False,
                    projection_type="natural earth", lataxis_range=[-58, 85])
    fig.update_layout(height=430, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def map_legend(mode: str) -> list[tuple[str, str]]:
    """(colour, label) pairs for the discrete map modes."""
    if mode == "initiative":
        return [(c, n) for n, c in _INITIATIVE_COLOURS.items() if n]
    if mode in ("wassenaar", "eu"):
        return [("#0072B2", MAP_MODES[mode])]
    return []


def topojson_url(path: Path | None = None) -> str | None:
    """The world map's TopoJSON as a data: URL prefix for plotly's `topojsonURL`, so the map
    draws without reaching plotly's CDN (offline machines); None when the file is absent."""
    target = path or WORLD_TOPOJSON
    if not target.is_file():
        return None
    encoded = base64.b64encode(target.read_bytes()).decode("ascii")
    return f"data:application/json;base64,{encoded}#/"
