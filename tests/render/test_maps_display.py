"""Geometry and words made ready for Leaflet."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from patrol.render.basemaps import resolve_tiles
from patrol.render.maps.display import (
    View,
    display_frame,
    esc,
    features,
    fmt_num,
    fmt_share,
    html_table,
    js_json,
    latlon,
    line_latlon,
)

UTM = "EPSG:32650"  # Beijing's UTM zone
POINT = shapely.Point(448_000.0, 4_418_000.0)


def test_display_frame_goes_to_lonlat_rounded_and_shifts_for_amap() -> None:
    frame = gpd.GeoDataFrame(geometry=[POINT.buffer(50)], crs=UTM)
    plain = display_frame(frame, View("zh", None, UTM))
    assert plain.crs.to_epsg() == 4326
    coords = shapely.get_coordinates(plain.geometry.iloc[0])
    assert np.allclose(coords, np.round(coords, 5))
    amap = display_frame(frame, View("zh", resolve_tiles("amap"), UTM))
    assert amap.geometry.iloc[0].centroid.distance(plain.geometry.iloc[0].centroid) > 1e-3
    assert len(display_frame(frame.iloc[:0], View("zh", None, UTM))) == 0


def test_latlon_pairs_are_lat_first() -> None:
    ((lat, lon),) = latlon([POINT], View("zh", None, UTM))
    assert 39 < lat < 41 and 116 < lon < 118
    assert latlon([], View("zh", None, UTM)) == []
    assert line_latlon(shapely.LineString([(116.1, 39.9), (116.2, 40.0)])) == [
        [39.9, 116.1],
        [40.0, 116.2],
    ]


def test_features_keep_only_the_columns_and_null_nan() -> None:
    frame = gpd.GeoDataFrame(
        {"a": [1.0, float("nan")], "b": ["x", "y"]},
        geometry=[shapely.Point(0, 0), shapely.Point(1, 1)],
    )
    fc = features(frame, ["a"])
    assert [f["properties"] for f in fc["features"]] == [{"a": 1.0}, {"a": None}]


def test_text_is_escaped_for_html_and_scripts() -> None:
    assert esc('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"
    assert js_json({"t": "</script>中"}) == '{"t":"<\\/script>中"}'
    assert html_table([("名<", "值>")]) == "<table><tr><th>名&lt;</th><td>值&gt;</td></tr></table>"


def test_numbers_for_tooltips() -> None:
    assert fmt_num(3.6) == "4" and fmt_num(3.64, 1) == "3.6"
    assert fmt_num(None) == "–" and fmt_num(float("nan")) == "–"
    assert fmt_share(0.456) == "46%" and fmt_share("x") == "–"
