"""Page ① Scenario: grids by risk, cameras and incidents placed by clicking, the roster
as an editable table with its availability calendar; every change checked at once and
saved to the scenario's files only on Save (with a backup)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from patrol.errors import InputError, Problem
from patrol.labels import label, shift_label
from patrol.render.style import RISK_COLOURS
from patrol.serve.draft import (
    grid_shapes,
    place_point,
    read_points,
    read_roster,
    replace_roster,
    save_draft,
    set_grid_risk,
    update_roster,
)
from patrol.serve.labels import TEXT, text
from patrol.serve.station import Station
from patrol.vocab import INCIDENT_CATEGORIES, RISK_LEVELS

__all__ = ["calendar_rows", "grid_at", "layout", "register"]

_POINT_STYLE = {
    "cameras": {"color": "#1f4e9c", "fillColor": "#4f8fe8", "radius": 7},
    "incidents": {"color": "#7a2a00", "fillColor": "#e8590c", "radius": 4},
}


def _css_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", value)


def grid_features(station: Station, lang: str) -> dict[str, Any]:
    """The grids as GeoJSON for the map: fill by risk, a CSS class per grid, a tooltip."""
    assert station.draft is not None
    features = []
    for grid in grid_shapes(station.draft):
        rings = [[[lon, lat] for lat, lon in ring] for ring in grid["rings"]]
        tip = f"{grid['name']}（{grid['grid_id']}）· {label('risk.' + grid['risk'], lang)}"
        features.append({
            "type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
            "properties": {
                "grid_id": grid["grid_id"], "tip": tip, "fill": RISK_COLOURS[grid["risk"]],
                "css": f"grid grid-{_css_id(grid['grid_id'])} risk-{grid['risk']}",
            },
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def point_features(station: Station, lang: str) -> dict[str, Any]:
    """The cameras and incidents as GeoJSON points, each with its style and tooltip."""
    assert station.draft is not None
    features = []
    for layer, style in _POINT_STYLE.items():
        kind = layer[:-1]
        for point in read_points(station.draft, layer).itertuples(index=False):
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
                "properties": {
                    "tip": f"{text('scn.' + layer, lang)} {point.id}",
                    "css": f"{kind} {kind}-{_css_id(str(point.id))}",
                    "radius": style["radius"], "stroke": style["color"],
                    "fill": style["fillColor"],
                },
            })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def map_layers(station: Station, lang: str) -> list[Any]:
    """The grids coloured by risk, then the cameras and incidents, as two map layers
    (two components, however many features: the page stays quick)."""
    import dash_leaflet as dl

    tip = {"variable": "patrolServe.bindTip"}
    return [
        dl.GeoJSON(
            data=grid_features(station, lang),
            style={"variable": "patrolServe.gridStyle"},
            onEachFeature=tip,
        ),
        dl.GeoJSON(
            data=point_features(station, lang),
            pointToLayer={"variable": "patrolServe.pointToLayer"},
            onEachFeature=tip,
        ),
    ]


def _bounds(station: Station) -> list[list[float]]:
    assert station.draft is not None
    points = [p for g in grid_shapes(station.draft) for ring in g["rings"] for p in ring]
    if not points:
        return [[0.0, 0.0], [1.0, 1.0]]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _centre(bounds: list[list[float]]) -> list[float]:
    return [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]


def fit_zoom(bounds: list[list[float]], *, width_px: int = 1200, height_px: int = 520) -> float:
    """The largest web-map zoom, in quarter steps, at which ``bounds`` fit a map of that
    many pixels."""
    import math

    (south, west), (north, east) = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_frac = max(east - west, 1e-9) / 360
    lat_frac = max(mercator_y(north) - mercator_y(south), 1e-9) / (2 * math.pi)
    zoom = min(math.log2(width_px / 256 / lon_frac), math.log2(height_px / 256 / lat_frac))
    return max(1.0, min(19.0, math.floor(zoom * 4) / 4))


def grid_at(station: Station, lon: float, lat: float) -> dict[str, Any] | None:
    """The grid under ``lon``/``lat`` (the smallest when grids overlap), or ``None``."""
    import shapely

    assert station.draft is not None
    point = shapely.Point(lon, lat)
    hits = [g for g in grid_shapes(station.draft) if g["geometry"].covers(point)]
    return min(hits, key=lambda g: g["geometry"].area) if hits else None


def report(station: Station, lang: str) -> list[Any]:
    """The draft's check (errors, then warnings) and its unsaved files."""
    from dash import html

    check = station.check()
    items: list[Any] = []
    if check.ok:
        items.append(html.P(text("scn.ok", lang), className="check-ok", style={"color": "#1a7f37"}))
    else:
        items.append(html.P(text("scn.errors", lang, n=len(check.errors)), style={"color": "#b00"}))
        items.append(_problem_list(check.errors, lang, "problem-error"))
    if check.warnings:
        items.append(html.Details([
            html.Summary(text("scn.warnings", lang, n=len(check.warnings))),
            _problem_list(check.warnings, lang, "problem-warning"),
        ]))  # fmt: skip
    draft = station.draft
    files = sorted(draft.changed | draft.removed) if draft is not None else []
    note = text("scn.unsaved", lang, files="、".join(files)) if files else text("scn.clean", lang)
    items.append(html.P(note, className="unsaved" if files else "clean"))
    return items


