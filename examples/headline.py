"""Print the headline figures of a planned week from ``OUT/summary.json``.

Usage: python examples/headline.py OUT [OUT ...]

The figures docs/real_city.md records for each real-city example: weighted demand met and
its upper bound, sweeps planned/required, street walked share, blind street share and the
share of recent incidents in blind spots.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def pct(value: Any) -> str:
    """A share as a percentage, or n/a when absent (no streets: no street figures)."""
    return "n/a" if value is None else f"{100 * float(value):.1f}%"


def headline(out: Path) -> str:
    """One Markdown table row of the headline figures."""
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    c = s.get("coverage", {})
    inc = c.get("incidents_90d")
    blind_inc = c.get("incidents_in_blind_spots_share")
    blind = (
        "n/a"
        if inc is None or blind_inc is None
        else f"{round(inc * blind_inc)} of {int(inc)} ({pct(blind_inc)})"
    )
    return (
        f"| {s['station']} | {pct(s['weighted_demand_met'])} "
        f"| {pct(s['weighted_demand_upper_bound'])} "
        f"| {s['sweeps_planned']:g}/{s['sweeps_required']} "
        f"| {s['visits_planned']}/{s['visits_due']} "
        f"| {s['hotspot_minutes_planned']:g}/{s['hotspot_minutes_target']:g} "
        f"| {pct(c.get('street_walked_share'))} | {pct(c.get('blind_street_share'))} "
        f"| {blind} "
        f"| {s['timings_s'].get('total_s', 'n/a')} s |"
    )


def main() -> None:
    print(
        "| scenario | weighted demand met | upper bound | sweeps planned/required "
        "| visits | hot-spot minutes | street walked | blind streets "
        "| incidents in blind spots | plan time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for arg in sys.argv[1:]:
        print(headline(Path(arg)))


if __name__ == "__main__":
    main()
