"""``plan.html``: the week's plan on an offline Leaflet map.

Grids coloured by coverage status (sweeps met / short / not swept) or, by a switch, by
risk level; beats as heavy outlines; one shift's routes at a time, one colour per team,
chosen in a day-and-shift selector (the first shift on opening); stops numbered, with
arrival, task and target in a popup; police rooms; unserved tasks with their reason.
The map is meant for sharing: a focus household appears only as "重点户" at its address,
never with its category or name, and no phone number is shown. Every text is escaped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import shapely

from patrol.labels import label, shift_label
from patrol.render.maps.display import View, display_frame, esc, html_table, latlon, line_latlon
from patrol.render.maps.elements import (
    Control,
    LegendRow,
    Markers,
    ShiftRoutes,
    legend_html,
    stable_ids,
)
from patrol.render.maps.gaps import add_gaps_panel
from patrol.render.maps.layers import (
    add_grid_layers,
    base_map,
    finish_map,
    grid_frame,
    posts_layer,
    streets_layer,
    title_html,
)
from patrol.render.style import (
    BEAT_COLOUR,
    POST_COLOUR,
    RISK_COLOURS,
    STATUS_COLOURS,
    STREET_COLOUR,
    TEAM_COLOURS,
    UNSERVED_COLOUR,
)

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan, Stop, TeamRoute

__all__ = ["plan_map", "team_colours"]


def team_colours(plan: Plan) -> dict[str, str]:
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


def _kind_mark(team: Any, lang: str) -> str:
    """``〔红袖标〕`` after a fallback team's name in the team list; nothing for 1+1+N."""
    return (
        ""
        if team.kind == "full"
        else label("team.mark", lang, name=label(f"team.name.{team.kind}", lang))
    )


class _RouteWords:
    """What the route popups look up: language, grid names, team colours."""

    def __init__(self, plan: Plan, lang: str, grid_names: dict[str, str]):
        self.lang = lang
        self.grid_names = grid_names
        self.colours = team_colours(plan)

    def stop_popup(self, stop: Stop) -> str:
        """A stop's popup: times, task, target and grid. A household visit shows only
        "重点户" and the address (in the task): never the household's category or name,
        for the map is shared."""
        lang = self.lang
        target = label("focus_household", lang) if stop.kind == "visit" else stop.target_id
        rows = [
            (label("map.time", lang), f"{stop.arrive:%H:%M}–{stop.depart:%H:%M}"),
            (label("map.task", lang), stop.description(lang) or stop.task_id),
            (label("map.target", lang), target),
            (label("grid", lang), self.grid_names.get(stop.grid_id, stop.grid_id)),
        ]
        head = (
            f"<b>{esc(label('map.stop', lang, seq=stop.seq))} · "
            f"{esc(label(f'kind.{stop.kind}', lang))}</b>"
        )
        return head + html_table(rows)

    def team_entry(
        self, route: TeamRoute, line: Any, stops: list[list[Any]], drives: list[Any] | None = None
    ) -> dict[str, Any]:
        lang = self.lang
        team = route.team
        km = label("map.length_km", lang, km=f"{route.length_m / 1000:.1f}")
        short = (
            f"{team.team_id.rsplit('_', 2)[-2]}-{team.team_id.rsplit('_', 1)[-1]}"
            if team.team_id.count("_") >= 2
            else team.team_id
        )
        popup = f"<b>{esc(label('team', lang))} {esc(team.team_id)}</b>" + html_table(
            [
                (label("beat", lang), team.beat_id),
                (label("sheet.kind", lang), label(f"team.kind.{team.kind}", lang)),
                (label("map.members", lang), _members_text(team, lang)),
                (label("map.time", lang), f"{route.start:%H:%M}–{route.end:%H:%M}"),
                (label("map.routes", lang), km),
            ]
        )
        entry = {
            "id": team.team_id,
            "colour": self.colours.get(team.team_id, TEAM_COLOURS[0]),
            "label": esc(f"{short}{_kind_mark(team, lang)} · {len(stops)} · {km}"),
            "line": line_latlon(line),
            "stops": stops,
            "popup": popup,
        }
        if drives:  # mixed travel: the driven legs, drawn dashed over the route (#21)
            entry["drives"] = [line_latlon(d) for d in drives]
        return entry


def routes_data(plan: Plan, view: View, grid_names: dict[str, str]) -> dict[str, Any]:
    """The data of the shift selector: every shift with its teams' lines and stops."""
    words = _RouteWords(plan, view.lang, grid_names)
    lang = view.lang
    routes_by_slot: dict[str, list[TeamRoute]] = {}
    for route in plan.routes:
        routes_by_slot.setdefault(route.team.slot.key, []).append(route)
    lines = gpd.GeoDataFrame(geometry=[r.geometry for r in plan.routes], crs=view.crs)
    shown_lines = display_frame(lines, view).geometry
    line_of = {id(r): shown_lines.iloc[i] for i, r in enumerate(plan.routes)}
    drives_of = _drives(plan, view)
    stop_points = [s.point for r in plan.routes for s in r.stops if s.kind != "post"]
    stop_latlon = iter(latlon(stop_points, view))  # in plan.routes order, taken in that order
    where = {id(r): [next(stop_latlon) for s in r.stops if s.kind != "post"] for r in plan.routes}
    shifts = []
    for slot in sorted(plan.slots, key=lambda s: (s.start, s.key)):
        teams = []
        routes = routes_by_slot.get(slot.key, [])
        for route in sorted(routes, key=lambda r: (r.team.beat_id, r.team.team_id)):
            shown = [stop for stop in route.stops if stop.kind != "post"]
            stops = [
                [*pos, stop.seq, words.stop_popup(stop)]
                for pos, stop in zip(where[id(route)], shown, strict=True)
            ]
            teams.append(
                words.team_entry(route, line_of[id(route)], stops, drives_of.get(id(route)))
            )
        shifts.append({"key": slot.key, "label": _slot_label(slot, lang), "teams": teams})
    initial = next((i for i, s in enumerate(shifts) if s["teams"]), 0)
    texts = {
        "title": esc(label("map.routes", lang)),
        "prev": label("map.prev", lang),
        "next": label("map.next", lang),
        "none": esc(label("map.no_routes", lang)),
        "teams": label("map.team_list", lang, n="{n}"),
    }
    return {"shifts": shifts, "initial": initial, "words": texts}


