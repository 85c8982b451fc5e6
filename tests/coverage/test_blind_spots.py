"""Blind streets and buildings merged into areas, per band, on the blind district."""

from __future__ import annotations

from patrol.coverage.blind_spots import BLIND_COLUMNS
from tests.coverage.districts import measured_blind_district


def test_find_blind_spots_merges_blind_features_per_band() -> None:
    _, m = measured_blind_district()
    blind = m.blind
    assert blind.streets[0].tolist() == [True, True, True, False]
    assert blind.buildings[0].tolist() == [True, True, False]
    assert tuple(blind.areas.columns[:-1]) == BLIND_COLUMNS
    week = blind.areas[blind.areas["band"] == "week"]
    assert week["blind_id"].tolist() == ["W0001", "W0002"]
    assert week["residents"].tolist() == [50, 10]
    assert blind.incidents_in.shape == (2, 4)
    assert blind.incidents_in[0].tolist() == [True, True, True, False]
