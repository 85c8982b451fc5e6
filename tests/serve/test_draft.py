"""The chief's draft of a scenario: edits stay in the draft, are checked at once, and reach
the scenario's files only on save, after a backup of the files they replace."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from patrol.errors import InputError
from patrol.serve.draft import (
    check_draft,
    grid_shapes,
    open_draft,
    place_point,
    read_points,
    read_roster,
    replace_roster,
    save_draft,
    set_grid_risk,
    update_roster,
)

NOW = dt.datetime(2026, 11, 28, 9, 30)


def _risks(folder: Path) -> dict[str, str]:
    data = json.loads((folder / "grids.geojson").read_text(encoding="utf-8-sig"))
    return {f["properties"]["grid_id"]: f["properties"]["risk"] for f in data["features"]}


def test_grid_risk_changes_in_the_draft_until_saved(tiny_dir: Path) -> None:
    draft = open_draft(tiny_dir, work_dir=tiny_dir.parent)
    assert {g["grid_id"]: g["risk"] for g in grid_shapes(draft)}["G1"] == "green"
    set_grid_risk(draft, "G1", "red")
    assert {g["grid_id"]: g["risk"] for g in grid_shapes(draft)}["G1"] == "red"
    assert _risks(tiny_dir)["G1"] == "green"
    assert draft.changed == {"grids.geojson"}
    with pytest.raises(KeyError):
        set_grid_risk(draft, "G9", "red")
    with pytest.raises(ValueError):
        set_grid_risk(draft, "G1", "purple")
    backup = save_draft(draft, now=NOW)
    assert _risks(tiny_dir)["G1"] == "red"
    assert backup == tiny_dir / "backup" / "20261128-093000"
    assert _risks(backup)["G1"] == "green"
    assert not draft.changed and save_draft(draft) is None


def test_points_added_and_moved(tiny_dir: Path) -> None:
    draft = open_draft(tiny_dir, work_dir=tiny_dir.parent)
    before = read_points(draft, "cameras")
    new = place_point(draft, "cameras", 117.2035, 39.1010, values={"range_m": "30"})
    points = read_points(draft, "cameras")
    assert len(points) == len(before) + 1 and new not in set(before["id"])
    place_point(draft, "cameras", 117.2040, 39.1020, point_id=new)
    moved = read_points(draft, "cameras").set_index("id").loc[new]
    assert (round(moved.lon, 4), round(moved.lat, 4)) == (117.2040, 39.1020)
    assert len(read_points(draft, "cameras")) == len(points)
    incident = place_point(
        draft, "incidents", 117.2035, 39.1010,
        values={"time": "2026-11-20T21:00", "category": "burglary", "severity": "1"},
    )  # fmt: skip
    assert incident in set(read_points(draft, "incidents")["id"])
    assert check_draft(draft).ok
    assert len(read_points(open_draft(tiny_dir), "cameras")) == len(before)


def test_a_broken_roster_is_reported_in_chinese_and_not_saved(tiny_dir: Path) -> None:
    draft = open_draft(tiny_dir, work_dir=tiny_dir.parent)
    original = (tiny_dir / "roster.csv").read_bytes()
    text = original.decode("utf-8-sig").replace(",officer,", ",captain,", 1)
    replace_roster(draft, text.encode("utf-8"), "名单.csv")
    check = check_draft(draft)
    assert not check.ok
    line = "\n".join(p.text("zh") for p in check.errors)
    assert "roster.csv" in line and "captain" in line and "无法识别" in line
    with pytest.raises(InputError):
        save_draft(draft)
    assert (tiny_dir / "roster.csv").read_bytes() == original
    # fixed in the table, it saves
    records = read_roster(draft).to_dict(orient="records")
    for row in records:
        if row["role"] == "captain":
            row["role"] = "officer"
    update_roster(draft, records)
    assert check_draft(draft).ok
    assert save_draft(draft, now=NOW) is not None
    assert "captain" not in (tiny_dir / "roster.csv").read_text(encoding="utf-8-sig")


def test_an_uploaded_workbook_replaces_the_csv_on_save(tiny_dir: Path) -> None:
    import io

    import pandas as pd

    draft = open_draft(tiny_dir, work_dir=tiny_dir.parent)
    buffer = io.BytesIO()
    read_roster(draft).to_excel(buffer, index=False)
    replace_roster(draft, buffer.getvalue(), "roster.xlsx")
    assert check_draft(draft).ok
    backup = save_draft(draft, now=NOW)
    assert (tiny_dir / "roster.xlsx").is_file() and not (tiny_dir / "roster.csv").exists()
    assert backup is not None and (backup / "roster.csv").is_file()
    assert len(pd.read_excel(tiny_dir / "roster.xlsx")) == len(read_roster(draft))


def test_open_draft_needs_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        open_draft(tmp_path / "missing")
    assert "不是场景文件夹" in err.value.text("zh")
