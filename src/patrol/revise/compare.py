"""Two plans of one station side by side: ``compare_plans(a, b)``.

The figures a chief weighs (demand met, visits, sweeps per grid, walking hours, residents
and incidents in blind spots, duty spread) for both plans and their difference; and what
differs on the ground: blind spots gained and lost, streets newly walked and newly
unwalked, routes that changed. :func:`write_comparison` writes the CSV of the
differences and the offline difference map (:mod:`patrol.revise.diffmap`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from patrol.revise.changes import changed_routes
from patrol.revise.labels import text

if TYPE_CHECKING:
    import geopandas as gpd

    from patrol.coverage.measure import Coverage
    from patrol.outputs import Week
    from patrol.plan import Plan, TeamRoute

COMPARE_CSV = "compare.csv"
COMPARE_MAP = "compare.html"
MIN_AREA_M2 = 1.0
"""Blind-area pieces smaller than this are noise of the geometry, not a difference."""
BLIND_BUFFER_M = 15.0
"""How far a blind street or building makes its surroundings blind (as coverage's
``blind_buffer_m``)."""


@dataclass(frozen=True)
class Figure:
    """One figure of both plans: its key, label values and the two numbers."""

    key: str
    a: float
    b: float
    values: dict[str, str] = field(default_factory=dict)

    @property
    def diff(self) -> float:
        return self.b - self.a

    def label(self, lang: str) -> str:
        """The figure's name in ``lang`` (a role by its catalogue name)."""
        from patrol.labels import label

        values = dict(self.values)
        if "role" in values:
            values["role"] = label(f"role.{values['role']}", lang)
        return text(f"cmp.{self.key}", lang, **values)


@dataclass
class Comparison:
    """Plan A against plan B: figures, and the differences on the ground (working CRS)."""

    figures: list[Figure]
    blind_gained: gpd.GeoDataFrame
    blind_lost: gpd.GeoDataFrame
    streets_walked: gpd.GeoDataFrame
    streets_unwalked: gpd.GeoDataFrame
    routes_changed: list[TeamRoute]
    grids: gpd.GeoDataFrame

    @property
    def differs(self) -> bool:
        """Whether anything differs: a figure, a blind spot, a street or a route."""
        return bool(
            any(not math.isclose(f.a, f.b, abs_tol=1e-9) for f in self.figures)
            or len(self.blind_gained)
            or len(self.blind_lost)
            or len(self.streets_walked)
            or len(self.streets_unwalked)
            or self.routes_changed
        )

    def figure(self, key: str, **values: str) -> Figure:
        """The figure ``key`` (per grid: ``grid=...``)."""
        for f in self.figures:
            if f.key == key and f.values == values:
                return f
        raise KeyError(key)


