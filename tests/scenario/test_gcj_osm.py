"""With ``input_crs = "GCJ-02"`` only the station's own layers are shifted back to WGS 84:
an OpenStreetMap extract is always WGS 84 and its streets stay where they are (#19)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import shapely

from patrol.projection import transform_geoseries_gcj02, wgs84_to_gcj02
from patrol.scenario.read import own_crs, read_scenario
from patrol.settings import Settings
from tests.factory import TOML, tiny_layers, write_tiny_scenario


def _write_osm(roads: gpd.GeoDataFrame, path: Path) -> None:
    """The street lines as a minimal OSM XML extract (one way per line, highway tagged)."""
    nodes: dict[tuple[float, float], int] = {}
    ways = []
    for k, line in enumerate(roads.geometry, start=1):
        refs = [nodes.setdefault((x, y), len(nodes) + 1) for x, y in line.coords]
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        ways.append(f'<way id="{k}" version="1">{nds}<tag k="highway" v="residential"/></way>')
    points = "".join(
        f'<node id="{n}" version="1" lat={quoteattr(repr(y))} lon={quoteattr(repr(x))}/>'
        for (x, y), n in nodes.items()
    )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">{points}{"".join(ways)}</osm>',
        encoding="utf-8",
    )


def test_osm_streets_are_not_shifted_as_gcj02(tmp_path: Path) -> None:
    layers = tiny_layers()
    wgs_roads = layers.pop("roads")
    for name, frame in list(layers.items()):  # the station's own layers, from Amap
        if isinstance(frame, gpd.GeoDataFrame):
            layers[name] = transform_geoseries_gcj02(frame, to_gcj=True)
        elif "lon" in frame.columns:
            lon, lat = wgs84_to_gcj02(frame["lon"], frame["lat"])
            layers[name] = frame.assign(lon=lon, lat=lat)
    folder = write_tiny_scenario(
        tmp_path / "s", layers=layers, toml='input_crs = "GCJ-02"\n' + TOML
    )
    _write_osm(wgs_roads, folder / "roads.osm")
    scenario = read_scenario(folder)
    assert scenario.roads is not None
    want = shapely.union_all(gpd.GeoSeries(wgs_roads.geometry).to_crs(scenario.crs).values)
    got = shapely.union_all(scenario.roads.geometry.values)
    assert shapely.hausdorff_distance(got, want) < 0.5  # a GCJ-02 shift is hundreds of metres
    # and the grids, given in GCJ-02, still land on the streets' WGS 84 positions
    grids = gpd.GeoSeries(tiny_layers()["grids"].geometry).to_crs(scenario.crs)
    assert scenario.grids.geometry.hausdorff_distance(grids).max() < 0.5


def test_own_crs_keeps_gcj02_for_everything_but_osm_extracts() -> None:
    gcj = Settings(input_crs="GCJ-02")
    assert own_crs("roads.osm.pbf", gcj).input_crs == "EPSG:4326"
    assert own_crs("roads.OSM", gcj).input_crs == "EPSG:4326"
    assert own_crs("roads.geojson", gcj) is gcj
    assert own_crs("grids.geojson", gcj) is gcj
    plain = Settings(input_crs="EPSG:4490")
    assert own_crs("roads.osm", plain) is plain
