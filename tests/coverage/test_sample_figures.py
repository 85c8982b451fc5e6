"""The bundled sample's coverage figures equal those recorded before coverage/ was split."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from patrol.coverage.measure import Coverage
from patrol.coverage.of_plan import measure_plan_coverage
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario

EXPECTED = Path(__file__).parent / "data" / "sample_coverage.json"


@pytest.fixture(scope="module")
def sample_coverage() -> Coverage:
    """The sample planned as in the recorded-plan test (seed 0, 300 iterations), measured."""
    sample = Path(__file__).resolve().parents[2] / "data" / "zhenganli"
    params = PlanParams(time_limit_s=20, seed=0, max_iterations=300)
    return measure_plan_coverage(plan_week(read_scenario(sample), params))


def _same(got: float, want: Any) -> bool:
    if want is None:
        return math.isnan(got)
    return got == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_sample_summary_is_the_recorded_one(sample_coverage: Coverage) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["summary"]
    assert list(sample_coverage.summary) == list(expected)
    wrong = {
        k: (v, expected[k]) for k, v in sample_coverage.summary.items() if not _same(v, expected[k])
    }
    assert not wrong


def test_sample_blind_spots_are_the_recorded_ones(sample_coverage: Coverage) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    spots = sample_coverage.blind_spots
    for band, area in expected["blind_spots_area_m2"].items():
        assert spots.loc[spots["band"] == band].area.sum() == pytest.approx(area, rel=1e-9)
    rows = [
        [
            r.blind_id,
            r.band,
            int(r.rank),
            int(r.rank_by_incidents),
            round(float(r.street_length_m), 6),
            int(r.buildings),
            round(float(r.residents), 6),
            int(r.incidents_90d),
            round(float(r.geometry.area), 3),
        ]
        for r in spots.itertuples()
    ]
    assert rows == expected["blind_spots"]
