"""The people's tables: headers in the reader's language, codes as names, figures rounded."""

from __future__ import annotations

import pandas as pd

from patrol.labels import label
from patrol.store.people import TABLES, people_table, read_times


def _routes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2026-11-30"],
            "shift": ["night"],
            "team_id": ["T1"],
            "start": ["2026-11-30T19:00:00"],
            "end": ["2026-11-30T21:31:42"],
            "length_m": [2436.53868],
            "members": ["唐平斌(officer)、胡杰霞(grid_worker)、马敏(elder)"],
            "night": [True],
            "extra": ["not shown"],
        }
    )


def test_people_table_in_chinese_has_names_not_codes() -> None:
    table = people_table("routes", _routes(), lang="zh")
    assert list(table.columns) == ["日期", "班次", "小队编号", "出发时间", "返回时间",
                                   "路程(米)", "成员", "夜班"]  # fmt: skip
    row = table.iloc[0]
    assert row["班次"] == "夜班" and row["夜班"] == "是" and row["路程(米)"] == 2437
    assert row["成员"] == "唐平斌(民警)、胡杰霞(网格员)、马敏(五老)"
    assert row["出发时间"] == pd.Timestamp("2026-11-30 19:00")


def test_people_table_in_english() -> None:
    table = people_table("routes", _routes(), lang="en")
    assert "distance (m)" in table.columns
    row = table.iloc[0]
    assert row["night"] == "yes" and row["members"].startswith("唐平斌(officer)")


def test_shares_as_percent_and_language_columns_picked() -> None:
    coverage = pd.DataFrame({"grid_id": ["G1"], "risk": ["red"], "street_walked_share": [0.87296],
                             "longest_gap_h": [59.6833], "households": [322.6]})  # fmt: skip
    table = people_table("coverage", coverage, lang="zh")
    assert table.iloc[0].tolist() == ["G1", "红", 323, 87.3, 59.7]
    unserved = pd.DataFrame({"task": ["v:H1"], "kind": ["visit"], "reason_zh": ["时间不足"],
                             "reason_en": ["no time"]})  # fmt: skip
    assert people_table("unserved", unserved, lang="zh").iloc[0].tolist() == [
        "v:H1", "入户走访", "时间不足"]  # fmt: skip
    assert people_table("unserved", unserved, lang="en").iloc[0, 2] == "no time"


def test_every_header_has_a_label_in_both_languages() -> None:
    for columns in TABLES.values():
        for _, key, _ in columns:
            assert label(f"col.{key}", "zh") != f"col.{key}"
            assert label(f"col.{key}", "en") != label(f"col.{key}", "zh")


def test_read_times_gives_date_and_minute_text() -> None:
    text = read_times(people_table("routes", _routes(), lang="zh"))
    assert text.iloc[0]["日期"] == "2026-11-30"
    assert text.iloc[0]["返回时间"] == "2026-11-30 21:31"


def test_incident_codes_inside_descriptions_are_named() -> None:
    stops = pd.DataFrame(
        {
            "team_id": ["T1"],
            "description_zh": ["热点HS1驻留（近期6起，ebike_theft）"],
            "description_en": ["Hot spot HS1 stop (6 recent, mostly ebike_theft)"],
        }
    )
    assert (
        people_table("stops", stops, lang="zh").iloc[0, 1] == "热点HS1驻留（近期6起，电动车盗窃）"
    )
    assert people_table("stops", stops, lang="en").iloc[0, 1].endswith("mostly e-bike theft)")
