"""coverage.html's parts: walked streets, blind spots and their list, heat map, cameras."""

from __future__ import annotations

import folium

from patrol.coverage.measure import Coverage
from patrol.demand import recent_incidents
from patrol.plan import Plan
from patrol.render.maps.coverage import (
    add_blind_layers,
    add_camera_layer,
    add_heat_layer,
    add_walked_layers,
    blind_list_html,
    coverage_map,
)
from patrol.render.maps.display import View
from patrol.render.maps.elements import stable_ids


def _render(m: folium.Map) -> str:
    return str(m.get_root().render())


def test_walked_and_camera_layers(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    with stable_ids():
        m = folium.Map(tiles=None)
        add_walked_layers(m, coverage, View("zh", None, plan.scenario.crs))
        add_camera_layer(m, coverage, View("zh", None, plan.scenario.crs))
        page = _render(m)
    assert "patrol-walked" in page or "patrol-street" in page
    if len(coverage.camera_views):
        assert "patrol-camera" in page


def test_blind_layers_and_their_ranked_list(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    view = View("zh", None, plan.scenario.crs)
    with stable_ids():
        listed = add_blind_layers(folium.Map(tiles=None), coverage, view)
    assert len(listed) == len(coverage.blind_spots)
    bands = {r["band"] for r in listed}
    assert blind_list_html(listed, "en", top=1).count('class="row"') == len(bands)
    empty = blind_list_html([], "zh")
    assert empty.count("<table>") == 0 and "盲区" in empty


def test_heat_layer_holds_the_recent_incidents(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    m = folium.Map(tiles=None)
    add_heat_layer(m, plan, View("zh", None, plan.scenario.crs))
    heat = [c for c in m._children.values() if type(c).__name__ == "HeatMap"]
    recent = recent_incidents(plan.scenario)
    assert len(heat) == (1 if len(recent) else 0)
    if heat:
        assert len(heat[0].data) == len(recent)


def test_coverage_map_is_the_same_page_twice(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    first = _render(coverage_map(plan, coverage, lang="en"))
    assert first == _render(coverage_map(plan, coverage, lang="en"))
    assert "map.fitBounds(JSON.parse" in first
