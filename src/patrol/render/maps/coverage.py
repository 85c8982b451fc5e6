"""``coverage.html``: coverage and blind spots of the plan on an offline Leaflet map.

Blind spots of the week and of the nights, camera view sectors, the incidents of the
lookback window (:func:`patrol.demand.recent_incidents`) as a heat map, streets weighted
by how often they are walked, and the blind spots ranked by residents in a side panel
(a click zooms to one).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from patrol.labels import label
from patrol.projection import WGS84
from patrol.render.maps.display import (
    DECIMALS,
    View,
    display_frame,
    esc,
    features,
    fmt_num,
    latlon,
)
from patrol.render.maps.elements import Control, LegendRow, Markers, legend_html, stable_ids
from patrol.render.maps.layers import (
    MAX_ZOOM,
    add_grid_layers,
    base_map,
    finish_map,
    grid_frame,
    posts_layer,
    title_html,
)
from patrol.render.style import (
    BEAT_COLOUR,
    CAMERA_COLOUR,
    NEVER_WALKED_COLOUR,
    NIGHT_BLIND_COLOUR,
    NIGHT_WALKED_COLOUR,
    POST_COLOUR,
    WALKED_RAMP,
    WEEK_BLIND_COLOUR,
    walked_colour,
)

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

__all__ = ["blind_list_html", "coverage_map"]

BLIND_LIST_TOP = 10  # blind spots listed (and numbered on the map) per band


def _street_counts(coverage: Coverage, view: View) -> gpd.GeoDataFrame:
    """Streets in lon/lat with walked count ``n``, night count ``nn`` and camera yes/no."""
    streets = coverage.street_coverage
    cols = [c for c in ("walked_count", "night_walked_count", "camera_seen") if c in streets]
    shown = display_frame(streets[[*cols, "geometry"]], view)
    yes, no = label("map.yes", view.lang), label("map.no", view.lang)

    def count(col: str) -> Any:
        return pd.to_numeric(shown.get(col, 0), errors="coerce").fillna(0).astype(int)

    cam: Any = no
    if "camera_seen" in shown:
        cam = shown["camera_seen"].map(lambda v: yes if bool(v) else no)
    data = pd.DataFrame({"n": count("walked_count"), "nn": count("night_walked_count"), "cam": cam})
    return gpd.GeoDataFrame(data, geometry=shown.geometry.values, crs=WGS84)


def _walked_style(feature: dict[str, Any]) -> dict[str, Any]:
    n = feature["properties"]["n"]
    return {
        "color": walked_colour(n),
        "weight": 1.5 + 0.5 * min(n, 6),
        "opacity": 0.9,
        "className": "patrol-walked",
    }


def _fixed_style(**style: Any) -> Any:
    return lambda _f: style


def add_walked_layers(m: folium.Map, coverage: Coverage, view: View) -> None:
    """Streets by how often they are walked (never walked dashed), and the night walks."""
    lang = view.lang
    if not len(coverage.street_coverage):
        return
    frame = _street_counts(coverage, view)
    fields = ["n", "nn", "cam"]
    aliases = [
        esc(label(k, lang))
        for k in ("map.walked_count", "map.night_walked_count", "map.camera_seen")
    ]
    never = _fixed_style(
        color=NEVER_WALKED_COLOUR,
        weight=1.2,
        dashArray="3 3",
        opacity=0.9,
        className="patrol-street",
    )
    night = _fixed_style(
        color=NIGHT_WALKED_COLOUR, weight=3, opacity=0.8, className="patrol-night-walked"
    )
    walked = folium.FeatureGroup(name=label("map.layer.walked", lang))
    walked.add_to(m)
    for part, style in (
        (frame[frame["n"] == 0], never),
        (frame[frame["n"] > 0].sort_values("n"), _walked_style),
    ):
        _add_lines(walked, part, style, fields, aliases)
    nights = frame[frame["nn"] > 0]
    if len(nights):
        group = folium.FeatureGroup(name=label("map.layer.night_walked", lang), show=False)
        group.add_to(m)
        _add_lines(group, nights, night, fields, aliases)


def _add_lines(
    group: folium.FeatureGroup,
    part: gpd.GeoDataFrame,
    style: Any,
    fields: list[str],
    aliases: list[str],
) -> None:
    if len(part):
        folium.GeoJson(
            features(part, fields),
            style_function=style,
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(group)


_BLIND_BANDS = (("night", NIGHT_BLIND_COLOUR, 0.35, "6 4"), ("week", WEEK_BLIND_COLOUR, 0.6, None))


def _blind_rows(part: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "t_id": part["blind_id"].astype(str),
            "t_rank": part["rank"].astype(int),
            "t_res": part["residents"].map(fmt_num),
            "t_hh": part["households"].map(fmt_num),
            "t_inc": part["incidents_90d"].map(fmt_num),
            "t_len": part["street_length_m"].map(fmt_num),
        }
    )


def _listed(band: str, frame: pd.DataFrame, geoms: Any) -> list[dict[str, Any]]:
    """The ranked list's rows of one band: position, id, rank, residents, bounds."""
    listed = []
    for row, geom in zip(frame.itertuples(index=False), geoms, strict=True):
        minx, miny, maxx, maxy = geom.bounds
        inside = shapely.point_on_surface(geom)
        listed.append(
            {
                "pos": [round(inside.y, DECIMALS), round(inside.x, DECIMALS)],
                "band": band,
                "id": row.t_id,
                "rank": row.t_rank,
                "res": row.t_res,
                "inc": row.t_inc,
                "bounds": [[miny, minx], [maxy, maxx]],
            }
        )
    return listed


