"""Reading the actuals' files: headers in either language, times, lon/lat, every track
format, app check-in logs, and who was on duty when."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from patrol.actuals.checkins import read_checkins
from patrol.actuals.duty import Duty, duty_of
from patrol.actuals.files import (
    Unreadable,
    canonical_columns,
    lonlat_to_xy,
    parse_time,
    read_table_file,
    xy_to_lonlat,
)
from patrol.actuals.tracks import read_tracks, track_files


def test_headers_times_and_coordinates() -> None:
    frame = canonical_columns(pd.DataFrame(columns=["小队编号", "stop no.", "经度", "Lat", "时间"]))
    assert list(frame.columns) == ["team_id", "seq", "lon", "lat", "time"]
    day = dt.date(2026, 12, 1)
    assert parse_time("09:35", day=day) == dt.datetime(2026, 12, 1, 9, 35)
    assert parse_time(dt.time(21, 5), day=day) == dt.datetime(2026, 12, 1, 21, 5)
    assert parse_time(0.5, day=day) == dt.datetime(2026, 12, 1, 12, 0)
    assert parse_time("2026-12-01T01:00:00Z") == dt.datetime(2026, 12, 1, 9, 0)  # Beijing time
    assert parse_time(None) is None
    with pytest.raises(ValueError):
        parse_time("soon")
    with pytest.raises(ValueError):
        parse_time("09:35")  # a time of day needs its day
    xy = lonlat_to_xy(np.array([117.2]), np.array([39.1]), crs="EPSG:32650")
    back = xy_to_lonlat(xy, crs="EPSG:32650")
    assert back == pytest.approx(np.array([[117.2, 39.1]]))


def test_unreadable_table(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_text("x")
    with pytest.raises(Unreadable):
        read_table_file(tmp_path / "a.pdf")


def _write_formats(week, folder: Path) -> Path:
    """One team-shift's synthetic track as GPX (copied), CSV and GeoJSON (lines and points)."""
    gpx = sorted((week.files / "tracks").glob("*.gpx"))[0]
    raw, _ = read_tracks([gpx], crs=week.plan.scenario.crs)
    lonlat = xy_to_lonlat(shapely.get_coordinates(raw.geometry.to_numpy()), crs=raw.crs)
    stamps = raw["time"].dt.strftime("%Y-%m-%d %H:%M:%S")
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx.read_text())
    pd.DataFrame(
        {"人员": raw["who"], "经度": lonlat[:, 0], "纬度": lonlat[:, 1], "时间": stamps}
    ).to_csv(folder / "b.csv", index=False)
    line = {"type": "Feature", "properties": {"person_id": raw["who"].iloc[0],
            "times": list(stamps)}, "geometry": {"type": "LineString",
            "coordinates": lonlat.tolist()}}  # fmt: skip
    (folder / "c.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [line]}))
    points = [
        json.dumps({"type": "Feature", "properties": {"device": who, "time": t},
                    "geometry": {"type": "Point", "coordinates": list(xy)}})
        for who, t, xy in zip(raw["who"], stamps, lonlat, strict=True)
    ]  # fmt: skip
    (folder / "d.geojsonl").write_text("\n".join(points))
    (folder / "notes.txt.bak").write_text("ignored")
    return folder


def test_every_track_format_reads_the_same_fixes(week, tmp_path: Path) -> None:
    folder = _write_formats(week, tmp_path / "tracks")
    files = track_files([folder])
    assert [p.name for p in files] == ["a.gpx", "b.csv", "c.geojson", "d.geojsonl"]
    fixes, problems = read_tracks([folder], crs=week.plan.scenario.crs)
    assert problems == []
    by_file = {name: part for name, part in fixes.groupby("source")}
    base = by_file["a.gpx"]
    for name in ("b.csv", "c.geojson", "d.geojsonl"):
        part = by_file[name]
        assert part["time"].tolist() == base["time"].tolist()
        assert set(part["who"]) == set(base["who"])
        dist = shapely.distance(part.geometry.to_numpy(), base.geometry.to_numpy())
        assert float(np.max(dist)) < 0.1


def test_app_log_checkins_by_point_and_by_place(week, tmp_path: Path) -> None:
    route = next(r for r in week.plan.routes if any(s.kind == "visit" for s in r.stops))
    stop = next(s for s in route.stops if s.kind == "visit")
    person = route.team.members[0].person_id
    when = stop.arrive + dt.timedelta(minutes=3)
    lonlat = xy_to_lonlat(np.array([stop.point.coords[0][:2]]) + 20.0, crs=week.plan.scenario.crs)
    log = pd.DataFrame(
        {"人员编号": [person, person, "P999"], "签到时间": [when.isoformat()] * 3,
         "点位编号": [stop.target_id, "", ""], "经度": ["", lonlat[0, 0], ""],
         "纬度": ["", lonlat[0, 1], ""]}
    )  # fmt: skip
    log.to_csv(tmp_path / "app.csv", index=False)
    found, problems = read_checkins([tmp_path / "app.csv"], plan=week.plan)
    assert found[["team_id", "seq"]].values.tolist() == [[route.team.team_id, stop.seq]]
    assert found["time"].iloc[0] == pd.Timestamp(when) and bool(found["done"].iloc[0])
    assert [p.feature for p in problems] == ["row 3"] and "P999" in problems[0].message


def test_duty_knows_who_was_on_which_team_shift(week) -> None:
    duty = duty_of(week.plan)
    assert isinstance(duty, Duty)
    route = week.plan.routes[0]
    person = route.team.members[0].person_id
    middle = route.start + (route.end - route.start) / 2
    assert duty.team_at(person, middle) == route.team.team_id
    assert duty.team_at(route.team.team_id, middle) == route.team.team_id
    assert duty.team_at(person, route.start - dt.timedelta(hours=5)) in (
        None,
        *duty.by_person[person],
    )
    times = pd.Series([middle, route.start - dt.timedelta(days=3)])
    assert duty.teams_at(person, times).tolist()[0] == route.team.team_id
    assert duty.in_week(middle) and not duty.in_week(middle + dt.timedelta(days=30))
    assert route.team.team_id in duty.teams_on(person, route.team.slot.date)
    assert duty.known(person) and not duty.known("nobody")
