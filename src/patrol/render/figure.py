"""A static map of a plan for print and for the README: no web tiles, readable in grey.

:func:`plot_plan` draws grids, streets, routes (all of them, or one team's with numbered
stops), blind spots, a north arrow and a true scale bar onto a matplotlib ``Axes`` it is
given or makes. Everything is in the scenario's metric CRS, so one map unit is one metre.
The route sheets embed the one-team view; :func:`save_plan_figure` writes a PNG.

Shapes carry the meaning, colour only helps: sweeps are thick solid lines, walks between
stops dashed, sweep starts circles, hot spots diamonds, visits squares, the police room a
black square; every marker has a white halo so it stays legible on a grey photocopy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from patrol.labels import label
from patrol.render.cartography import (
    BACKDROP,
    Extent,
    bold_text,
    draw_north_arrow,
    draw_scale_bar,
    draw_street_names,
    fit_extent,
)
from patrol.render.fonts import use_font_in_matplotlib
from patrol.render.style import (
    BEAT_COLOURS,
    PRINT_BLIND,
    PRINT_GRID_EDGE,
    PRINT_STREET,
    RISK_FILL,
    TRANSIT_DASH,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan, Stop, TeamRoute

__all__ = ["font_context", "plot_plan", "save_plan_figure", "stop_groups"]

logger = logging.getLogger("patrol")

MARKERS = {"sweep": "o", "hotspot": "D", "visit": "s"}


def stop_groups(route: TeamRoute) -> list[tuple[Stop, ...]]:
    """The route's stops as numbered rows: back-to-back stops of one task merged.

    A grid's street piece walked several times in a row (one stop per planned sweep) is
    one row on the sheet and one number on the map. The first and last groups are the
    police room; the groups between are numbered 1, 2, ... in walking order.
    """
    groups: list[list[Stop]] = []
    for stop in route.stops:
        if groups and stop.kind != "post":
            last = groups[-1][-1]
            if (
                last.kind == stop.kind
                and last.target_id == stop.target_id
                and last.description_zh == stop.description_zh
                and stop.arrive <= last.depart
            ):
                groups[-1].append(stop)
                continue
        groups.append([stop])
    return [tuple(g) for g in groups]


def _lines(geoms: Sequence[Any]) -> list[np.ndarray]:
    """Coordinate arrays of (multi)line geometries, for a LineCollection."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    return [np.asarray(shapely.get_coordinates(p)) for p in parts if not p.is_empty]


def _polygon_paths(geoms: Sequence[Any]) -> list[Any]:
    from matplotlib.path import Path as MPath

    paths = []
    for geom in shapely.get_parts(np.asarray(geoms, dtype=object)):
        if geom.is_empty or shapely.get_type_id(geom) != 3:
            continue
        rings = [geom.exterior, *geom.interiors]
        verts: list[Any] = []
        codes: list[Any] = []
        for ring in rings:
            xy = np.asarray(ring.coords)
            verts.extend(xy)
            codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(xy) - 2) + [MPath.CLOSEPOLY])
        paths.append(MPath(np.asarray(verts), codes))
    return paths


def font_context() -> Any:
    """An rc context in which new matplotlib text uses Noto Sans SC and is drawn as it is:
    no ``$...$`` mathtext, so a name from an input file is never parsed (or crashes)."""
    import matplotlib.pyplot as plt

    family = use_font_in_matplotlib()
    return plt.rc_context(
        {"font.family": [family, "DejaVu Sans"], "hatch.linewidth": 0.7, "text.parse_math": False}
    )


