"""The staffing-gap panel of ``plan.html``: every beat-shift that needed a team and got
none (or too few), with what was missing, and the fallback teams used.

A fixed panel (open by default, folds away) rather than markers: a gap is a beat and a
shift, not a place. Every text is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patrol.labels import label
from patrol.render.maps.display import esc
from patrol.render.maps.elements import Control

if TYPE_CHECKING:
    import folium

    from patrol.teams.types import TeamPlan

__all__ = ["add_gaps_panel", "gaps_panel_html"]

_STYLE = "max-height:38vh;overflow-y:auto;font-size:12px;max-width:420px"


def gaps_panel_html(team_plan: TeamPlan, lang: str) -> str:
    """The panel's HTML: title with the count per day, the fallback teams used, then one
    table row per gap (day, shift, beat, formed/needed, reason); none left out."""
    from patrol.teams.tally import describe_fallback_use, describe_gap_count, gap_rows

    rows = gap_rows(team_plan, lang)
    head = (
        f"<summary><b>{esc(label('gaps.title', lang))}</b> "
        f"{esc(describe_gap_count(team_plan, lang))}</summary>"
        f"<div>{esc(describe_fallback_use(team_plan, lang))}</div>"
    )
    if not rows:
        body = f"<div>{esc(label('gaps.none', lang))}</div>"
    else:
        names = ("sheet.day", "shift", "beat", "gaps.formed", "sheet.reason")
        th = "".join(f"<th>{esc(label(n, lang))}</th>" for n in names)
        trs = "".join(
            '<tr class="patrol-gap">' + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>"
            for r in rows
        )
        body = f"<table><tr>{th}</tr>{trs}</table>"
    return f'<details open style="{_STYLE}">{head}{body}</details>'


def add_gaps_panel(m: folium.Map, team_plan: TeamPlan, lang: str) -> None:
    """Put the staffing-gap panel on the map (bottom left)."""
    Control(
        gaps_panel_html(team_plan, lang),
        position="bottomleft",
        css_class="patrol-panel patrol-gaps",
    ).add_to(m)
