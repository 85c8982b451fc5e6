"""patrol ledger and patrol next-week from the command line: what they write and print,
and one clear message (exit code 2) for a user's mistake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from patrol.cli import main
from patrol.ledger.history import open_store, write_week
from tests.factory import write_tiny_scenario
from tests.ledger.test_nextweek import WEEK1, _out
from tests.ledger.weeks import CRS, make_week, team_id

W1 = dt.date(2026, 11, 30)


def test_ledger_reports_from_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "station.gpkg"
    with open_store(store) as s:
        write_week(s, W1, make_week(W1, missed=[team_id(W1, "B1")]), crs=CRS, station="测试警务室")
    out = tmp_path / "week"
    out.mkdir()
    args = ["ledger", str(out), "--store", str(store), "--no-import", "--no-pdf"]
    assert (
        main([*args, "--weekly", "2026-11-30", "--daily", "2026-12-01", "--monthly", "2026-11"])
        == 0
    )
    names = sorted(p.name for p in (out / "ledger").iterdir())
    assert names == [
        "daily_2026-12-01.xlsx",
        "ledger.xlsx",
        "monthly_2026-11.xlsx",
        "weekly_2026-11-30.xlsx",
    ]
    assert "台账与报表" in capsys.readouterr().out
    assert main([*args, "--weekly", "2026-12-07"]) == 2
    err = capsys.readouterr().err
    assert "2026-12-07" in err and "patrol ledger" in err
    with pytest.raises(SystemExit):
        main([*args, "--monthly", "2026-13"])


def test_next_week_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_tiny_scenario(tmp_path / "tiny")
    out = _out(tmp_path, "out", scenario, "2026-11-30", WEEK1)
    assert main(["next-week", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "tiny_2026-12-07" in printed and "H1 last_visit: 2026-11-25 -> 2026-12-03" in printed
    assert main(["next-week", str(out)]) == 2  # never over an existing folder
    assert "已存在" in capsys.readouterr().err
    assert main(["next-week", str(out), "--to", str(tmp_path / "mine"), "--lang", "en"]) == 0
    assert "why" in (tmp_path / "mine" / "changes.csv").read_text(encoding="utf-8-sig")