def _drives(plan: Plan, view: View) -> dict[int, list[Any]]:
    """The driven legs of each route (mixed travel), as shown on the map; none otherwise."""
    from patrol.travel import is_walked

    found = [
        (id(r), leg.geometry) for r in plan.routes for leg in r.legs if not is_walked(leg.mode)
    ]
    if not found:
        return {}
    frame = gpd.GeoDataFrame(geometry=[g for _, g in found], crs=view.crs)
    out: dict[int, list[Any]] = {}
    for (key, _), geom in zip(found, display_frame(frame, view).geometry, strict=True):
        out.setdefault(key, []).append(geom)
    return out


def _unserved_point(plan: Plan, task: Any) -> shapely.Geometry:
    geom = task.geometry
    if geom is not None and not geom.is_empty:
        if shapely.get_type_id(geom) in (1, 5):
            return shapely.line_interpolate_point(geom, 0.5, normalized=True)
        return shapely.point_on_surface(geom)
    x, y = plan.network.node_xy[int(task.start_node)]
    return shapely.Point(float(x), float(y))


def unserved_layer(plan: Plan, view: View, grid_names: dict[str, str]) -> Markers:
    """The unserved tasks as clustered ✕ markers, each with its reason in a popup."""
    lang = view.lang
    points = [_unserved_point(plan, u.task) for u in plan.unserved]
    rows = []
    for (lat, lon), u in zip(latlon(points, view), plan.unserved, strict=True):
        task = u.task
        desc = task.description_zh if lang == "zh" else task.description_en
        popup = (
            f"<b>{esc(label('map.layer.unserved', lang))} · "
            f"{esc(label(f'kind.{task.kind}', lang))}</b>"
            + html_table(
                [
                    (label("map.task", lang), desc or task.task_id),
                    (label("grid", lang), grid_names.get(task.grid_id, task.grid_id)),
                    (label("map.reason", lang), u.reason_zh if lang == "zh" else u.reason_en),
                ]
            )
        )
        rows.append([lat, lon, "<span><b>✕</b></span>", "patrol-unserved", 16, popup, None])
    return Markers(rows, name=label("map.layer.unserved", lang), cluster=True)


def _legend(lang: str, *, drive: bool = False) -> str:
    stop = '<i style="background:#555;border-radius:7px"></i>'
    post = f'<i style="background:{POST_COLOUR}"></i>'
    unserved = f'<i style="background:{UNSERVED_COLOUR};transform:rotate(45deg)"></i>'
    layers: list[LegendRow] = [
        ("line", BEAT_COLOUR, label("map.layer.beats", lang)),
        ("line", STREET_COLOUR, label("map.layer.streets", lang)),
        ("line", TEAM_COLOURS[0], label("map.routes", lang)),
        *((("dash", TEAM_COLOURS[0], label("map.drive", lang)),) if drive else ()),
        ("html", stop, label("map.stop", lang, seq="N")),
        ("html", post, label("post", lang)),
        ("html", unserved, label("map.layer.unserved", lang)),
    ]
    status: list[LegendRow] = [
        ("box", c, label(f"map.status.{k}", lang)) for k, c in STATUS_COLOURS.items()
    ]
    risk: list[LegendRow] = [("box", c, label(f"risk.{k}", lang)) for k, c in RISK_COLOURS.items()]
    titles = ("map.layer.status", "map.layer.risk", "map.layers")
    rows = (status, risk, layers)
    return legend_html([(label(t, lang), r) for t, r in zip(titles, rows, strict=True)], lang)


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
    ``tiles`` adds a background (see :func:`patrol.render.basemaps.resolve_tiles`);
    ``generated`` puts a time in the title (else the plan id). Element ids are numbered
    (:func:`patrol.render.maps.elements.stable_ids`): the same plan gives the same page.
    """
    from patrol.render.basemaps import resolve_tiles

    with stable_ids():
        view = View(lang=lang, tiles=resolve_tiles(tiles), crs=plan.scenario.crs)
        m = base_map(plan, view, title_html(plan, "map.plan_title", lang, generated))
        streets_layer(plan, view).add_to(m)
        grids = grid_frame(plan, plan.grid_table, coverage)
        add_grid_layers(m, grids, view)
        grid_names = dict(zip(grids["grid_id"], grids["name"], strict=True))
        data = routes_data(plan, view, grid_names)
        ShiftRoutes(data, name=label("map.routes", lang)).add_to(m)
        posts_layer(plan, view).add_to(m)
        if plan.unserved:
            unserved_layer(plan, view, grid_names).add_to(m)
        add_gaps_panel(m, plan.team_plan, lang)
        legend = _legend(lang, drive=any(leg.mode for r in plan.routes for leg in r.legs))
        Control(legend, position="bottomright", css_class="patrol-panel patrol-legend").add_to(m)
        return finish_map(m)
