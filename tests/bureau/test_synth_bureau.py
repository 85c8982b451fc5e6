"""``patrol synth OUT --bureau N``: stations of varied size, side by side, valid."""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from patrol.scenario.read import read_scenario
from patrol.scenario.synth.bureau import station_sizes, write_synthetic_bureau


def test_station_sizes_spread_from_smallest_to_largest() -> None:
    sizes = station_sizes(20, min_grids=4, max_grids=16, seed=0)
    assert len(sizes) == 20 and min(sizes) == 4 and max(sizes) == 16
    assert sizes == station_sizes(20, min_grids=4, max_grids=16, seed=0)
    assert sizes != sorted(sizes)


def _outline(folder: Path) -> shapely.Geometry:
    data = json.loads((folder / "grids.geojson").read_text(encoding="utf-8"))
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in data["features"]])


def test_the_stations_tile_the_city_with_touching_borders(tiny_bureau: Path) -> None:
    outlines = [_outline(tiny_bureau / name) for name in ("S01", "S02", "S03")]
    for a in range(3):
        for b in range(a + 1, 3):
            assert shapely.intersection(outlines[a], outlines[b]).area < 1e-9  # no overlap
    assert outlines[0].distance(outlines[1]) < 1e-9  # S02 starts where S01 ends
    scenario = read_scenario(tiny_bureau / "S02")
    assert scenario.settings.station == "合成S02派出所"
    assert 'name = "合成示例分局"' in (tiny_bureau / "bureau.toml").read_text(encoding="utf-8")


def test_the_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    a = write_synthetic_bureau(tmp_path / "a", stations=2, min_grids=1, max_grids=2, seed=3)
    b = write_synthetic_bureau(tmp_path / "b", stations=2, min_grids=1, max_grids=2, seed=3)
    assert files(a) == files(b) and len(files(a)) > 10
