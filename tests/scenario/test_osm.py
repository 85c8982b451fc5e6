"""Streets from real OpenStreetMap extracts (tests/data/osm, see its SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.errors import ProblemLog
from patrol.scenario.osm import clip_box, read_osm_roads

OSM = Path(__file__).resolve().parents[1] / "data" / "osm"
AREA = (116.349, 40.000, 116.353, 40.003)  # a few blocks inside the extract


def test_clip_box_grows_by_the_margin_in_metres() -> None:
    minx, miny, maxx, maxy = clip_box((116.0, 40.0, 116.01, 40.01), margin_m=1000)
    assert miny == pytest.approx(40.0 - 1000 / 111_320)
    assert 116.0 - minx == pytest.approx(1000 / (111_320 * 0.766), rel=0.01)  # cos 40°
    assert (maxx > 116.01, maxy > 40.01) == (True, True)


@pytest.mark.parametrize("name", ["cau_roads.osm", "cau_roads.osm.pbf"])
def test_read_osm_roads_reads_xml_and_pbf_whole(name: str) -> None:
    roads = read_osm_roads(OSM / name, plog=ProblemLog())
    assert roads is not None and len(roads) == 131
    assert {"primary", "service", "footway"} <= set(roads["highway"])
    assert "学清路" in set(roads["name"])
    assert roads.crs.to_epsg() == 4326


@pytest.mark.parametrize("name", ["cau_roads.osm", "cau_roads.osm.pbf"])
def test_read_osm_roads_clips_to_the_box(name: str) -> None:
    box = clip_box(AREA, margin_m=200)
    roads = read_osm_roads(OSM / name, plog=ProblemLog(), bbox=box)
    assert roads is not None and 0 < len(roads) < 131
    minx, miny, maxx, maxy = roads.total_bounds
    assert box[0] - 1e-9 <= minx and maxx <= box[2] + 1e-9
    assert box[1] - 1e-9 <= miny and maxy <= box[3] + 1e-9
    assert roads["highway"].notna().all()


def test_read_osm_roads_reports_a_broken_extract_and_an_empty_box(tmp_path: Path) -> None:
    bad = tmp_path / "roads.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot really a pbf")
    plog = ProblemLog()
    assert read_osm_roads(bad, plog=plog) is None
    assert "OpenStreetMap" in plog.errors[0].message and str(tmp_path) not in str(plog.errors[0])
    plog = ProblemLog()
    assert read_osm_roads(OSM / "cau_roads.osm", plog=plog, bbox=(0, 0, 0.01, 0.01)) is None
    assert "no streets" in plog.warnings[0].message
