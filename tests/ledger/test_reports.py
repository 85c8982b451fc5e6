"""The reports from the station store: the daily spot-check list (deterministic for a date,
the worst records first, a random pick), the weekly follow-up (per person and grid,
missed visits carried forward), the monthly report (trend, grid ranking), the ledger; and
their Excel files read back by openpyxl (Chinese headers, dates as dates, rounded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from patrol.errors import PatrolError
from patrol.ledger.book import ledger_tables
from patrol.ledger.documents import (
    daily_document,
    ledger_document,
    monthly_document,
    weekly_document,
    write_document,
)
from patrol.ledger.history import StationStore, open_store, write_week
from patrol.ledger.monthly import month_weeks, monthly_report
from patrol.ledger.spotcheck import spot_check, spot_check_seed
from patrol.ledger.weekly import carried_visits, weekly_follow_up
from tests.ledger.weeks import CRS, make_week, team_id

W1 = dt.date(2026, 11, 30)
W2 = dt.date(2026, 12, 7)
STATION = "测试警务室"


def _day(week: dt.date, k: int) -> dt.date:
    return week + dt.timedelta(days=k)


@pytest.fixture
def store(tmp_path: Path) -> StationStore:
    """Two weeks: in week 1 B1's team misses its visit on Sunday and B2's dwells too briefly
    on Thursday; in week 2 (actuals for Monday and Tuesday) B2 deviates 40% on Monday."""
    s = open_store(tmp_path / "station.gpkg")
    week1 = make_week(W1, missed=[team_id(_day(W1, 6), "B1")], short=[team_id(_day(W1, 3), "B1")])
    write_week(s, W1, week1, crs=CRS, station=STATION)
    week2 = make_week(W2, deviation={team_id(W2, "B2"): 0.4}, actual_days=2)
    write_week(s, W2, week2, crs=CRS, station=STATION)
    return s


def test_spot_check_ranks_by_record_and_is_the_same_for_a_date(store: StationStore) -> None:
    day = _day(W2, 2)  # Wednesday: both teams have a record
    first = spot_check(store, day, picks=2, random_picks=0, station=STATION)
    assert first.candidates == 2
    picks = first.picks.set_index("beat_id")
    # B1's people missed a visit (0.5) and dwelt short (0.3); B2's deviated 40%
    assert list(first.picks["beat_id"]) == ["B1", "B2"]
    assert picks.loc["B1", "reason"] == "missed_visits"
    assert "漏访 1 户" in picks.loc["B1", "record"] and "驻留不足 1 次" in picks.loc["B1", "record"]
    assert picks.loc["B2", "reason"] == "deviated" and "40%" in picks.loc["B2", "record"]
    assert "09:30 入户走访 H1" in picks.loc["B1", "check_at"]
    again = spot_check(store, day, picks=2, random_picks=0, station=STATION)
    assert again.picks.equals(first.picks)


def test_spot_check_random_pick_is_seeded_by_the_date(store: StationStore) -> None:
    drawn = {}
    for k in range(7):
        day = _day(W2, k)
        one = spot_check(store, day, picks=0, random_picks=1, station=STATION)
        assert list(one.picks["reason"]) == ["random"]
        assert one.picks.equals(
            spot_check(store, day, picks=0, random_picks=1, station=STATION).picks
        )
        drawn[day] = one.picks["beat_id"].iloc[0]
    assert set(drawn.values()) == {"B1", "B2"}  # not always the same team
    assert spot_check_seed(STATION, W2) != spot_check_seed(STATION, _day(W2, 1))
    assert spot_check_seed(STATION, W2) != spot_check_seed("另一个警务室", W2)


def test_spot_check_of_a_day_without_a_plan_says_which_weeks_there_are(
    store: StationStore,
) -> None:
    with pytest.raises(PatrolError) as err:
        spot_check(store, dt.date(2027, 1, 4))
    assert "2026-11-30" in str(err.value) and "no patrol is planned" in str(err.value)


def test_weekly_follow_up_per_person_and_grid(store: StationStore) -> None:
    weekly = weekly_follow_up(store, W1)
    people = weekly.people.set_index("person_id")
    assert people.loc["P1", "visits_planned"] == 7 and people.loc["P1", "visits_done"] == 6
    assert people.loc["P4", "visits_done"] == 7 and people.loc["P1", "hotspot_short"] == 1
    assert people.loc["P1", "shifts_planned"] == 7
    grids = weekly.grids.set_index("grid_id")
    assert grids.loc["G1", "stops_missed"] == 1 and grids.loc["G2", "stops_missed"] == 0
    assert grids.loc["G1", "visits_done_share"] == pytest.approx(6 / 7)
    assert weekly.totals["stops_planned"] == 35 and weekly.totals["stops_missed"] == 1
    # Sunday's missed visit of H1 is carried forward
    assert weekly.carried[["household_id", "last_missed", "times_missed"]].values.tolist() == [
        ["H1", _day(W1, 6), 1]
    ]


def test_missed_visits_stay_carried_until_done(tmp_path: Path) -> None:
    s = open_store(tmp_path / "station.gpkg")
    missed1 = [team_id(_day(W1, 6), "B2")]
    write_week(s, W1, make_week(W1, missed=missed1), crs=CRS)
    missed2 = [team_id(_day(W2, k), "B2") for k in range(7)]
    write_week(s, W2, make_week(W2, missed=missed2), crs=CRS)
    carried = carried_visits(s, W2)
    assert carried[["household_id", "first_missed", "times_missed"]].values.tolist() == [
        ["H2", _day(W1, 6), 8]
    ]
    write_week(s, W2, make_week(W2), crs=CRS)  # all done after all
    assert carried_visits(s, W2).empty


def test_monthly_trend_and_grid_ranking(store: StationStore) -> None:
    assert month_weeks(store, "2026-12") == [W2] and month_weeks(store, "2026-11") == [W1]
    monthly = monthly_report(store, "2026-11")
    assert monthly.trend["stops_missed"].tolist() == [1]
    assert monthly.trend["visits_done_share"].tolist() == [pytest.approx(13 / 14)]
    with pytest.raises(PatrolError, match="2027-02"):
        monthly_report(store, "2027-02")


def test_ranking_puts_blind_residents_then_incidents_first(tmp_path: Path) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    s = open_store(tmp_path / "station.gpkg")
    for week, blind in ((W1, [0.0, 40.0]), (W2, [10.0, 40.0])):
        frames = make_week(week)
        frames["compliance_grids"] = pd.DataFrame(
            {"grid_id": ["G1", "G2"], "blind_residents_walked": blind, "stops_missed": [0, 2]}
        )
        frames["incidents"] = gpd.GeoDataFrame(
            {
                "incident_id": ["I1", "I2", "I3"],
                "grid_id": ["G1", "G1", "G2"],
                "time": pd.to_datetime(
                    ["2026-12-08 20:00", "2026-12-09 21:00", "2026-11-02 10:00"]
                ),
            },
            geometry=[Point(50, 50), Point(60, 60), Point(250, 50)],
            crs=CRS,
        )
        write_week(s, week, frames, crs=CRS)
    monthly = monthly_report(s, "2026-12")
    ranking = monthly.ranking.set_index("grid_id")
    assert list(monthly.ranking["grid_id"]) == ["G2", "G1"]
    assert ranking.loc["G2", "blind_residents_walked"] == 40 and ranking.loc["G1", "incidents"] == 2
    assert ranking.loc["G2", "incidents"] == 0  # its incident was in November
    assert monthly.trend["incidents"].tolist() == [2]


def _read_back(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_excel_files_read_back_with_chinese_headers_dates_and_rounded_figures(
    store: StationStore, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    weekly = write_document(
        weekly_document(weekly_follow_up(store, W1), station=STATION), folder, "weekly"
    )
    sheets = _read_back(weekly[0])
    assert list(sheets) == ["概况", "人员考核", "网格考核", "结转走访"]
    assert sheets["概况"][0][0] == "每周跟进考核督导"
    header, *rows = sheets["人员考核"]
    assert header[:4] == ("人员编号", "名称", "身份", "计划班次")
    p1 = dict(zip(header, rows[0], strict=True))
    assert p1["身份"] == "民警" and p1["走访完成率(%)"] == 85.7 and p1["完成"] == 20
    carried = dict(zip(*sheets["结转走访"], strict=True))
    assert carried["最近漏访"] == dt.datetime(2026, 12, 6)  # a real date
    book = openpyxl.load_workbook(weekly[0])
    assert book["结转走访"]["D2"].number_format == "yyyy-mm-dd"
    assert PdfReader(weekly[1]).pages[0].extract_text().count("每周跟进考核督导") >= 1
    daily = spot_check(store, _day(W2, 2), station=STATION)
    files = write_document(daily_document(daily), folder, "daily")
    header, *rows = _read_back(files[0])["抽查名单"]
    assert "抽查原因" in header and rows[0][header.index("抽查原因")] == "漏访"
    monthly = write_document(monthly_document(monthly_report(store, "2026-11")), folder, "monthly")
    assert list(_read_back(monthly[0])) == ["概况", "逐周趋势", "网格排名"]
    ledger = write_document(ledger_document(ledger_tables(store)), folder, "ledger", pdf=False)
    visits = _read_back(ledger[0])["走访台账"]
    status = visits[0].index("完成情况")
    assert {r[status] for r in visits[1:]} == {"已完成", "未完成", None}  # None: no actuals yet


def test_english_headers_and_formula_text_written_as_text(
    store: StationStore, tmp_path: Path
) -> None:
    weekly = weekly_follow_up(store, W1)
    weekly.people.loc[0, "name"] = '=HYPERLINK("http://x")'
    files = write_document(weekly_document(weekly, lang="en"), tmp_path, "weekly", pdf=False)
    book = openpyxl.load_workbook(files[0])
    assert book.sheetnames == ["overview", "per person", "per grid", "visits carried forward"]
    sheet = book["per person"]
    assert sheet["A1"].value == "person" and sheet["C2"].value == "officer"
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s"