def _problem_list(problems: tuple[Problem, ...], lang: str, css: str) -> Any:
    from dash import html

    return html.Ul([html.Li(p.text(lang), className=css) for p in problems[:200]])


def calendar_rows(scenario: Any, lang: str) -> tuple[list[str], list[list[str]]]:
    """The availability calendar: a header of the week's dates and, per person, the
    shifts they can work on each date."""
    slots = scenario.slots()
    dates = sorted({s.date for s in slots})
    head = [text("scn.person", lang)] + [
        f"{d:%m-%d} {label(f'day.{d.weekday()}', lang)}" for d in dates
    ]
    rows = []
    for person in scenario.people:
        cells = [f"{person.name}（{label('role.' + person.role, lang)}）"]
        for day in dates:
            shifts = [
                shift_label(s.shift, lang)
                for s in slots
                if s.date == day and person.is_available(s.date.weekday(), s.shift)
            ]
            cells.append(" ".join(shifts) or "—")
        rows.append(cells)
    return head, rows


def calendar(station: Station, lang: str) -> Any:
    """The calendar as one table component (a dash while the roster has errors)."""
    from dash import dash_table, html

    scenario = station.check().scenario
    if scenario is None:
        return html.P("—")
    head, rows = calendar_rows(scenario, lang)
    ids = [f"c{i}" for i in range(len(head))]
    return dash_table.DataTable(  # type: ignore[attr-defined]
        id="scn-calendar-table",
        columns=[{"name": h, "id": i} for h, i in zip(head, ids, strict=True)],
        data=[dict(zip(ids, row, strict=True)) for row in rows],
        page_size=100,
        style_cell={"textAlign": "left", "fontSize": "13px"},
    )


