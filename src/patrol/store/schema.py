"""The plan store's layout, written once: layer names, their columns and types, a version.

``OUT/plan.gpkg`` holds everything needed to redraw a plan and to plan it again without
the scenario folder: the plan (routes, legs, stops, teams, unserved, staffing gaps), the
week's tasks and demand figures, the coverage layers, a snapshot of the scenario layers
and of its street network, the settings, and a fingerprint of every input file.

Every layer is kept in the scenario's working CRS (metres; the GeoPackage records it, so
GIS tools show it in place): geometries read back bit for bit, and a redrawn map equals
the one drawn at plan time. Writers and readers take every layer and column name from
here; :data:`SCHEMA_VERSION` goes up whenever this layout changes.

Column kinds: ``str``, ``int``, ``float``, ``bool``; ``time`` (ISO date-time text),
``date`` (ISO date text or empty), ``keys`` (``;``-joined names), ``json`` (JSON text).
The layers marked *as measured* / *as read* keep the columns of the coverage measurement
or of the scenario layer; their pandas types are recorded in :data:`COLUMNS` so they read
back as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patrol.errors import InputError
from patrol.labels import label

SCHEMA_VERSION = 2
"""Version 1: the stores written before the layout lived here (no ``store_meta`` layer)."""

PLAN_FILE = "plan.gpkg"
SUMMARY_FILE = "summary.json"
CSV_LAYERS = ("routes", "stops", "teams", "unserved")
"""Layers also written as Excel-friendly CSV copies (``OUT/<layer>.csv``)."""


@dataclass(frozen=True)
class Layer:
    """One layer of the store: its name and its columns as ``(name, kind)`` pairs.

    ``columns`` is empty for the layers whose columns come from elsewhere (as measured or
    as read); ``spatial`` says whether the layer has a geometry.
    """

    name: str
    columns: tuple[tuple[str, str], ...] = ()
    spatial: bool = True

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [name for name, _ in self.columns]


def _layer(name: str, columns: str, *, spatial: bool = True) -> Layer:
    pairs = tuple(tuple(item.split(":")) for item in columns.split())
    return Layer(name, tuple((a, b) for a, b in pairs), spatial)


META = _layer("store_meta", "key:str value:json", spatial=False)
COLUMNS = _layer("store_columns", "layer:str column:str dtype:str", spatial=False)
INPUTS = _layer("scenario_inputs", "file:str sha256:str size:int", spatial=False)

ROUTES = _layer(
    "routes",
    "team_id:str date:str shift:str beat_id:str post_id:str start:time end:time "
    "length_m:float stops:int members:str night:bool",
)
LEGS = _layer("legs", "team_id:str kind:str grid_id:str start:time end:time night:bool mode:str")
"""``mode``: walk, car or ebike where travel is mixed (empty: the station's one mode)."""
STOPS = _layer(
    "stops",
    "team_id:str seq:int kind:str task_id:str target_id:str grid_id:str arrive:time "
    "depart:time description_zh:str description_en:str weight:float",
)
TEAMS = _layer(
    "teams",
    "date:str shift:str team_id:str beat_id:str person_id:str name:str role:str phone:str "
    "shortfall:int min_others:int",
    spatial=False,
)
UNSERVED = _layer(
    "unserved",
    "task:str kind:str target:str grid_id:str beat_id:str weight:float reason:str "
    "reason_zh:str reason_en:str description_zh:str",
)
GAPS = _layer(
    "staffing_gaps",
    "date:str shift:str beat_id:str needed:int formed:int reason_zh:str reason_en:str",
    spatial=False,
)
TASKS = _layer(
    "tasks",
    "task_id:str kind:str target_id:str grid_id:str beat_id:str start_node:int "
    "end_node:int service_s:int weight:float slots:keys group:str length_m:float "
    "description_zh:str description_en:str due:date night_only:bool sweep_index:int "
    "group_size:int part:int parts:int",
)
GRID_NEEDS = _layer(
    "grid_needs",
    "grid_id:str risk:str base:int extra:int night_min:int recent_incidents:int visits_due:int",
    spatial=False,
)
HOTSPOTS = _layer(
    "hotspots",
    "hotspot_id:str grid_id:str beat_id:str incidents:int categories:json shifts:keys stops:int",
)
EDGE_GRID = _layer("edge_grid", "edge_id:str grid_id:str", spatial=False)
NODES = _layer("network_nodes", "x:float y:float", spatial=False)
EDGES = Layer("network_edges")  # as built: edge_id, u, v, length_m, highway, name
ROSTER = _layer(
    "scenario_roster",
    "person_id:str name:str role:str beat_id:str grid_id:str available:str max_shifts_per_week:int "
    "stationed_at:str",
    spatial=False,
)
"""The roster without phone numbers (the ``teams`` layer keeps those of people on duty)."""

SCENARIO_LAYERS = {
    name: Layer(f"scenario_{name}", (), name != "focus_households")
    for name in ("grids", "buildings", "roads", "posts", "incidents", "cameras", "focus_households")
}
"""The scenario's layers as read (attribute name -> layer)."""

COVERAGE_LAYERS = {
    name: Layer(name)
    for name in (
        "grid_coverage",
        "street_coverage",
        "building_coverage",
        "camera_views",
        "blind_spots",
    )
}
"""The coverage layers as measured (attribute of :class:`Coverage` -> layer)."""

PLAN_LAYERS = (ROUTES, LEGS, STOPS, TEAMS, UNSERVED, GAPS)
DEMAND_LAYERS = (TASKS, GRID_NEEDS, HOTSPOTS, EDGE_GRID)


def check_version(meta: dict[str, Any], *, file: str) -> None:
    """Raise :class:`InputError` unless the store was written in :data:`SCHEMA_VERSION`.

    The message is in Chinese and English: which version was found, which is read, and
    that planning again writes the current one.
    """
    found = meta.get("schema_version", 1)
    if found != SCHEMA_VERSION:
        words = {"found": found, "expected": SCHEMA_VERSION}
        raise InputError(
            f"{label('store.version', 'zh', **words)} / {label('store.version', 'en', **words)}",
            file=file,
            zh=label("store.version", "zh", **words),
        )


# What was really patrolled (issue #15, :mod:`patrol.actuals`): optional layers, absent
# from stores written before it (read as "no actuals", no version change). Written
# together by ``patrol actuals`` in one atomic replacement of the store.
ACTUAL_CHECKINS = _layer(
    "actual_checkins",
    "team_id:str date:str shift:str seq:int task_id:str target_id:str person_id:str "
    "time:time done:bool note:str source:str row:int",
    spatial=False,
)
ACTUAL_FIXES = _layer(
    "actual_fixes",
    "track_id:str team_id:str person_id:str time:time source:str row:int edge_id:str "
    "matched_x:float matched_y:float dist_m:float",
)
"""Every GPS fix kept (screened: on a team-shift of the plan), as a point, with the street
it was matched to and the matched point (NaN when far from every street)."""
ACTUAL_LEGS = _layer(
    "actual_legs",
    "track_id:str team_id:str edge_id:str start:time end:time length_m:float from_m:float "
    "to_m:float",
)
"""The matched walk: one line per piece of street walked, with its times."""
ACTUAL_WARNINGS = _layer(
    "actual_warnings", "file:str feature:str message:str fix:str", spatial=False
)
ACTUAL_LAYERS = (ACTUAL_CHECKINS, ACTUAL_FIXES, ACTUAL_LEGS, ACTUAL_WARNINGS)
COMPLIANCE_LAYERS = {
    name: Layer(f"compliance_{name}", (), name in ("stops", "offplan", "blind_spots"))
    for name in ("stops", "shifts", "people", "grids", "beats", "offplan", "blind_spots")
}
"""The compliance tables as measured (attribute of ``Compliance`` -> layer); their
columns are listed in :mod:`patrol.actuals.compliance`."""
