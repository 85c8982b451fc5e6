"""Read a scenario folder (or GeoPackage) and validate every layer.

:func:`read_scenario` is the only way data enters patrol. It never writes to the user's
files. It collects every problem it finds – which file, which row or feature, what is
wrong and how to fix it – and raises them together as one :class:`InputError`; repairs
(an invalid polygon fixed with ``make_valid``) are warnings, errors under ``strict=True``.
The files are read by :mod:`patrol.scenario.files`, the layers checked by
:mod:`patrol.scenario.validate` and the roster by :mod:`patrol.scenario.roster`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from patrol.errors import InputError, ProblemLog
from patrol.projection import WGS84, utm_crs_for, working_crs_for
from patrol.scenario.area import check_near_grids
from patrol.scenario.checks import to_wgs84
from patrol.scenario.files import OSM_SUFFIXES, read_layer
from patrol.scenario.focus import validate_focus
from patrol.scenario.model import Person, Scenario
from patrol.scenario.osm import clip_box
from patrol.scenario.roster import apply_absences, validate_absences, validate_roster
from patrol.scenario.stays import read_stays
from patrol.scenario.validate import (
    check_grid_overlaps,
    declared_ids,
    validate_buildings,
    validate_cameras,
    validate_grids,
    validate_incidents,
    validate_posts,
    validate_roads,
)
from patrol.settings import Settings, read_settings

log = logging.getLogger("patrol")

LAYERS = (
    "grids",
    "buildings",
    "roads",
    "posts",
    "incidents",
    "cameras",
    "focus_households",
    "roster",
    "absences",
)
REQUIRED_LAYERS = ("grids", "posts", "roster")


def read_scenario(path: str | Path, *, strict: bool = False) -> Scenario:
    """Read and validate a scenario folder (or GeoPackage) into a :class:`Scenario`.

    Parameters
    ----------
    path : a folder with one file per layer and ``patrol.toml``, or a ``.gpkg`` whose layers
        carry the layer names (its settings in a ``patrol.toml`` beside it).
    strict : treat repairs and warnings as errors.

    The warnings (repairs, defaults taken) are in ``scenario.warnings``, each one with
    both languages: the caller shows them in the reader's (the CLI does); they are
    logged only at DEBUG, so nothing English reaches a Chinese screen.

    Raises
    ------
    InputError
        Listing every problem found, each with file, feature, problem and fix.
    """
    source = Path(path)
    if not source.exists():
        raise InputError(
            f"'{source}' does not exist. Give the folder that holds grids, "
            "roads, posts and roster files (or a .gpkg).",
            file=str(source),
            zh=f"“{source}”不存在。",
            fix_zh="请给出存放 grids、roads、posts 和 roster 文件的文件夹（或 .gpkg）。",
        )
    plog = ProblemLog()
    settings = _read_scenario_settings(source, plog)
    raw, labels = read_layers(source, plog=plog, settings=settings)
    if "grids" not in raw:
        plog.raise_if_errors(strict=strict)
        raise InputError(plog.problems)
    scenario = _validate_layers(raw, labels, plog, settings)
    scenario.people = read_stays(  # stationed_at: stays at a post (#21)
        scenario.people, raw.get("roster"), days=settings.days,
        posts=set(scenario.posts["post_id"]), file=labels.get("roster", "roster"), plog=plog,
    )  # fmt: skip
    plog.raise_if_errors(strict=strict)
    for p in plog.warnings:
        log.debug("%s", p)
    scenario.source = str(source)
    scenario.warnings = plog.warnings
    return scenario


def _read_scenario_settings(source: Path, plog: ProblemLog) -> Settings:
    """``patrol.toml`` in the folder (or beside the GeoPackage); defaults when absent."""
    toml = (source / "patrol.toml") if source.is_dir() else source.with_name("patrol.toml")
    if source.is_dir() and not toml.exists():
        plog.warn(
            "patrol.toml",
            "is missing; using default settings.",
            "Add patrol.toml with week_start and shifts (see the README).",
            zh=(
                "缺少 patrol.toml，使用默认设置。",
                "请添加 patrol.toml，写明 week_start 和班次（见 README）。",
            ),
        )
    return read_settings(toml if toml.exists() else None, log=plog)


def read_layers(
    source: Path, *, plog: ProblemLog, settings: Settings
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every layer that has features, as read, and every layer's file label.

    Missing and empty layers are reported: errors for the required ones (grids, posts,
    roster), warnings for the others; no roads means straight-line travel.
    """
    raw: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for layer in LAYERS:
        clip_to = grids_box(raw.get("grids"), settings) if layer == "roads" else None
        frame, label = read_layer(
            source, layer, plog=plog, input_crs=settings.input_crs, clip_to=clip_to
        )
        labels[layer] = label
        if frame is None:
            if not any(p.file == label for p in plog.problems):
                _report_missing(layer, label, plog, settings)
            continue
        if len(frame) == 0:
            (plog.error if layer in REQUIRED_LAYERS else plog.warn)(
                label,
                f"the '{layer}' layer is empty.",
                "Add at least one feature.",
                zh=(f"“{layer}”图层是空的。", "请至少添加一个要素。"),
            )
            continue
        raw[layer] = frame
    return raw, labels


