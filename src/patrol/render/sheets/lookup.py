"""What the sheets look up about a plan (names, addresses, nearest street), and how they
write times, dates, durations and distances."""

from __future__ import annotations

import copy as _copy
import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from patrol.labels import label

if TYPE_CHECKING:
    from patrol.plan import Plan

__all__ = ["COPIES", "Lookup", "date_text", "duration_text", "hm", "km_text"]


COPIES = ("police", "team")
"""The copies of a route sheet: the police member's, and the one the others carry."""


class Lookup:
    """Names, addresses and labels a sheet needs, looked up once per plan.

    ``redact`` leaves household categories and labels out of every copy; ``anti_fraud``
    lists the focus-household categories whose visits include an anti-fraud talk;
    ``phones`` prints the members' phone numbers (never with ``redact``). ``copy`` is the
    copy being printed (:data:`COPIES`; :meth:`for_copy` makes the other).
    """

    def __init__(
        self,
        plan: Plan,
        lang: str,
        redact: bool,
        anti_fraud: Collection[str],
        *,
        phones: bool = False,
        copy: str = "police",
    ):
        sc = plan.scenario
        self.plan = plan
        self.lang = lang
        self.redact = redact
        self.anti_fraud = set(anti_fraud)
        self.phones = phones and not redact
        self.copy = copy
        self.grid_name = {
            str(g): str(n) for g, n in zip(sc.grids["grid_id"], sc.grids["name"], strict=True)
        }
        b = sc.buildings
        self.address = {
            str(i): str(a) if isinstance(a, str) and a else str(i)
            for i, a in zip(b["building_id"], b.get("address", b["building_id"]), strict=True)
        }
        fh = sc.focus_households
        self.household: dict[str, dict[str, Any]] = {
            str(r["household_id"]): {str(k): v for k, v in r.items()}
            for r in (fh.to_dict("records") if len(fh) else [])
        }
        self.hotspot = {h.hotspot_id: h for h in plan.demand.hotspots}
        self.task = {t.task_id: t for t in plan.demand.tasks}
        self.post_name = {
            str(p): str(n) for p, n in zip(sc.posts["post_id"], sc.posts["name"], strict=True)
        }
        edges = plan.network.edges
        named = (
            edges.loc[edges["name"].fillna("").astype(str).str.strip() != ""]
            if plan.network.has_streets and "name" in edges.columns and len(edges)
            else edges.iloc[:0]
        )
        self._street_names = [str(n) for n in named["name"]]
        self._street_tree = _tree(named.geometry.values)
        self._building_ids = [str(x) for x in b["building_id"]]
        self._building_tree = _tree(b.geometry.values)

    @property
    def shows_household(self) -> bool:
        """Whether this copy prints a household's category and label: only the police
        member's copy, and only when not redacted. Other copies say "重点户"."""
        return self.copy == "police" and not self.redact

    def for_copy(self, copy: str) -> Lookup:
        """The same look-ups for another copy (:data:`COPIES`), sharing the tables."""
        if copy not in COPIES:
            raise ValueError(f"copy must be one of {COPIES}, got {copy!r}.")
        other = _copy.copy(self)
        other.copy = copy
        return other

    def street_near(self, point: Any, max_m: float = 60.0) -> str:
        """The name of the nearest named street within ``max_m``, else ""."""
        idx = _nearest(self._street_tree, point, max_m)
        return "" if idx is None else self._street_names[idx]

    def building_near(self, point: Any, max_m: float = 80.0) -> str:
        """The address of the nearest building within ``max_m``, else ""."""
        idx = _nearest(self._building_tree, point, max_m)
        return "" if idx is None else self.address[self._building_ids[idx]]

    def grid_near(self, point: Any) -> str:
        """The name of the grid holding ``point``, else of the nearest grid."""
        grids = self.plan.scenario.grids
        hit = grids.loc[grids.intersects(point)]
        if len(hit):
            return self.grid_name[str(hit["grid_id"].iloc[0])]
        d = grids.distance(point)
        return self.grid_name[str(grids["grid_id"].loc[d.idxmin()])] if len(d) else ""


def _tree(geoms: Any) -> shapely.STRtree | None:
    return shapely.STRtree(np.asarray(geoms, dtype=object)) if len(geoms) else None


def _nearest(tree: shapely.STRtree | None, point: Any, max_m: float) -> int | None:
    if tree is None:
        return None
    idx = tree.query_nearest(point, max_distance=max_m)
    return int(idx[0]) if len(idx) else None


def hm(t: dt.datetime) -> str:
    """A clock time as ``HH:MM``."""
    return t.strftime("%H:%M")


def date_text(day: dt.date, lang: str) -> str:
    """A date with its weekday, as the sheets print it (``11月30日 周一``)."""
    wd = label(f"day.{day.weekday()}", lang)
    return label("sheet.date", lang, y=day.year, m=day.month, d=day.day, wd=wd, iso=day.isoformat())


def duration_text(seconds: float, lang: str) -> str:
    """A duration in minutes, or hours and minutes from one hour on."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return label("sheet.minutes", lang, m=minutes)
    return label("sheet.duration", lang, h=minutes // 60, m=minutes % 60)


def km_text(metres: float) -> str:
    """A distance in km with one decimal."""
    return f"{metres / 1000:.1f}"
