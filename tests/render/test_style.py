"""The shared palette."""

from __future__ import annotations

from patrol.render.style import (
    RISK_COLOURS,
    STATUS_COLOURS,
    TEAM_COLOURS,
    WALKED_RAMP,
    walked_colour,
)


def test_walked_colour_steps_up_the_ramp() -> None:
    assert [walked_colour(n) for n in (0, 1, 2, 3, 5, 6, 40)] == [
        WALKED_RAMP[0],
        WALKED_RAMP[0],
        WALKED_RAMP[1],
        WALKED_RAMP[2],
        WALKED_RAMP[2],
        WALKED_RAMP[3],
        WALKED_RAMP[3],
    ]


def test_palettes_cover_every_status_and_risk() -> None:
    assert set(STATUS_COLOURS) == {"met", "short", "uncovered"}
    assert set(RISK_COLOURS) == {"green", "yellow", "orange", "red"}
    assert len(set(TEAM_COLOURS)) == len(TEAM_COLOURS) == 12