def plot_plan(
    plan: Plan,
    *,
    coverage: Coverage | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
    team_id: str | None = None,
    legend: bool = True,
    fontsize: float = 8.0,
) -> tuple[Figure, Axes]:
    """Draw the plan as a static print map and return ``(figure, axes)``.

    With ``team_id`` only that team's route is drawn, with its stops numbered as on its
    route sheet (see :func:`stop_groups`), and the view is fitted to the route; without
    it every route is drawn in its beat's colour over the risk-tinted grids. Blind spots
    come from ``coverage`` (week band). The axes keep their size: the view is widened to
    their aspect so the map fills them.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if ax is None:
        fig = plt.figure(figsize=(7.5, 4.6) if team_id else (8.0, 8.0))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    else:
        fig = ax.figure  # type: ignore[assignment]
    scenario = plan.scenario
    route = None
    if team_id is not None:
        matches = [r for r in plan.routes if r.team.team_id == team_id]
        if not matches:
            known = ", ".join(r.team.team_id for r in plan.routes[:5])
            raise ValueError(
                f"no route for team '{team_id}' in this plan; routed teams include {known}."
            )
        route = matches[0]

    with font_context():
        extent = _set_view(ax, fig, plan, route)
        in_view = _draw_grids(ax, plan, route, extent)
        _draw_streets(ax, plan, route, extent, fontsize)
        if coverage is not None:
            _draw_blind_spots(ax, coverage, extent)
        _draw_grid_names(ax, in_view, route, extent, fontsize)
        if route is not None:
            _draw_route(ax, route, fontsize)
        else:
            _draw_all_routes(ax, plan, fontsize)
        _draw_posts(ax, plan, lang, fontsize, extent)
        draw_scale_bar(ax, extent, fontsize)
        draw_north_arrow(ax, lang, fontsize * 1.3)
        if legend:
            _legend(ax, lang, fontsize, route is not None, coverage is not None, scenario.beats)
    return fig, ax


def _set_view(ax: Axes, fig: Any, plan: Plan, route: TeamRoute | None) -> Extent:
    """Fit the view to the route (or all grids) at the axes' aspect; returns the extent."""
    bbox = ax.get_position()
    width_in, height_in = fig.get_size_inches()
    aspect = (bbox.width * width_in) / max(1e-9, bbox.height * height_in)
    if route is not None:
        shapes = [route.geometry, *(s.point for s in route.stops)]
        extent = fit_extent(shapely.union_all(shapes).bounds, aspect, pad=0.1)
    else:
        extent = fit_extent(plan.scenario.grids.total_bounds, aspect, pad=0.03)
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim" if route is None else "box")
    ax.set_axis_off()
    ax.add_patch(_rect(extent))
    return extent


def _draw_grids(ax: Axes, plan: Plan, route: TeamRoute | None, extent: Extent) -> Any:
    """Grids: the team's beat shaded, others white; the overview tinted by risk. Returns
    the grids in view."""
    from matplotlib.collections import PathCollection

    x0, y0, x1, y1 = extent
    in_view = plan.scenario.grids.cx[x0:x1, y0:y1]
    if not len(in_view):
        return in_view
    if route is not None:
        own = (in_view["beat_id"] == route.team.beat_id).to_numpy()
        fills = ["#ececec" if o else "white" for o in own]
    else:
        fills = [RISK_FILL.get(str(r), "white") for r in in_view["risk"]]
    paths, colours = [], []
    for geom, fill in zip(in_view.geometry, fills, strict=True):
        for path in _polygon_paths([geom]):
            paths.append(path)
            colours.append(fill)
    ax.add_collection(PathCollection(paths, facecolors=colours, edgecolors="none", zorder=1))
    ax.add_collection(
        PathCollection(
            _polygon_paths(list(in_view.geometry)),
            facecolors="none",
            edgecolors=PRINT_GRID_EDGE,
            linewidths=1.1,
            linestyles=(0, (6, 3)),
            zorder=4,
        )
    )
    return in_view


def _draw_streets(
    ax: Axes, plan: Plan, route: TeamRoute | None, extent: Extent, fontsize: float
) -> None:
    """Streets in light grey; on a team's map the longest ones named."""
    from matplotlib.collections import LineCollection

    network = plan.network
    if not (network.has_streets and len(network.edges)):
        return
    x0, y0, x1, y1 = extent
    edges = network.edges.cx[x0:x1, y0:y1]
    ax.add_collection(
        LineCollection(
            _lines(list(edges.geometry)),
            colors=PRINT_STREET,
            linewidths=1.0 if route is not None else 0.6,
            zorder=2,
            capstyle="round",
        )
    )
    if route is not None:
        draw_street_names(ax, edges, extent, fontsize * 0.85)


def _draw_blind_spots(ax: Axes, coverage: Coverage, extent: Extent) -> None:
    """The week's blind spots in view, hatched."""
    from matplotlib.collections import PathCollection

    spots = coverage.blind_spots
    if not len(spots):
        return
    x0, y0, x1, y1 = extent
    spots = spots.loc[spots["band"] == "week"].cx[x0:x1, y0:y1]
    if len(spots):
        ax.add_collection(
            PathCollection(
                _polygon_paths(list(spots.geometry)),
                facecolors="none",
                edgecolors=PRINT_BLIND,
                hatch="////",
                linewidths=0.8,
                zorder=3,
            )
        )


