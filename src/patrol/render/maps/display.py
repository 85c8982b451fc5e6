"""Geometry and words made ready for Leaflet: lon/lat, rounded, simplified, escaped.

Every layer of the maps goes through :func:`display_frame` (working CRS to WGS 84, shifted
to GCJ-02 when the tiles need it, simplified to about a metre, rounded to 5 decimals) and
every text through :func:`esc` or :func:`js_json`, so a name can never break the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely

from patrol.projection import WGS84

if TYPE_CHECKING:
    from patrol.render.basemaps import TileSource

__all__ = [
    "DECIMALS",
    "View",
    "display_frame",
    "esc",
    "features",
    "fmt_num",
    "fmt_share",
    "html_table",
    "js_json",
    "latlon",
    "line_latlon",
]

SIMPLIFY_M = 1.0  # display tolerance, metres
DECIMALS = 5  # 1e-5 degree is about 1.1 m north-south


@dataclass(frozen=True)
class View:
    """How geometry and words are drawn: language, and whether to shift to GCJ-02."""

    lang: str
    tiles: TileSource | None
    crs: Any

    @property
    def gcj02(self) -> bool:
        return self.tiles is not None and self.tiles.gcj02


def _round_coords(coords: Any) -> Any:
    return np.round(coords, DECIMALS)


def display_frame(
    frame: gpd.GeoDataFrame, view: View, *, simplify_m: float = SIMPLIFY_M
) -> gpd.GeoDataFrame:
    """A copy in lon/lat for Leaflet: simplified, GCJ-shifted if asked, rounded."""
    from patrol.render.basemaps import shift_for_display

    out = frame.copy()
    if len(out) == 0:
        return out.set_crs(WGS84, allow_override=True) if out.crs is None else out.to_crs(WGS84)
    if simplify_m > 0:
        out.geometry = shapely.simplify(out.geometry.values, simplify_m, preserve_topology=True)
    out = out.to_crs(WGS84)
    if view.gcj02:
        out = shift_for_display(out)
    out.geometry = shapely.transform(out.geometry.values, _round_coords)
    return out


def latlon(points: Sequence[shapely.Geometry], view: View) -> list[list[float]]:
    """[lat, lon] pairs of points in the working CRS, ready for Leaflet."""
    if not points:
        return []
    frame = gpd.GeoDataFrame(geometry=list(points), crs=view.crs)
    shown = display_frame(frame, view, simplify_m=0)
    return [[float(p.y), float(p.x)] for p in shown.geometry]


def line_latlon(geom: shapely.Geometry) -> list[list[float]]:
    """[lat, lon] pairs of a line already in lon/lat."""
    return [[float(y), float(x)] for x, y in shapely.get_coordinates(geom)]


def features(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with only ``columns`` as properties (NaN as null)."""
    feats = []
    records = frame[list(columns)].to_dict(orient="records") if columns else [{}] * len(frame)
    for geom, props in zip(frame.geometry, records, strict=True):
        if geom is None or geom.is_empty:
            continue
        clean = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in props.items()}
        feats.append(
            {"type": "Feature", "properties": clean, "geometry": shapely.geometry.mapping(geom)}
        )
    return {"type": "FeatureCollection", "features": feats}


def js_json(value: Any) -> str:
    """Compact JSON for a script block: UTF-8 kept (half the size of escapes), ``</``
    escaped so no string can close the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def esc(value: Any) -> str:
    """``value`` as HTML text, quotes escaped too."""
    return html.escape(str(value), quote=True)


def html_table(rows: Iterable[tuple[str, Any]]) -> str:
    """A two-column HTML table of (heading, value) rows, both escaped."""
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def fmt_num(value: Any, digits: int = 0) -> str:
    """A number for a tooltip: rounded to ``digits``, "–" when missing."""
    number = _number(value)
    if number is None:
        return "–"
    return f"{number:.{digits}f}" if digits else f"{round(number):d}"


def fmt_share(value: Any) -> str:
    """A share 0–1 as a whole percentage, "–" when missing."""
    number = _number(value)
    return "–" if number is None else f"{100 * number:.0f}%"
