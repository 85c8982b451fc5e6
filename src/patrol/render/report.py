"""Plain-text summaries for the terminal: the scenario, and later the plan.

Words come from :mod:`patrol.labels`; numbers are computed here from the data, so
the same figures appear in the CLI, the notebooks and the summary files.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from patrol.labels import label

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan
    from patrol.scenario.model import Scenario
    from patrol.teams.types import TeamPlan


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A fixed-width text table that lines up Chinese (double-width) text too."""
    cells = [[str(h) for h in header]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for k, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = widths[i] - _width(cell)
            parts.append(cell + " " * pad if i == 0 else " " * pad + cell)
        lines.append("  ".join(parts))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


def incidents_per_grid(scenario: Scenario) -> pd.Series:
    """Number of incidents inside each grid (all time), indexed by grid_id."""
    if scenario.incidents.empty:
        return pd.Series(0, index=scenario.grids["grid_id"], dtype=int)
    joined = gpd.sjoin(
        scenario.incidents[["geometry"]],
        scenario.grids[["grid_id", "geometry"]],
        predicate="within",
    )
    counts = joined.groupby("grid_id").size()
    out: pd.Series = counts.reindex(scenario.grids["grid_id"], fill_value=0).astype(int)
    return out


def describe_scenario(scenario: Scenario, *, lang: str | None = None) -> str:
    """Grids, households, people, incidents per grid and cameras, as a readable table."""
    lang = lang or scenario.settings.language
    grids = scenario.grids
    incidents = incidents_per_grid(scenario)
    buildings = scenario.buildings
    hh = buildings.groupby("grid_id")["households"].sum() if len(buildings) else pd.Series()
    res = buildings.groupby("grid_id")["residents"].sum() if len(buildings) else pd.Series()
    focus = scenario.focus_households.groupby("grid_id").size()
    workers = {p.grid_id: p.name for p in scenario.people if p.role == "grid_worker"}
    rows = []
    for g in grids.itertuples(index=False):
        households = g.households if g.households == g.households else hh.get(g.grid_id, 0)
        residents = g.residents if g.residents == g.residents else res.get(g.grid_id, 0)
        rows.append(
            [
                g.grid_id,
                g.name,
                g.beat_id,
                label(f"risk.{g.risk}", lang),
                households,
                residents,
                int(focus.get(g.grid_id, 0)),
                int(incidents.get(g.grid_id, 0)),
                workers.get(g.grid_id, "-"),
            ]
        )
    header = [
        label("grid", lang),
        label("report.name", lang),
        label("beat", lang),
        label("risk", lang),
        label("households", lang),
        label("residents", lang),
        label("focus_household", lang),
        label("incidents", lang),
        label("grid_worker", lang),
    ]
    roles = Counter(p.role for p in scenario.people)
    role_text = ", ".join(f"{label('role.' + r, lang)} {n}" for r, n in sorted(roles.items()))
    total_hh = sum(float(r[4]) for r in rows)
    total_res = sum(float(r[5]) for r in rows)
    head = [
        f"{label('report.scenario', lang)}: {scenario.settings.station} "
        f"({scenario.source}) — {scenario.settings.week_start} "
        f"{label('report.week', lang)}",
        f"{label('grid', lang)} {len(grids)}, {label('beat', lang)} {len(scenario.beats)}, "
        f"{label('building', lang)} {len(buildings)}, {label('households', lang)} "
        f"{total_hh:.0f}, {label('residents', lang)} {total_res:.0f}",
        f"{label('people', lang)} {len(scenario.people)} ({role_text})",
        f"{label('incident', lang)} {len(scenario.incidents)}, {label('camera', lang)} "
        f"{len(scenario.cameras)}, {label('focus_household', lang)} "
        f"{len(scenario.focus_households)}, {label('post', lang)} {len(scenario.posts)}, "
        f"{'streets' if lang == 'en' else '街道路段'} "
        f"{0 if scenario.roads is None else len(scenario.roads)}, CRS {scenario.crs.to_string()}",
        "",
    ]
    return "\n".join(head) + format_table(header, rows)


def describe_plan(plan: Plan, *, lang: str | None = None, max_unserved: int = 15) -> str:
    """The plan's terminal summary: a table per grid, then what was not covered and why."""
    from patrol.summary import grid_table, plan_summary

    lang = lang or plan.scenario.settings.language
    grids = grid_table(plan)
    summary = plan_summary(plan)
    header = [
        label("grid", lang),
        label("report.name", lang),
        label("risk", lang),
        label("report.sweeps_required", lang),
        label("report.sweeps_planned", lang),
        label("report.night_sweeps", lang),
        label("report.visits_due", lang),
        label("report.visits_planned", lang),
        label("report.hotspot_minutes", lang),
    ]
    rows = [
        [
            gid,
            r["name"],
            label(f"risk.{r['risk']}", lang),
            r["sweeps_required"],
            r["sweeps_planned"],
            f"{r['night_sweeps_planned']:g}/{r['night_sweeps_required']}",
            r["visits_due"],
            r["visits_planned"],
            f"{r['hotspot_minutes_planned']:g}/{r['hotspot_minutes_target']:g}",
        ]
        for gid, r in grids.iterrows()
    ]
    lines = [
        "",
        f"{label('report.plan', lang)}: {summary['station']} {summary['week_start']} "
        f"(plan {summary['plan_id']}, {summary['engine']}, seed {summary['seed']})",
        f"{label('report.teams_formed', lang)} {summary['teams']}, "
        f"{label('report.shortfall', lang)} {summary['team_shortfalls']}; "
        f"{summary['walk_km']} km, {summary['walk_hours']} h; "
        f"{label('report.demand_met', lang)} {100 * summary['weighted_demand_met']:.1f}% "
        f"({label('report.upper_bound', lang)} "
        f"{100 * summary['weighted_demand_upper_bound']:.1f}%); "
        f"{label('report.solve_time', lang)} {summary['timings_s'].get('total_s', 0):.1f} "
        f"{label('report.seconds', lang)}",
        "",
        format_table(header, rows),
    ]
    if plan.unserved:
        lines += ["", f"{label('report.unserved', lang)} ({len(plan.unserved)}):"]
        by_reason: dict[str, list[str]] = {}
        for u in plan.unserved:
            text = u.task.description_zh if lang == "zh" else u.task.description_en
            by_reason.setdefault(u.reason_zh if lang == "zh" else u.reason_en, []).append(text)
        for reason, items in by_reason.items():
            shown = "; ".join(items[:max_unserved])
            more = f" … (+{len(items) - max_unserved})" if len(items) > max_unserved else ""
            lines.append(f"  - {reason} [{len(items)}]: {shown}{more}")
    lines += ["", describe_gaps(plan.team_plan, lang=lang)]
    return "\n".join(lines)


def describe_gaps(team_plan: TeamPlan, *, lang: str = "zh") -> str:
    """Every staffing gap (none left out), with its count per day and the fallback teams
    used: the chief sees each shift that has no team and what was missing."""
    from patrol.teams.tally import describe_fallback_use, describe_gap_count, gap_rows

    lines = [
        f"{label('gaps.title', lang)}: {describe_gap_count(team_plan, lang)}; "
        f"{describe_fallback_use(team_plan, lang)}"
    ]
    rows = gap_rows(team_plan, lang)
    if not rows:
        return "\n".join([*lines, f"  {label('gaps.none', lang)}"])
    header = [
        label("sheet.day", lang),
        label("shift", lang),
        label("beat", lang),
        label("gaps.formed", lang),
        label("sheet.reason", lang),
    ]
    return "\n".join([*lines, format_table(header, [list(r) for r in rows])])


def describe_coverage(coverage: Coverage, *, lang: str = "zh", top: int = 5) -> str:
    """Headline coverage figures and the worst blind spots."""
    s = coverage.summary
    zh = lang == "zh"

    def pct(key: str) -> str:
        value = s.get(key, float("nan"))
        return "-" if value != value else f"{100 * value:.0f}%"

    lines = [
        "",
        "覆盖与盲区" if zh else "Coverage and blind spots",
        (
            f"街道巡到 {pct('street_walked_share')}（夜间 {pct('night_street_walked_share')}），"
            f"摄像头覆盖街道 {pct('camera_street_share')}，楼栋在巡逻范围内 "
            f"{pct('buildings_covered_share')}，盲区街道 {pct('blind_street_share')}"
            f"（夜间 {pct('night_blind_street_share')}），近90天警情落在盲区 "
            f"{pct('incidents_in_blind_spots_share')}"
        )
        if zh
        else (
            f"streets walked {pct('street_walked_share')} (night "
            f"{pct('night_street_walked_share')}), streets seen by cameras "
            f"{pct('camera_street_share')}, buildings near a patrol "
            f"{pct('buildings_covered_share')}, blind streets {pct('blind_street_share')} "
            f"(night {pct('night_blind_street_share')}), recent incidents in blind spots "
            f"{pct('incidents_in_blind_spots_share')}"
        ),
    ]
    spots = coverage.blind_spots
    if len(spots):
        spots = spots.sort_values(["band", "rank"])
        header = [
            "盲区" if zh else "blind spot",
            "时段" if zh else "band",
            "街道(米)" if zh else "street m",
            "人口" if zh else "residents",
            "近90天警情" if zh else "incidents 90d",
        ]
        rows = [
            [
                r.blind_id,
                ("全周" if r.band == "week" else "夜间") if zh else r.band,
                round(float(r.street_length_m)),
                int(r.residents),
                int(r.incidents_90d),
            ]
            for r in spots.groupby("band").head(top).itertuples(index=False)
        ]
        lines += ["", format_table(header, rows)]
    return "\n".join(lines)
