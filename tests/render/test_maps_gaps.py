"""The staffing-gap panel of plan.html: every gap, escaped, and the fallback teams used."""

from __future__ import annotations

import datetime as dt

import folium

from patrol.render.maps.gaps import add_gaps_panel, gaps_panel_html
from patrol.scenario.model import week_slots
from patrol.settings import Settings
from patrol.teams.types import StaffingGap, TeamPlan

SLOTS = week_slots(Settings(week_start=dt.date(2026, 11, 30)))


def _plan(n: int) -> TeamPlan:
    gaps = tuple(
        StaffingGap(SLOTS[i], "B<1>", 1, 0, f"gap {i} <b>", f"第{i}个缺口<b>") for i in range(n)
    )
    return TeamPlan((), gaps, {}, {}, "OPTIMAL", 0.0, 0.0, 0.0)


def test_gaps_panel_lists_every_gap_escaped() -> None:
    html = gaps_panel_html(_plan(21), "zh")
    assert html.count('<tr class="patrol-gap">') == 21
    assert all(f"第{i}个缺口&lt;b&gt;" in html for i in range(21))
    assert "<b>" not in html.replace("<b>人员缺口", "")  # only the title is bold
    assert "人员缺口共21个" in html and "未用后备小队" in html


def test_gaps_panel_without_gaps_says_so_and_goes_on_the_map() -> None:
    assert "No staffing gaps" in gaps_panel_html(_plan(0), "en")
    m = folium.Map()
    add_gaps_panel(m, _plan(2), "en")
    page = m.get_root().render()
    assert "patrol-gaps" in page and "gap 1 &lt;b&gt;" in page
