"""A bureau's outputs: one store of every station's plan, one offline map, one table.

- ``OUT/bureau.gpkg``: every station's ``routes``, ``stops``, ``teams``, ``unserved``,
  ``staffing_gaps``, ``grid_coverage`` and ``blind_spots`` with a ``station`` column,
  the ``stations`` outlines with their figures, and the city-wide ``city_blind_spots``
  (merged across station borders) and ``city_tiles``, all in WGS 84 (stations may lie in
  different UTM zones; each station's own store keeps its working CRS);
- ``OUT/bureau.html``: the map of every station's grids by coverage and the blind spots,
  opening offline (Leaflet inlined by :mod:`patrol.render.assets`);
- ``OUT/stations.csv`` (Chinese headers) and ``OUT/stations_en.csv`` (English): one row
  a station with its figures, or why it failed.

Every file is written atomically; a station that failed is in the table, not the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from patrol.bureau.farm import STATIONS_DIR, BureauRun
from patrol.bureau.labels import word
from patrol.projection import WGS84

if TYPE_CHECKING:
    import folium

    from patrol.bureau.citywide import CityCoverage

STORE_FILE = "bureau.gpkg"
MAP_FILE = "bureau.html"
TABLE_FILES = {"zh": "stations.csv", "en": "stations_en.csv"}

STATION_LAYERS = (
    "routes",
    "stops",
    "teams",
    "unserved",
    "staffing_gaps",
    "grid_coverage",
    "blind_spots",
)

_COLUMNS = (
    "station",
    "status",
    "grids",
    "routes",
    "demand_met",
    "bound",
    "unserved",
    "gaps",
    "walked",
    "blind_spots",
    "seconds",
    "message",
)


def _summary(out: Path, name: str) -> dict[str, Any]:
    path = out / STATIONS_DIR / name / "summary.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}


def station_table(run: BureauRun, out: str | Path) -> pd.DataFrame:
    """One row a station: status, grids, routes, weighted demand met and its bound,
    unserved tasks, staffing gaps, street walked share, blind spots, seconds, message."""
    rows = []
    for r in run.results:
        s = _summary(Path(out), r.name) if r.status != "failed" else {}
        cov = s.get("coverage", {})
        rows.append(
            {
                "station": r.name,
                "status": r.status,
                "grids": cov.get("grids"),
                "routes": s.get("routes"),
                "demand_met": s.get("weighted_demand_met"),
                "bound": s.get("weighted_demand_upper_bound"),
                "unserved": s.get("tasks_unserved"),
                "gaps": s.get("staffing_gaps"),
                "walked": cov.get("street_walked_share"),
                "blind_spots": cov.get("blind_spots"),
                "seconds": round(r.wall_s, 1),
                "message": r.message,
            }
        )
    return pd.DataFrame(rows, columns=list(_COLUMNS))


def _share_text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def _count_text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def table_for_people(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The station table as a person reads it: headers and status words in ``lang``,
    shares as %, counts as integers."""
    shown = table.copy()
    for col in ("demand_met", "bound", "walked"):
        shown[col] = [_share_text(v) for v in shown[col]]
    for col in ("grids", "routes", "unserved", "gaps", "blind_spots"):
        shown[col] = [_count_text(v) for v in shown[col]]
    shown["status"] = [word(f"status.{s}", lang) for s in shown["status"]]
    return shown.rename(columns={c: word(f"col.{c}", lang) for c in _COLUMNS})


def write_station_tables(table: pd.DataFrame, out: str | Path) -> list[Path]:
    """``stations.csv`` (Chinese headers) and ``stations_en.csv`` (English)."""
    from patrol.atomic import write_csv

    return [
        write_csv(Path(out) / name, table_for_people(table, lang))
        for lang, name in TABLE_FILES.items()
    ]


def collect_layers(run: BureauRun, out: str | Path) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Every planned (or kept) station's layers, one frame per layer with ``station``
    first, in WGS 84; ``stations`` holds each station's outline (its grids dissolved)."""
    from patrol.store.layers import read_layer

    found: dict[str, list[Any]] = {name: [] for name in (*STATION_LAYERS, "stations")}
    for r in run.results:
        gpkg = Path(out) / STATIONS_DIR / r.name / "plan.gpkg"
        if r.status == "failed" or not gpkg.is_file():
            continue
        for name in STATION_LAYERS:
            frame = read_layer(gpkg, name)
            if isinstance(frame, gpd.GeoDataFrame):
                frame = frame.to_crs(WGS84)
            frame.insert(0, "station", r.name)
            found[name].append(frame)
        grids = gpd.GeoDataFrame(read_layer(gpkg, "scenario_grids"))
        outline = gpd.GeoDataFrame(
            {"station": [r.name]}, geometry=[grids.union_all()], crs=grids.crs
        )
        found["stations"].append(outline.to_crs(WGS84))
    return {name: _concat(frames) for name, frames in found.items() if frames}


def _concat(frames: list[Any]) -> gpd.GeoDataFrame | pd.DataFrame:
    joined = pd.concat(frames, ignore_index=True)
    if isinstance(frames[0], gpd.GeoDataFrame):
        return gpd.GeoDataFrame(joined, geometry="geometry", crs=WGS84)
    return joined


def bureau_frames(
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    table: pd.DataFrame,
    *,
    city: CityCoverage | None = None,
) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """The bureau store's layers: the stations' layers (their outlines with the figures),
    the station table and the city's coverage, in WGS 84."""
    frames = dict(layers)
    if "stations" in frames:
        frames["stations"] = frames["stations"].merge(
            table.drop(columns=["message"]), on="station", how="left"
        )
    frames["station_table"] = table
    if city is not None:
        frames["city_blind_spots"] = city.blind_spots.to_crs(WGS84)
        frames["city_tiles"] = city.tiles.to_crs(WGS84)
    return frames