def _draw_grid_names(
    ax: Axes, in_view: Any, route: TeamRoute | None, extent: Extent, fontsize: float
) -> None:
    """Grid names at their centres, the team's own beat darker."""
    x0, y0, x1, y1 = extent
    for g in in_view.itertuples(index=False):
        p = g.geometry.representative_point()
        if not (x0 < p.x < x1 and y0 < p.y < y1):
            continue
        own_beat = route is None or g.beat_id == route.team.beat_id
        ax.text(
            p.x,
            p.y,
            str(g.name),
            ha="center",
            va="center",
            fontsize=fontsize * (1.0 if own_beat else 0.85),
            color="#333333" if own_beat else "#8a8a8a",
            zorder=5,
            bbox=BACKDROP,
        )


def _rect(extent: Extent) -> Any:
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = extent
    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", edgecolor="none", zorder=0)


DRIVE_DOTS = (0, (0.6, 1.8))
"""The line style of a driven leg (mixed travel, :mod:`patrol.travel`)."""


def _draw_route(ax: Axes, route: TeamRoute, fontsize: float) -> None:
    """One team's legs (sweeps solid, walks dashed, drives dotted) and numbered stops."""
    from matplotlib.collections import LineCollection

    from patrol.travel import is_walked

    sweeps = [leg.geometry for leg in route.legs if leg.kind == "sweep"]
    walks = [leg.geometry for leg in route.legs if leg.kind == "transit" and is_walked(leg.mode)]
    drives = [leg.geometry for leg in route.legs if not is_walked(leg.mode)]
    if drives:  # mixed travel: a driven leg thin and dotted, under the walks
        segs = _lines(drives)
        ax.add_collection(LineCollection(segs, colors="white", linewidths=3.0, zorder=5))
        ax.add_collection(
            LineCollection(segs, colors="black", linewidths=1.0, zorder=5, linestyles=DRIVE_DOTS)
        )
    if sweeps:
        segs = _lines(sweeps)
        ax.add_collection(
            LineCollection(
                segs, colors="white", linewidths=5.5, zorder=6, capstyle="round", joinstyle="round"
            )
        )
        ax.add_collection(
            LineCollection(
                segs, colors="black", linewidths=3.0, zorder=7, capstyle="round", joinstyle="round"
            )
        )
    if walks:
        segs = _lines(walks)
        ax.add_collection(LineCollection(segs, colors="white", linewidths=4.0, zorder=6))
        ax.add_collection(
            LineCollection(segs, colors="black", linewidths=1.6, zorder=7, linestyles=TRANSIT_DASH)
        )
        for geom in walks:  # one arrow per walk, at its middle, in walking direction
            if geom.length < 30:
                continue
            a = geom.interpolate(0.5, normalized=True)
            b = geom.interpolate(min(geom.length, geom.project(a) + 3))
            ax.annotate(
                "",
                xy=(b.x, b.y),
                xytext=(a.x, a.y),
                zorder=8,
                arrowprops={
                    "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
                    "color": "black",
                    "linewidth": 0.1,
                },
            )
    # numbered markers; groups at the same place share one marker "3·7"
    groups = stop_groups(route)[1:-1]
    places: dict[tuple[int, int, str], list[int]] = {}
    where: dict[tuple[int, int, str], Any] = {}
    for number, group in enumerate(groups, start=1):
        p = group[0].point
        place = (round(p.x / 8), round(p.y / 8), str(group[0].kind))
        places.setdefault(place, []).append(number)
        where[place] = p
    for key, numbers in places.items():
        p = where[key]
        text = "·".join(str(n) for n in numbers[:3]) + ("…" if len(numbers) > 3 else "")
        kind = key[2]
        shape = "circle" if kind == "sweep" and len(text) < 3 else _STOP_BOX.get(kind, "round")
        box = {"boxstyle": f"{shape},pad=0.25", "facecolor": "white", "edgecolor": "black"}
        _badge(ax, p, text, fontsize * 1.15, 13, {**box, "linewidth": 1.3})


#: the box of a stop's number on the map, by kind (a short sweep number: a circle)
_STOP_BOX = {"hotspot": "round4", "visit": "square"}


def _badge(
    ax: Axes, p: Any, text: str, fontsize: float, zorder: int, box: dict[str, Any], **style: Any
) -> None:
    """``text`` centred on point ``p`` in a box (stop numbers, the police-room mark)."""
    ax.text(
        p.x,
        p.y,
        text,
        ha="center",
        va="center",
        fontsize=fontsize,
        zorder=zorder,
        bbox=box,
        **style,
    )


