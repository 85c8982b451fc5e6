"""Interactive maps: offline, no names of focus households, Chinese and English, GCJ-02."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from patrol.coverage.measure import Coverage
from patrol.labels import label
from patrol.plan import REASONS, Plan, Unserved
from patrol.render.assets import asset_text, make_offline
from patrol.render.basemaps import resolve_tiles, shift_for_display
from patrol.render.maps import grid_status, plan_map, write_maps
from tests.factory import write_tiny_scenario

GENERATED = dt.datetime(2026, 11, 29, 8, 0)

# anything the browser would fetch: script/img/iframe src, link href, CSS url(), @import
_FETCHES = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)"""
    r"""|url\(\s*["']?([^"')]+)"""
    r"""|@import\s+["']([^"']+)""",
    re.IGNORECASE,
)


def remote_fetches(page: str) -> list[str]:
    """Every http(s) or protocol-relative resource reference in an HTML page."""
    found = [next(g for g in m.groups() if g) for m in _FETCHES.finditer(page)]
    return [u for u in found if u.lower().startswith(("http:", "https:", "//"))]


def decoded(page: str) -> str:
    """The page with JSON ``\\uXXXX`` escapes turned back into characters."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Coverage]:
    """The tiny scenario planned (seed 1) with its coverage."""
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import PlanParams, plan_week
    from patrol.scenario.read import read_scenario

    folder = write_tiny_scenario(tmp_path_factory.mktemp("maps") / "tiny")
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=200))
    return plan, measure_plan_coverage(plan)


@pytest.fixture(scope="module")
def pages(
    tiny_plan: tuple[Plan, Coverage], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """plan.html and coverage.html of the tiny plan, in Chinese and in English."""
    plan, coverage = tiny_plan
    out: dict[str, str] = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"out_{lang}")
        for path in write_maps(plan, coverage, folder, lang=lang, generated=GENERATED):
            out[f"{path.stem}_{lang}"] = path.read_text(encoding="utf-8")
    return out


def test_write_maps_writes_two_pages_and_no_temporary_files(
    tiny_plan: tuple[Plan, Coverage], tmp_path: Path
) -> None:
    plan, coverage = tiny_plan
    calls: list[tuple[int, int]] = []
    written = write_maps(
        plan, coverage, tmp_path, generated=GENERATED, progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 2), (2, 2)]  # progress after each page
    assert [p.name for p in written] == ["plan.html", "coverage.html"]
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["coverage.html", "plan.html"]
    for path in written:
        assert path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_pages_fetch_nothing_from_the_network(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert remote_fetches(page) == [], name
        assert not re.search(r"<script[^>]*\bsrc=", page), name
        assert "L.map(" in page and "leaflet" in page.lower()


def test_pages_inline_leaflet_and_its_images(pages: dict[str, str]) -> None:
    page = pages["plan_zh"]
    assert "data:image/png;base64" in page  # layers.png of the layer control
    assert "L.markerClusterGroup" in page or "markerClusterGroup" in asset_text("markerclusterjs")
    assert "jquery" not in page.lower()
    assert "bootstrap" not in page.lower()


def test_only_the_chosen_tile_url_is_remote(tiny_plan: tuple[Plan, Coverage]) -> None:
    plan, coverage = tiny_plan
    url = "http://tiles.police.lan/{z}/{x}/{y}.png"
    page = plan_map(plan, coverage, tiles=url, generated=GENERATED).get_root().render()
    assert remote_fetches(page) == []
    assert url in decoded(page)


def test_no_focus_household_names(pages: dict[str, str], tiny_plan: tuple[Plan, Coverage]) -> None:
    plan, _ = tiny_plan
    focus = plan.scenario.focus_households
    names = [str(v) for v in focus["label"]]
    assert names
    parts = {p for n in names for p in n.split() if p.endswith("某")}
    for page in pages.values():
        text = decoded(page)
        for value in [*names, *parts]:
            assert value not in text


def test_labels_chinese_by_default_english_on_request(
    pages: dict[str, str], tiny_plan: tuple[Plan, Coverage]
) -> None:
    plan, _ = tiny_plan
    station = plan.scenario.settings.station
    zh, en = decoded(pages["plan_zh"]), decoded(pages["plan_en"])
    assert label("map.plan_title", "zh", station=station) in zh
    for key in (
        "map.routes",
        "map.layer.status",
        "map.layer.beats",
        "map.legend",
        "map.sweeps",
        "map.layer.unserved",
    ):
        assert label(key, "zh") in zh, key
        assert label(key, "en") in en, key
        assert label(key, "zh") not in en, key
    assert label("grid_worker", "en") in en  # tooltip heading (names may contain 网格员)
    cov_zh, cov_en = decoded(pages["coverage_zh"]), decoded(pages["coverage_en"])
    for key in (
        "map.layer.blind_week",
        "map.layer.blind_night",
        "map.layer.cameras",
        "map.blind_list",
    ):
        assert label(key, "zh") in cov_zh, key
        assert label(key, "en") in cov_en, key
    assert "2026-11-29 08:00" in zh


def test_gcj_display_shift_matches_prcoords() -> None:
    prcoords = pytest.importorskip("prcoords")
    rng = np.random.default_rng(5)
    lon = rng.uniform(100.0, 125.0, 50)
    lat = rng.uniform(22.0, 45.0, 50)
    frame = gpd.GeoDataFrame(geometry=shapely.points(lon, lat), crs="EPSG:4326")
    shifted = shift_for_display(frame)
    for x, y, p in zip(lon, lat, shifted.geometry, strict=True):
        ref = prcoords.wgs_gcj(prcoords.Coords(y, x))
        # metres: 1e-5 degree is about a metre
        assert abs(p.y - ref.lat) * 111_000 < 0.05
        assert abs(p.x - ref.lon) * 111_000 * np.cos(np.radians(y)) < 0.05
    # the shift itself is hundreds of metres, so the test above is not trivial
    first = shifted.geometry.iloc[0]
    assert abs(first.x - lon[0]) + abs(first.y - lat[0]) > 1e-3


def test_amap_tiles_shift_the_drawing(tiny_plan: tuple[Plan, Coverage]) -> None:
    plan, coverage = tiny_plan
    plain = plan_map(plan, coverage, generated=GENERATED)
    amap = plan_map(plan, coverage, tiles="amap", generated=GENERATED)
    dlat = amap.location[0] - plain.location[0]
    dlon = amap.location[1] - plain.location[1]
    import prcoords

    ref = prcoords.wgs_gcj(prcoords.Coords(plain.location[0], plain.location[1]))
    assert dlat == pytest.approx(ref.lat - plain.location[0], abs=2e-5)
    assert dlon == pytest.approx(ref.lon - plain.location[1], abs=2e-5)
    assert "autonavi.com" in amap.get_root().render()


def test_resolve_tiles() -> None:
    assert resolve_tiles(None) is None
    osm = resolve_tiles("osm")
    assert osm is not None and "openstreetmap" in osm.url and not osm.gcj02
    tdt = resolve_tiles("tianditu:abc123")
    assert tdt is not None and "tk=abc123" in tdt.url and "{z}" in tdt.url
    assert tdt.overlay_url and not tdt.gcj02
    amap = resolve_tiles("amap")
    assert amap is not None and amap.gcj02
    own = resolve_tiles("http://10.0.0.5/tiles/{z}/{x}/{y}.png")
    assert own is not None and own.url.startswith("http://10.0.0.5/")
    # public tiles carry the attribution their terms ask for; Chinese servers stop at 18
    assert "OpenStreetMap" in osm.attribution and "天地图" in tdt.attribution
    assert "高德" in amap.attribution and (tdt.max_zoom, amap.max_zoom) == (18, 18)
    assert (tdt.subdomains, amap.subdomains) == ("01234567", "1234")
    with pytest.raises(ValueError, match="key"):
        resolve_tiles("tianditu")
    with pytest.raises(ValueError, match=r"\{z\}"):
        resolve_tiles("google")


def test_grid_status() -> None:
    assert grid_status(5, 5) == "met"
    assert grid_status(6, 5) == "met"
    assert grid_status(0, 0) == "met"
    assert grid_status(2.5, 5) == "short"
    assert grid_status(0, 3) == "uncovered"
    assert grid_status(float("nan"), 3) == "uncovered"


def test_make_offline_refuses_unknown_links() -> None:
    import folium

    m = folium.Map(tiles=None)
    marker = folium.Marker([39.1, 117.2])
    marker.default_js = [("mystery", "https://cdn.example.com/x.js")]
    marker.add_to(m)
    with pytest.raises(ValueError, match="mystery"):
        make_offline(m)


def test_unserved_tasks_marked_with_reason(tiny_plan: tuple[Plan, Coverage]) -> None:
    plan, coverage = tiny_plan
    dropped = plan.routes[0]
    tasks = {t.task_id: t for t in plan.demand.tasks}
    unserved = [Unserved(tasks[s.task_id], "no_time") for s in dropped.stops if s.kind != "post"]
    assert unserved
    short = dataclasses.replace(plan, routes=plan.routes[1:], unserved=unserved)
    for lang in ("zh", "en"):
        page = decoded(
            plan_map(short, coverage, lang=lang, generated=GENERATED).get_root().render()
        )
        assert REASONS["no_time"][0 if lang == "zh" else 1] in page
        assert page.count("patrol-unserved") >= len(unserved)
