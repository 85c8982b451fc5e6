"""plan.html's parts: team colours, the shift selector's data, unserved markers, the page."""

from __future__ import annotations

import dataclasses
import json

from patrol.coverage.measure import Coverage
from patrol.plan import Plan, Unserved
from patrol.render.maps.display import View, latlon
from patrol.render.maps.plan import plan_map, routes_data, team_colours, unserved_layer
from patrol.render.style import TEAM_COLOURS


def test_team_colours_one_per_team_from_the_palette(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    colours = team_colours(plan)
    assert set(colours) == {r.team.team_id for r in plan.routes}
    assert set(colours.values()) <= set(TEAM_COLOURS)


def test_routes_data_puts_each_stop_where_it_is(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    view = View("zh", None, plan.scenario.crs)
    data = routes_data(plan, view, {})
    assert len(data["shifts"]) == len(plan.slots)
    by_id = {r.team.team_id: r for r in plan.routes}
    teams = [t for s in data["shifts"] for t in s["teams"]]
    assert len(teams) == len(plan.routes)
    for team in teams:
        route = by_id[team["id"]]
        stops = [s for s in route.stops if s.kind != "post"]
        assert [s[2] for s in team["stops"]] == [s.seq for s in stops]
        assert [s[:2] for s in team["stops"]] == latlon([s.point for s in stops], view)
    assert data["shifts"][data["initial"]]["teams"]


def test_unserved_layer_carries_the_reasons(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    task = plan.demand.tasks[0]
    short = dataclasses.replace(plan, unserved=[Unserved(task, "no_time")])
    layer = unserved_layer(short, View("en", None, plan.scenario.crs), {})
    (row,) = json.loads(layer.rows_json)
    assert "not enough time" in row[5] and layer.cluster


def test_plan_map_is_the_same_page_twice(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    first = plan_map(plan, coverage).get_root().render()
    assert first == plan_map(plan, coverage).get_root().render()
    assert "patrol_shift_routes_" in first
