"""Every staffing gap is shown in full (issue #13, rule 5): in the terminal, in
``staffing_gaps.csv``, on week.pdf's first pages and on plan.html; fallback teams say
their kind on the map and in the duty calendar."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from patrol.outputs import Week
from tests.factory import TOML, tiny_layers, write_tiny_scenario

DAILY = "[demand]\nsweeps_per_week = { green = 7, yellow = 7 }\n"
"""Every grid swept daily, so weekend teams have sweeps to do."""


@pytest.fixture(scope="module")
def weekend_short(tmp_path_factory: pytest.TempPathFactory) -> Week:
    """The tiny scenario with every grid worker off at the weekend, two red-armband
    volunteers of any beat on weekend days, and fallback teams allowed (police +
    volunteers first, then red armband), every grid swept daily: planned and written
    once. B1's grids are green and yellow, B2's orange and red."""
    from patrol.outputs import run_week
    from patrol.planner import PlanParams
    from patrol.scenario.read import read_scenario

    layers = tiny_layers()
    roster = layers["roster"]
    roster.loc[roster["role"] == "grid_worker", "available"] = "Mon-Fri all"
    extra = roster.iloc[:2].copy()
    extra["person_id"], extra["name"] = ["r1", "r2"], ["红袖标甲", "红袖标乙"]
    extra["role"], extra["beat_id"], extra["available"] = "red_armband", None, "Sat,Sun day"
    layers["roster"] = pd.concat([roster, extra], ignore_index=True)
    toml = TOML + 'fallback = ["police_volunteers", "red_armband"]\n' + DAILY
    root = tmp_path_factory.mktemp("gaps")
    scenario = read_scenario(write_tiny_scenario(root / "tiny", layers=layers, toml=toml))
    params = PlanParams(seed=1, max_iterations=200, engine="pyvrp")
    return run_week(scenario, root / "out", params=params)


def _out(week: Week) -> Path:
    return next(p for p in week.written if p.name == "plan.gpkg").parent


def test_the_weekend_has_gaps_and_fallback_teams(weekend_short: Week) -> None:
    team_plan = weekend_short.plan.team_plan
    assert team_plan.gaps and all(g.slot.weekday >= 5 for g in team_plan.gaps)
    kinds = {t.kind for t in team_plan.teams}
    assert {"full", "police_volunteers"} <= kinds
    assert all(t.slot.weekday >= 5 for t in team_plan.teams if t.kind != "full")
    assert all("网格员" in g.reason_zh and "grid worker" in g.reason_en for g in team_plan.gaps)


def test_a_red_armband_team_sweeps_only_green_and_yellow_grids(weekend_short: Week) -> None:
    plan = weekend_short.plan
    risk = dict(zip(plan.scenario.grids["grid_id"], plan.scenario.grids["risk"], strict=True))
    stops = [s for r in plan.routes if r.team.kind == "red_armband" for s in r.stops]
    tasks = [s for s in stops if s.kind != "post"]
    print(f"\nred-armband routes' stops {[(s.kind, s.grid_id) for s in tasks]}")
    assert tasks  # a weekend day with no police left for a police + volunteers team
    assert not any(t.kind == "red_armband" and t.beat_id == "B2" for t in plan.team_plan.teams)
    assert all(s.kind == "sweep" and risk[s.grid_id] in ("green", "yellow") for s in tasks)


def test_every_gap_is_in_the_terminal_csv_pdf_and_map(weekend_short: Week) -> None:
    from patrol.render.report import describe_plan
    from patrol.teams.tally import gap_rows

    out, team_plan = _out(weekend_short), weekend_short.plan.team_plan
    terminal = describe_plan(weekend_short.plan, lang="zh")
    lines = (out / "staffing_gaps.csv").read_text(encoding="utf-8-sig").splitlines()
    pages = PdfReader(out / "sheets" / "week.pdf").pages
    pdf = re.sub(r"\s+", "", "".join(p.extract_text() for p in pages[:4]))
    html = (out / "maps" / "plan.html").read_text(encoding="utf-8")
    assert len(lines) == 1 + len(team_plan.gaps)
    for (day, shift, beat, _formed, reason), gap in zip(
        gap_rows(team_plan, "zh"), sorted(team_plan.gaps, key=lambda g: g.slot.start), strict=True
    ):
        assert f"{day}  {shift}" in terminal and reason in terminal
        assert any(  # one row per gap, whatever the headers' language
            gap.slot.date.isoformat() in line and f",{beat}," in line and reason in line
            for line in lines
        )
        assert re.sub(r"\s+", "", reason) in pdf
        assert reason in html
    assert f"人员缺口共{len(team_plan.gaps)}个" in pdf
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["staffing_gaps"] == len(team_plan.gaps)
    assert sum(summary["staffing_gaps_by_day"].values()) == len(team_plan.gaps)
    assert summary["fallback_teams"]["police_volunteers"] >= 1
    assert html.count('class=\\"patrol-gap\\"') == len(team_plan.gaps)


def test_fallback_teams_say_their_kind_on_the_map_and_the_calendar(weekend_short: Week) -> None:
    out = _out(weekend_short)
    html = (out / "maps" / "plan.html").read_text(encoding="utf-8")
    routed = {r.team.kind for r in weekend_short.plan.routes}
    if "police_volunteers" in routed:
        assert "后备小队：民警/辅警+志愿者（无网格员）" in html
    pages = PdfReader(out / "sheets" / "week.pdf").pages
    assert "〔民警/辅警+志愿者〕" in re.sub(r"\s+", "", pages[0].extract_text())
    texts = [re.sub(r"\s+", "", p.extract_text()) for p in pages]
    sheets = [t for t in texts if "巡逻路线单" in t]
    fallback = [r.team.team_id for r in weekend_short.plan.routes if r.team.kind != "full"]
    assert fallback
    for team_id in fallback:  # a fallback team's sheet says its kind ...
        assert any(team_id in t and "后备小队：" in t for t in sheets), team_id
    for t in sheets:  # ... and only a fallback team's
        assert ("后备小队：" in t) == any(team_id in t for team_id in fallback)
