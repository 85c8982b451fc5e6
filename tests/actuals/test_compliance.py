"""Compliance finds each synthetic deviation, and nothing where the team kept to the plan."""

from __future__ import annotations

import pandas as pd

from patrol.actuals.compliance import DWELL_TARGET_MIN, beat_table, people_table, shift_table
from patrol.actuals.synth import Deviation
from tests.actuals.conftest import DEVIATE


def _kind(week, kind: str):
    return next(d for d in week.synth.deviations if d.kind == kind)


def _shift(week, team_id: str) -> pd.Series:
    shifts = week.compliance.shifts
    return shifts.loc[shifts["team_id"] == team_id].iloc[0]


def test_every_deviation_was_made(week) -> None:
    assert all(isinstance(d, Deviation) for d in week.synth.deviations)
    assert {(d.team_id, d.kind) for d in week.synth.deviations} == set(DEVIATE.items())


def test_skipped_stop_is_missed(week) -> None:
    skipped = _kind(week, "skipped")
    stops = week.compliance.stops
    row = stops.loc[(stops["team_id"] == skipped.team_id) & (stops["task_id"] == skipped.task_id)]
    assert row["status"].tolist() == ["missed"]
    assert _shift(week, skipped.team_id)["stops_missed"] == 1
    assert _shift(week, skipped.team_id)["deviation"] > 0.2


def test_short_dwell_is_short(week) -> None:
    short = _kind(week, "short_dwell")
    stops = week.compliance.stops
    row = stops.loc[(stops["team_id"] == short.team_id) & (stops["task_id"] == short.task_id)]
    assert row["status"].iloc[0] == "done"
    assert row["dwell_min"].iloc[0] < DWELL_TARGET_MIN[0]
    assert _shift(week, short.team_id)["hotspot_short"] == 1
    others = week.compliance.shifts.loc[week.compliance.shifts["team_id"] != short.team_id]
    assert others["hotspot_short"].sum() == 0
    hot = stops.loc[(stops["kind"] == "hotspot") & (stops["team_id"] != short.team_id)]
    assert hot["dwell_min"].between(*DWELL_TARGET_MIN).all()  # the plan's 15 min, as walked


def test_detour_walks_off_plan(week) -> None:
    detour = _kind(week, "detour")
    assert _shift(week, detour.team_id)["offplan_m"] > 100  # the detour leaves the plan at once
    off = week.compliance.offplan
    assert set(off["team_id"]) == {detour.team_id}


def test_gap_and_noise_warned_not_failed(week) -> None:
    gap, noise = _kind(week, "gap"), _kind(week, "noise")
    texts = [str(p) for p in week.matched.problems]
    assert any(noise.team_id in t and "漂移" in t and "noisy" in t for t in texts)
    assert _shift(week, noise.team_id)["stops_missed"] == 0
    assert _shift(week, gap.team_id)["sweep_share"] < 0.97  # 15 min without fixes
    assert any(gap.team_id in t and "中断 15 分钟" in t for t in map(str, week.screened))


def test_teams_that_kept_to_the_plan_are_clean(week) -> None:
    shifts = week.compliance.shifts
    clean = shifts.loc[~shifts["team_id"].isin(list(DEVIATE))]
    assert (clean["stops_missed"] == 0).all() and (clean["stops_late"] == 0).all()
    assert (clean["sweep_share"].dropna() > 0.95).all()
    assert (clean["deviation"] < 0.05).all()
    assert week.compliance.shifts["tracked"].all()


def test_rollups_per_person_grid_and_beat(week) -> None:
    c = week.compliance
    members = {p.person_id for r in week.plan.routes for p in r.team.members}
    assert set(c.people["person_id"]) == members
    assert c.people.loc[c.people["stops_missed"] > 0, "shifts_planned"].min() >= 1
    assert set(c.grids["grid_id"]) == set(week.plan.scenario.grids["grid_id"])
    missed = c.stops.loc[c.stops["status"] == "missed"]
    assert set(missed["team_id"]) <= {_kind(week, "skipped").team_id, _kind(week, "gap").team_id}
    assert c.grids["stops_missed"].sum() == len(missed)
    beats = beat_table(c.grids)
    assert beats["visits_planned"].sum() == c.grids["visits_planned"].sum()
    assert (c.grids["longest_gap_walked_h"] >= 0).all()
    assert "blind_residents_walked" in c.grids and len(c.blind_spots) >= 0
    again = shift_table(week.plan, c.stops, c.offplan, set(week.fixes["team_id"]))
    pd.testing.assert_frame_equal(again, c.shifts)
    pd.testing.assert_frame_equal(people_table(week.plan, c.shifts), c.people)
    assert c.summary["stops_missed"] == len(missed) and c.summary["hotspot_short"] == 1
