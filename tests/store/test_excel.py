"""plan.xlsx: one sheet a table, real Excel dates, sheets added and replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from patrol.store.excel import fill_sheet, write_workbook
from patrol.store.people import people_table


def _tables() -> dict[str, pd.DataFrame]:
    routes = pd.DataFrame({"date": ["2026-11-30"], "start": ["2026-11-30T09:00:00"],
                           "length_m": [1234.4], "night": [False]})  # fmt: skip
    duty = pd.DataFrame({"person_id": ["P1"], "name": ["唐平斌"], "role": ["officer"]})
    return {
        "routes": people_table("routes", routes, lang="zh"),
        "duty": people_table("duty", duty, lang="zh"),
    }


def test_write_workbook_sheets_headers_and_dates(tmp_path: Path) -> None:
    target = write_workbook(tmp_path / "plan.xlsx", _tables(), lang="zh")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["巡逻路线", "人员班次"]
    sheet = book["巡逻路线"]
    assert [c.value for c in sheet[1]] == ["日期", "出发时间", "路程(米)", "夜班"]
    date, start, metres, night = (c for c in sheet[2])
    assert date.value == dt.datetime(2026, 11, 30) and date.number_format == "yyyy-mm-dd"
    assert start.value == dt.datetime(2026, 11, 30, 9, 0) and start.is_date
    assert metres.value == 1234 and night.value == "否"
    assert [c.value for c in book["人员班次"][2]] == ["P1", "唐平斌", "民警"]


def test_write_workbook_adds_a_sheet_and_replaces_its_own(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    write_workbook(target, _tables(), lang="zh")
    grids = pd.DataFrame({"grid_id": ["G1"], "street_walked_share": [0.5]})
    write_workbook(target, {"coverage": people_table("coverage", grids, lang="zh")})
    write_workbook(target, {"coverage": people_table("coverage", grids, lang="zh")})
    assert openpyxl.load_workbook(target).sheetnames == ["巡逻路线", "人员班次", "网格覆盖"]
    write_workbook(target, {"duty": _tables()["duty"]}, extend=False)
    assert openpyxl.load_workbook(target).sheetnames == ["人员班次"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_text_a_spreadsheet_would_run_is_kept_as_text(tmp_path: Path) -> None:
    """A name from an input file that begins like a formula is written as text, never as a
    formula; numbers stay numbers."""
    duty = pd.DataFrame(
        {"person_id": ["P1", "P2"], "name": ['=HYPERLINK("http://x","y")', "@SUM(A1)"],
         "role": ["officer", "volunteer"]}
    )  # fmt: skip
    tables = {**_tables(), "duty": people_table("duty", duty, lang="zh")}
    target = write_workbook(tmp_path / "plan.xlsx", tables, lang="zh")
    sheet = openpyxl.load_workbook(target)["人员班次"]
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert '\'=HYPERLINK("http://x","y")' in values and "'@SUM(A1)" in values
    route = openpyxl.load_workbook(target)["巡逻路线"]
    assert isinstance(route.cell(row=2, column=3).value, int | float)


def test_fill_sheet_writes_headers_dates_and_formula_like_text_as_text() -> None:
    """One sheet: bold frozen headers, dates as dates, "=1+1" kept as text."""
    table = pd.DataFrame({"日期": [pd.Timestamp("2026-12-01")], "备注": ["=1+1"]})
    table.attrs["kinds"] = {"日期": "date"}
    sheet = openpyxl.Workbook().active
    fill_sheet(sheet, table)
    assert [c.value for c in sheet[1]] == ["日期", "备注"] and sheet[1][0].font.bold
    assert sheet["A2"].value == dt.datetime(2026, 12, 1)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].data_type == "s" and sheet.freeze_panes == "A2"