def add_blind_layers(m: folium.Map, coverage: Coverage, view: View) -> list[dict[str, Any]]:
    """Week and night blind spots as layers; returns their rows for the ranked list."""
    lang = view.lang
    spots = coverage.blind_spots
    listed: list[dict[str, Any]] = []
    for band, colour, opacity, dash in _BLIND_BANDS:
        part = spots[spots["band"] == band] if len(spots) else spots
        group = folium.FeatureGroup(name=label(f"map.layer.blind_{band}", lang))
        if len(part):
            shown = display_frame(part, view)
            frame = _blind_rows(shown)
            shown_rows = frame.assign(t_id=frame["t_id"].map(esc))  # tooltips insert raw HTML
            gdf = gpd.GeoDataFrame(shown_rows, geometry=shown.geometry.values, crs=WGS84)
            fields = list(frame.columns)
            aliases = [
                esc(label(k, lang))
                for k in (
                    f"map.layer.blind_{band}",
                    "map.rank",
                    "residents",
                    "households",
                    "map.incidents_90d",
                    "map.street_length",
                )
            ]
            style = _fixed_style(
                color=colour,
                weight=2,
                fillColor=colour,
                fillOpacity=opacity,
                dashArray=dash,
                className=f"patrol-blind-{band}",
            )
            folium.GeoJson(
                features(gdf, fields),
                style_function=style,
                tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
            ).add_to(group)
            listed += _listed(band, frame, shown.geometry)
        group.add_to(m)
    return listed


def blind_list_html(listed: list[dict[str, Any]], lang: str, *, top: int = BLIND_LIST_TOP) -> str:
    """The side panel: the ``top`` blind spots of the week and of the nights by rank,
    each row holding its bounds for the click-to-zoom."""
    head = (
        f"<tr><th>{esc(label('map.rank', lang))}</th><th></th>"
        f"<th>{esc(label('residents', lang))}</th>"
        f"<th>{esc(label('map.incidents_90d', lang))}</th></tr>"
    )
    parts = [f"<b>{esc(label('map.blind_list', lang))}</b>"]
    for band in ("week", "night"):
        rows = sorted((r for r in listed if r["band"] == band), key=lambda r: r["rank"])[:top]
        parts.append(f"<div><b>{esc(label(f'map.layer.blind_{band}', lang))}</b></div>")
        if not rows:
            parts.append(f"<div>{esc(label('map.no_blind_spots', lang))}</div>")
            continue
        body = "".join(
            f"<tr class=\"row\" data-bounds='{json.dumps(r['bounds'])}'><td>{r['rank']}</td>"
            f"<td>{esc(r['id'])}</td><td>{esc(r['res'])}</td><td>{esc(r['inc'])}</td></tr>"
            for r in rows
        )
        parts.append(f"<table>{head}{body}</table>")
    return "".join(parts)


def add_heat_layer(m: folium.Map, plan: Plan, view: View) -> None:
    """The incidents of the lookback window before the week, as a heat map."""
    from folium.plugins import HeatMap

    from patrol.demand import recent_incidents

    scenario = plan.scenario
    if scenario.incidents is None or not len(scenario.incidents):
        return
    recent = recent_incidents(scenario)
    if not len(recent):
        return
    days = int(scenario.settings.demand.incident_lookback_days)
    name = label("map.layer.heat", view.lang, days=days)
    points = latlon(list(recent.geometry), view)
    heat: Any = HeatMap  # folium's plugins are untyped
    heat(points, name=name, radius=18, blur=15, min_opacity=0.35, max_zoom=MAX_ZOOM).add_to(m)