def write_bureau_store(frames: dict[str, gpd.GeoDataFrame | pd.DataFrame], out: str | Path) -> Path:
    """``OUT/bureau.gpkg``: the layers of :func:`bureau_frames`, written atomically."""
    from patrol.atomic import write_gpkg

    return write_gpkg(Path(out) / STORE_FILE, frames, extend=False)


def bureau_map(
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    table: pd.DataFrame,
    *,
    name: str,
    lang: str = "zh",
    city: CityCoverage | None = None,
) -> folium.Map:
    """The bureau's map: station outlines with their figures, every grid by how much of
    its streets is walked, every blind spot (the city-wide merged ones when measured)."""
    import folium

    from patrol.render.maps.display import esc
    from patrol.render.maps.elements import CSS, Control
    from patrol.render.maps.layers import finish_map

    stations = layers.get("stations")
    bounds = stations.total_bounds if stations is not None else (116.0, 39.0, 117.0, 40.0)
    m = folium.Map(tiles=None, control_scale=True, zoom_control="bottomleft")
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    root: Any = m.get_root()
    root.header.add_child(folium.Element(f"<style>{CSS}</style>"), name="patrol_css")
    title = esc(word("map.title", lang, bureau=name))
    root.title = title
    m.add_child(Control(f"<h1>{title}</h1>", position="topleft", css_class="patrol-panel"))
    _add_grids(m, layers.get("grid_coverage"), lang)
    blind = city.blind_spots.to_crs(WGS84) if city is not None else layers.get("blind_spots")
    _add_blind(m, blind, lang, merged=city is not None)
    _add_stations(m, stations, table, lang)
    return finish_map(m)


def _add_grids(m: folium.Map, grids: Any, lang: str) -> None:
    import folium

    from patrol.render.maps.display import esc

    if grids is None or not len(grids):
        return
    shown = grids[["station", "grid_id", "street_walked_share", "geometry"]].copy()
    shown["walked"] = [_share_text(v) for v in shown.pop("street_walked_share")]
    shown["station"] = [esc(v) for v in shown["station"]]
    shown["grid_id"] = [esc(v) for v in shown["grid_id"]]
    group = folium.FeatureGroup(name=word("map.grids", lang))
    folium.GeoJson(
        shown.to_json(),
        style_function=lambda f: {
            "fillColor": _walked_colour(f["properties"]["walked"]),
            "color": "#666666",
            "weight": 0.5,
            "fillOpacity": 0.45,
        },
        tooltip=folium.GeoJsonTooltip(fields=["station", "grid_id", "walked"]),
    ).add_to(group)
    group.add_to(m)


def _walked_colour(text: str) -> str:
    value = float(text.rstrip("%")) if text else 0.0
    return "#74c476" if value >= 90 else "#fdae6b" if value >= 60 else "#de2d26"


def _add_blind(m: folium.Map, blind: Any, lang: str, *, merged: bool) -> None:
    import folium

    from patrol.render.maps.display import esc
    from patrol.render.style import WEEK_BLIND_COLOUR

    if blind is None or not len(blind):
        return
    if not merged:
        blind = blind.loc[blind["band"] == "week"]
        stations = blind["station"]
    else:
        stations = blind["stations"].str.replace(";", "、" if lang == "zh" else ", ")
    area = blind.to_crs(blind.estimate_utm_crs()).area
    shown = gpd.GeoDataFrame(
        {
            "info": [
                esc(word("map.blind_popup", lang, area=a, stations=s))
                for a, s in zip(area, stations, strict=True)
            ]
        },
        geometry=blind.geometry.values,
        crs=WGS84,
    )
    group = folium.FeatureGroup(name=word("map.blind", lang))
    folium.GeoJson(
        shown.to_json(),
        style_function=lambda _f: {"color": WEEK_BLIND_COLOUR, "weight": 1, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["info"], labels=False),
    ).add_to(group)
    group.add_to(m)


def _add_stations(m: folium.Map, stations: Any, table: pd.DataFrame, lang: str) -> None:
    import folium

    from patrol.render.maps.display import esc

    if stations is None or not len(stations):
        return
    figures = table.set_index("station")
    info = [
        esc(
            word(
                "map.station_popup",
                lang,
                station=s,
                met=_share_text(figures.at[s, "demand_met"]),
                blind=_count_text(figures.at[s, "blind_spots"]),
            )
        )
        for s in stations["station"]
    ]
    shown = gpd.GeoDataFrame({"info": info}, geometry=stations.geometry.values, crs=WGS84)
    group = folium.FeatureGroup(name=word("map.stations", lang))
    folium.GeoJson(
        shown.to_json(),
        style_function=lambda _f: {"color": "#08306b", "weight": 2.5, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["info"], labels=False),
    ).add_to(group)
    group.add_to(m)


def write_bureau_map(
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    table: pd.DataFrame,
    out: str | Path,
    *,
    name: str,
    lang: str = "zh",
    city: CityCoverage | None = None,
) -> Path:
    """Draw :func:`bureau_map` into ``OUT/bureau.html``, built and rendered with stable
    element ids, so the same bureau gives the same bytes."""
    from patrol.atomic import write_text
    from patrol.render.maps.elements import stable_ids

    with stable_ids():
        the_map = bureau_map(layers, table, name=name, lang=lang, city=city)
        text = the_map.get_root().render()
    return write_text(Path(out) / MAP_FILE, text)
