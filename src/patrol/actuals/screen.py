"""Screening GPS fixes before matching: whose team-shift each is, and what is wrong.

A raw track is one ``(source, who)`` pair of :func:`patrol.actuals.tracks.read_tracks`.
Its fixes are given the team-shift of ``who`` at their time (:meth:`Duty.team_at`); a
track becomes one *track* per team-shift (``track_id`` = ``team_id:who``; two files of
one walker in one team-shift make one track).

Errors (the import stops, the store stays as it was): the walker is neither a team nor a
person of the plan (``unknown_team``); most fixes lie outside the station's area
(``outside_area``); most fixes fall outside the week (``outside_week``). Warnings, one
per track: a device clock off by whole hours (``clock``; corrected when that puts the
track in the walker's shift), a walker without a shift that day (``off_duty``; not
counted), a gap longer than :data:`GAP_S` (``gap``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.actuals.duty import Duty, duty_of
from patrol.actuals.labels import problem
from patrol.errors import Problem

if TYPE_CHECKING:
    from patrol.plan import Plan

__all__ = ["AREA_MARGIN_M", "GAP_S", "screen_fixes"]

GAP_S = 120.0
"""A track without a fix for longer than this has a gap (counted as not patrolled)."""
AREA_MARGIN_M = 300.0
"""Fixes this far outside the grids still count as inside the area."""
OUTSIDE_SHARE = 0.5
"""A track with more than this share of its fixes outside the area (or the week) is refused."""


def _teams_of(duty: Duty, who: str, times: pd.Series) -> np.ndarray:
    return duty.teams_at(who, times)


def _clock_offset(duty: Duty, who: str, times: pd.Series) -> int:
    """Whole hours that put most of a track into the walker's team-shifts (0: none)."""
    best, best_hits = 0, int(np.count_nonzero(_teams_of(duty, who, times)))
    if best_hits >= len(times) / 2:
        return 0
    for hours in (8, -8, *range(-12, 13)):
        if hours == 0:
            continue
        moved = times + pd.Timedelta(hours=hours)
        hits = int(np.count_nonzero(_teams_of(duty, who, moved)))
        if hits > best_hits:
            best, best_hits = hours, hits
    return best if best_hits >= len(times) / 2 else 0


def _area(plan: Plan) -> shapely.Geometry:
    grids = plan.scenario.grids.geometry.to_numpy()
    return shapely.buffer(shapely.union_all(grids), AREA_MARGIN_M)


def _week_problem(duty: Duty, track: gpd.GeoDataFrame) -> Problem | None:
    times = track["time"]
    inside = (times >= duty.week_start) & (times <= duty.week_end)
    if inside.mean() > OUTSIDE_SHARE:
        return None
    first = track.loc[~inside].iloc[0]
    return problem(
        str(first["source"]),
        "outside_week",
        row=int(first["row"]),
        time=first["time"].strftime("%Y-%m-%d %H:%M"),
        start=duty.week_start.strftime("%Y-%m-%d"),
        end=duty.week_end.strftime("%Y-%m-%d %H:%M"),
    )


def _area_problem(area: shapely.Geometry, track: gpd.GeoDataFrame, name: str) -> Problem | None:
    points = track.geometry.to_numpy()
    outside = ~shapely.contains_xy(area, shapely.get_x(points), shapely.get_y(points))
    if outside.mean() <= OUTSIDE_SHARE:
        return None
    far = float(np.max(shapely.distance(area, points[outside])))
    return problem(
        str(track["source"].iloc[0]),
        "outside_area",
        row=int(track["row"].iloc[int(np.argmax(outside))]),
        track=name,
        share=round(100 * float(outside.mean())),
        far_m=round(far + AREA_MARGIN_M),
    )


def _gap_problem(track: gpd.GeoDataFrame, name: str) -> Problem | None:
    times = track["time"].sort_values()
    steps = times.diff().dt.total_seconds().to_numpy()[1:]
    if not len(steps) or float(np.max(steps)) <= GAP_S:
        return None
    k = int(np.argmax(steps))
    return problem(
        str(track["source"].iloc[0]),
        "gap",
        row=int(track["row"].iloc[k]),
        severity="warning",
        track=name,
        minutes=round(float(steps[k]) / 60),
        start=times.iloc[k].strftime("%m-%d %H:%M"),
    )


def _screen_one(
    duty: Duty, area: shapely.Geometry, raw: gpd.GeoDataFrame, problems: list[Problem]
) -> gpd.GeoDataFrame | None:
    """One raw track's fixes with their team-shifts, or None when refused or not counted."""
    source, who = str(raw["source"].iloc[0]), str(raw["who"].iloc[0])
    name = f"{who} ({source})"
    row = int(raw["row"].iloc[0])
    if not duty.known(who):
        problems.append(problem(source, "unknown_team", row=row, who=who))
        return None
    found = _area_problem(area, raw, name) or _week_problem(duty, raw)
    if found is not None:
        problems.append(found)
        return None
    hours = _clock_offset(duty, who, raw["time"])
    if hours:
        raw = raw.assign(time=raw["time"] + pd.Timedelta(hours=hours))
        shift = duty.team_at(who, raw["time"].iloc[len(raw) // 2].to_pydatetime()) or ""
        problems.append(
            problem(
                source, "clock", row=row, severity="warning", track=name, hours=-hours, shift=shift
            )
        )
    teams = _teams_of(duty, who, raw["time"])
    if not np.any(teams != ""):
        day = raw["time"].iloc[0].strftime("%Y-%m-%d")
        problems.append(
            problem(source, "off_duty", row=row, severity="warning", track=name, who=who, date=day)
        )
        return None
    kept = raw.loc[teams != ""].assign(team_id=teams[teams != ""])
    person = "" if who in duty.routes else who
    return kept.assign(person_id=person, track_id=kept["team_id"] + ":" + who)


def screen_fixes(plan: Plan, fixes: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The fixes that belong to a team-shift of ``plan``, with ``track_id``, ``team_id``
    and ``person_id`` added (sorted by track and time), and the problems of each track."""
    duty = duty_of(plan)
    area = _area(plan)
    problems: list[Problem] = []
    kept: list[gpd.GeoDataFrame] = []
    for _, raw in fixes.groupby(["source", "who"], sort=True):
        one = _screen_one(duty, area, raw.sort_values("time", kind="stable"), problems)
        if one is not None and len(one):
            kept.append(one)
    for track_id, one in pd.concat(kept).groupby("track_id", sort=True) if kept else []:
        gap = _gap_problem(one, str(track_id))
        if gap is not None:
            problems.append(gap)
    columns = ["track_id", "team_id", "person_id", "time", "source", "row"]
    if not kept:
        empty = pd.DataFrame({c: [] for c in columns})
        return gpd.GeoDataFrame(empty, geometry=[], crs=fixes.crs), problems
    frame = pd.concat(kept, ignore_index=True)[[*columns, "geometry"]]
    frame = frame.sort_values(["track_id", "time"], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=fixes.crs), problems
