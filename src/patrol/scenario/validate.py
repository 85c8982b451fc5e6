"""Validation of each layer, driven by one spec table per layer.

A :class:`LayerSpec` says what a layer holds: its id, the fields it must have, the
geometry it may have, and for every optional field its type, range and default.
:func:`check_layer` runs the shared checks of :mod:`patrol.scenario.checks` from it; the
few rules that only one layer has (a grid's beat and risk colour, the grid a building lies
in, references between layers) follow in that layer's ``validate_*`` function. Every
problem goes to the :class:`~patrol.errors.ProblemLog`, never raised here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.errors import ProblemLog
from patrol.projection import WGS84
from patrol.scenario.checks import (
    LINES,
    POINTS,
    POLYGONS,
    as_geodataframe,
    as_text,
    check_date,
    check_geometry,
    check_ids,
    check_number,
    check_scalars,
    check_time,
    clean_text,
    name_rows,
    require_fields,
    select_columns,
    to_wgs84,
)
from patrol.settings import Settings
from patrol.vocab import RISK_LEVELS, TRAVEL_MODE_ALIASES, TRAVEL_SPEEDS_KMH

FieldKind = Literal["text", "number", "integer", "time", "date"]

RISK_ALIASES = {
    "绿": "green",
    "绿色": "green",
    "黄": "yellow",
    "黄色": "yellow",
    "橙": "orange",
    "橙色": "orange",
    "红": "red",
    "红色": "red",
}


@dataclass(frozen=True)
class Field:
    """One optional field of a layer: its kind, the value empty cells get, its range.

    ``default`` is the value of empty cells (text or number); ``fill_from`` names a column
    whose value empty text cells take instead; ``default_from`` reads the default from the
    settings. Numbers are checked against ``minimum`` and ``maximum``; a ``time`` field is
    required in every row (rows without a readable one are left out).
    """

    name: str
    kind: FieldKind = "text"
    default: float | str | None = None
    fill_from: str | None = None
    default_from: Callable[[Settings], float] | None = None
    minimum: float = 0.0
    maximum: float | None = None


@dataclass(frozen=True)
class LayerSpec:
    """What one layer holds: kept columns, id, required fields, geometry types, fields.

    ``geometry`` lists the allowed geometry types (empty: a table). ``numbered_ids`` is
    the prefix of the ids made up when the id column is absent (incidents): then the
    geometry is checked first and the located rows are numbered.
    """

    layer: str
    columns: tuple[str, ...]
    id_field: str | None
    required: tuple[str, ...] = ()
    geometry: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    numbered_ids: str = ""


def _counts(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n, "integer", default=0.0) for n in names)


SPECS: dict[str, LayerSpec] = {
    spec.layer: spec
    for spec in (
        LayerSpec(
            "grids",
            (
                "grid_id",
                "name",
                "beat_id",
                "risk",
                "households",
                "residents",
                "patrols_per_week",
                "travel",
            ),
            "grid_id",
            required=("grid_id",),
            geometry=POLYGONS,
            fields=(
                Field("name", fill_from="grid_id"),
                Field("beat_id"),
                Field("risk"),
                Field("travel"),  # walk / ebike / car inside the grid (patrol.travel)
                Field("households", "integer", default=np.nan),
                Field("residents", "integer", default=np.nan),
                Field("patrols_per_week", "integer", default=np.nan, maximum=21 * 7),
            ),
        ),
        LayerSpec(
            "buildings",
            ("building_id", "grid_id", "households", "residents", "address", "floors"),
            "building_id",
            required=("building_id",),
            geometry=(*POINTS, *POLYGONS),
            fields=(
                Field("grid_id"),
                Field("address", fill_from="building_id"),
                *_counts("households", "residents", "floors"),
            ),
        ),
        LayerSpec(
            "roads",
            ("highway", "name"),
            None,
            geometry=LINES,
            fields=(Field("highway"), Field("name")),
        ),
        LayerSpec(
            "posts",
            ("post_id", "name", "beat_id", "kind"),
            "post_id",
            required=("post_id",),
            geometry=POINTS,
            fields=(Field("name", fill_from="post_id"), Field("beat_id"), Field("kind")),
        ),
        LayerSpec(
            "incidents",
            ("incident_id", "time", "category", "severity"),
            "incident_id",
            required=("time",),
            geometry=POINTS,
            fields=(
                Field("time", "time"),
                Field("category", default="other"),
                Field("severity", "number", default=1.0),
            ),
            numbered_ids="I",
        ),
        LayerSpec(
            "cameras",
            ("camera_id", "range_m", "direction_deg", "fov_deg"),
            "camera_id",
            required=("camera_id",),
            geometry=POINTS,
            fields=(
                Field(
                    "range_m",
                    "number",
                    default_from=lambda s: s.coverage.camera_range_m,
                    minimum=0.1,
                    maximum=1000,
                ),
                Field("direction_deg", "number", default=np.nan, maximum=360),
                Field("fov_deg", "number", default=np.nan, minimum=1, maximum=360),
            ),
        ),
        LayerSpec(
            "focus_households",
            (
                "household_id",
                "building_id",
                "grid_id",
                "visit_every_days",
                "category",
                "last_visit",
                "label",
            ),
            "household_id",
            required=("household_id", "building_id", "visit_every_days"),
            fields=(
                Field("building_id"),
                Field("visit_every_days", "integer", default=np.nan, minimum=1, maximum=366),
                Field("category", default="other"),
                Field("label"),
                Field("last_visit", "date"),
            ),
        ),
        LayerSpec(
            "absences",
            ("person", "from", "to", "reason"),
            None,
            required=("person", "from"),
            fields=(Field("person"), Field("reason"), Field("from", "date"), Field("to", "date")),
        ),
        LayerSpec(
            "roster",
            (
                "person_id",
                "name",
                "role",
                "beat_id",
                "grid_id",
                "available",
                "max_shifts_per_week",
                "phone",
            ),
            "person_id",
            required=("person_id", "name", "role"),
            fields=(
                *(Field(n) for n in ("name", "role", "beat_id", "grid_id", "available", "phone")),
                Field(
                    "max_shifts_per_week",
                    "integer",
                    default_from=lambda s: float(s.teams.max_shifts_per_week),
                    maximum=21,
                ),
            ),
        ),
    )
}


# --- the generic checks ---------------------------------------------------------------------


def check_layer(
    frame: gpd.GeoDataFrame | pd.DataFrame,
    spec: LayerSpec,
    *,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    crs: Any = None,
) -> pd.DataFrame | None:
    """Run the spec's checks on one layer: the cleaned copy, or None when it is unusable.

    In order: geometry present, required fields, ids (empty, duplicated), geometry types
    and validity, CRS (to WGS 84, then to ``crs`` when given), then every field of the
    spec. A layer without geometry or without a required field gives None.
    """
    if spec.geometry:
        gdf = as_geodataframe(frame, file=file, plog=plog)
        if gdf is None:
            return None
        table: pd.DataFrame = gdf
    else:
        table = pd.DataFrame(frame).drop(columns="geometry", errors="ignore")
    if not require_fields(table, spec.required, file=file, plog=plog):
        return None
    table = table.copy()
    id_col = spec.id_field
    check_scalars(table, spec.columns, file=file, plog=plog, id_col=id_col)
    if spec.numbered_ids:  # ids may be made up: number the rows that are kept
        table = _locate(cast(gpd.GeoDataFrame, table), spec, file, plog, settings, crs)
        if id_col is not None and id_col not in table.columns:
            table[id_col] = [f"{spec.numbered_ids}{i + 1:05d}" for i in range(len(table))]
    if id_col is not None:
        check_ids(table, id_col, file=file, plog=plog)
        table = table.loc[table[id_col].notna()]  # reported: nothing can refer to them
    if spec.geometry and not spec.numbered_ids:
        table = _locate(cast(gpd.GeoDataFrame, table), spec, file, plog, settings, crs)
    for field in spec.fields:
        table = _check_field(table, field, spec, file, plog, settings)
    return table


def _locate(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    crs: Any,
) -> gpd.GeoDataFrame:
    gdf = check_geometry(gdf, spec.geometry, file=file, plog=plog, id_col=spec.id_field)
    gdf = to_wgs84(gdf, input_crs=settings.input_crs)
    return gdf if crs is None else gdf.to_crs(crs)


def _check_field(
    table: pd.DataFrame,
    field: Field,
    spec: LayerSpec,
    file: str,
    plog: ProblemLog,
    settings: Settings,
) -> pd.DataFrame:
    col, id_col = field.name, spec.id_field
    if field.kind == "text":
        clean_text(table, col)
        if field.fill_from is not None:
            table[col] = table[col].fillna(table[field.fill_from])
        elif field.default is not None:
            table[col] = table[col].fillna(field.default)
    elif field.kind in ("number", "integer"):
        default = field.default_from(settings) if field.default_from else field.default
        check_number(
            table,
            col,
            file=file,
            plog=plog,
            id_col=id_col,
            default=cast("float | None", default),
            integer=field.kind == "integer",
            minimum=field.minimum,
            maximum=field.maximum,
        )
    elif field.kind == "time":  # a required time: rows without one are left out
        check_time(table, col, file=file, plog=plog, id_col=id_col or "")
        table = table.loc[table[col].notna()]
    else:
        check_date(table, col, file=file, plog=plog, id_col=id_col or "")
    return table


def empty_layer(spec: LayerSpec, crs: Any) -> gpd.GeoDataFrame:
    """The layer with no features: its columns, no rows (for a layer absent or unusable)."""
    gdf = gpd.GeoDataFrame({c: [] for c in spec.columns}, geometry=[], crs=crs)
    for field in spec.fields:
        if field.kind == "time":
            gdf[field.name] = pd.to_datetime(gdf[field.name])
    return gdf


def _checked(
    frame: Any, spec: LayerSpec, file: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame | None:
    if frame is None:
        return None
    return cast(
        "gpd.GeoDataFrame | None",
        check_layer(frame, spec, file=file, plog=plog, settings=settings, crs=crs),
    )


def report_unknown(
    frame: pd.DataFrame,
    unknown: pd.Series,
    col: str,
    *,
    file: str,
    plog: ProblemLog,
    id_col: str,
    message: str,
    fix: str,
    zh: tuple[str, str],
) -> None:
    """One error per row whose ``col`` refers to nothing; ``message`` (and the Chinese
    message of ``zh``) has a ``{}`` for it."""
    for where, value in zip(
        name_rows(frame, unknown, id_col), frame.loc[unknown, col], strict=False
    ):
        zh_text = (zh[0].format(value), zh[1])
        plog.error(file, message.format(value), fix, feature=where, field=col, zh=zh_text)


# --- the layers -----------------------------------------------------------------------------


def validate_grids(
    frame: Any, *, file: str, plog: ProblemLog, settings: Settings
) -> gpd.GeoDataFrame:
    """The grids in WGS 84 (they choose the working CRS): every grid in a beat, its risk
    colour one of :data:`~patrol.vocab.RISK_LEVELS` (Chinese names too)."""
    spec = SPECS["grids"]
    gdf = _checked(frame, spec, file, plog, settings, None)
    if gdf is None:
        return empty_layer(spec, WGS84)
    _fill_beats(gdf, file=file, plog=plog)
    risk = gdf["risk"].map(lambda v: RISK_ALIASES.get(v, v.lower()) if v else "green")
    bad = ~risk.isin(RISK_LEVELS)
    for where in name_rows(gdf, bad, "grid_id"):
        plog.error(
            file,
            "has an unknown risk colour.",
            f"Use one of {', '.join(RISK_LEVELS)} (or 绿/黄/橙/红).",
            feature=where,
            field="risk",
            zh=("风险颜色无法识别。", "请填写 绿/黄/橙/红 之一（或 green/yellow/orange/red）。"),
        )
    gdf["risk"] = risk.where(~bad, "green")
    _check_travel(gdf, file=file, plog=plog)
    return select_columns(gdf, spec.columns)


def _check_travel(gdf: gpd.GeoDataFrame, *, file: str, plog: ProblemLog) -> None:
    """A grid's ``travel`` as a mode name (walk/ebike/car or 步行/电动车/驾车); an unknown
    one is an error and reads as empty (the station's mode)."""
    modes = gdf["travel"].map(
        lambda v: TRAVEL_MODE_ALIASES.get(v, v.lower()) if isinstance(v, str) and v else None
    )
    bad = modes.notna() & ~modes.isin(list(TRAVEL_SPEEDS_KMH))
    for where in name_rows(gdf, bad, "grid_id"):
        plog.error(
            file,
            "has an unknown travel mode.",
            f"Use one of {', '.join(TRAVEL_SPEEDS_KMH)} (or 步行/电动车/驾车), or leave it empty.",
            feature=where,
            field="travel",
            zh=(
                "出行方式无法识别。",
                "请填写 步行/电动车/驾车 之一（或 walk/ebike/car），或留空。",
            ),
        )
    gdf["travel"] = modes.where(~bad, None)


def _fill_beats(gdf: gpd.GeoDataFrame, *, file: str, plog: ProblemLog) -> None:
    """Grids without a beat: an error when others have one, else each its own beat."""
    if not gdf["beat_id"].isna().any():
        return
    if gdf["beat_id"].notna().any():
        for where in name_rows(gdf, gdf["beat_id"].isna(), "grid_id"):
            plog.error(
                file,
                "has no beat_id while other grids have one.",
                "Give every grid the beat (警格) it belongs to.",
                feature=where,
                field="beat_id",
                zh=("没有 beat_id，而其他网格都有。", "请给每个网格填写所属警格。"),
            )
    else:
        plog.warn(
            file,
            "has no beat_id: each grid is treated as its own beat.",
            "Add a beat_id column to group grids into police beats.",
            zh=(
                "没有 beat_id：每个网格各自算作一个警格。",
                "如需把网格归入警格，请添加 beat_id 列。",
            ),
        )
    gdf["beat_id"] = gdf["beat_id"].fillna(gdf["grid_id"])


def check_grid_overlaps(grids: gpd.GeoDataFrame, *, file: str, plog: ProblemLog) -> None:
    """Grids (in metres) may touch along streets; overlapping by more than 0.5% of a grid
    is an error."""
    if len(grids) < 2:
        return
    geoms = grids.geometry.values
    left, right = grids.sindex.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if len(left) == 0:
        return
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    over = areas > np.maximum(1.0, 0.005 * smaller)
    ids = grids["grid_id"].to_numpy()
    for a, b, area in list(zip(left[over], right[over], areas[over], strict=True))[:10]:
        plog.error(
            file,
            f"grids {ids[a]} and {ids[b]} overlap by {area:,.0f} m².",
            "Redraw the shared boundary so each place is in one grid (snap the "
            "vertices in your GIS).",
            feature=f"grid_id={ids[b]}",
            zh=(
                f"网格 {ids[a]} 与 {ids[b]} 重叠 {area:,.0f} 平方米。",
                "请重画两者的共同边界，使每个地方只属于一个网格（在 GIS 中捕捉顶点）。",
            ),
        )


def declared_ids(frame: Any, grids: gpd.GeoDataFrame) -> tuple[set[str] | None, set[str] | None]:
    """Grid and beat ids the grids layer names, also of grids left out for an error.

    Other layers' references are checked against these, so one broken grid is one problem,
    not one more for every building and person in it. ``None`` when the grids layer has
    no ``grid_id`` at all: references cannot be checked then.
    """
    if not isinstance(frame, pd.DataFrame) or "grid_id" not in frame.columns:
        return None, None
    ids = set(as_text(frame["grid_id"]).dropna()) | set(grids["grid_id"])
    beats = set(grids["beat_id"].dropna())
    if "beat_id" in frame.columns:
        beats |= set(as_text(frame["beat_id"]).dropna())
    else:
        beats |= ids
    return ids, beats


def validate_buildings(
    frame: Any,
    *,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    grids: gpd.GeoDataFrame,
    crs: Any,
    known_grids: set[str] | None = None,
) -> gpd.GeoDataFrame:
    """Buildings in ``crs``, each in a grid: its ``grid_id`` (which must exist), else the
    grid its representative point lies in; buildings in no grid are left out (a warning).

    ``known_grids`` None means the grids layer has no ids: references are not checked.
    """
    spec = SPECS["buildings"]
    gdf = _checked(frame, spec, file, plog, settings, crs)
    if gdf is None:
        return empty_layer(spec, crs)
    unknown = gdf["grid_id"].notna() & ~gdf["grid_id"].isin(known_grids or set())
    report_unknown(
        gdf,
        unknown & (known_grids is not None),
        "grid_id",
        file=file,
        plog=plog,
        id_col="building_id",
        message="refers to grid '{}', which is not in the grids layer.",
        fix="Correct the grid_id, or leave it empty to assign the grid by location.",
        zh=("填写的网格“{}”不在网格图层中。", "请改正 grid_id，或留空以按位置确定网格。"),
    )
    located = _grid_of_points(gdf, grids, crs)
    given = gdf["grid_id"].notna()
    gdf["grid_id"] = gdf["grid_id"].where(given, located)
    for where in name_rows(gdf, located.isna() & ~given, "building_id"):
        plog.warn(
            file,
            "lies outside every grid; it is left out of visits and coverage figures.",
            "Extend a grid to include it, or remove the building.",
            feature=where,
            zh=(
                "不在任何网格内；走访和覆盖统计不包括它。",
                "请扩大某个网格把它包括进来，或删除这栋楼。",
            ),
        )
    _report_outside(gdf, located.isna() & given, file=file, plog=plog)
    return select_columns(gdf.loc[gdf["grid_id"].notna()], spec.columns)


def _grid_of_points(gdf: gpd.GeoDataFrame, grids: gpd.GeoDataFrame, crs: Any) -> pd.Series:
    """The grid each feature's representative point lies in (None outside every grid)."""
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=crs)
    if not len(grids):
        return pd.Series([None] * len(gdf), index=gdf.index)
    joined = gpd.sjoin(points, grids[["grid_id", "geometry"]], how="left", predicate="within")
    located: pd.Series = joined[~joined.index.duplicated(keep="first")]["grid_id"]
    return located.reindex(gdf.index)


