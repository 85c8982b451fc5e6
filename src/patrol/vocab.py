"""The project's fixed words and numbers: roles, risk levels, day codes, the night band.

Everything here is a constant that several stages share, so each is written once. The
people-facing text of these codes (zh/en) lives in :mod:`patrol.labels`.
"""

from __future__ import annotations

RISK_LEVELS: tuple[str, ...] = ("green", "yellow", "orange", "red")
ROLES: tuple[str, ...] = (
    "officer",
    "auxiliary",
    "grid_worker",
    "volunteer",
    "cadre",
    "elder",
    "red_armband",
    "police_assistant",
)
POLICE_ROLES: frozenset[str] = frozenset({"officer", "auxiliary"})
OTHER_ROLES: frozenset[str] = frozenset({"volunteer", "cadre", "elder"})
RED_ARMBAND = "red_armband"
"""A 红袖标 (red-armband) volunteer: patrols in red-armband teams, not in 1+1+N teams."""
POLICE_ASSISTANT = "police_assistant"
"""A 警务助理 (village police assistant): leads a team on their own (village) beat when no
1+1+N team can be formed there."""
FALLBACK_KINDS: tuple[str, ...] = ("police_volunteers", "red_armband", "police_assistant")
"""The teams a station may allow where no 1+1+N team can be formed (``[teams] fallback``):
a police member with volunteers and no grid worker; two or more red-armband volunteers
(sweeps of green and yellow grids only); a village police assistant's team."""
TRAVEL_SPEEDS_KMH: dict[str, float] = {"walk": 4.5, "ebike": 15.0, "car": 25.0}
TRAVEL_MODE_ALIASES: dict[str, str] = {
    "步行": "walk",
    "电动车": "ebike",
    "骑行": "ebike",
    "驾车": "car",
}
"""Chinese names of the travel modes (a grid's ``travel``, :mod:`patrol.travel`)."""
INPUT_CRS_CHOICES = ("EPSG:4326", "EPSG:4490", "GCJ-02")

DAY_NAMES: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "周一": 0,
    "周二": 1,
    "周三": 2,
    "周四": 3,
    "周五": 4,
    "周六": 5,
    "周日": 6,
    "周天": 6,
    "星期一": 0,
    "星期二": 1,
    "星期三": 2,
    "星期四": 3,
    "星期五": 4,
    "星期六": 5,
    "星期日": 6,
    "星期天": 6,
}
DAY_CODES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

NIGHT_BAND_H: tuple[int, int] = (19, 6)
"""The night band in hours: from 19:00 to 06:00 the next morning. A shift touching it is a
night shift; coverage counts a walk in it as a night walk."""

MAX_SEED = 2**31 - 1  # the solvers' seeds are 32-bit signed integers

# the range of each number (lowest, highest, whether the lowest itself is allowed);
# of patrol.toml; a number not named here must be finite, >= 0 and at most MAX_SETTING
MAX_SETTING = 1e6
SETTING_RANGES: dict[str, tuple[float, float, bool]] = {
    "travel.speed_kmh": (0, 60, False),
    "travel.detour_factor": (1, 5, True),
    "travel.snap_tolerance_m": (0, 50, True),
    "travel.max_snap_distance_m": (0, 5000, True),
    "demand.incident_lookback_days": (0, 3660, True),
    "demand.incidents_per_extra_sweep": (1, 10_000, True),
    "demand.max_extra_sweeps": (0, 21, True),
    "demand.sweep_dwell_min": (0, 180, True),
    "demand.max_sweep_length_m": (50, 50_000, True),
    "demand.sweep_radius_m": (0, 1000, True),
    "demand.hotspot_radius_m": (0, 2000, False),
    "demand.hotspot_min_incidents": (1, 10_000, True),
    "demand.hotspot_dwell_min": (0, 180, True),
    "demand.hotspot_stops_per_week": (0, 147, True),
    "demand.visit_min": (0, 240, False),
    "teams.min_others": (0, 20, True),
    "teams.max_shifts_per_week": (1, 21, True),
    "teams.time_limit_s": (0, 86_400, False),
    "coverage.radius_m": (0, 1000, False),
    "coverage.camera_range_m": (0, 1000, False),
}

INCIDENT_CATEGORIES: tuple[str, ...] = (
    "ebike_theft",
    "burglary",
    "fraud",
    "dispute",
    "domestic",
    "fire_hazard",
    "noise",
    "other",
)
"""The incident categories the bundled sample and synthetic scenarios use (their zh/en
names are ``category.*`` in :mod:`patrol.labels`); real data may bring others."""
