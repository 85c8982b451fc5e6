"""The parts both maps share: base map and title, grids with tooltips, beats, streets,
police rooms, and the finishing layer control with the libraries inlined."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from patrol.labels import label
from patrol.projection import WGS84
from patrol.render.maps.display import (
    View,
    display_frame,
    esc,
    features,
    fmt_num,
    fmt_share,
    latlon,
)
from patrol.render.maps.elements import CSS, Control, Markers
from patrol.render.style import (
    BEAT_COLOUR,
    GRID_EDGE_COLOUR,
    RISK_COLOURS,
    STATUS_COLOURS,
    STREET_COLOUR,
)

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

__all__ = [
    "MAX_ZOOM",
    "add_grid_layers",
    "base_map",
    "finish_map",
    "grid_frame",
    "grid_status",
    "posts_layer",
    "streets_layer",
    "title_html",
]

MAX_ZOOM = 20


def grid_status(sweeps_planned: float, sweeps_required: float) -> str:
    """``"met"`` when planned sweeps reach the requirement, ``"uncovered"`` when a grid
    that needs sweeps gets none, else ``"short"``."""
    planned = 0.0 if pd.isna(sweeps_planned) else float(sweeps_planned)
    required = 0.0 if pd.isna(sweeps_required) else float(sweeps_required)
    if planned + 1e-9 >= required:
        return "met"
    return "uncovered" if planned <= 1e-9 else "short"


def grid_frame(
    plan: Plan, table: pd.DataFrame, coverage: Coverage | None = None
) -> gpd.GeoDataFrame:
    """The grids with everything their tooltips and colours need.

    ``table`` is the plan's per-grid figures (:attr:`patrol.plan.Plan.grid_table`).
    """
    scenario = plan.scenario
    grids = scenario.grids[
        ["grid_id", "name", "beat_id", "risk", "households", "residents", "geometry"]
    ].copy()
    grids["sweeps_required"] = grids["grid_id"].map(table["sweeps_required"]).fillna(0)
    grids["sweeps_planned"] = grids["grid_id"].map(table["sweeps_planned"]).fillna(0)
    workers: dict[str, list[str]] = {}
    for person in scenario.people:
        if person.role == "grid_worker" and person.grid_id:
            workers.setdefault(person.grid_id, []).append(person.name)
    grids["grid_worker"] = grids["grid_id"].map(lambda g: "、".join(workers.get(g, [])) or "–")
    grids["street_walked_share"] = np.nan
    grids["longest_gap_h"] = np.nan
    if coverage is not None and len(coverage.grid_coverage):
        cov = coverage.grid_coverage
        cov = cov.loc[:, ~cov.columns.duplicated()].set_index("grid_id")
        for col in ("street_walked_share", "longest_gap_h"):
            if col in cov.columns:
                grids[col] = grids["grid_id"].map(cov[col])
    grids["status"] = [
        grid_status(p, r)
        for p, r in zip(grids["sweeps_planned"], grids["sweeps_required"], strict=True)
    ]
    return gpd.GeoDataFrame(grids, geometry="geometry", crs=scenario.crs)


def _grid_tooltip_props(grids: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame(index=grids.index)
    out["t_name"] = [
        f"{esc(n)} ({esc(g)})" for n, g in zip(grids["name"], grids["grid_id"], strict=True)
    ]
    out["t_beat"] = grids["beat_id"].map(esc)
    out["t_worker"] = grids["grid_worker"].map(esc)
    out["t_households"] = grids["households"].map(fmt_num)
    out["t_residents"] = grids["residents"].map(fmt_num)
    out["t_risk"] = grids["risk"].map(lambda r: esc(label(f"risk.{r}", lang)))
    out["t_sweeps"] = [
        f"{fmt_num(p, 1).rstrip('0').rstrip('.')}/{fmt_num(r)}"
        for p, r in zip(grids["sweeps_planned"], grids["sweeps_required"], strict=True)
    ]
    out["t_status"] = grids["status"].map(lambda s: esc(label(f"map.status.{s}", lang)))
    out["t_walked"] = grids["street_walked_share"].map(fmt_share)
    out["t_gap"] = grids["longest_gap_h"].map(lambda v: fmt_num(v, 1))
    return out


_TOOLTIP_ALIASES = (
    ("t_name", "grid"),
    ("t_beat", "beat"),
    ("t_worker", "grid_worker"),
    ("t_households", "households"),
    ("t_residents", "residents"),
    ("t_risk", "risk"),
    ("t_sweeps", "map.sweeps"),
    ("t_status", "map.layer.status"),
    ("t_walked", "map.walked_share"),
    ("t_gap", "map.longest_gap"),
)


def title_html(plan: Plan, key: str, lang: str, generated: dt.datetime | None) -> str:
    """The title panel: ``key``'s title with the station, the week, and the generated time
    (or, when none is given, the plan id: the same plan gives the same page)."""
    settings = plan.scenario.settings
    start = settings.week_start
    week = label(
        "map.week",
        lang,
        start=start.isoformat(),
        end=(start + dt.timedelta(days=6)).isoformat(),
    )
    if generated is None:
        stamp = label("map.plan_id", lang, id=plan.plan_id)
    else:
        stamp = label("map.generated", lang, time=generated.strftime("%Y-%m-%d %H:%M"))
    return (
        f"<h1>{esc(label(key, lang, station=settings.station))}</h1>"
        f"<div>{esc(week)} · {esc(stamp)}</div>"
    )


def _tile_layers(m: folium.Map, view: View) -> None:
    t = view.tiles
    if t is None:
        return
    for url, name, overlay in ((t.url, t.name, False), (t.overlay_url, t.name + " 注记", True)):
        if not url:
            continue
        folium.TileLayer(
            url,
            attr=(t.attribution or t.name) if not overlay else t.attribution,
            name=name,
            subdomains=t.subdomains,
            max_zoom=MAX_ZOOM,
            max_native_zoom=t.max_zoom,
            overlay=overlay,
            control=not overlay,
        ).add_to(m)


def base_map(plan: Plan, view: View, title: str) -> folium.Map:
    """A map fitted to the grids, with our style sheet, the title panel and any tiles."""
    grids = display_frame(plan.scenario.grids[["geometry"]], view)
    minx, miny, maxx, maxy = grids.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=15,
        tiles=None,
        control_scale=True,
        zoom_control="bottomleft",
    )
    m.options["maxZoom"] = MAX_ZOOM  # MarkerCluster needs it when there is no tile layer
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    root: Any = m.get_root()
    root.header.add_child(Element(f"<style>{CSS}</style>"), name="patrol_css")
    # the page's <title> is written as it is given (branca does not escape): keep the
    # title's escaped text, which the browser shows as the plain station name
    root.title = title.split("</h1>")[0].removeprefix("<h1>")
    m.add_child(Control(title, position="topleft", css_class="patrol-panel patrol-title"))
    _tile_layers(m, view)
    return m


def streets_layer(plan: Plan, view: View, *, show: bool = True) -> folium.FeatureGroup:
    """All streets as one light multi-line: the base map when there are no tiles."""
    group = folium.FeatureGroup(name=label("map.layer.streets", view.lang), show=show)
    edges = plan.network.edges
    if plan.network.has_streets and len(edges):
        merged = shapely.MultiLineString(
            [g for g in shapely.get_parts(edges.geometry.values) if not g.is_empty]
        )
        frame = display_frame(gpd.GeoDataFrame(geometry=[merged], crs=plan.scenario.crs), view)
        style = {"color": STREET_COLOUR, "weight": 1.6, "opacity": 0.9, "interactive": False}
        folium.GeoJson(
            features(frame, []),
            style_function=lambda _f: {**style, "className": "patrol-street"},
            interactive=False,
        ).add_to(group)
    return group


def _grid_style(colours: dict[str, str], key: str, fill_opacity: float) -> Any:
    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return {
            "fillColor": colours.get(feature["properties"][key], "#999999"),
            "fillOpacity": fill_opacity,
            "color": GRID_EDGE_COLOUR,
            "weight": 1,
            "className": "patrol-grid",
        }

    return style


def _beats_layer(m: folium.Map, grids: gpd.GeoDataFrame, view: View) -> None:
    beats = grids.dissolve(by="beat_id", as_index=False)[["beat_id", "geometry"]]
    beats.geometry = beats.geometry.boundary
    group = folium.FeatureGroup(name=label("map.layer.beats", view.lang))
    folium.GeoJson(
        features(display_frame(beats, view), ["beat_id"]),
        style_function=lambda _f: {
            "color": BEAT_COLOUR,
            "weight": 3.5,
            "opacity": 0.9,
            "className": "patrol-beat",
        },
        interactive=False,
    ).add_to(group)
    group.add_to(m)


def add_grid_layers(
    m: folium.Map,
    grids: gpd.GeoDataFrame,
    view: View,
    *,
    fill_opacity: float = 0.45,
    with_risk: bool = True,
) -> None:
    """Grids by coverage status (and a radio switch to risk level), beats as outlines,
    grid names at their centres. ``grids`` comes from :func:`grid_frame`."""
    lang = view.lang
    shown = display_frame(grids, view)
    props = _grid_tooltip_props(shown, lang)
    data = pd.concat([shown[["grid_id", "status", "risk"]], props], axis=1)
    data = gpd.GeoDataFrame(data, geometry=shown.geometry.values, crs=WGS84)
    fields = [f for f, _ in _TOOLTIP_ALIASES]
    aliases = [esc(label(k, lang)) for _, k in _TOOLTIP_ALIASES]
    collection = features(data, ["grid_id", "status", "risk", *fields])
    overlay = view.tiles is not None or not with_risk
    layers = [("map.layer.status", _grid_style(STATUS_COLOURS, "status", fill_opacity), True)]
    if with_risk:
        layers.append(("map.layer.risk", _grid_style(RISK_COLOURS, "risk", fill_opacity), False))
    for key, style, show in layers:
        group = folium.FeatureGroup(name=label(key, lang), overlay=overlay, show=show)
        folium.GeoJson(
            collection,
            style_function=style,
            highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
        ).add_to(group)
        group.add_to(m)
    _beats_layer(m, grids, view)
    centres = latlon(list(shapely.point_on_surface(grids.geometry.values)), view)
    rows = [
        [lat, lon, f"<span>{esc(name)}</span>", "patrol-label", 0, None, None]
        for (lat, lon), name in zip(centres, grids["name"], strict=True)
    ]
    Markers(rows, name=label("grid", lang), control=False).add_to(m)


def posts_layer(plan: Plan, view: View) -> Markers:
    """The police rooms as badges (警 / P) with their names as tooltips."""
    posts = plan.scenario.posts
    mark = "警" if view.lang == "zh" else "P"
    word = esc(label("post", view.lang))
    rows = [
        [lat, lon, f"<span>{mark}</span>", "patrol-post", 22, None, f"{word}: {esc(name)}"]
        for (lat, lon), name in zip(latlon(list(posts.geometry), view), posts["name"], strict=True)
    ]
    return Markers(rows, name=label("map.layer.posts", view.lang))


def finish_map(m: folium.Map) -> folium.Map:
    """Add the layer control and inline every library (:mod:`patrol.render.assets`)."""
    from patrol.render.assets import make_offline

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return make_offline(m)
