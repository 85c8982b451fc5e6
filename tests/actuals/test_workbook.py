"""checkin.xlsx: one row per stop grouped by team-shift, Chinese headers, real dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from patrol.actuals.workbook import CHECKIN_COLUMNS, checkin_rows, write_checkin_workbook


def test_workbook_opens_with_chinese_headers_and_dates(week) -> None:
    book = load_workbook(week.out / "checkin.xlsx")
    assert book.sheetnames == ["签到表", "填写说明"]
    sheet = book["签到表"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["日期", "班次", "小队编号"]
    assert {"实到时间", "完成(是/否)", "备注"} <= set(headers)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    stops = sum(1 for r in week.plan.routes for s in r.stops if s.kind != "post")
    assert len(rows) == stops
    first = sheet.cell(row=2, column=1)
    assert isinstance(first.value, dt.datetime) and first.number_format == "yyyy-mm-dd"
    planned = sheet.cell(row=2, column=headers.index("计划到达") + 1)
    assert isinstance(planned.value, dt.datetime) and "hh:mm" in planned.number_format
    blank = headers.index("实到时间")
    assert all(r[blank] is None for r in rows)
    teams = [r[2] for r in rows]  # grouped: each team-shift's rows together
    runs = sum(1 for k, team in enumerate(teams) if k == 0 or teams[k - 1] != team)
    assert runs == len(set(teams))
    assert "巡查" in str(rows[0][5]) or "走访" in str(rows[0][5]) or "热点" in str(rows[0][5])


def test_workbook_in_english_and_formula_text_neutralised(week, tmp_path: Path) -> None:
    rows = checkin_rows(week.plan, lang="en")
    assert list(rows.columns) == list(CHECKIN_COLUMNS)
    route = week.plan.routes[0]
    stop = next(s for s in route.stops if s.kind != "post")
    object.__setattr__(stop, "description_en", "=HYPERLINK(1)")
    try:
        path = write_checkin_workbook(week.plan, tmp_path, lang="en")
    finally:
        object.__setattr__(stop, "description_en", "")
    book = load_workbook(path)
    assert book.sheetnames == ["Check-ins", "How to fill in"]
    sheet = book["Check-ins"]
    assert [c.value for c in sheet[1]][:2] == ["date", "shift"]
    places = [r[8] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in places
    assert sheet.cell(row=2, column=9).data_type != "f"


def test_run_week_writes_the_checkin_sheet(week, tmp_path: Path, monkeypatch) -> None:
    """The hook in ``outputs.run_week``: ``patrol plan`` writes OUT/checkin.xlsx."""
    import patrol.planner
    from patrol.outputs import run_week

    monkeypatch.setattr(patrol.planner, "plan_week", lambda *a, **k: week.plan)  # planned once
    ran = run_week(week.plan.scenario, tmp_path / "out", maps=False, sheets=False)
    assert tmp_path / "out" / "checkin.xlsx" in ran.written
    assert load_workbook(tmp_path / "out" / "checkin.xlsx").sheetnames[0] == "签到表"
