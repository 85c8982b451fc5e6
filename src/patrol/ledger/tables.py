"""The station store's layout, written once: table names, columns, kinds, geometry.

Every table holds many weeks: its first column is ``week_start`` (the Monday of the
plan), and a week is always written (and replaced) whole. Column kinds are ``str``,
``int``, ``float``, ``bool``, ``date`` and ``time`` (a date-time); each backend maps them
to its own SQL types (:mod:`patrol.ledger.dialects`). A frame given to the store may lack
columns (they stay empty) or hold more (they are not kept), so the store takes the plan
and actuals layers as they are written by :mod:`patrol.store` and :mod:`patrol.actuals`.
"""

from __future__ import annotations

from dataclasses import dataclass

HISTORY_VERSION = 1
"""Goes up whenever this layout changes; another version is refused with a message."""

STORE_FILE = "station.gpkg"
"""The station store's default name (a GeoPackage beside the weeks' output folders)."""


@dataclass(frozen=True)
class Table:
    """One table of the station store: name, ``(column, kind)`` pairs and the geometry
    type (empty for a table without geometry)."""

    name: str
    columns: tuple[tuple[str, str], ...]
    geometry: str = ""

    @property
    def names(self) -> list[str]:
        """The column names, in order (``week_start`` first; no geometry)."""
        return [name for name, _ in self.columns]

    @property
    def kinds(self) -> dict[str, str]:
        """Column -> kind."""
        return dict(self.columns)


def _table(name: str, columns: str, geometry: str = "") -> Table:
    pairs = [("week_start", "date")] + [
        (a, b) for a, b in (item.split(":") for item in columns.split())
    ]
    return Table(name, tuple(pairs), geometry)


META = Table("history_meta", (("key", "str"), ("value", "str")))
"""``key -> value`` text: the layout version, the store's CRS, the station."""

WEEKS = _table(
    "weeks",
    "plan_id:str station:str first_day:date last_day:date actuals:bool checkins:int "
    "tracks:int weighted_demand_met:float",
)
PLAN_GRIDS = _table(
    "plan_grids",
    "grid_id:str name:str beat_id:str risk:str households:float residents:float "
    "patrols_per_week:float sweeps_required:int night_sweeps_required:int visits_due:int "
    "recent_incidents:int",
    "MULTIPOLYGON",
)
PLAN_ROUTES = _table(
    "plan_routes",
    "team_id:str date:date shift:str beat_id:str post_id:str start:time end:time "
    "length_m:float stops:int members:str night:bool",
    "LINESTRING",
)
PLAN_STOPS = _table(
    "plan_stops",
    "team_id:str seq:int kind:str task_id:str target_id:str grid_id:str arrive:time "
    "depart:time weight:float",
    "POINT",
)
PLAN_TEAMS = _table(
    "plan_teams",
    "date:date shift:str team_id:str beat_id:str person_id:str name:str role:str",
)
"""Who was on which team (no phone numbers: the station store is kept for years)."""

HOUSEHOLDS = _table(
    "plan_households",
    "household_id:str building_id:str grid_id:str visit_every_days:float last_visit:date",
)
"""The focus households as planned (no category, no label)."""

INCIDENTS = _table("incidents", "incident_id:str time:time category:str grid_id:str", "POINT")
CHECKINS = _table(
    "actual_checkins",
    "team_id:str date:date shift:str seq:int task_id:str target_id:str person_id:str "
    "time:time done:bool note:str source:str",
)
TRACKS = _table(
    "actual_tracks",
    "track_id:str team_id:str person_id:str start:time end:time points:int",
    "GEOMETRY",
)
"""Each GPS track as one line of its fixes in time order (a point for a single fix)."""

LEGS = _table(
    "actual_legs",
    "track_id:str team_id:str date:date shift:str start:time end:time night:bool "
    "edge_id:str kind:str",
    "LINESTRING",
)
WARNINGS = _table(
    "actual_warnings", "file:str track_id:str row:str kind:str message_zh:str message_en:str"
)
STOPS = _table(
    "compliance_stops",
    "team_id:str date:date shift:str beat_id:str grid_id:str seq:int kind:str task_id:str "
    "target_id:str planned_arrive:time planned_depart:time arrive:time depart:time "
    "dwell_min:float status:str late_min:float source:str",
    "POINT",
)
SHIFTS = _table(
    "compliance_shifts",
    "team_id:str date:date shift:str beat_id:str members:str stops_planned:int "
    "stops_done:int stops_late:int stops_missed:int sweep_planned_m:float "
    "sweep_walked_m:float sweep_share:float offplan_m:float hotspot_target_min:float "
    "hotspot_dwell_min:float hotspot_short:int visits_planned:int visits_done:int "
    "tracked:bool deviation:float",
)
PEOPLE = _table(
    "compliance_people",
    "person_id:str name:str role:str shifts_planned:int shifts_tracked:int stops_planned:int "
    "stops_done:int stops_late:int stops_missed:int visits_planned:int visits_done:int "
    "hotspot_dwell_min:float sweep_share:float",
)
GRIDS = _table(
    "compliance_grids",
    "grid_id:str beat_id:str sweep_planned_m:float sweep_walked_m:float sweep_share:float "
    "visits_planned:int visits_done:int hotspot_target_min:float hotspot_dwell_min:float "
    "stops_missed:int longest_gap_planned_h:float longest_gap_walked_h:float "
    "blind_residents_planned:float blind_residents_walked:float street_walked_share:float",
)

WEEK_TABLES: tuple[Table, ...] = (
    WEEKS,
    PLAN_GRIDS,
    PLAN_ROUTES,
    PLAN_STOPS,
    PLAN_TEAMS,
    HOUSEHOLDS,
    INCIDENTS,
    CHECKINS,
    TRACKS,
    LEGS,
    WARNINGS,
    STOPS,
    SHIFTS,
    PEOPLE,
    GRIDS,
)
"""Every table a week is written into, in the order they are written."""

BY_NAME = {t.name: t for t in WEEK_TABLES}