def _draw_all_routes(ax: Axes, plan: Plan, fontsize: float) -> None:
    """Every route, thin, in its beat's colour."""
    from matplotlib.collections import LineCollection

    beats = plan.scenario.beats
    colour = {b: BEAT_COLOURS[i % len(BEAT_COLOURS)] for i, b in enumerate(beats)}
    by_beat: dict[str, list[Any]] = {}
    for r in plan.routes:
        by_beat.setdefault(r.team.beat_id, []).extend(leg.geometry for leg in r.legs)
    for beat, geoms in sorted(by_beat.items()):
        ax.add_collection(
            LineCollection(
                _lines(geoms),
                colors=colour.get(beat, "black"),
                linewidths=1.6,
                alpha=0.55,
                zorder=6,
                capstyle="round",
            )
        )
    for h in plan.demand.hotspots:
        ax.plot(
            h.point.x,
            h.point.y,
            marker="D",
            markersize=fontsize * 0.8,
            markerfacecolor="white",
            markeredgecolor="black",
            zorder=9,
        )


def _draw_posts(ax: Axes, plan: Plan, lang: str, fontsize: float, extent: Extent) -> None:
    x0, y0, x1, y1 = extent
    mark = label("figure.post_mark", lang)
    for post in plan.scenario.posts.itertuples(index=False):
        p = post.geometry
        if not (x0 <= p.x <= x1 and y0 <= p.y <= y1):
            continue
        box = {"boxstyle": "square,pad=0.3", "facecolor": "black", "edgecolor": "white"}
        _badge(ax, p, mark, fontsize * 1.1, 12, {**box, "linewidth": 1.2}, color="white")
        ax.annotate(
            str(post.name),
            (p.x, p.y),
            xytext=(0, -fontsize * 1.7),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=fontsize,
            zorder=12,
            bbox=BACKDROP,
        )


def _legend(
    ax: Axes, lang: str, fontsize: float, team: bool, blind: bool, beats: Sequence[str] = ()
) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []

    def marker(shape: str, text: str, *, scale: float = 1.0, fill: str = "white") -> Any:
        """A legend entry drawn as a black-edged symbol."""
        return Line2D(
            [],
            [],
            color="black",
            marker=shape,
            markerfacecolor=fill,
            linestyle="none",
            markersize=fontsize * scale,
            label=text,
        )

    if team:
        handles += [
            Line2D([], [], color="black", linewidth=3.0, label=label("figure.sweep", lang)),
            Line2D(
                [],
                [],
                color="black",
                linewidth=1.6,
                linestyle=TRANSIT_DASH,
                label=label("figure.transit", lang),
            ),
            marker("o", label("figure.stop", lang)),
            marker("D", label("figure.hotspot", lang), scale=0.9),
            marker("s", label("figure.visit", lang)),
        ]
    else:
        handles += [
            Line2D(
                [],
                [],
                color=BEAT_COLOURS[i % len(BEAT_COLOURS)],
                linewidth=1.6,
                label=f"{label('figure.routes', lang)} {label('beat', lang)} {b}",
            )
            for i, b in enumerate(beats[:8])
        ]
        handles.append(marker("D", label("figure.hotspot", lang), scale=0.9))
    handles.append(marker("s", label("post", lang), fill="black"))
    if blind:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=PRINT_BLIND,
                hatch="////",
                label=label("blind_spot", lang),
            )
        )
    leg = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=fontsize * 0.9,
        frameon=True,
        framealpha=0.9,
        borderpad=0.4,
        handlelength=2.2,
        ncol=1,
    )
    leg.set_zorder(25)


def save_plan_figure(
    plan: Plan,
    path: str | Path,
    *,
    coverage: Coverage | None = None,
    lang: str = "zh",
    team_id: str | None = None,
    dpi: int = 150,
    size_in: tuple[float, float] | None = None,
) -> Path:
    """Draw :func:`plot_plan` into a new figure and write it as a PNG (atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from patrol.atomic import atomic_path

    target = Path(path)
    size = size_in or ((7.5, 4.6) if team_id else (8.0, 8.0))
    fig = plt.figure(figsize=size)
    try:
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        plot_plan(plan, coverage=coverage, ax=ax, lang=lang, team_id=team_id)
        if team_id is None:
            s = plan.scenario.settings
            days = s.days
            title = label(
                "figure.title",
                lang,
                station=s.station,
                start=days[0].isoformat(),
                end=days[-1].isoformat(),
            )
            with font_context():
                ax.text(
                    0.02,
                    0.98,
                    title,
                    transform=ax.transAxes,
                    ha="left",
                    va="top",
                    fontsize=11,
                    zorder=30,
                    path_effects=bold_text(0.6, halo=3),
                )
        with atomic_path(target) as tmp:
            fig.savefig(tmp, dpi=dpi, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    logger.info("wrote %s", target)
    return target
