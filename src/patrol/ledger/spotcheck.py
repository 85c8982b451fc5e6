"""The daily spot-check list (每日暗访抽查): which of tomorrow's team-shifts to check.

A chief checks a few teams unannounced every day. The list takes the team-shifts planned
on the day and ranks them by their members' record over the days before (the recent
weeks in the station store): how far their patrols deviated from the plan, the visits
they missed and the hot-spot stops where they dwelt too briefly (under 10 minutes of
the 10–16 minute target). The worst few are picked with their reasons; then a random
pick among the others, seeded by the station and the date, so the checks stay
unannounced (no team can count on being left alone) while the same date always gives
the same list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patrol.errors import PatrolError
from patrol.labels import shift_label
from patrol.ledger.history import StationStore, list_weeks, read_history
from patrol.ledger.labels import both, text

__all__ = ["SpotCheck", "spot_check", "spot_check_seed"]

DEVIATION_FLAG = 0.1
"""A team-shift this far from its plan (0–1, the compliance's ``deviation``: a missed stop
or a short dwell is about 0.1 on the sample) is flagged."""

_COLUMNS = [
    "pick",
    "date",
    "shift",
    "team_id",
    "beat_id",
    "members",
    "grids",
    "start",
    "end",
    "reason",
    "record",
    "check_at",
]


@dataclass
class SpotCheck:
    """The day's list: every pick with its reason, and the candidates it was made from."""

    day: dt.date
    station: str
    picks: pd.DataFrame
    candidates: int
    lookback_days: int