def grids_box(grids: Any, settings: Settings) -> tuple[float, float, float, float] | None:
    """The lon/lat box around the grids as read, grown by the OSM clip margin (None when
    the grids have no usable coordinates: the extract is then read whole)."""
    if not isinstance(grids, gpd.GeoDataFrame) or grids.crs is None or not len(grids):
        return None
    try:
        bounds = to_wgs84(grids, input_crs=settings.input_crs).total_bounds
    except Exception:  # broken grid geometries are reported by validate_grids
        return None
    if not np.all(np.isfinite(bounds)) or not (-180 <= bounds[0] <= bounds[2] <= 180):
        return None
    if not -90 <= bounds[1] <= bounds[3] <= 90:
        return None
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    return clip_box((minx, miny, maxx, maxy))


def _report_missing(layer: str, label: str, plog: ProblemLog, settings: Settings) -> None:
    if layer in REQUIRED_LAYERS:
        plog.error(
            label,
            f"the '{layer}' layer is missing.",
            f"Add a file named {layer}.geojson / {layer}.csv (see the README's input formats).",
            zh=(
                f"缺少“{layer}”图层。",
                f"请添加名为 {layer}.geojson 或 {layer}.csv 的文件（见 README 的输入格式）。",
            ),
        )
    elif layer == "roads":
        plog.warn(
            label,
            "no roads layer: travel uses straight lines times a "
            f"detour factor of {settings.travel.detour_factor}.",
            "Add roads.geojson or an OSM .osm file for street routes.",
            zh=(
                f"没有道路图层：行程按直线距离乘以绕行系数 {settings.travel.detour_factor} 计算。",
                "如需沿街道规划路线，请添加 roads.geojson 或 OSM 的 .osm 文件。",
            ),
        )


def _validate_layers(
    raw: dict[str, Any], labels: dict[str, str], plog: ProblemLog, settings: Settings
) -> Scenario:
    """Validate the layers in the order their references need: grids (which choose the
    working CRS) first, then buildings, the rest, focus households and the roster."""
    grids = validate_grids(raw["grids"], file=labels["grids"], plog=plog, settings=settings)
    crs = working_crs_for(grids) if len(grids) else _fallback_crs(raw, settings)
    grids = grids.to_crs(crs)
    check_grid_overlaps(grids, file=labels["grids"], plog=plog)
    known_grids, known_beats = declared_ids(raw["grids"], grids)

    def common(layer: str) -> dict[str, Any]:
        return {"file": labels[layer], "plog": plog, "settings": own_crs(labels[layer], settings)}

    buildings = validate_buildings(
        raw.get("buildings"), **common("buildings"), grids=grids, crs=crs, known_grids=known_grids
    )

    def near(layer: str, gdf: Any, id_col: str | None) -> Any:
        required = layer == "posts"
        return check_near_grids(
            gdf, grids, file=labels[layer], plog=plog, id_col=id_col, required=required
        )

    people = validate_roster(
        raw.get("roster"),
        **common("roster"),
        grids=grids,
        known_grids=known_grids,
        known_beats=known_beats,
    )
    people = with_absences(people, raw.get("absences"), common("absences"), settings)
    return Scenario(
        settings=settings,
        crs=crs,
        grids=grids,
        buildings=buildings,
        roads=near("roads", validate_roads(raw.get("roads"), **common("roads"), crs=crs), None),
        posts=near(
            "posts",
            validate_posts(raw.get("posts"), **common("posts"), crs=crs, beats=known_beats),
            "post_id",
        ),
        incidents=near(
            "incidents",
            validate_incidents(raw.get("incidents"), **common("incidents"), crs=crs),
            "incident_id",
        ),
        cameras=near(
            "cameras",
            validate_cameras(raw.get("cameras"), **common("cameras"), crs=crs),
            "camera_id",
        ),
        focus_households=validate_focus(
            raw.get("focus_households"), **common("focus_households"), buildings=buildings
        ),
        people=people,
    )


def own_crs(label: str, settings: Settings) -> Settings:
    """The settings a layer's file is read with: an OpenStreetMap extract is always WGS 84,
    so ``input_crs = "GCJ-02"`` (which shifts the station's own Amap layers back) never
    shifts its streets."""
    if settings.input_crs == "GCJ-02" and label.lower().endswith(OSM_SUFFIXES):
        return settings.replace(input_crs=WGS84)
    return settings


def with_absences(
    people: tuple[Person, ...], frame: Any, common: dict[str, Any], settings: Settings
) -> tuple[Person, ...]:
    """The people with the dates of ``absences.csv`` taken off their availability."""
    if frame is None or not people:  # no roster to refer to: its own problem is reported
        return people
    absences = validate_absences(frame, **common, people=people)
    shift_names = tuple(s.name for s in settings.shifts)
    return apply_absences(people, absences, settings.days, shift_names)


def _fallback_crs(raw: dict[str, Any], settings: Settings) -> Any:
    """A working CRS when no grid could be read (the scenario fails; the other layers are
    still checked so that every problem is reported at once)."""
    for frame in raw.values():
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None and len(frame):
            geo = to_wgs84(frame, input_crs=settings.input_crs)
            minx, miny, maxx, maxy = geo.total_bounds
            if (
                np.all(np.isfinite(geo.total_bounds))
                and -180 <= minx <= maxx <= 180
                and (-90 <= miny <= maxy <= 90)
            ):
                return utm_crs_for((minx + maxx) / 2, (miny + maxy) / 2)
    return utm_crs_for(117.0, 39.0)
