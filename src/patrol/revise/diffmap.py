"""The difference map of two plans: one HTML page with an inline SVG, offline by
construction (no script, no tile, no font from anywhere).

Grids in grey outline; blind spots gained in red and lost in green; streets newly walked
in blue and newly unwalked in dashed orange; the changed routes of plan B in purple. A
legend in Chinese and English (``lang`` first) counts each.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from patrol.revise.labels import text

if TYPE_CHECKING:
    from patrol.revise.compare import Comparison

WIDTH = 900
STYLES = {
    "gained": 'fill="#d7301f" fill-opacity="0.55" stroke="#d7301f" stroke-width="1"',
    "lost": 'fill="#1a9850" fill-opacity="0.55" stroke="#1a9850" stroke-width="1"',
    "walked": 'fill="none" stroke="#2166ac" stroke-width="3"',
    "unwalked": 'fill="none" stroke="#f46d43" stroke-width="3" stroke-dasharray="6 4"',
    "routes": 'fill="none" stroke="#762a83" stroke-width="1.5" stroke-opacity="0.7"',
}


class _Frame:
    """Metres of the working CRS -> SVG pixels (north up, same scale both ways)."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        span = max(maxx - minx, maxy - miny, 1.0)
        self.scale = WIDTH / span
        self.minx, self.maxy = minx, maxy
        self.height = max(1, round((maxy - miny) * self.scale))

    def points(self, layer: Any) -> list[tuple[float, float]]:
        """Pixels of a point inside each feature of ``layer`` (for its label)."""
        inside = layer.geometry.representative_point()
        return [((p.x - self.minx) * self.scale, (self.maxy - p.y) * self.scale) for p in inside]

    def path(self, geom: Any) -> str:
        """SVG path data of a (multi) polygon or line."""
        import shapely

        parts = []
        for g in shapely.get_parts(geom):
            rings = [g.exterior, *g.interiors] if g.geom_type == "Polygon" else [g]
            for ring in rings:
                xy = shapely.get_coordinates(ring)
                if not len(xy):
                    continue
                points = " ".join(
                    f"{(x - self.minx) * self.scale:.1f},{(self.maxy - y) * self.scale:.1f}"
                    for x, y in xy
                )
                close = "Z" if g.geom_type == "Polygon" else ""
                parts.append(f"M{points}{close}")
        return " ".join(parts)


def _layer(frame: _Frame, geoms: Iterable[Any], style: str, title: str) -> str:
    paths = "".join(
        f'<path d="{frame.path(g)}"/>' for g in geoms if g is not None and not g.is_empty
    )
    return f"<g {style}><title>{html.escape(title)}</title>{paths}</g>"


def difference_map(comparison: Comparison, *, lang: str = "zh") -> str:
    """The page: the SVG map and its legend (see the module docstring)."""
    grids = comparison.grids
    frame = _Frame(tuple(float(v) for v in grids.total_bounds))  # type: ignore[arg-type]
    route_lines = [r.geometry for r in comparison.routes_changed]
    layers = [
        ("gained", comparison.blind_gained.geometry, len(comparison.blind_gained)),
        ("lost", comparison.blind_lost.geometry, len(comparison.blind_lost)),
        ("walked", comparison.streets_walked.geometry, len(comparison.streets_walked)),
        ("unwalked", comparison.streets_unwalked.geometry, len(comparison.streets_unwalked)),
        ("routes", route_lines, len(route_lines)),
    ]
    outline = _layer(frame, grids.geometry, 'fill="#f4f4f4" stroke="#888" stroke-width="1"', "")
    labels = "".join(
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" fill="#555" text-anchor="middle">'
        f"{html.escape(str(g))}</text>"
        for g, (x, y) in zip(grids["grid_id"], frame.points(grids), strict=True)
    )
    drawn = "".join(
        _layer(frame, geoms, STYLES[key], text(f"cmp.layer.{key}", lang))
        for key, geoms, _ in layers
    )
    other = "en" if lang == "zh" else "zh"
    legend = "".join(
        f'<li><svg width="28" height="12"><line x1="0" y1="6" x2="28" y2="6" {STYLES[key]}'
        f' stroke-width="8"/></svg> {html.escape(text(f"cmp.layer.{key}", lang))}'
        f" / {html.escape(text(f'cmp.layer.{key}', other))}: {count}</li>"
        for key, _, count in layers
    )
    title = html.escape(f"{text('cmp.title', lang)} / {text('cmp.title', other)}")
    same = "" if comparison.differs else f"<p>{html.escape(text('cmp.same', lang))}</p>"
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="font-family:sans-serif"><h1>{title}</h1>{same}<ul>{legend}</ul>'
        f'<svg width="{WIDTH}" height="{frame.height}"'
        f' viewBox="0 0 {WIDTH} {frame.height}">{outline}{drawn}{labels}</svg></body></html>\n'
    )
