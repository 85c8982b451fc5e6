"""The validated scenario: every layer in one metric working CRS, with typed people and shifts.

:func:`patrol.scenario.read.read_scenario` builds a :class:`Scenario`; every later stage
reads from it and never from files. Layers are GeoDataFrames in ``scenario.crs`` (the
local UTM zone), so lengths and areas are metres and square metres.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from patrol.settings import Settings, Shift
from patrol.vocab import OTHER_ROLES, POLICE_ROLES

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from pyproj import CRS

    from patrol.errors import Problem
    from patrol.scenario.roster import Availability
    from patrol.scenario.stays import Stay


@dataclass(frozen=True)
class Person:
    """One member of the roster."""

    person_id: str
    name: str
    role: str
    beat_id: str | None = None
    grid_id: str | None = None
    available: Availability = frozenset()
    max_shifts_per_week: int = 5
    phone: str = ""
    stationed: tuple[Stay, ...] = ()
    """Stays at a post (``stationed_at``, :mod:`patrol.scenario.stays`)."""

    @property
    def is_police(self) -> bool:
        return self.role in POLICE_ROLES

    @property
    def is_other(self) -> bool:
        """Volunteer, cadre or elder: the "N" of 1+1+N."""
        return self.role in OTHER_ROLES

    def is_available(self, weekday: int, shift: str) -> bool:
        return (weekday, shift) in self.available


@dataclass(frozen=True, order=True)
class ShiftSlot:
    """One shift on one day of the planned week (``day`` 0 = the week's first day)."""

    day: int
    shift: str
    date: dt.date = field(compare=False)
    start: dt.datetime = field(compare=False)
    end: dt.datetime = field(compare=False)
    night: bool = field(default=False, compare=False)

    @property
    def weekday(self) -> int:
        return self.date.weekday()

    @property
    def key(self) -> str:
        """A stable id such as ``2026-11-30_night``."""
        return f"{self.date.isoformat()}_{self.shift}"


def week_slots(settings: Settings) -> list[ShiftSlot]:
    """Every (day, shift) of the week, in time order."""
    slots = []
    for i, day in enumerate(settings.days):
        for shift in settings.shifts:
            start, end = shift.window_on(day)
            slots.append(ShiftSlot(i, shift.name, day, start, end, shift.is_night))
    return sorted(slots, key=lambda s: s.start)


@dataclass
class Scenario:
    """A station's week to plan, validated and in one metric CRS.

    Attributes
    ----------
    grids : grid polygons (``grid_id``, ``name``, ``beat_id``, ``risk``, ``households``,
        ``residents``, ``patrols_per_week``).
    buildings : building points or footprints (``building_id``, ``grid_id``, ``households``,
        ``residents``, ``address``, ``floors``).
    roads : street lines (``highway``, ``name``) or ``None`` (straight-line fallback).
    posts : police rooms (``post_id``, ``name``, ``beat_id``).
    incidents : incident points (``incident_id``, ``time``, ``category``, ``severity``).
    cameras : camera points (``camera_id``, ``range_m``, ``direction_deg``, ``fov_deg``).
    focus_households : table (``household_id``, ``building_id``, ``visit_every_days``,
        ``category``, ``last_visit``, ``label``, ``grid_id``).
    people : the roster as :class:`Person` records.
    """

    settings: Settings
    crs: CRS
    grids: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame | None
    posts: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame
    cameras: gpd.GeoDataFrame
    focus_households: pd.DataFrame
    people: tuple[Person, ...]
    source: str = ""
    warnings: list[Problem] = field(default_factory=list)
    settings_toml: str | None = None
    """The settings text when it is not the source folder's own ``patrol.toml`` (a
    bureau's shared ``bureau.toml`` merged with the station's); the store keeps it."""

    @property
    def shifts(self) -> tuple[Shift, ...]:
        return self.settings.shifts

    @property
    def beats(self) -> list[str]:
        """Beat ids in a stable order (from the grids)."""
        return sorted({str(b) for b in self.grids["beat_id"].dropna()})

    def slots(self) -> list[ShiftSlot]:
        return week_slots(self.settings)

    def beat_of_grid(self) -> dict[str, str]:
        return {
            str(g): str(b)
            for g, b in zip(self.grids["grid_id"], self.grids["beat_id"], strict=True)
        }

    def beat_polygons(self) -> gpd.GeoDataFrame:
        """Beats as the union of their grids."""
        beats = self.grids.dissolve(by="beat_id", as_index=False)[["beat_id", "geometry"]]
        return beats

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.person_id == person_id:
                return p
        raise KeyError(person_id)
