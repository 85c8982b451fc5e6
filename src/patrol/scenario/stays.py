"""People stationed at a post for a span of days (``stationed_at`` in the roster).

A rural auxiliary may live at a village police room from Monday to Friday (吃住在社区) and
drive back to the station for the weekend. ``stationed_at`` says where and when:
``JWS2 Mon-Fri``, ``JWS2 周一-周五``, ``JWS2 2026-11-30..2026-12-04`` (also ``~``, ``至``),
several stays joined by ``;``. During a stay the person is available only to teams that
start from that post (:func:`stationed_people`, applied by the planner once each beat's
post is chosen); on the other days not to those teams. The drive from the station to the
post and back (:func:`stay_trips`) is in no shift: the week overview lists it as travel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from patrol.errors import ProblemLog
from patrol.scenario.model import Person
from patrol.vocab import DAY_NAMES

_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_DATES = re.compile(rf"^({_DATE})(?:\s*(?:\.\.|~|至|到)\s*({_DATE}))?$")


@dataclass(frozen=True)
class Stay:
    """A stay at post ``post_id`` on the given dates of the planned week."""

    post_id: str
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class Trip:
    """A drive between the station and a post at the start (``out``) or end of a stay."""

    person_id: str
    name: str
    post_id: str
    date: dt.date
    out: bool


def parse_stays(text: str | None, days: Sequence[dt.date]) -> tuple[Stay, ...]:
    """The stays of a ``stationed_at`` text on the planned week's ``days`` (a stay outside
    the week has no dates). Raises ``ValueError`` naming what cannot be read."""
    if text is None or not str(text).strip():
        return ()
    out = []
    for clause in re.split(r"[;；\n]", str(text)):
        words = clause.split(None, 1)
        if not words:
            continue
        if len(words) < 2:
            raise ValueError(f"'{clause.strip()}' names a post but no days")
        out.append(Stay(words[0], _stay_dates(words[1].strip(), days)))
    return tuple(out)


def _stay_dates(text: str, days: Sequence[dt.date]) -> tuple[dt.date, ...]:
    """The week's dates a day range (``Mon-Fri``, ``周一-周五``) or a date range names."""
    m = _DATES.match(text)
    if m:
        first = dt.date.fromisoformat(_iso(m.group(1)))
        last = dt.date.fromisoformat(_iso(m.group(2) or m.group(1)))
        if last < first:
            raise ValueError(f"'{text}' ends before it starts")
        return tuple(d for d in days if first <= d <= last)
    weekdays: set[int] = set()
    for part in re.split(r"[,，、]", text):
        ends = [w.strip().lower() for w in re.split(r"-|–|~|至|到", part.strip())]
        if not all(w in DAY_NAMES for w in ends) or len(ends) > 2:
            raise ValueError(f"unknown days '{part.strip()}'")
        a, b = DAY_NAMES[ends[0]], DAY_NAMES[ends[-1]]
        weekdays.update((a + k) % 7 for k in range((b - a) % 7 + 1))
    return tuple(d for d in days if d.weekday() in weekdays)


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def format_stays(stays: Sequence[Stay]) -> str:
    """``stationed_at`` text of ``stays`` with their dates (what the store keeps)."""
    return "; ".join(
        f"{s.post_id} {s.dates[0].isoformat()}..{s.dates[-1].isoformat()}" for s in stays if s.dates
    )


def read_stays(
    people: tuple[Person, ...],
    roster: Any,
    *,
    days: Sequence[dt.date],
    posts: set[str],
    file: str,
    plog: ProblemLog,
) -> tuple[Person, ...]:
    """The people with the stays of the roster's ``stationed_at`` column; a text that
    cannot be read or names an unknown post is an error (the person then has no stay)."""
    if roster is None or "stationed_at" not in getattr(roster, "columns", ()):
        return people
    text_of = {
        str(pid).strip(): value
        for pid, value in zip(roster["person_id"], roster["stationed_at"], strict=True)
        if isinstance(value, str) and value.strip()
    }
    out = []
    for p in people:
        stays: tuple[Stay, ...] = ()
        if p.person_id in text_of:
            stays = _checked_stays(p, text_of[p.person_id], days, posts, file, plog)
        out.append(dataclasses.replace(p, stationed=stays) if stays else p)
    return tuple(out)


def _checked_stays(
    person: Person,
    text: str,
    days: Sequence[dt.date],
    posts: set[str],
    file: str,
    plog: ProblemLog,
) -> tuple[Stay, ...]:
    where = f"person_id={person.person_id}"
    try:
        stays = parse_stays(text, days)
    except ValueError as exc:
        plog.error(
            file,
            f"stationed_at '{text}' cannot be read: {exc}.",
            "Write the post id and the days, e.g. 'JWS2 Mon-Fri' or 'JWS2 2026-11-30..2026-12-04'.",
            feature=where,
            field="stationed_at",
            zh=(
                f"驻点“{text}”无法读取。",
                "请写警务室编号和日期，如“JWS2 周一-周五”或“JWS2 2026-11-30..2026-12-04”。",
            ),
        )
        return ()
    unknown = sorted({s.post_id for s in stays} - posts)
    if unknown:
        plog.error(
            file,
            f"stationed_at names post(s) {', '.join(unknown)}, not in the posts layer.",
            "Use a post_id of the posts layer.",
            feature=where,
            field="stationed_at",
            zh=(
                f"驻点警务室 {'、'.join(unknown)} 不在警务室图层中。",
                "请填写警务室图层的 post_id。",
            ),
        )
        return ()
    return stays


def stationed_people(
    people: Sequence[Person], post_of_beat: Mapping[str, str]
) -> tuple[Person, ...]:
    """The people as team formation sees them once each beat's post is chosen: during a
    stay, available only to the beats whose teams start from that post (a person without
    a beat gets that beat); on the other days, not to those beats."""
    out = []
    for p in people:
        if not p.stationed:
            out.append(p)
            continue
        beat = p.beat_id
        home = {b for b, post in post_of_beat.items() if post in {s.post_id for s in p.stationed}}
        if beat is None and len(home) == 1:
            beat = next(iter(home))
        mine = [s for s in p.stationed if post_of_beat.get(beat or "") == s.post_id]
        stay_days = {d.weekday() for s in (mine or p.stationed) for d in s.dates}
        at_post = beat in home
        available = frozenset(
            (wd, shift) for wd, shift in p.available if (wd in stay_days) == at_post
        )
        out.append(dataclasses.replace(p, beat_id=beat, available=available))
    return tuple(out)


def stay_trips(people: Sequence[Person]) -> list[Trip]:
    """The drives of the week: out to the post on the first day of each run of stay days
    in the week, back on its last day."""
    trips = []
    for p in people:
        for s in p.stationed:
            runs: list[list[dt.date]] = []
            for d in sorted(s.dates):
                if runs and (d - runs[-1][-1]).days == 1:
                    runs[-1].append(d)
                else:
                    runs.append([d])
            for run in runs:
                trips.append(Trip(p.person_id, p.name, s.post_id, run[0], True))
                trips.append(Trip(p.person_id, p.name, s.post_id, run[-1], False))
    return sorted(trips, key=lambda t: (t.date, not t.out, t.person_id))