def spot_check_seed(station: str, day: dt.date) -> int:
    """The random pick's seed: the station and the date (the same date, the same list)."""
    digest = hashlib.sha256(f"{station}|{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def _week_of(store: StationStore, day: dt.date) -> dt.date:
    weeks = list_weeks(store)
    held = [w for w in weeks if w <= day < w + dt.timedelta(days=7)]
    if not held:
        shown = ", ".join(w.isoformat() for w in weeks) or "-"
        raise PatrolError(both("err.no_day", day=day.isoformat(), weeks=shown))
    return held[-1]


def _candidates(store: StationStore, week: dt.date, day: dt.date) -> pd.DataFrame:
    routes = read_history(store, "plan_routes", weeks=[week])
    routes = routes.loc[routes["date"] == day]
    if not len(routes):
        raise PatrolError(both("err.no_day", day=day.isoformat(), weeks=week.isoformat()))
    stops = read_history(store, "plan_stops", weeks=[week])
    stops = stops.loc[stops["team_id"].isin(routes["team_id"])]
    grids = stops.groupby("team_id")["grid_id"].agg(
        lambda g: "、".join(sorted({x for x in g if x}))
    )
    return (
        pd.DataFrame(routes.drop(columns="geometry"))
        .assign(grids=lambda f: f["team_id"].map(grids).fillna(""))
        .reset_index(drop=True)
    )


def _record(store: StationStore, day: dt.date, lookback_days: int) -> pd.DataFrame:
    """Per person: the compliance of their team-shifts in the days before ``day``."""
    since = day - dt.timedelta(days=lookback_days)
    weeks = [w for w in list_weeks(store) if w + dt.timedelta(days=7) > since and w < day]
    shifts = read_history(store, "compliance_shifts", weeks=weeks)
    shifts = shifts.loc[(shifts["date"] < day) & (shifts["date"] >= since)]
    teams = read_history(store, "plan_teams", weeks=weeks)[["week_start", "team_id", "person_id"]]
    joined = shifts.merge(teams, on=["week_start", "team_id"], how="inner")
    joined["visits_missed"] = (joined["visits_planned"] - joined["visits_done"]).clip(lower=0)
    return joined


_WEIGHTS = {"missed_visits": 0.5, "missed_stops": 0.4, "short_dwell": 0.3, "late": 0.2}
"""Score per incident of each kind (a deviation scores its own 0–1 figure)."""


def _reasons(rows: pd.DataFrame, lang: str, *, beat: bool = False) -> tuple[float, str, str]:
    """A record's score, its main reason code and the record itself as text; ``beat``
    marks the record of the team's beat rather than of its people."""
    if not len(rows):
        return 0.0, "", ""
    per_shift = rows.drop_duplicates(["week_start", "team_id"])
    worst = per_shift.sort_values(["deviation", "date"], ascending=[False, False]).iloc[0]
    deviation = float(worst["deviation"]) if worst["deviation"] == worst["deviation"] else 0.0
    counts = {
        "missed_visits": int(per_shift["visits_missed"].sum()),
        "missed_stops": int(
            (per_shift["stops_missed"] - per_shift["visits_missed"]).clip(lower=0).sum()
        ),
        "short_dwell": int(per_shift["hotspot_short"].fillna(0).sum()),
        "late": int(per_shift["stops_late"].fillna(0).sum()),
    }
    found = [(c, n * _WEIGHTS[c], text(f"why.{c}_text", lang, n=n)) for c, n in counts.items() if n]
    if deviation >= DEVIATION_FLAG:
        when = f"{worst['date']:%m-%d} {shift_label(str(worst['shift']), lang)}"
        said = text("why.deviated_text", lang, share=round(100 * deviation), when=when)
        found.append(("deviated", deviation, said))
    if not found:
        return 0.0, "", ""
    found.sort(key=lambda f: -f[1])
    said = text("sep", lang).join(t for _, _, t in found)
    if beat:
        said = text("why.beat", lang, record=said)
    return sum(w for _, w, _ in found) * (0.5 if beat else 1.0), found[0][0], said


def _scored(cands: pd.DataFrame, teams: pd.DataFrame, record: pd.DataFrame, lang: str) -> None:
    """Score each candidate by its people's record, else (at half weight) its beat's."""
    scores, codes, texts = [], [], []
    for row in cands.itertuples():
        people = set(teams.loc[teams["team_id"] == row.team_id, "person_id"])
        found = _reasons(record.loc[record["person_id"].isin(people)], lang)
        if not found[0]:
            found = _reasons(record.loc[record["beat_id"] == row.beat_id], lang, beat=True)
        scores.append(found[0])
        codes.append(found[1])
        texts.append(found[2])
    cands["score"], cands["reason"], cands["record"] = scores, codes, texts


def _check_at(store: StationStore, week: dt.date, team_id: str, lang: str) -> str:
    stops = read_history(store, "plan_stops", weeks=[week])
    own = stops.loc[(stops["team_id"] == team_id) & (stops["kind"] != "post")].sort_values("seq")
    items = [
        f"{r.arrive:%H:%M} {text('kind.' + str(r.kind), lang)} {r.target_id}"
        for r in own.itertuples()
        if r.arrive is not pd.NaT
    ]
    return "；".join(items[:4])


def spot_check(
    store: StationStore,
    day: dt.date,
    *,
    picks: int = 3,
    random_picks: int = 1,
    lookback_days: int = 14,
    station: str = "",
    lang: str = "zh",
) -> SpotCheck:
    """The team-shifts to check on ``day``: up to ``picks`` with the worst record over the
    ``lookback_days`` before it (deviation, missed visits and stops, short dwells, late
    arrivals; the beat's record at half weight for a team whose people have none), then
    ``random_picks`` drawn from the rest with :func:`spot_check_seed`."""
    week = _week_of(store, day)
    cands = _candidates(store, week, day)
    teams = read_history(store, "plan_teams", weeks=[week])
    record = _record(store, day, lookback_days)
    _scored(cands, teams, record, lang)
    order = cands.sort_values(["score", "team_id"], ascending=[False, True], kind="stable")
    flagged = order.loc[order["score"] > 0].head(picks)
    rest = cands.loc[~cands.index.isin(flagged.index)].sort_values("team_id")
    rng = np.random.default_rng(spot_check_seed(station, day))
    drawn = (
        rest.iloc[sorted(rng.choice(len(rest), size=min(random_picks, len(rest)), replace=False))]
        if len(rest)
        else rest
    )
    drawn = drawn.assign(reason="random", record="")
    chosen = pd.concat([flagged, drawn]).reset_index(drop=True)
    chosen["pick"] = range(1, len(chosen) + 1)
    chosen["check_at"] = [_check_at(store, week, t, lang) for t in chosen["team_id"]]
    return SpotCheck(day, station, chosen[_COLUMNS], len(cands), lookback_days)
