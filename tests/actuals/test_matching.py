"""Map matching on our own network, and the evidence compliance weighs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from patrol.actuals.compliance import stop_table
from patrol.actuals.evidence import planned_edges, stop_evidence, walked_edges
from patrol.actuals.importer import kept_matching, raw_empty
from patrol.actuals.layers import Actuals
from patrol.actuals.matching import RADIUS_M, StreetIndex, match_fixes, street_index
from patrol.coverage.of_plan import measure_plan_coverage, plan_tracks, visit_stops


def test_matching_finds_the_true_streets(week) -> None:
    """Synthetic tracks with 4 m noise (one with 10–30 m): nearly every fix on its street."""
    truth = week.synth.truth.set_axis(week.synth.fixes.set_index(["team_id", "time"]).index)
    truth = truth.reindex(pd.MultiIndex.from_arrays([week.fixes["team_id"], week.fixes["time"]]))
    got = week.matched.fixes
    on_street = np.mean(got["edge_id"].to_numpy() == truth["edge_id"].to_numpy())
    near = np.hypot(got["x"].to_numpy() - truth["x"].to_numpy(),
                    got["y"].to_numpy() - truth["y"].to_numpy())  # fmt: skip
    print(f"street {on_street:.3f}, within 10 m {np.mean(near <= 10):.3f}")
    assert on_street > 0.85 and np.mean(near <= 10) > 0.9
    legs = week.matched.legs
    stayed = {d.team_id for d in week.synth.deviations if d.kind == "skipped"}  # never left
    assert set(legs["team_id"]) == {r.team.team_id for r in week.plan.routes} - stayed
    assert (legs["end"] >= legs["start"]).all()


def test_street_index_and_far_fixes(week) -> None:
    index = street_index(week.plan.network)
    assert isinstance(index, StreetIndex) and len(index.geoms) == len(week.plan.network.edges)
    one = week.fixes.loc[week.fixes["team_id"] == week.plan.routes[0].team.team_id].copy()
    far = one.geometry.to_numpy().copy()
    far[:10] = shapely.points(shapely.get_coordinates(far[:10]) + np.array([0.0, 1000.0]))
    one = one.set_geometry(far)
    matched = match_fixes(week.plan.network, one)
    assert (matched.fixes["edge"].to_numpy()[:10] == -1).all()
    assert np.isnan(matched.fixes["x"].to_numpy()[:10]).all()
    texts = [str(p) for p in matched.problems]
    assert any("10 个定位点" in t and f"{int(RADIUS_M)} m" in t for t in texts)


def test_planned_and_walked_streets(week) -> None:
    planned = planned_edges(week.plan)
    walked = walked_edges(week.matched.legs)
    route = week.plan.routes[0]
    mine = planned.loc[planned["team_id"] == route.team.team_id]
    assert mine["length_m"].sum() >= 0.9 * route.length_m / 2  # transit out and back share streets
    assert set(mine["kind"]) <= {"sweep", "transit"}
    lengths = week.plan.network.edges.set_index("edge_id")["length_m"]
    assert (walked["walked_m"] <= walked["edge_id"].map(lengths) + 1e-6).all()
    xy = week.matched.fixes[["x", "y"]].to_numpy(dtype=float)
    evidence = stop_evidence(week.plan, week.fixes, xy, walked, planned)
    stops = stop_table(week.plan, week.compliance.stops.iloc[0:0].assign(time=[], done=[]),
                       evidence, late_min=15.0)  # fmt: skip
    assert len(stops) == sum(1 for r in week.plan.routes for s in r.stops if s.kind != "post")


def test_coverage_hook_measures_the_walked_week(week) -> None:
    """``measure_plan_coverage(walked=, visits=)`` on the plan's own legs: the plan's streets."""
    plan = week.plan
    again = measure_plan_coverage(plan, walked=plan_tracks(plan), visits=visit_stops(plan))
    base = measure_plan_coverage(plan)
    assert again.street_coverage["walked_m"].tolist() == base.street_coverage["walked_m"].tolist()


def test_saved_matching_and_empty_tracks(week) -> None:
    fixes = week.fixes.assign(
        edge_id=week.matched.fixes["edge_id"].to_numpy(),
        matched_x=week.matched.fixes["x"].to_numpy(),
        matched_y=week.matched.fixes["y"].to_numpy(),
        dist_m=week.matched.fixes["dist_m"].to_numpy(),
    )
    kept = kept_matching(Actuals(pd.DataFrame(), fixes, week.matched.legs, pd.DataFrame()))
    assert kept.fixes["x"].tolist() == week.matched.fixes["x"].tolist()
    empty = raw_empty(week.plan)
    assert len(empty) == 0 and empty.crs == week.plan.scenario.crs
