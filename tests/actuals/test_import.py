"""patrol actuals: files into the store in one transaction; every bad file its message."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from patrol.actuals.checkins import CHECKIN_FIELDS
from patrol.actuals.importer import ImportResult, import_actuals
from patrol.actuals.layers import Actuals, has_actuals, read_actuals, read_compliance, write_actuals
from patrol.actuals.screen import screen_fixes
from patrol.actuals.tracks import read_tracks
from patrol.cli import main
from patrol.errors import InputError
from patrol.store.read import read_plan


@dataclass(frozen=True)
class Imported:
    out: Path
    result: ImportResult


@pytest.fixture(scope="module")
def imported(week, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The synthetic week's GPX files and check-in CSV imported into a copy of the store."""
    out = tmp_path_factory.mktemp("imported") / "out"
    shutil.copytree(week.out, out)
    assert not has_actuals(out)  # a store written before the actuals: still read
    result = import_actuals(
        out,
        checkins=[week.files / "checkins.csv"],
        tracks=[week.files / "tracks"],
        plan=week.plan,
    )
    return Imported(out, result)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tracks(week) -> list[Path]:
    return sorted((week.files / "tracks").glob("*.gpx"))


def test_import_reads_gpx_and_sheet_into_the_store(week, imported: Imported) -> None:
    result, out = imported.result, imported.out
    assert result.tracks == len(week.plan.routes) and result.fixes > 5_000
    assert has_actuals(out)
    saved = read_compliance(out)
    assert saved.summary == pytest.approx(result.compliance.summary, nan_ok=True)
    assert saved.stops["status"].tolist() == result.compliance.stops["status"].tolist()
    assert saved.shifts["deviation"].tolist() == result.compliance.shifts["deviation"].tolist()
    both = saved.stops.loc[saved.stops["source"] == "both"]
    assert len(both) > 0.7 * len(saved.stops)  # the sheet and the tracks agree
    actuals = read_actuals(out)
    assert len(actuals.fixes) == result.fixes and len(actuals.legs) > 0
    assert len(actuals.warnings) == len(result.warnings) >= 2  # the noise and the gap
    assert read_plan(out).plan_id == week.plan.plan_id  # the plan is untouched


