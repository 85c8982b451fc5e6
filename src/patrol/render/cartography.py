"""Print-map furniture: the view fitted to a box, a true scale bar, a north arrow, street
names along their streets, and the halo and bold strokes that keep text legible in grey.

Everything is drawn in the scenario's metric CRS (one map unit is one metre), onto a
matplotlib ``Axes`` it is given; :mod:`patrol.render.figure` composes the map.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from patrol.labels import label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BACKDROP",
    "Extent",
    "bold_text",
    "draw_north_arrow",
    "draw_scale_bar",
    "draw_street_names",
    "fit_extent",
    "nice_length",
]

Extent = tuple[float, float, float, float]
#: a light box behind a label
BACKDROP = {"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"}
NICE_M = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)


def bold_text(width: float = 0.7, colour: str = "black", halo: float = 0.0) -> list[Any]:
    """Path effects for heavier text: the font has one weight, so strokes thicken it
    (``halo``: a white stroke under them)."""
    from matplotlib import patheffects

    effects: list[Any] = []
    if halo:
        effects.append(patheffects.Stroke(linewidth=halo, foreground="white"))
    effects += [patheffects.Stroke(linewidth=width, foreground=colour), patheffects.Normal()]
    return effects


def fit_extent(
    bounds: Sequence[float], aspect: float, *, pad: float = 0.08, min_span_m: float = 250.0
) -> Extent:
    """``bounds`` padded and widened to ``aspect`` (width / height) and a minimum span."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, min_span_m) * (1 + 2 * pad)
    h = max(y1 - y0, min_span_m) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def nice_length(span_m: float) -> float:
    target = span_m / 5
    best = NICE_M[0]
    for n in NICE_M:
        if n <= target:
            best = n
    return float(best)


def draw_scale_bar(ax: Axes, extent: Extent, fontsize: float) -> None:
    """A two-block black-and-white scale bar in the lower left, in true metres."""
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = extent
    length = nice_length(x1 - x0)
    h = (y1 - y0) * 0.014
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.045
    ax.add_patch(
        Rectangle(
            (bx - (x1 - x0) * 0.01, by - h * 1.2),
            length + (x1 - x0) * 0.02,
            h * 5.2,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=20,
        )
    )
    for k in range(2):
        ax.add_patch(
            Rectangle(
                (bx + k * length / 2, by),
                length / 2,
                h,
                facecolor="black" if k == 0 else "white",
                edgecolor="black",
                linewidth=0.8,
                zorder=21,
            )
        )
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    for x, t in ((bx, "0"), (bx + length, text)):
        ax.text(x, by + h * 1.6, t, ha="center", va="bottom", fontsize=fontsize, zorder=22)


def draw_north_arrow(ax: Axes, lang: str, fontsize: float) -> None:
    """A north arrow in the upper right (the working CRS is UTM: grid north is up)."""
    ax.annotate(
        "",
        xy=(0.955, 0.95),
        xytext=(0.955, 0.83),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=0.9",
            "color": "black",
            "linewidth": 2.0,
        },
        zorder=22,
    )
    ax.text(
        0.955,
        0.79,
        label("figure.north", lang),
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=fontsize,
        zorder=22,
        path_effects=bold_text(0.8, halo=3),
    )


def draw_street_names(
    ax: Axes,
    edges: Any,
    extent: Extent,
    fontsize: float,
    limit: int = 14,
) -> None:
    """Name the longest streets in view, once each, along their longest piece in view."""
    if "name" not in edges.columns or edges.empty:
        return
    names = edges["name"].fillna("").astype(str).str.strip().to_numpy()
    geoms = np.asarray(edges.geometry.values, dtype=object)
    keep = names != ""
    if not keep.any():
        return
    names, geoms = names[keep], geoms[keep]
    x0, y0, x1, y1 = extent
    margin = (x1 - x0) * 0.05
    lengths = shapely.length(geoms)
    a = shapely.line_interpolate_point(geoms, 0.45, normalized=True)
    mid = shapely.line_interpolate_point(geoms, 0.5, normalized=True)
    b = shapely.line_interpolate_point(geoms, 0.55, normalized=True)
    mx, my = shapely.get_x(mid), shapely.get_y(mid)
    ok = (
        (lengths >= (x1 - x0) * 0.06)
        & (mx > x0 + margin)
        & (mx < x1 - margin)
        & (my > y0 + margin)
        & (my < y1 - margin)
    )
    best: dict[str, int] = {}
    total: dict[str, float] = {}
    for k in np.flatnonzero(ok):
        n = names[k]
        total[n] = total.get(n, 0.0) + lengths[k]
        if n not in best or lengths[k] > lengths[best[n]]:
            best[n] = int(k)
    angles = np.degrees(
        np.arctan2(shapely.get_y(b) - shapely.get_y(a), shapely.get_x(b) - shapely.get_x(a))
    )
    for n in sorted(total, key=lambda n: (-total[n], n))[:limit]:
        i = best[n]
        angle = float(angles[i])
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        ax.text(
            mx[i],
            my[i],
            n,
            rotation=angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            fontsize=fontsize,
            color="#555555",
            style="italic",
            zorder=3,
            bbox=BACKDROP,
        )
