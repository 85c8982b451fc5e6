"""How a team gets from stop to stop where travel is mixed: each leg as 驾车 or 步行 with
its distance and time, a route's walked and driven kilometres, and the week's drives to
the posts far from the station (:mod:`patrol.scenario.stays`), which are in no shift.

Routes of a station with one travel mode have legs without a mode; nothing here changes
what their sheets show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patrol.labels import label
from patrol.render.sheets.lookup import date_text, duration_text, km_text

if TYPE_CHECKING:
    from patrol.plan import Leg, Plan, TeamRoute

__all__ = ["TripRow", "approach_legs", "is_mixed", "leg_text", "mode_totals", "trip_rows"]

_SLACK = dt.timedelta(seconds=1)


def is_mixed(route: TeamRoute) -> bool:
    """Whether the route's legs carry modes (mixed travel)."""
    return any(leg.mode for leg in route.legs)


def approach_legs(route: TeamRoute, after: dt.datetime, before: dt.datetime) -> list[Leg]:
    """The transit legs between leaving one stop (``after``) and reaching the next."""
    return [
        leg
        for leg in route.legs
        if leg.kind == "transit" and leg.start >= after - _SLACK and leg.end <= before + _SLACK
    ]


def leg_text(leg: Leg, lang: str) -> str:
    """``驾车 4.7 km · 6分钟``: the leg's mode, length and minutes."""
    minutes = max(1, round((leg.end - leg.start).total_seconds() / 60))
    mode = label(f"leg.{leg.mode or 'walk'}", lang)
    km = f"{km_text(leg.geometry.length)} km"
    return label("sheet.leg", lang, mode=mode, km=km, min=minutes)


def mode_totals(route: TeamRoute) -> tuple[float, float, str]:
    """Metres walked, metres driven, and the driven mode (``car`` or ``ebike``)."""
    driven = [leg for leg in route.legs if leg.mode not in ("", "walk")]
    metres = sum(leg.geometry.length for leg in driven)
    mode = driven[0].mode if driven else "car"
    return route.length_m - metres, metres, mode


def mixed_total_text(route: TeamRoute, lang: str) -> str:
    """``其中步行 5.0 km，驾车 64.7 km`` for a mixed route ("" for any other)."""
    if not is_mixed(route):
        return ""
    walk, drive, mode = mode_totals(route)
    return label(
        "sheet.mixed_total",
        lang,
        walk=f"{km_text(walk)} km",
        drive=f"{km_text(drive)} km",
        drive_mode=label(f"leg.{mode}", lang),
    )


@dataclass(frozen=True)
class TripRow:
    """One line of the overview's travel: when, who, from where to where, how far."""

    date: dt.date
    text: str
    drive: str


def trip_rows(plan: Plan, lang: str) -> list[TripRow]:
    """The week's drives between the station and the posts people are stationed at: out
    on the first day of a stay, back on the last; distance and time by road."""
    from patrol.scenario.stays import stay_trips
    from patrol.travel import drive_between

    trips = stay_trips(plan.scenario.people)
    if not trips:
        return []
    posts = plan.scenario.posts
    names = dict(zip(posts["post_id"], posts["name"], strict=True))
    nodes = dict(zip(posts["post_id"], plan.network.snap(posts.geometry).node, strict=True))
    kinds = posts["kind"] if "kind" in posts.columns else None
    station_ids = [] if kinds is None else list(posts.loc[kinds == "station", "post_id"])
    station = station_ids[0] if station_ids else None
    station_name = names[station] if station else plan.scenario.settings.station
    rows = []
    for trip in trips:
        drive = ""
        if station is not None and trip.post_id in nodes:
            a, b = int(nodes[station]), int(nodes[trip.post_id])
            metres, seconds = drive_between(plan.network, *((a, b) if trip.out else (b, a)))
            if metres < float("inf"):
                duration = duration_text(seconds, lang)
                km = f"{km_text(metres)} km"
                drive = label("sheet.trip_drive", lang, km=km, duration=duration)
        key = "sheet.trip_out" if trip.out else "sheet.trip_back"
        post = names.get(trip.post_id, trip.post_id)
        text = label(
            key, lang, date=date_text(trip.date, lang), name=trip.name, station=station_name,
            post=post,
        )  # fmt: skip
        rows.append(TripRow(trip.date, text, drive))
    return rows