def test_cli_reads_the_filled_in_sheet_and_keeps_the_tracks(
    week, imported: Imported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(imported.out, out)
    book = load_workbook(out / "checkin.xlsx")
    sheet = book["签到表"]
    headers = [c.value for c in sheet[1]]
    arrive, done = headers.index("实到时间") + 1, headers.index("完成(是/否)") + 1
    sheet.cell(row=2, column=arrive).value = "09:35"
    sheet.cell(row=2, column=done).value = "是"
    sheet.cell(row=3, column=done).value = "否"
    book.save(tmp_path / "filled.xlsx")
    assert main(["actuals", str(out), "--checkins", str(tmp_path / "filled.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "签到 2 条" in printed and "stops done" in printed
    assert len(read_actuals(out).fixes) == imported.result.fixes  # tracks kept
    stops = read_compliance(out).stops
    team, seq = sheet.cell(row=3, column=3).value, sheet.cell(row=3, column=5).value
    row = stops.loc[(stops["team_id"] == team) & (stops["seq"] == seq)]
    assert row["status"].iloc[0] == "missed"  # a "no" on the sheet is a missed stop


def _refused(week, store: Path, **files: list[Path]) -> str:
    before = _digest(store / "plan.gpkg")
    with pytest.raises(InputError) as info:
        import_actuals(store, plan=week.plan, **files)
    assert _digest(store / "plan.gpkg") == before  # the store as it was
    return str(info.value)


def test_bad_checkins_each_get_a_message(week, imported: Imported, tmp_path: Path) -> None:
    good = pd.read_csv(week.files / "checkins.csv", dtype=str)
    bad = good.head(3).copy()
    bad.loc[0, "team_id"] = "NO_SUCH_TEAM"
    bad.loc[1, "arrive"] = "2027-03-01 09:00"
    bad = pd.concat([bad, bad.iloc[[2]]])
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    text = _refused(week, imported.out, checkins=[path, broken])
    assert "bad.csv [row 1]" in text and "NO_SUCH_TEAM" in text and "unknown team" in text
    assert "bad.csv [row 2]" in text and "不在计划周" in text and "outside the planned week" in text
    assert "bad.csv [row 4]" in text and "重复签到" in text and "duplicate check-in" in text
    assert "bad.csv row 3" in text  # the duplicate names the first of the two rows
    assert "broken.xlsx" in text and "无法读取文件" in text and "cannot read the file" in text
    assert "删去重复的一行" in text and "Fix:" in text


def test_bad_tracks_each_get_a_message(week, imported: Imported, tmp_path: Path) -> None:
    gpx = _tracks(week)[0].read_text()
    name = gpx[gpx.index("<name>") : gpx.index("</name>") + 7]
    (tmp_path / "stranger.gpx").write_text(gpx.replace(name, "<name>NOBODY</name>"))
    (tmp_path / "far.gpx").write_text(gpx.replace('lon="117.', 'lon="116.'))  # 80 km west
    (tmp_path / "lastyear.gpx").write_text(gpx.replace("2026-1", "2025-1"))
    (tmp_path / "garbled.gpx").write_text("<gpx><trk>")
    text = _refused(week, imported.out, tracks=[tmp_path])
    assert "stranger.gpx" in text and "NOBODY" in text and "未知的小队或人员" in text
    assert "far.gpx" in text and "辖区外" in text and "outside the area" in text
    assert "lastyear.gpx" in text and "outside the planned week" in text
    assert "garbled.gpx" in text and "cannot read the file" in text


def test_wrong_clock_is_corrected_with_a_warning(week, tmp_path: Path) -> None:
    gpx = _tracks(week)[0].read_text()
    (tmp_path / "clock.gpx").write_text(gpx.replace("Z</time>", "+08:00</time>"))  # UTC as +8
    raw, problems = read_tracks([tmp_path / "clock.gpx"], crs=week.plan.scenario.crs)
    fixes, problems = screen_fixes(week.plan, raw)
    assert len(fixes) == len(raw)
    texts = [str(p) for p in problems]
    assert any("clock.gpx" in t and "时钟" in t and "clock looks wrong" in t for t in texts)
    original, _ = read_tracks([_tracks(week)[0]], crs=week.plan.scenario.crs)
    assert (fixes["time"].to_numpy() == original["time"].to_numpy()).all()


def test_cli_refuses_a_table_without_the_columns(
    imported: Imported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("foo,bar\n1,2\n")
    before = _digest(imported.out / "plan.gpkg")
    assert main(["actuals", str(imported.out), "--checkins", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "x.csv" in err and "缺少列" in err and "missing columns" in err
    assert _digest(imported.out / "plan.gpkg") == before


def test_write_actuals_then_read_them_back(week, store_copy: Path) -> None:
    fixes = week.fixes.assign(
        edge_id=week.matched.fixes["edge_id"].to_numpy(),
        matched_x=week.matched.fixes["x"].to_numpy(),
        matched_y=week.matched.fixes["y"].to_numpy(),
        dist_m=week.matched.fixes["dist_m"].to_numpy(),
    )
    sheet = pd.DataFrame(columns=list(CHECKIN_FIELDS))
    write_actuals(store_copy, Actuals(sheet, fixes, week.matched.legs, sheet), week.compliance)
    back = read_compliance(store_copy)
    assert back.shifts["team_id"].tolist() == week.compliance.shifts["team_id"].tolist()
    assert back.grids["longest_gap_walked_h"].tolist() == pytest.approx(
        week.compliance.grids["longest_gap_walked_h"].tolist()
    )
    assert len(read_actuals(store_copy).legs) == len(week.matched.legs)


def test_an_import_killed_while_writing_leaves_the_store_as_it_was(
    week, store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geopandas as gpd

    before = _digest(store_copy / "plan.gpkg")
    real = gpd.GeoDataFrame.to_file
    written: list[str] = []

    def dies_midway(self, *args, **kwargs):  # the process dies after two layers
        written.append(kwargs.get("layer", ""))
        if len(written) > 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        import_actuals(store_copy, tracks=_tracks(week)[:2], plan=week.plan)
    assert _digest(store_copy / "plan.gpkg") == before
    assert sorted(p.name for p in store_copy.glob("*.gpkg*")) == ["plan.gpkg"]
    assert not has_actuals(store_copy)