def plan_figures(
    plan: Plan, coverage: Coverage
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The compared figures of one plan: (key, label values) -> value."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    out[("demand_met", ())] = round(100 * plan.weighted_demand_met, 2)
    stops = [s for r in plan.routes for s in r.stops]
    out[("visits", ())] = float(sum(s.kind == "visit" for s in stops))
    table = plan.grid_table
    out[("sweeps", ())] = float(table["sweeps_planned"].sum())
    for grid in sorted(table.index.astype(str)):
        out[("sweeps_grid", (("grid", grid),))] = float(table.loc[grid, "sweeps_planned"])
    speed = max(plan.network.speed_mps, 1e-9)
    out[("walking_h", ())] = round(sum(r.walked_m for r in plan.routes) / speed / 3600, 2)
    week = _week_blind(coverage.blind_spots)
    out[("blind_residents", ())] = float(week["residents"].sum()) if len(week) else 0.0
    out[("blind_incidents", ())] = float(week["incidents_90d"].sum()) if len(week) else 0.0
    out[("blind_area", ())] = round(float(blind_area(coverage).area), 1)
    for role, spread in sorted(plan.team_plan.spread.items()):
        out[("duty_spread", (("role", role),))] = float(spread["max"] - spread["min"])
    return out


def _week_blind(blind: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return blind.loc[blind["band"] == "week"] if "band" in blind.columns else blind


def compare_plans(a: Week, b: Week) -> Comparison:
    """Compare the weeks ``a`` and ``b`` (each a plan and its coverage, e.g.
    :func:`patrol.outputs.read_week`) of the same station."""
    fa, fb = plan_figures(a.plan, a.coverage), plan_figures(b.plan, b.coverage)
    keys = list(dict.fromkeys([*fa, *fb]))
    figures = [Figure(k, fa.get((k, v), 0.0), fb.get((k, v), 0.0), dict(v)) for k, v in keys]
    gained, lost = _blind_difference(a.coverage, b.coverage)
    walked, unwalked = _street_difference(a.coverage, b.coverage)
    routes = changed_routes(a.plan, b.plan)
    gone = {r.team.team_id for r in a.plan.routes} - {r.team.team_id for r in b.plan.routes}
    figures.append(Figure("routes_changed", 0.0, float(len(routes) + len(gone))))
    figures.append(Figure("streets_walked", 0.0, float(len(walked))))
    figures.append(Figure("streets_unwalked", 0.0, float(len(unwalked))))
    figures.append(Figure("blind_gained", 0.0, round(float(gained.geometry.area.sum()), 1)))
    figures.append(Figure("blind_lost", 0.0, round(float(lost.geometry.area.sum()), 1)))
    return Comparison(figures, gained, lost, walked, unwalked, routes, b.plan.scenario.grids)


def blind_area(coverage: Coverage) -> Any:
    """The week's blind area as exact geometry: every blind street and building (the
    ``blind`` flags of the coverage tables) grown by :data:`BLIND_BUFFER_M`. Unlike the
    dissolved ``blind_spots`` layer (drawn on a raster fitted to the features), it moves
    only where a feature changed, so two plans' difference is what really differs."""
    import shapely

    parts = []
    for table in (coverage.street_coverage, coverage.building_coverage):
        if "blind" in table.columns and len(table):
            parts.append(table.geometry.to_numpy()[table["blind"].astype(bool).to_numpy()])
    geoms = np.concatenate(parts) if parts else np.array([], dtype=object)
    return shapely.union_all(shapely.buffer(geoms, BLIND_BUFFER_M))


def _blind_difference(a: Coverage, b: Coverage) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Blind area of the week in ``b`` and not in ``a`` (gained), and the reverse (lost)."""
    import geopandas as gpd
    import shapely

    crs = b.street_coverage.crs or a.street_coverage.crs
    ua, ub = blind_area(a), blind_area(b)

    def pieces(geom: Any) -> gpd.GeoDataFrame:
        parts = [g for g in shapely.get_parts(geom) if g.area >= MIN_AREA_M2]
        return gpd.GeoDataFrame({"area_m2": [g.area for g in parts]}, geometry=parts, crs=crs)

    return pieces(shapely.difference(ub, ua)), pieces(shapely.difference(ua, ub))


def _street_difference(a: Coverage, b: Coverage) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Street segments walked in ``b`` and not in ``a``, and the reverse."""
    sa = a.street_coverage.set_index("edge_id")["walked_count"]
    sb = b.street_coverage
    before = sb["edge_id"].map(sa).fillna(0).to_numpy()
    now = sb["walked_count"].to_numpy()
    cols = ["edge_id", "walked_count", "geometry"]
    return sb.loc[(now > 0) & (before == 0), cols], sb.loc[(now == 0) & (before > 0), cols]


def comparison_rows(comparison: Comparison, *, lang: str = "zh") -> list[dict[str, Any]]:
    """The figures as rows: name, plan A, plan B, difference (headers in ``lang``)."""
    head = [text(k, lang) for k in ("cmp.figure", "cmp.a", "cmp.b", "cmp.diff")]
    return [
        dict(zip(head, (f.label(lang), f.a, f.b, round(f.diff, 2)), strict=True))
        for f in comparison.figures
    ]


def write_comparison(comparison: Comparison, out: str | Path, *, lang: str = "zh") -> list[Path]:
    """``out/compare.csv`` (the figures that differ; UTF-8 with BOM, headers in ``lang``)
    and ``out/compare.html`` (the difference map, offline); returns the paths."""
    import pandas as pd

    from patrol.atomic import write_csv, write_text
    from patrol.revise.diffmap import difference_map

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = comparison_rows(comparison, lang=lang)
    diff_col = text("cmp.diff", lang)
    frame = pd.DataFrame(
        rows, columns=[text(k, lang) for k in ("cmp.figure", "cmp.a", "cmp.b", "cmp.diff")]
    )
    frame = frame.loc[frame[diff_col] != 0]
    csv = write_csv(folder / COMPARE_CSV, frame)
    page = write_text(folder / COMPARE_MAP, difference_map(comparison, lang=lang))
    return [csv, page]
