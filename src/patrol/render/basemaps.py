"""Background tiles for the maps, and the GCJ-02 display shift Amap tiles need.

By default the maps have no tile layer: the street network itself, drawn as a light vector
layer, is the base map, so they work on an isolated network. ``tiles`` adds one:

- a URL template with ``{z}``, ``{x}``, ``{y}`` (an intranet tile server), optionally
  ``{s}`` for subdomains;
- ``"osm"``: OpenStreetMap (WGS 84);
- ``"tianditu:KEY"``: 天地图 vector tiles and Chinese labels (WGS 84 / CGCS2000), with the
  user's key;
- ``"amap"``: 高德 (Amap) tiles, drawn in GCJ-02. Our geometry is WGS 84, so for display
  only every coordinate is shifted with :func:`patrol.projection.wgs84_to_gcj02`;
  otherwise streets would sit 300–500 m off the tiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from patrol.projection import transform_geoseries_gcj02

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["TileSource", "resolve_tiles", "shift_for_display"]


@dataclass(frozen=True)
class TileSource:
    """One background tile layer (or two: tiles and a label overlay) for Leaflet."""

    name: str
    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 19
    gcj02: bool = False
    overlay_url: str = ""


_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}"
    "&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)


def resolve_tiles(spec: str | None) -> TileSource | None:
    """The tile source for a ``--tiles`` value, or ``None`` for no tiles.

    Raises
    ------
    ValueError
        When ``spec`` is neither a known name nor a URL template with ``{z}/{x}/{y}``.
    """
    if spec is None or spec.strip() == "" or spec.strip().lower() == "none":
        return None
    text = spec.strip()
    low = text.lower()
    if low == "osm":
        return TileSource(
            name="OpenStreetMap",
            url="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            attribution="&copy; OpenStreetMap contributors",
        )
    if low.startswith("tianditu"):
        key = text.partition(":")[2].strip()
        if not key:
            raise ValueError(
                f"tiles {spec!r}: 天地图 needs a key, as 'tianditu:YOUR_KEY' "
                "(apply for one at console.tianditu.gov.cn)."
            )
        return TileSource(
            name="天地图",
            url=_TIANDITU.format(s="{s}", layer="vec", key=key),
            overlay_url=_TIANDITU.format(s="{s}", layer="cva", key=key),
            attribution="&copy; 天地图 Tianditu",
            subdomains="01234567",
            max_zoom=18,
        )
    if low in ("amap", "gaode"):
        return TileSource(
            name="高德地图",
            url="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
            "&style=8&x={x}&y={y}&z={z}",
            attribution="&copy; 高德地图 AutoNavi",
            subdomains="1234",
            max_zoom=18,
            gcj02=True,
        )
    if all(part in text for part in ("{z}", "{x}", "{y}")):
        return TileSource(name="tiles", url=text, attribution="", subdomains="abc")
    raise ValueError(
        f"tiles {spec!r} is not understood: give a URL template with {{z}}, {{x}} and {{y}} "
        "(e.g. http://tiles.intranet/{z}/{x}/{y}.png), 'osm', 'tianditu:KEY' or 'amap'."
    )


def shift_for_display(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of a WGS 84 layer moved to GCJ-02 for drawing on Amap tiles (display only).

    The CRS label stays EPSG:4326, as Leaflet takes the numbers as they are.
    """
    return transform_geoseries_gcj02(frame, to_gcj=True)
