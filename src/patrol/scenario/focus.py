"""Focus households (重点户): the table of households visited on a schedule, each in a
building of the buildings layer and so in its grid, its category read as a code.

Split from :mod:`patrol.scenario.validate` (its spec table and shared checks are used
here); an unknown category is a warning and reads as ``other``, so no raw word reaches a
map or a sheet.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from patrol.errors import ProblemLog
from patrol.labels import CATALOGUE
from patrol.scenario.checks import name_rows
from patrol.scenario.validate import SPECS, check_layer, report_unknown
from patrol.settings import Settings


def known_categories(df: pd.DataFrame, *, file: str, plog: ProblemLog) -> pd.Series:
    """Focus-household categories as codes (Chinese names read too); an unknown one is
    warned about and becomes ``other``, so no raw word reaches a map or a sheet."""
    codes = {c: c for c in FOCUS} | {CATALOGUE[f"category.{c}"][0]: c for c in FOCUS}
    given = df["category"]
    mapped = given.map(lambda v: codes.get(str(v).strip(), codes.get(str(v).strip().lower())))
    unknown = mapped.isna()
    for where, value in zip(name_rows(df, unknown, "household_id"), given[unknown], strict=False):
        plog.warn(
            file,
            f"has an unknown category '{value}'; it is treated as 其他 (other).",
            "Use one of: " + ", ".join(f"{CATALOGUE['category.' + c][0]} ({c})" for c in FOCUS),
            feature=where,
            field="category",
            zh=(
                f"类别“{value}”无法识别，按“其他”处理。",
                "请使用以下之一：" + "、".join(CATALOGUE["category." + c][0] for c in FOCUS) + "。",
            ),
        )
    return mapped.fillna("other")


FOCUS = ("elderly_alone", "hardship", "special_attention", "mental_health", "disabled", "other")


def validate_focus(
    frame: Any, *, file: str, plog: ProblemLog, settings: Settings, buildings: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Focus households (a table), each in a building of ``buildings`` and so in its grid,
    with how often it is visited."""
    spec = SPECS["focus_households"]
    df = (
        None if frame is None else check_layer(frame, spec, file=file, plog=plog, settings=settings)
    )
    if df is None:
        return pd.DataFrame({c: [] for c in spec.columns})
    grid_of = dict(zip(buildings["building_id"], buildings["grid_id"], strict=True))
    unknown = ~df["building_id"].isin(grid_of.keys())
    report_unknown(
        df,
        unknown,
        "building_id",
        file=file,
        plog=plog,
        id_col="household_id",
        message="refers to building '{}', which is not in the buildings layer "
        "(or lies outside every grid).",
        fix="Correct the building_id, or add the building to buildings.",
        zh=(
            "填写的楼栋“{}”不在楼栋图层中（或不在任何网格内）。",
            "请改正 building_id，或把这栋楼加入 buildings。",
        ),
    )
    df["grid_id"] = df["building_id"].map(grid_of)
    df["category"] = known_categories(df, file=file, plog=plog)
    for where in name_rows(df, df["visit_every_days"].isna() & ~unknown, "household_id"):
        plog.error(
            file,
            "has no visit_every_days.",
            "Give how often the household is visited, in days (e.g. 7).",
            feature=where,
            field="visit_every_days",
            zh=("没有 visit_every_days。", "请填写多少天走访一次（如 7）。"),
        )
    return df[list(spec.columns)].reset_index(drop=True)