def _roster_table(station: Station, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The roster's rows and columns, each column headed in ``lang`` and by its name."""
    assert station.draft is not None
    frame = read_roster(station.draft)
    columns = []
    for col in frame.columns:
        key = f"roster.{col}"
        name = f"{text(key, lang)}（{col}）" if key in TEXT and lang == "zh" else col
        columns.append({"name": name, "id": col})
    records: list[dict[str, Any]] = frame.to_dict(orient="records")  # type: ignore[assignment]
    return records, columns


def _radio(id_: str, options: list[dict[str, str]], value: str) -> Any:
    from dash import dcc

    return dcc.RadioItems(
        id=id_, options=options, value=value, inline=True, inputStyle={"marginLeft": "8px"}
    )


def _tool_bars(station: Station, lang: str) -> tuple[Any, Any]:
    """The click tool and risk colour; the point to move, an incident's category and time."""
    from dash import dcc, html

    scenario = station.check().scenario
    when = (
        dt.datetime.combine(scenario.settings.week_start, dt.time(20)) - dt.timedelta(days=1)
        if scenario is not None
        else dt.datetime(2026, 1, 1, 20)
    )
    keys = ("risk", "camera", "incident")
    tools = [{"label": text(f"scn.tool.{k}", lang), "value": k} for k in keys]
    risks = [{"label": label("risk." + r, lang), "value": r} for r in RISK_LEVELS]
    cats = [{"label": label("incident." + c, lang), "value": c} for c in INCIDENT_CATEGORIES]
    tools_bar = html.Div([
        html.B(text("scn.tool", lang)), _radio("scn-tool", tools, "risk"),
        html.B(text("scn.risk", lang)), _radio("scn-risk", risks, "red"),
    ], className="tools")  # fmt: skip
    points_bar = html.Div([
        html.Span(text("scn.move", lang)),
        dcc.Dropdown(id="scn-move", options=[], value=None, style={"width": "160px"}),
        html.Span(text("scn.category", lang)),
        dcc.Dropdown(id="scn-category", options=cats, value="other", clearable=False,
                     style={"width": "150px"}),
        html.Span(text("scn.time", lang)),
        dcc.Input(id="scn-time", type="text", value=when.isoformat(timespec="minutes"),
                  style={"width": "150px"}),
    ], className="tools")  # fmt: skip
    return tools_bar, points_bar


def layout(station: Station, lang: str) -> Any:
    """The Scenario page."""
    import dash_leaflet as dl
    from dash import dash_table, dcc, html

    if station.draft is None:
        return html.P(text("scn.no_scenario", lang))
    bounds = _bounds(station)
    side = html.Div(
        [
            html.Div(id="scn-note", className="note", style={"fontWeight": "bold"}),
            html.Button(text("scn.save", lang), id="scn-save", style={"margin": "8px 0"}),
            html.Div(id="scn-report", children=report(station, lang)),
        ],
        className="panel",
        style={"flex": "1", "minWidth": "280px", "maxHeight": "560px", "overflow": "auto"},
    )
    tools_bar, points_bar = _tool_bars(station, lang)
    return html.Div([
        tools_bar,
        points_bar,
        html.Div([
            dl.Map(
                id="scn-map", center=_centre(bounds), zoom=fit_zoom(bounds, width_px=900),
                zoomSnap=0.25, zoomDelta=0.5, style={"height": "560px", "flex": "3"},
                children=[dl.LayerGroup(id="scn-layers", children=map_layers(station, lang))],
            ),
            side,
        ], style={"display": "flex", "gap": "12px"}),
        html.Div([
            html.H3(text("scn.roster", lang)),
            dcc.Upload(id="scn-upload", children=html.A(text("scn.upload", lang)),
                       style={"border": "1px dashed #888", "padding": "8px", "width": "320px",
                              "margin": "6px 0", "cursor": "pointer"}),
            dash_table.DataTable(  # type: ignore[attr-defined]
                id="scn-roster", data=[], columns=[], editable=True, page_size=20,
                style_table={"overflowX": "auto"}),
        ], className="panel"),
        html.Div([
            html.H3(text("scn.calendar", lang)),
            html.Div(id="scn-calendar"),
        ], className="panel"),
    ])  # fmt: skip


def _click(station: Station, click: dict[str, Any], form: dict[str, Any], lang: str) -> str:
    """Apply one map click with the chosen tool; returns what happened."""
    assert station.draft is not None
    lat, lon = float(click["latlng"]["lat"]), float(click["latlng"]["lng"])
    if form["tool"] == "risk":
        grid = grid_at(station, lon, lat)
        if grid is None:
            return text("scn.no_grid", lang)
        set_grid_risk(station.draft, grid["grid_id"], form["risk"])
        return text(
            "scn.risk_set", lang, grid=grid["name"], risk=label("risk." + form["risk"], lang)
        )
    layer = "cameras" if form["tool"] == "camera" else "incidents"
    values = {"range_m": "30"} if layer == "cameras" else {
        "time": form.get("time") or "", "category": form.get("category") or "other",
        "severity": "1",
    }  # fmt: skip
    point_id = place_point(
        station.draft, layer, lon, lat, point_id=form.get("move") or None, values=values
    )
    return text(f"scn.placed.{layer}", lang, id=point_id, lon=f"{lon:.6f}", lat=f"{lat:.6f}")


def register(app: Any, station: Station) -> None:
    """The Scenario page's callbacks."""
    from dash import Input, Output, State, no_update

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-move", "options"),
        Output("scn-move", "value"),
        Input("scn-tool", "value"),
    )
    def list_points(tool: str) -> tuple[list[dict[str, str]], None]:
        if station.draft is None or tool == "risk":
            return [], None
        layer = "cameras" if tool == "camera" else "incidents"
        ids = read_points(station.draft, layer)["id"].tolist()
        return [{"label": i, "value": i} for i in ids], None

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-layers", "children"),
        Output("scn-note", "children"),
        Output("scn-report", "children"),
        Input("scn-map", "n_clicks"),
        State("scn-map", "clickData"),
        State("scn-tool", "value"),
        State("scn-risk", "value"),
        State("scn-move", "value"),
        State("scn-category", "value"),
        State("scn-time", "value"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def click_map(
        _n: int, click: dict[str, Any] | None, tool: str, risk: str, move: str | None,
        category: str, when: str, lang: str,
    ) -> tuple[Any, Any, Any]:  # fmt: skip
        if station.draft is None or not click or "latlng" not in click:
            return no_update, no_update, no_update
        form = {"tool": tool, "risk": risk, "move": move, "category": category, "time": when}
        with station.lock:
            try:
                note = _click(station, click, form, lang)
            except InputError as exc:
                note = exc.text(lang)
            station.refresh()
            return map_layers(station, lang), note, report(station, lang)

    _register_roster(app, station)
    _register_save(app, station)


def _register_roster(app: Any, station: Station) -> None:
    from dash import Input, Output, State, no_update

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-roster", "data", allow_duplicate=True),
        Output("scn-roster", "columns", allow_duplicate=True),
        Output("scn-calendar", "children", allow_duplicate=True),
        Input("scn-upload", "id"),
        State("lang", "value"),
        prevent_initial_call="initial_duplicate",
    )
    def fill_roster(_id: str, lang: str) -> tuple[Any, ...]:
        """The roster and its calendar, once the map is on the page."""
        if station.draft is None:
            return no_update, no_update, no_update
        with station.lock:
            records, columns = _roster_table(station, lang)
            return records, columns, calendar(station, lang)

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-report", "children", allow_duplicate=True),
        Output("scn-calendar", "children"),
        Input("scn-roster", "data_timestamp"),
        State("scn-roster", "data"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def edit_roster(_ts: int, records: list[dict[str, Any]], lang: str) -> tuple[Any, Any]:
        if station.draft is None:
            return no_update, no_update
        with station.lock:
            update_roster(station.draft, records)
            station.refresh()
            return report(station, lang), calendar(station, lang)

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-report", "children", allow_duplicate=True),
        Output("scn-calendar", "children", allow_duplicate=True),
        Output("scn-roster", "data"),
        Output("scn-roster", "columns"),
        Output("scn-note", "children", allow_duplicate=True),
        Input("scn-upload", "contents"),
        State("scn-upload", "filename"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def upload_roster(contents: str | None, filename: str | None, lang: str) -> tuple[Any, ...]:
        if station.draft is None or not contents:
            return (no_update,) * 5
        data = base64.b64decode(contents.split(",", 1)[1])
        with station.lock:
            replace_roster(station.draft, data, filename or "roster.csv")
            station.refresh()
            records, columns = _roster_table(station, lang)
            note = text("scn.uploaded", lang, name=filename or "")
            return report(station, lang), calendar(station, lang), records, columns, note


def _register_save(app: Any, station: Station) -> None:
    from dash import Input, Output, State, no_update

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("scn-note", "children", allow_duplicate=True),
        Output("scn-report", "children", allow_duplicate=True),
        Input("scn-save", "n_clicks"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def save(_n: int, lang: str) -> tuple[Any, Any]:
        if station.draft is None:
            return no_update, no_update
        with station.lock:
            try:
                backup = save_draft(station.draft)
            except InputError:
                return text("scn.save_refused", lang), report(station, lang)
            station.refresh()
            if backup is None:
                return text("scn.clean", lang), report(station, lang)
            where = f"{backup.parent.name}/{backup.name}"
            return text("scn.saved", lang, backup=where), report(station, lang)
