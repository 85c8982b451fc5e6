"""Interactive maps of a week's plan and of its coverage, that open with no network.

Two pages, written by :func:`write_maps`:

- ``plan.html`` – grids coloured by coverage status (sweeps met / short / not swept) or,
  by a switch, by risk level; beats as heavy outlines; one shift's routes at a time, one
  colour per team, chosen in a day-and-shift selector (the first shift on opening); stops
  numbered, with arrival, task and target in a popup; police rooms; unserved tasks with
  their reason.
- ``coverage.html`` – blind spots of the week and of the nights, camera view sectors,
  the last 90 days of incidents as a heat map, streets weighted by how often they are
  walked, and the blind spots ranked by residents in a side panel.

Both carry a title (station, week, time generated), a legend, a scale bar and tooltips on
grids; every word comes from :mod:`patrol.labels` (Chinese by default, ``lang="en"``).
Focus households appear only as counts and categories, never by name.

Offline: Leaflet and its plugins are inlined (:mod:`patrol.render.assets`); there is no
tile layer unless ``tiles`` asks for one (:mod:`patrol.render.basemaps`) – the streets,
drawn light, are the base map. Geometry is simplified to about a metre and coordinates are
rounded to 5 decimals (about 1 m) to keep a station's week to a few megabytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.labels import label, shift_label
from patrol.projection import WGS84

if TYPE_CHECKING:
    import folium

    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan
    from patrol.render.basemaps import TileSource

__all__ = [
    "RISK_COLOURS",
    "STATUS_COLOURS",
    "TEAM_COLOURS",
    "coverage_map",
    "grid_status",
    "plan_map",
    "write_maps",
]

logger = logging.getLogger("patrol")

SIMPLIFY_M = 1.0  # display tolerance, metres
DECIMALS = 5  # 1e-5 degree is about 1.1 m north-south
MAX_ZOOM = 20
BLIND_LIST_TOP = 10  # blind spots listed (and numbered on the map) per band

STATUS_COLOURS = {"met": "#74c476", "short": "#fdae6b", "uncovered": "#de2d26"}
RISK_COLOURS = {"green": "#1a9641", "yellow": "#f4d03f", "orange": "#f39c12", "red": "#d7191c"}
TEAM_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#393b79",
    "#bcbd22",
    "#637939",
    "#7f7f7f",
)
BEAT_COLOUR = "#2b2b2b"
STREET_COLOUR = "#9a9a9a"
WEEK_BLIND_COLOUR = "#e31a1c"
NIGHT_BLIND_COLOUR = "#3f007d"
CAMERA_COLOUR = "#1b9e77"
POST_COLOUR = "#08519c"
UNSERVED_COLOUR = "#111111"
WALKED_RAMP = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")

_FONT = '"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif'
_CSS = f"""
html .leaflet-container {{ background: #f6f5f0; font-family: {_FONT}; }}
.patrol-panel {{ background: rgba(255,255,255,.95); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 5px rgba(0,0,0,.35); font: 13px/1.45 {_FONT}; color: #222;
  max-width: 340px; }}
.patrol-title h1 {{ font-size: 16px; margin: 0 0 2px 0; }}
.patrol-title div {{ font-size: 12px; color: #555; }}
.patrol-legend {{ font-size: 12px; max-height: 46vh; overflow-y: auto; }}
.patrol-legend h4 {{ margin: 6px 0 2px 0; font-size: 12px; }}
.patrol-legend i {{ display: inline-block; width: 14px; height: 12px; margin-right: 6px;
  vertical-align: -1px; border: 1px solid rgba(0,0,0,.35); }}
.patrol-legend i.line {{ height: 0; border: 0; border-top-width: 3px;
  border-top-style: solid; vertical-align: 3px; }}
.patrol-shifts select {{ font-size: 13px; max-width: 230px; }}
.patrol-shifts button {{ font-size: 12px; margin-left: 2px; }}
.patrol-shifts ul {{ list-style: none; padding: 0; margin: 4px 0 0 0; font-size: 12px; }}
.patrol-shifts li i {{ display: inline-block; width: 18px; height: 4px; margin-right: 6px;
  vertical-align: 3px; }}
.patrol-stop span {{ display: block; width: 18px; height: 18px; border-radius: 9px;
  color: #fff; font: bold 11px/18px sans-serif; text-align: center;
  border: 1.5px solid #fff; box-shadow: 0 0 2px rgba(0,0,0,.6); }}
.patrol-post span {{ display: block; width: 20px; height: 20px; border-radius: 3px;
  background: {POST_COLOUR}; color: #fff; font: bold 12px/20px {_FONT};
  text-align: center; border: 1.5px solid #fff; box-shadow: 0 0 3px rgba(0,0,0,.6); }}
.patrol-unserved span {{ display: block; width: 16px; height: 16px; color: #fff;
  background: {UNSERVED_COLOUR}; border-radius: 2px; font: bold 12px/16px sans-serif;
  text-align: center; transform: rotate(45deg); }}
.patrol-unserved span b {{ display: block; transform: rotate(-45deg); }}
.patrol-cluster span {{ display: block; width: 26px; height: 26px; border-radius: 13px;
  background: {UNSERVED_COLOUR}; color: #fff; font: bold 12px/26px sans-serif;
  text-align: center; border: 2px solid #fff; box-shadow: 0 0 3px rgba(0,0,0,.6); }}
.patrol-rank span {{ display: block; min-width: 22px; height: 16px; padding: 0 2px;
  border-radius: 3px; background: #fff; color: {WEEK_BLIND_COLOUR};
  border: 1.5px solid {WEEK_BLIND_COLOUR}; font: bold 11px/16px sans-serif;
  text-align: center; }}
.patrol-label {{ color: #333; font: 11px/1.2 {_FONT}; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }}
.patrol-label span {{ position: relative; left: -50%; top: -7px; }}
.patrol-blind-list {{ max-height: 52vh; overflow-y: auto; }}
.patrol-blind-list table {{ border-collapse: collapse; font-size: 12px; }}
.patrol-blind-list td, .patrol-blind-list th {{ padding: 1px 5px; text-align: right; }}
.patrol-blind-list tr.row {{ cursor: pointer; }}
.patrol-blind-list tr.row:hover {{ background: #fee; }}
.leaflet-tooltip table th, .leaflet-popup-content table th {{ text-align: left;
  padding-right: 8px; font-weight: normal; color: #555; }}
.leaflet-tooltip, .leaflet-popup-content {{ font-family: {_FONT}; font-size: 12px; }}
.leaflet-control-layers {{ font-family: {_FONT}; font-size: 12px; }}
"""


# ----------------------------------------------------------------------- display helpers


@dataclass(frozen=True)
class _View:
    """How geometry and words are drawn: language, and whether to shift to GCJ-02."""

    lang: str
    tiles: TileSource | None
    crs: Any

    @property
    def gcj02(self) -> bool:
        return self.tiles is not None and self.tiles.gcj02


def _round_coords(coords: Any) -> Any:
    return np.round(coords, DECIMALS)


def _display(
    frame: gpd.GeoDataFrame, view: _View, *, simplify_m: float = SIMPLIFY_M
) -> gpd.GeoDataFrame:
    """A copy in lon/lat for Leaflet: simplified, GCJ-shifted if asked, rounded."""
    from patrol.render.basemaps import shift_for_display

    out = frame.copy()
    if len(out) == 0:
        return out.set_crs(WGS84, allow_override=True) if out.crs is None else out.to_crs(WGS84)
    if simplify_m > 0:
        out.geometry = shapely.simplify(out.geometry.values, simplify_m, preserve_topology=True)
    out = out.to_crs(WGS84)
    if view.gcj02:
        out = shift_for_display(out)
    out.geometry = shapely.transform(out.geometry.values, _round_coords)
    return out


def _latlon(points: Sequence[shapely.Geometry], view: _View) -> list[list[float]]:
    """[lat, lon] pairs of points in the working CRS, ready for Leaflet."""
    if not points:
        return []
    frame = gpd.GeoDataFrame(geometry=list(points), crs=view.crs)
    shown = _display(frame, view, simplify_m=0)
    return [[float(p.y), float(p.x)] for p in shown.geometry]


def _line_latlon(geom: shapely.Geometry) -> list[list[float]]:
    return [[float(y), float(x)] for x, y in shapely.get_coordinates(geom)]


def _features(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with only ``columns`` as properties."""
    feats = []
    records = frame[list(columns)].to_dict(orient="records") if columns else [{}] * len(frame)
    for geom, props in zip(frame.geometry, records, strict=True):
        if geom is None or geom.is_empty:
            continue
        clean = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in props.items()}
        feats.append(
            {"type": "Feature", "properties": clean, "geometry": shapely.geometry.mapping(geom)}
        )
    return {"type": "FeatureCollection", "features": feats}


def _js_json(value: Any) -> str:
    """Compact JSON for a script block: UTF-8 kept (half the size of escapes), ``</``
    escaped so no string can close the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(rows: Iterable[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _fmt_num(value: Any, digits: int = 0) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    if np.isnan(number):
        return "–"
    return f"{number:.{digits}f}" if digits else f"{round(number):d}"


def _fmt_share(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if np.isnan(number) else f"{100 * number:.0f}%"


# ----------------------------------------------------------------------- folium elements


def _elements() -> dict[str, type]:
    """Our folium element classes, defined on first use so ``import patrol`` stays light."""
    global _ELEMENTS
    if _ELEMENTS:
        return _ELEMENTS
    from branca.element import MacroElement
    from folium.map import Layer
    from folium.template import Template

    class Control(MacroElement):  # type: ignore[misc]
        """A Leaflet control holding fixed HTML (title, legend, ranked list)."""

        _template = Template(
            """
            {% macro script(this, kwargs) %}
            (function() {
                var ctl = L.control({position: {{ this.position|tojson }}});
                ctl.onAdd = function() {
                    var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                    div.innerHTML = {{ this.html_json }};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                ctl.addTo({{ this._parent.get_name() }});
                {{ this.script }}
            })();
            {% endmacro %}
            """
        )

        def __init__(
            self, html_text: str, *, position: str, css_class: str, script: str = ""
        ) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "PatrolControl"
            self.html_json = _js_json(html_text)
            self.position = position
            self.css_class = css_class
            self.script = script

    class Markers(Layer):  # type: ignore[misc]
        """Many DivIcon markers from one compact JSON array (optionally clustered).

        Each row: ``[lat, lon, icon_html, css_class, size_px, popup_html, tooltip]``.
        """

        _template = Template(
            """
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {% if this.cluster -%}
                L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
                    iconCreateFunction: function(c) { return L.divIcon({
                        html: '<span>' + c.getChildCount() + '</span>',
                        className: 'patrol-cluster', iconSize: [26, 26]}); }});
            {%- else %}L.layerGroup();{% endif %}
            (function(group, rows) {
                rows.forEach(function(r) {
                    var size = r[4];
                    var m = L.marker([r[0], r[1]], {
                        icon: L.divIcon({html: r[2], className: r[3],
                                         iconSize: size ? [size, size] : null}),
                        interactive: !!(r[5] || r[6]), keyboard: false});
                    if (r[5]) { m.bindPopup(r[5]); }
                    if (r[6]) { m.bindTooltip(r[6]); }
                    group.addLayer(m);
                });
            })({{ this.get_name() }}, {{ this.rows_json }});
            {% endmacro %}
            """
        )

        def __init__(
            self,
            rows: list[list[Any]],
            *,
            name: str,
            cluster: bool = False,
            show: bool = True,
            control: bool = True,
        ) -> None:
            super().__init__(name=name, overlay=True, control=control, show=show)
            self._name = "PatrolMarkers"
            self.rows_json = _js_json(rows)
            self.cluster = cluster
            if cluster:
                self.default_js = [("markerclusterjs", "")]
                self.default_css = [("markerclustercss", ""), ("markerclusterdefaultcss", "")]

    class ShiftRoutes(Layer):  # type: ignore[misc]
        """The routes of one shift at a time, with a selector control to switch shifts."""

        _template = Template(
            """
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup();
            (function(group, data, map) {
                var select, list, count;
                function show(i) {
                    group.clearLayers();
                    var shift = data.shifts[i];
                    select.value = String(i);
                    map.getContainer().setAttribute('data-shift', shift.key);
                    var items = [];
                    shift.teams.forEach(function(t) {
                        L.polyline(t.line, {color: '#ffffff', weight: 8, opacity: 0.85,
                            interactive: false, className: 'patrol-route-casing'}).addTo(group);
                        L.polyline(t.line, {color: t.colour, weight: 4, opacity: 0.95,
                            className: 'patrol-route'}).bindPopup(t.popup).addTo(group);
                        t.stops.forEach(function(s) {
                            L.marker([s[0], s[1]], {icon: L.divIcon({
                                html: '<span style="background:' + t.colour + '">' + s[2]
                                      + '</span>',
                                className: 'patrol-stop', iconSize: [18, 18]}),
                                zIndexOffset: 500}).bindPopup(s[3]).addTo(group);
                        });
                        items.push('<li><i style="background:' + t.colour + '"></i>'
                                   + t.label + '</li>');
                    });
                    list.innerHTML = items.length ? items.join('')
                                                  : '<li>' + data.words.none + '</li>';
                    count.textContent = data.words.teams.replace('{n}', shift.teams.length);
                }
                var ctl = L.control({position: 'topleft'});
                ctl.onAdd = function() {
                    var div = L.DomUtil.create('div', 'patrol-panel patrol-shifts');
                    var head = L.DomUtil.create('div', '', div);
                    head.innerHTML = '<b>' + data.words.title + '</b> <span></span>';
                    count = head.querySelector('span');
                    var row = L.DomUtil.create('div', '', div);
                    var prev = L.DomUtil.create('button', 'patrol-prev', row);
                    prev.type = 'button'; prev.textContent = '◀'; prev.title = data.words.prev;
                    select = L.DomUtil.create('select', 'patrol-shift-select', row);
                    data.shifts.forEach(function(s, i) {
                        var o = document.createElement('option');
                        o.value = String(i); o.textContent = s.label; select.appendChild(o);
                    });
                    var next = L.DomUtil.create('button', 'patrol-next', row);
                    next.type = 'button'; next.textContent = '▶'; next.title = data.words.next;
                    list = L.DomUtil.create('ul', '', div);
                    select.addEventListener('change', function() { show(+select.value); });
                    prev.addEventListener('click', function() {
                        show((+select.value + data.shifts.length - 1) % data.shifts.length); });
                    next.addEventListener('click', function() {
                        show((+select.value + 1) % data.shifts.length); });
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                ctl.addTo(map);
                if (data.shifts.length) { show(data.initial); }
            })({{ this.get_name() }}, {{ this.data_json }}, {{ this._parent.get_name() }});
            {% endmacro %}
            """
        )

        def __init__(self, data: dict[str, Any], *, name: str) -> None:
            super().__init__(name=name, overlay=True, control=True, show=True)
            self._name = "PatrolShiftRoutes"
            self.data_json = _js_json(data)

    _ELEMENTS.update(Control=Control, Markers=Markers, ShiftRoutes=ShiftRoutes)
    return _ELEMENTS


_ELEMENTS: dict[str, type] = {}


# ----------------------------------------------------------------------- shared parts


def grid_status(sweeps_planned: float, sweeps_required: float) -> str:
    """``"met"`` when planned sweeps reach the requirement, ``"uncovered"`` when a grid
    that needs sweeps gets none, else ``"short"``."""
    planned = 0.0 if pd.isna(sweeps_planned) else float(sweeps_planned)
    required = 0.0 if pd.isna(sweeps_required) else float(sweeps_required)
    if planned + 1e-9 >= required:
        return "met"
    return "uncovered" if planned <= 1e-9 else "short"


def _grid_frame(plan: Plan, coverage: Coverage | None) -> gpd.GeoDataFrame:
    """The grids with everything their tooltips and colours need."""
    from patrol.summary import grid_table

    scenario = plan.scenario
    grids = scenario.grids[
        ["grid_id", "name", "beat_id", "risk", "households", "residents", "geometry"]
    ].copy()
    table = grid_table(plan)
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
        f"{_esc(n)} ({_esc(g)})" for n, g in zip(grids["name"], grids["grid_id"], strict=True)
    ]
    out["t_beat"] = grids["beat_id"].map(_esc)
    out["t_worker"] = grids["grid_worker"].map(_esc)
    out["t_households"] = grids["households"].map(_fmt_num)
    out["t_residents"] = grids["residents"].map(_fmt_num)
    out["t_risk"] = grids["risk"].map(lambda r: label(f"risk.{r}", lang))
    out["t_sweeps"] = [
        f"{_fmt_num(p, 1).rstrip('0').rstrip('.')}/{_fmt_num(r)}"
        for p, r in zip(grids["sweeps_planned"], grids["sweeps_required"], strict=True)
    ]
    out["t_status"] = grids["status"].map(lambda s: label(f"map.status.{s}", lang))
    out["t_walked"] = grids["street_walked_share"].map(_fmt_share)
    out["t_gap"] = grids["longest_gap_h"].map(lambda v: _fmt_num(v, 1))
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


def _week_text(plan: Plan, lang: str) -> str:
    start = plan.scenario.settings.week_start
    end = start + dt.timedelta(days=6)
    return label("map.week", lang, start=start.isoformat(), end=end.isoformat())


def _title(plan: Plan, key: str, view: _View, generated: dt.datetime | None) -> str:
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    station = plan.scenario.settings.station
    return (
        f"<h1>{_esc(label(key, view.lang, station=station))}</h1>"
        f"<div>{_esc(_week_text(plan, view.lang))} · "
        f"{_esc(label('map.generated', view.lang, time=when))}</div>"
    )


def _base_map(plan: Plan, view: _View, title_html: str) -> folium.Map:
    import folium

    grids = _display(plan.scenario.grids[["geometry"]], view)
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
    from branca.element import Element

    root: Any = m.get_root()
    root.header.add_child(Element(f"<style>{_CSS}</style>"), name="patrol_css")
    root.title = html.unescape(title_html.split("</h1>")[0].removeprefix("<h1>"))
    els = _elements()
    m.add_child(
        els["Control"](title_html, position="topleft", css_class="patrol-panel patrol-title")
    )
    if view.tiles is not None:
        t = view.tiles
        folium.TileLayer(
            t.url,
            attr=t.attribution or t.name,
            name=t.name,
            subdomains=t.subdomains,
            max_zoom=MAX_ZOOM,
            max_native_zoom=t.max_zoom,
            overlay=False,
            control=True,
        ).add_to(m)
        if t.overlay_url:
            folium.TileLayer(
                t.overlay_url,
                attr=t.attribution,
                name=t.name + " 注记",
                subdomains=t.subdomains,
                max_zoom=MAX_ZOOM,
                max_native_zoom=t.max_zoom,
                overlay=True,
                control=False,
            ).add_to(m)
    return m


def _streets_layer(plan: Plan, view: _View, *, show: bool = True) -> folium.FeatureGroup:
    """All streets as one light multi-line: the base map when there are no tiles."""
    import folium

    group = folium.FeatureGroup(name=label("map.layer.streets", view.lang), show=show)
    edges = plan.network.edges
    if plan.network.has_streets and len(edges):
        merged = shapely.MultiLineString(
            [g for g in shapely.get_parts(edges.geometry.values) if not g.is_empty]
        )
        frame = _display(gpd.GeoDataFrame(geometry=[merged], crs=plan.scenario.crs), view)
        folium.GeoJson(
            _features(frame, []),
            style_function=lambda _f: {
                "color": STREET_COLOUR,
                "weight": 1.6,
                "opacity": 0.9,
                "interactive": False,
                "className": "patrol-street",
            },
            interactive=False,
        ).add_to(group)
    return group


def _grid_layers(
    m: folium.Map,
    grids: gpd.GeoDataFrame,
    view: _View,
    *,
    fill_opacity: float = 0.45,
    with_risk: bool = True,
) -> None:
    """Grids by coverage status (and a radio switch to risk level), beats as outlines."""
    import folium

    lang = view.lang
    shown = _display(grids, view)
    props = _grid_tooltip_props(shown, lang)
    data = pd.concat([shown[["grid_id", "status", "risk"]], props], axis=1)
    data = gpd.GeoDataFrame(data, geometry=shown.geometry.values, crs=WGS84)
    fields = [f for f, _ in _TOOLTIP_ALIASES]
    aliases = [label(k, lang) for _, k in _TOOLTIP_ALIASES]
    collection = _features(data, ["grid_id", "status", "risk", *fields])

    def status_style(feature: dict[str, Any]) -> dict[str, Any]:
        return {
            "fillColor": STATUS_COLOURS[feature["properties"]["status"]],
            "fillOpacity": fill_opacity,
            "color": "#555555",
            "weight": 1,
            "className": "patrol-grid",
        }

    def risk_style(feature: dict[str, Any]) -> dict[str, Any]:
        return {
            "fillColor": RISK_COLOURS.get(feature["properties"]["risk"], "#999999"),
            "fillOpacity": fill_opacity,
            "color": "#555555",
            "weight": 1,
            "className": "patrol-grid",
        }

    overlay = view.tiles is not None or not with_risk
    for key, style, show in (
        ("map.layer.status", status_style, True),
        ("map.layer.risk", risk_style, False),
    ):
        if key == "map.layer.risk" and not with_risk:
            continue
        group = folium.FeatureGroup(name=label(key, lang), overlay=overlay, show=show)
        folium.GeoJson(
            collection,
            style_function=style,
            highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
        ).add_to(group)
        group.add_to(m)
    beats = grids.dissolve(by="beat_id", as_index=False)[["beat_id", "geometry"]]
    beats.geometry = beats.geometry.boundary
    beats_shown = _display(beats, view)
    group = folium.FeatureGroup(name=label("map.layer.beats", lang))
    folium.GeoJson(
        _features(beats_shown, ["beat_id"]),
        style_function=lambda _f: {
            "color": BEAT_COLOUR,
            "weight": 3.5,
            "opacity": 0.9,
            "className": "patrol-beat",
        },
        interactive=False,
    ).add_to(group)
    group.add_to(m)
    # grid names at their centres
    centres = shapely.point_on_surface(grids.geometry.values)
    latlon = _latlon(list(centres), view)
    rows = [
        [lat, lon, f"<span>{_esc(name)}</span>", "patrol-label", 0, None, None]
        for (lat, lon), name in zip(latlon, grids["name"], strict=True)
    ]
    _elements()["Markers"](rows, name=label("grid", lang), control=False).add_to(m)


def _legend(sections: list[tuple[str, list[tuple[str, str, str]]]], lang: str) -> str:
    """Legend HTML: sections of (swatch kind, colour, text); kind is box, line or html."""
    parts = [f"<b>{_esc(label('map.legend', lang))}</b>"]
    for title, rows in sections:
        parts.append(f"<h4>{_esc(title)}</h4>")
        for kind, colour, text in rows:
            if kind == "line":
                swatch = f'<i class="line" style="border-top-color:{colour}"></i>'
            elif kind == "dash":
                swatch = (
                    f'<i class="line" style="border-top-color:{colour};'
                    'border-top-style:dashed"></i>'
                )
            elif kind == "html":
                swatch = colour
            else:
                swatch = f'<i style="background:{colour}"></i>'
            parts.append(f"<div>{swatch}{_esc(text)}</div>")
    return "".join(parts)


def _posts_layer(plan: Plan, view: _View) -> Any:
    posts = plan.scenario.posts
    latlon = _latlon(list(posts.geometry), view)
    mark = "警" if view.lang == "zh" else "P"
    rows = [
        [
            lat,
            lon,
            f"<span>{mark}</span>",
            "patrol-post",
            22,
            None,
            f"{_esc(label('post', view.lang))}: {_esc(name)}",
        ]
        for (lat, lon), name in zip(latlon, posts["name"], strict=True)
    ]
    return _elements()["Markers"](rows, name=label("map.layer.posts", view.lang))


def _finish(m: folium.Map) -> folium.Map:
    import folium

    from patrol.render.assets import make_offline

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return make_offline(m)


# ----------------------------------------------------------------------- plan map


def _team_colours(plan: Plan) -> dict[str, str]:
    """One colour per team, stable over the week: a beat's n-th team keeps its colour."""
    by_slot: dict[str, list[Any]] = {}
    for route in plan.routes:
        by_slot.setdefault(route.team.slot.key, []).append(route.team)
    key_of: dict[str, tuple[str, int]] = {}
    for teams in by_slot.values():
        seen: dict[str, int] = {}
        for team in sorted(teams, key=lambda t: (t.beat_id, t.team_id)):
            seen[team.beat_id] = seen.get(team.beat_id, 0) + 1
            key_of[team.team_id] = (team.beat_id, seen[team.beat_id])
    order = {k: i for i, k in enumerate(sorted(set(key_of.values())))}
    return {tid: TEAM_COLOURS[order[k] % len(TEAM_COLOURS)] for tid, k in key_of.items()}


def _slot_label(slot: Any, lang: str) -> str:
    return (
        f"{label(f'day.{slot.day}', lang)} {slot.date:%m-%d} "
        f"{shift_label(slot.shift, lang)} {slot.start:%H:%M}–{slot.end:%H:%M}"
    )


def _members_text(team: Any, lang: str) -> str:
    return " · ".join(
        f"{label(f'role.{p.role}', lang)} {p.name}" for p in team.members if p is not None
    )


def _routes_data(plan: Plan, view: _View, grid_names: dict[str, str]) -> dict[str, Any]:
    lang = view.lang
    colours = _team_colours(plan)
    categories: dict[str, str] = {}
    focus = plan.scenario.focus_households
    if focus is not None and len(focus) and "category" in focus.columns:
        categories = dict(zip(focus["household_id"].astype(str), focus["category"], strict=True))
    routes_by_slot: dict[str, list[Any]] = {}
    for route in plan.routes:
        routes_by_slot.setdefault(route.team.slot.key, []).append(route)
    lines = [r.geometry for r in plan.routes]
    shown_lines = _display(gpd.GeoDataFrame(geometry=lines, crs=view.crs), view).geometry
    line_of = {id(r): shown_lines.iloc[i] for i, r in enumerate(plan.routes)}
    stop_points = [s.point for r in plan.routes for s in r.stops if s.kind != "post"]
    stop_latlon = iter(_latlon(stop_points, view))
    shifts = []
    for slot in sorted(plan.slots, key=lambda s: (s.start, s.key)):
        teams = []
        for route in sorted(
            routes_by_slot.get(slot.key, []), key=lambda r: (r.team.beat_id, r.team.team_id)
        ):
            team = route.team
            stops = []
            for stop in route.stops:
                if stop.kind == "post":
                    continue
                lat, lon = next(stop_latlon)
                target = stop.target_id
                if stop.kind == "visit" and target in categories:
                    target = f"{target} ({label(f'category.{categories[target]}', lang)})"
                rows = [
                    (label("map.time", lang), f"{stop.arrive:%H:%M}–{stop.depart:%H:%M}"),
                    (label("map.task", lang), stop.description(lang) or stop.task_id),
                    (label("map.target", lang), target),
                    (label("grid", lang), grid_names.get(stop.grid_id, stop.grid_id)),
                ]
                head = (
                    f"<b>{_esc(label('map.stop', lang, seq=stop.seq))} · "
                    f"{_esc(label(f'kind.{stop.kind}', lang))}</b>"
                )
                stops.append([lat, lon, stop.seq, head + _table(rows)])
            km = f"{route.length_m / 1000:.1f}"
            team_label = (
                f"{team.team_id.rsplit('_', 2)[-2]}-{team.team_id.rsplit('_', 1)[-1]}"
                if team.team_id.count("_") >= 2
                else team.team_id
            )
            popup = f"<b>{_esc(label('team', lang))} {_esc(team.team_id)}</b>" + _table(
                [
                    (label("beat", lang), team.beat_id),
                    (label("map.members", lang), _members_text(team, lang)),
                    (label("map.time", lang), f"{route.start:%H:%M}–{route.end:%H:%M}"),
                    (label("map.routes", lang), label("map.length_km", lang, km=km)),
                ]
            )
            teams.append(
                {
                    "id": team.team_id,
                    "colour": colours.get(team.team_id, TEAM_COLOURS[0]),
                    "label": _esc(
                        f"{team_label} · {len(stops)} · {label('map.length_km', lang, km=km)}"
                    ),
                    "line": _line_latlon(line_of[id(route)]),
                    "stops": stops,
                    "popup": popup,
                }
            )
        shifts.append({"key": slot.key, "label": _slot_label(slot, lang), "teams": teams})
    initial = next((i for i, s in enumerate(shifts) if s["teams"]), 0)
    words = {
        "title": _esc(label("map.routes", lang)),
        "prev": label("map.prev", lang),
        "next": label("map.next", lang),
        "none": _esc(label("map.no_routes", lang)),
        "teams": label("map.team_list", lang, n="{n}"),
    }
    return {"shifts": shifts, "initial": initial, "words": words}


def _unserved_point(plan: Plan, task: Any) -> shapely.Geometry:
    geom = task.geometry
    if geom is not None and not geom.is_empty:
        if shapely.get_type_id(geom) in (1, 5):
            return shapely.line_interpolate_point(geom, 0.5, normalized=True)
        return shapely.point_on_surface(geom)
    x, y = plan.network.node_xy[int(task.start_node)]
    return shapely.Point(float(x), float(y))


def _unserved_layer(plan: Plan, view: _View, grid_names: dict[str, str]) -> Any:
    lang = view.lang
    points = [_unserved_point(plan, u.task) for u in plan.unserved]
    rows = []
    for (lat, lon), u in zip(_latlon(points, view), plan.unserved, strict=True):
        task = u.task
        desc = task.description_zh if lang == "zh" else task.description_en
        popup = (
            f"<b>{_esc(label('map.layer.unserved', lang))} · "
            f"{_esc(label(f'kind.{task.kind}', lang))}</b>"
            + _table(
                [
                    (label("map.task", lang), desc or task.task_id),
                    (label("grid", lang), grid_names.get(task.grid_id, task.grid_id)),
                    (label("map.reason", lang), u.reason_zh if lang == "zh" else u.reason_en),
                ]
            )
        )
        rows.append([lat, lon, "<span><b>✕</b></span>", "patrol-unserved", 16, popup, None])
    return _elements()["Markers"](rows, name=label("map.layer.unserved", lang), cluster=True)


def plan_map(
    plan: Plan,
    coverage: Coverage | None = None,
    *,
    lang: str = "zh",
    tiles: str | None = None,
    generated: dt.datetime | None = None,
) -> folium.Map:
    """The week's plan on an offline Leaflet map (see the module docstring).

    ``coverage`` adds street-walked shares and longest gaps to the grid tooltips;
    ``tiles`` adds a background (see :func:`patrol.render.basemaps.resolve_tiles`).
    """
    from patrol.render.basemaps import resolve_tiles

    view = _View(lang=lang, tiles=resolve_tiles(tiles), crs=plan.scenario.crs)
    m = _base_map(plan, view, _title(plan, "map.plan_title", view, generated))
    _streets_layer(plan, view).add_to(m)
    grids = _grid_frame(plan, coverage)
    _grid_layers(m, grids, view)
    grid_names = dict(zip(grids["grid_id"], grids["name"], strict=True))
    els = _elements()
    els["ShiftRoutes"](_routes_data(plan, view, grid_names), name=label("map.routes", lang)).add_to(
        m
    )
    _posts_layer(plan, view).add_to(m)
    if plan.unserved:
        _unserved_layer(plan, view, grid_names).add_to(m)
    legend = _legend(
        [
            (
                label("map.layer.status", lang),
                [
                    ("box", STATUS_COLOURS[k], label(f"map.status.{k}", lang))
                    for k in STATUS_COLOURS
                ],
            ),
            (
                label("map.layer.risk", lang),
                [("box", c, label(f"risk.{k}", lang)) for k, c in RISK_COLOURS.items()],
            ),
            (
                label("map.layers", lang),
                [
                    ("line", BEAT_COLOUR, label("map.layer.beats", lang)),
                    ("line", STREET_COLOUR, label("map.layer.streets", lang)),
                    ("line", TEAM_COLOURS[0], label("map.routes", lang)),
                    (
                        "html",
                        '<i style="background:#555;border-radius:7px"></i>',
                        label("map.stop", lang, seq="N"),
                    ),
                    ("html", f'<i style="background:{POST_COLOUR}"></i>', label("post", lang)),
                    (
                        "html",
                        f'<i style="background:{UNSERVED_COLOUR};transform:rotate(45deg)"></i>',
                        label("map.layer.unserved", lang),
                    ),
                ],
            ),
        ],
        lang,
    )
    els["Control"](legend, position="bottomright", css_class="patrol-panel patrol-legend").add_to(m)
    return _finish(m)


# ----------------------------------------------------------------------- coverage map


def _walked_colour(count: float) -> str:
    if count >= 6:
        return WALKED_RAMP[3]
    if count >= 3:
        return WALKED_RAMP[2]
    if count >= 2:
        return WALKED_RAMP[1]
    return WALKED_RAMP[0]


def _walked_layers(m: folium.Map, coverage: Coverage, view: _View) -> None:
    import folium

    lang = view.lang
    streets = coverage.street_coverage
    if not len(streets):
        return
    cols = [c for c in ("walked_count", "night_walked_count", "camera_seen") if c in streets]
    shown = _display(streets[[*cols, "geometry"]], view)
    yes, no = label("map.yes", lang), label("map.no", lang)
    data = pd.DataFrame(
        {
            "n": pd.to_numeric(shown.get("walked_count", 0), errors="coerce").fillna(0).astype(int),
            "nn": pd.to_numeric(shown.get("night_walked_count", 0), errors="coerce")
            .fillna(0)
            .astype(int),
            "cam": shown["camera_seen"].map(lambda v: yes if bool(v) else no)
            if "camera_seen" in shown
            else no,
        }
    )
    frame = gpd.GeoDataFrame(data, geometry=shown.geometry.values, crs=WGS84)
    never = frame[frame["n"] == 0]
    walked = frame[frame["n"] > 0].sort_values("n")
    fields = ["n", "nn", "cam"]
    aliases = [
        label("map.walked_count", lang),
        label("map.night_walked_count", lang),
        label("map.camera_seen", lang),
    ]
    group = folium.FeatureGroup(name=label("map.layer.walked", lang))
    if len(never):
        folium.GeoJson(
            _features(never, fields),
            style_function=lambda _f: {
                "color": "#8c8c8c",
                "weight": 1.2,
                "dashArray": "3 3",
                "opacity": 0.9,
                "className": "patrol-street",
            },
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(group)

    def walked_style(feature: dict[str, Any]) -> dict[str, Any]:
        n = feature["properties"]["n"]
        return {
            "color": _walked_colour(n),
            "weight": 1.5 + 0.5 * min(n, 6),
            "opacity": 0.9,
            "className": "patrol-walked",
        }

    if len(walked):
        folium.GeoJson(
            _features(walked, fields),
            style_function=walked_style,
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(group)
    group.add_to(m)
    night = frame[frame["nn"] > 0]
    if not len(night):
        return
    group = folium.FeatureGroup(name=label("map.layer.night_walked", lang), show=False)
    folium.GeoJson(
        _features(night, fields),
        style_function=lambda _f: {
            "color": "#54278f",
            "weight": 3,
            "opacity": 0.8,
            "className": "patrol-night-walked",
        },
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(group)
    group.add_to(m)


def _blind_layers(m: folium.Map, coverage: Coverage, view: _View) -> list[dict[str, Any]]:
    """Week and night blind spots as layers; returns their rows for the ranked list."""
    import folium

    lang = view.lang
    spots = coverage.blind_spots
    listed: list[dict[str, Any]] = []
    for band, colour, opacity, dash in (
        ("night", NIGHT_BLIND_COLOUR, 0.35, "6 4"),
        ("week", WEEK_BLIND_COLOUR, 0.6, None),
    ):
        part = spots[spots["band"] == band] if len(spots) else spots
        group = folium.FeatureGroup(name=label(f"map.layer.blind_{band}", lang))
        if len(part):
            shown = _display(part, view)
            frame = pd.DataFrame(
                {
                    "t_id": shown["blind_id"].astype(str),
                    "t_rank": shown["rank"].astype(int),
                    "t_res": shown["residents"].map(_fmt_num),
                    "t_hh": shown["households"].map(_fmt_num),
                    "t_inc": shown["incidents_90d"].map(_fmt_num),
                    "t_len": shown["street_length_m"].map(_fmt_num),
                }
            )
            gdf = gpd.GeoDataFrame(frame, geometry=shown.geometry.values, crs=WGS84)
            fields = list(frame.columns)
            aliases = [
                label(f"map.layer.blind_{band}", lang),
                label("map.rank", lang),
                label("residents", lang),
                label("households", lang),
                label("map.incidents_90d", lang),
                label("map.street_length", lang),
            ]
            cls = f"patrol-blind-{band}"
            folium.GeoJson(
                _features(gdf, fields),
                style_function=lambda _f, c=colour, o=opacity, d=dash, k=cls: {
                    "color": c,
                    "weight": 2,
                    "fillColor": c,
                    "fillOpacity": o,
                    "dashArray": d,
                    "className": k,
                },
                tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
            ).add_to(group)
            for row, geom in zip(frame.itertuples(index=False), shown.geometry, strict=True):
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
        group.add_to(m)
    return listed


def _blind_list_html(listed: list[dict[str, Any]], lang: str, top: int = BLIND_LIST_TOP) -> str:
    head = (
        f"<tr><th>{_esc(label('map.rank', lang))}</th><th></th>"
        f"<th>{_esc(label('residents', lang))}</th>"
        f"<th>{_esc(label('map.incidents_90d', lang))}</th></tr>"
    )
    parts = [f"<b>{_esc(label('map.blind_list', lang))}</b>"]
    for band in ("week", "night"):
        rows = sorted((r for r in listed if r["band"] == band), key=lambda r: r["rank"])[:top]
        parts.append(f"<div><b>{_esc(label(f'map.layer.blind_{band}', lang))}</b></div>")
        if not rows:
            parts.append(f"<div>{_esc(label('map.no_blind_spots', lang))}</div>")
            continue
        body = "".join(
            f"<tr class=\"row\" data-bounds='{json.dumps(r['bounds'])}'><td>{r['rank']}</td>"
            f"<td>{_esc(r['id'])}</td><td>{_esc(r['res'])}</td><td>{_esc(r['inc'])}</td></tr>"
            for r in rows
        )
        parts.append(f"<table>{head}{body}</table>")
    return "".join(parts)


def _heat_layer(m: folium.Map, plan: Plan, view: _View) -> None:
    from folium.plugins import HeatMap

    scenario = plan.scenario
    days = int(scenario.settings.demand.incident_lookback_days)
    incidents = scenario.incidents
    name = label("map.layer.heat", view.lang, days=days)
    if incidents is None or not len(incidents):
        return
    week_start = pd.Timestamp(scenario.settings.week_start)
    times = pd.to_datetime(incidents["time"], errors="coerce")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    recent = incidents[(times >= week_start - pd.Timedelta(days=days)) & (times < week_start)]
    if not len(recent):
        return
    points = _latlon(list(recent.geometry), view)
    heat: Any = HeatMap  # folium's plugins are untyped
    heat(points, name=name, radius=18, blur=15, min_opacity=0.35, max_zoom=MAX_ZOOM).add_to(m)


def coverage_map(
    plan: Plan,
    coverage: Coverage,
    *,
    lang: str = "zh",
    tiles: str | None = None,
    generated: dt.datetime | None = None,
) -> folium.Map:
    """Coverage and blind spots of the plan on an offline Leaflet map."""
    import folium

    from patrol.render.basemaps import resolve_tiles

    view = _View(lang=lang, tiles=resolve_tiles(tiles), crs=plan.scenario.crs)
    m = _base_map(plan, view, _title(plan, "map.coverage_title", view, generated))
    grids = _grid_frame(plan, coverage)
    _grid_layers(m, grids, view, fill_opacity=0.08, with_risk=False)
    _walked_layers(m, coverage, view)
    cams = coverage.camera_views
    if len(cams):
        group = folium.FeatureGroup(name=label("map.layer.cameras", lang))
        shown = _display(cams[["camera_id", "geometry"]], view)
        folium.GeoJson(
            _features(shown, ["camera_id"]),
            style_function=lambda _f: {
                "color": CAMERA_COLOUR,
                "weight": 1,
                "fillColor": CAMERA_COLOUR,
                "fillOpacity": 0.25,
                "className": "patrol-camera",
            },
            tooltip=folium.GeoJsonTooltip(fields=["camera_id"], aliases=[label("camera", lang)]),
        ).add_to(group)
        group.add_to(m)
    _heat_layer(m, plan, view)
    listed = _blind_layers(m, coverage, view)
    _posts_layer(plan, view).add_to(m)
    els = _elements()
    click = (
        "ctl.getContainer().querySelectorAll('tr.row').forEach(function(tr) {"
        " tr.addEventListener('click', function() {"
        f" {m.get_name()}.fitBounds(JSON.parse(tr.getAttribute('data-bounds')),"
        " {maxZoom: 18, padding: [40, 40]}); }); });"
    )
    els["Control"](
        _blind_list_html(listed, lang),
        position="topleft",
        css_class="patrol-panel patrol-blind-list",
        script=click,
    ).add_to(m)
    ranks = [
        [r["pos"][0], r["pos"][1], f"<span>{r['rank']}</span>", "patrol-rank", 0, None, r["id"]]
        for r in sorted(listed, key=lambda r: r["rank"])
        if r["band"] == "week" and r["rank"] <= BLIND_LIST_TOP
    ]
    els["Markers"](ranks, name=label("map.rank", lang), control=False).add_to(m)
    days = int(plan.scenario.settings.demand.incident_lookback_days)
    legend = _legend(
        [
            (
                label("blind_spot", lang),
                [
                    ("box", WEEK_BLIND_COLOUR, label("map.layer.blind_week", lang)),
                    ("box", NIGHT_BLIND_COLOUR, label("map.layer.blind_night", lang)),
                    ("box", CAMERA_COLOUR, label("map.layer.cameras", lang)),
                    (
                        "html",
                        '<i style="background:linear-gradient(90deg,blue,lime,yellow,red)"></i>',
                        label("map.layer.heat", lang, days=days),
                    ),
                ],
            ),
            (
                label("map.walked_count", lang),
                [
                    ("dash", "#8c8c8c", label("map.never_walked", lang)),
                    ("line", WALKED_RAMP[0], "1"),
                    ("line", WALKED_RAMP[1], "2"),
                    ("line", WALKED_RAMP[2], "3–5"),
                    ("line", WALKED_RAMP[3], "≥6"),
                ],
            ),
            (
                label("map.layers", lang),
                [
                    ("line", BEAT_COLOUR, label("map.layer.beats", lang)),
                    ("html", f'<i style="background:{POST_COLOUR}"></i>', label("post", lang)),
                ],
            ),
        ],
        lang,
    )
    els["Control"](legend, position="bottomright", css_class="patrol-panel patrol-legend").add_to(m)
    return _finish(m)


# ----------------------------------------------------------------------- files


def write_maps(
    plan: Plan,
    coverage: Coverage,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    tiles: str | None = None,
    generated: dt.datetime | None = None,
) -> list[Path]:
    """Write ``OUT/maps/plan.html`` and ``OUT/maps/coverage.html`` (atomically).

    Each file stands alone: open it from a USB stick on a machine with no network.
    """
    from patrol.atomic import write_text

    folder = Path(out_dir) / "maps"
    generated = generated or dt.datetime.now().replace(microsecond=0)
    written = []
    pages = {
        "plan.html": plan_map(plan, coverage, lang=lang, tiles=tiles, generated=generated),
        "coverage.html": coverage_map(plan, coverage, lang=lang, tiles=tiles, generated=generated),
    }
    for name, m in pages.items():
        root: Any = m.get_root()
        path = write_text(folder / name, root.render())
        logger.info("map written: %s (%.1f MB)", path, path.stat().st_size / 1e6)
        written.append(path)
    return written