def add_camera_layer(m: folium.Map, coverage: Coverage, view: View) -> None:
    """The cameras' view sectors, with their ids as tooltips."""
    cams = coverage.camera_views
    if not len(cams):
        return
    group = folium.FeatureGroup(name=label("map.layer.cameras", view.lang))
    shown = display_frame(cams[["camera_id", "geometry"]], view)
    shown["camera_id"] = shown["camera_id"].map(esc)  # folium's tooltips insert raw HTML
    style = _fixed_style(
        color=CAMERA_COLOUR,
        weight=1,
        fillColor=CAMERA_COLOUR,
        fillOpacity=0.25,
        className="patrol-camera",
    )
    folium.GeoJson(
        features(shown, ["camera_id"]),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["camera_id"], aliases=[esc(label("camera", view.lang))]
        ),
    ).add_to(group)
    group.add_to(m)


_ZOOM_ON_CLICK = (
    "ctl.getContainer().querySelectorAll('tr.row').forEach(function(tr) {"
    " tr.addEventListener('click', function() {"
    " map.fitBounds(JSON.parse(tr.getAttribute('data-bounds')),"
    " {maxZoom: 18, padding: [40, 40]}); }); });"
)


def _add_ranked_list(m: folium.Map, listed: list[dict[str, Any]], lang: str) -> None:
    Control(
        blind_list_html(listed, lang),
        position="topleft",
        css_class="patrol-panel patrol-blind-list",
        script=_ZOOM_ON_CLICK,
    ).add_to(m)
    ranks = [
        [
            r["pos"][0],
            r["pos"][1],
            f"<span>{r['rank']}</span>",
            "patrol-rank",
            0,
            None,
            esc(r["id"]),
        ]
        for r in sorted(listed, key=lambda r: r["rank"])
        if r["band"] == "week" and r["rank"] <= BLIND_LIST_TOP
    ]
    Markers(ranks, name=label("map.rank", lang), control=False).add_to(m)


def _legend(lang: str, days: int) -> str:
    heat = '<i style="background:linear-gradient(90deg,blue,lime,yellow,red)"></i>'
    blind: list[LegendRow] = [
        ("box", WEEK_BLIND_COLOUR, label("map.layer.blind_week", lang)),
        ("box", NIGHT_BLIND_COLOUR, label("map.layer.blind_night", lang)),
        ("box", CAMERA_COLOUR, label("map.layer.cameras", lang)),
        ("html", heat, label("map.layer.heat", lang, days=days)),
    ]
    walked: list[LegendRow] = [
        ("dash", NEVER_WALKED_COLOUR, label("map.never_walked", lang)),
        *(("line", c, t) for c, t in zip(WALKED_RAMP, ("1", "2", "3–5", "≥6"), strict=True)),
    ]
    layers: list[LegendRow] = [
        ("line", BEAT_COLOUR, label("map.layer.beats", lang)),
        ("html", f'<i style="background:{POST_COLOUR}"></i>', label("post", lang)),
    ]
    titles = ("blind_spot", "map.walked_count", "map.layers")
    rows = (blind, walked, layers)
    return legend_html([(label(t, lang), r) for t, r in zip(titles, rows, strict=True)], lang)


def coverage_map(
    plan: Plan,
    coverage: Coverage,
    *,
    lang: str = "zh",
    tiles: str | None = None,
    generated: dt.datetime | None = None,
) -> folium.Map:
    """Coverage and blind spots of the plan on an offline Leaflet map (see the module
    docstring); ``tiles`` and ``generated`` as for :func:`patrol.render.maps.plan_map`."""
    from patrol.render.basemaps import resolve_tiles

    with stable_ids():
        view = View(lang=lang, tiles=resolve_tiles(tiles), crs=plan.scenario.crs)
        m = base_map(plan, view, title_html(plan, "map.coverage_title", lang, generated))
        grids = grid_frame(plan, plan.grid_table, coverage)
        add_grid_layers(m, grids, view, fill_opacity=0.08, with_risk=False)
        add_walked_layers(m, coverage, view)
        add_camera_layer(m, coverage, view)
        add_heat_layer(m, plan, view)
        listed = add_blind_layers(m, coverage, view)
        posts_layer(plan, view).add_to(m)
        _add_ranked_list(m, listed, lang)
        days = int(plan.scenario.settings.demand.incident_lookback_days)
        legend = _legend(lang, days)
        Control(legend, position="bottomright", css_class="patrol-panel patrol-legend").add_to(m)
        return finish_map(m)