def _report_outside(
    gdf: gpd.GeoDataFrame, outside: pd.Series, *, file: str, plog: ProblemLog
) -> None:
    for where, g in zip(
        name_rows(gdf, outside, "building_id"), gdf.loc[outside, "grid_id"], strict=False
    ):
        plog.warn(
            file,
            f"lies outside every grid; it is kept in grid {g} as its grid_id says.",
            "Check the building's position, or extend the grid to include it.",
            feature=where,
            field="grid_id",
            zh=(
                f"不在任何网格内；按其 grid_id 仍归入网格 {g}。",
                "请检查这栋楼的位置，或扩大该网格把它包括进来。",
            ),
        )


def validate_roads(
    frame: Any, *, file: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame | None:
    """Street lines in ``crs``, one line per row (multi-lines split); None without any."""
    spec = SPECS["roads"]
    gdf = _checked(frame, spec, file, plog, settings, crs)
    if gdf is None:
        return None
    return select_columns(gdf.explode(index_parts=False), spec.columns)


def validate_posts(
    frame: Any,
    *,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    crs: Any,
    beats: set[str] | None,
) -> gpd.GeoDataFrame:
    """Police rooms in ``crs``; a ``beat_id`` must be a beat of the grids (``beats``; None:
    not checked), an empty one serves every beat."""
    spec = SPECS["posts"]
    gdf = _checked(frame, spec, file, plog, settings, crs)
    if gdf is None:
        return empty_layer(spec, crs)
    unknown = gdf["beat_id"].notna() & ~gdf["beat_id"].isin(beats or set()) & (beats is not None)
    report_unknown(
        gdf,
        unknown,
        "beat_id",
        file=file,
        plog=plog,
        id_col="post_id",
        message="refers to beat '{}', which no grid belongs to.",
        fix="Correct the beat_id (or leave it empty for a post serving every beat).",
        zh=(
            "填写的警格“{}”没有任何网格属于它。",
            "请改正 beat_id（服务所有警格的警务室留空）。",
        ),
    )
    return select_columns(gdf, spec.columns)


def validate_incidents(
    frame: Any, *, file: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame:
    """Incident points in ``crs`` with local times; ids are made up when absent."""
    return _validate_points(SPECS["incidents"], frame, file, plog, settings, crs)


def validate_cameras(
    frame: Any, *, file: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame:
    """Camera points in ``crs`` with range, direction and field of view."""
    return _validate_points(SPECS["cameras"], frame, file, plog, settings, crs)


def _validate_points(
    spec: LayerSpec, frame: Any, file: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame:
    gdf = _checked(frame, spec, file, plog, settings, crs)
    if gdf is None:
        return empty_layer(spec, crs)
    return select_columns(gdf, spec.columns)
