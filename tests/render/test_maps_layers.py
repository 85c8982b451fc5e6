"""The parts both maps share, on the tiny plan."""

from __future__ import annotations

import datetime as dt

import folium

from patrol.coverage.measure import Coverage
from patrol.plan import Plan
from patrol.render.maps.display import View
from patrol.render.maps.elements import stable_ids
from patrol.render.maps.layers import (
    add_grid_layers,
    base_map,
    finish_map,
    grid_frame,
    posts_layer,
    streets_layer,
    title_html,
)


def _view(plan: Plan, lang: str = "zh") -> View:
    return View(lang, None, plan.scenario.crs)


def test_grid_frame_has_status_and_coverage(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    grids = grid_frame(plan, plan.grid_table, coverage)
    assert len(grids) == len(plan.scenario.grids)
    assert set(grids["status"]) <= {"met", "short", "uncovered"}
    assert grids["street_walked_share"].notna().any()
    assert grid_frame(plan, plan.grid_table)["street_walked_share"].isna().all()


def test_title_names_the_plan_or_the_time(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    assert plan.plan_id in title_html(plan, "map.plan_title", "zh", None)
    stamped = title_html(plan, "map.plan_title", "en", dt.datetime(2026, 11, 29, 8, 0))
    assert "generated 2026-11-29 08:00" in stamped and "patrol plan" in stamped


def test_base_map_and_layers_render(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    view = _view(plan)
    with stable_ids():
        m = base_map(plan, view, "<h1>题</h1>")
        assert isinstance(m, folium.Map)
        streets_layer(plan, view).add_to(m)
        add_grid_layers(m, grid_frame(plan, plan.grid_table, coverage), view)
        posts_layer(plan, view).add_to(m)
        page = finish_map(m).get_root().render()
    assert "patrol-grid" in page and "patrol-street" in page and "patrol-post" in page
    assert "<title>题</title>" in page
    assert "L.control.layers" in page and "<script src=" not in page
    for name in plan.scenario.grids["name"]:
        assert name in page
