"""Who was on which team-shift, and where its stops were: the plan as the actuals need it.

A check-in or a track names a team or a person and a time; :class:`Duty` says which
planned team-shift that is, which stops it had and whether the time lies in the week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from patrol.plan import Plan, Stop, TeamRoute

__all__ = ["Duty", "duty_of"]

MARGIN = dt.timedelta(hours=1)
"""A team-shift's actuals may start this early or end this late (walking to the post)."""


@dataclass(frozen=True)
class Duty:
    """The plan's team-shifts by team id and by person, their stops, and the week."""

    routes: dict[str, TeamRoute]
    by_person: dict[str, tuple[str, ...]]
    people: frozenset[str]
    week_start: dt.datetime
    week_end: dt.datetime

    def stops(self, team_id: str) -> dict[int, Stop]:
        """The team-shift's stops (the police room left out) by their number."""
        route = self.routes[team_id]
        return {s.seq: s for s in route.stops if s.kind != "post"}

    def known(self, who: str) -> bool:
        """True when ``who`` is a team id of the plan or a person of the roster."""
        return who in self.routes or who in self.people

    def in_week(self, when: dt.datetime) -> bool:
        return self.week_start <= when <= self.week_end

    def team_at(self, who: str, when: dt.datetime) -> str | None:
        """The team-shift of team or person ``who`` at ``when`` (its window widened by
        :data:`MARGIN`), or None."""
        if who in self.routes:
            return who
        for team_id in self.by_person.get(who, ()):
            route = self.routes[team_id]
            if route.team.slot.start - MARGIN <= when <= route.team.slot.end + MARGIN:
                return team_id
        return None

    def teams_at(self, who: str, times: pd.Series) -> np.ndarray:
        """:meth:`team_at` for many times at once ('' where none)."""
        found = np.full(len(times), "", dtype=object)
        stamps = pd.to_datetime(times).to_numpy()
        teams = (who,) if who in self.routes else self.by_person.get(who, ())
        for team_id in reversed(teams):  # the earliest team-shift wins, as in team_at
            slot = self.routes[team_id].team.slot
            if who in self.routes:
                found[:] = team_id
                break
            lo = np.datetime64(slot.start - MARGIN)
            hi = np.datetime64(slot.end + MARGIN)
            found[(stamps >= lo) & (stamps <= hi)] = team_id
        return found

    def teams_on(self, who: str, day: dt.date) -> tuple[str, ...]:
        """The team-shifts of ``who`` (a team id or a person) on ``day``."""
        if who in self.routes:
            return (who,)
        return tuple(t for t in self.by_person.get(who, ()) if self.routes[t].team.slot.date == day)


def duty_of(plan: Plan) -> Duty:
    """The :class:`Duty` of ``plan``: its routed team-shifts and the week's bounds (the
    first midnight to the last shift's end, plus :data:`MARGIN`)."""
    routes = {r.team.team_id: r for r in plan.routes}
    by_person: dict[str, list[str]] = defaultdict(list)
    for team_id, route in sorted(routes.items(), key=lambda kv: kv[1].team.slot.start):
        for person in route.team.members:
            by_person[person.person_id].append(team_id)
    start = dt.datetime.combine(plan.scenario.settings.week_start, dt.time())
    ends = [s.end for s in plan.slots] or [start + dt.timedelta(days=7)]
    end = max(max(ends), start + dt.timedelta(days=len(plan.scenario.settings.days)))
    people = frozenset(p.person_id for p in plan.scenario.people)
    return Duty(
        routes,
        {k: tuple(v) for k, v in by_person.items()},
        people | frozenset(by_person),
        start,
        end + MARGIN,
    )
