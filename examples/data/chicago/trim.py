"""Cut the City of Chicago exports down to one police district (how this folder was made).

Usage: python trim.py BEATS.geojson CRIMES.csv SPEED.csv RED_LIGHT.csv [--district 12]

Keeps the district's beat polygons unchanged; the crimes that fall inside the district
(by location) or carry its District label, with only the columns the importer reads; the
speed and red-light cameras within 100 m of the district. Column names are unchanged, so
the importer reads the full exports as well as these copies.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import pandas as pd

HERE = Path(__file__).resolve().parent
CRIME_COLUMNS = [
    "ID",
    "Date",
    "Block",
    "Primary Type",
    "Description",
    "Location Description",
    "Domestic",
    "Beat",
    "District",
    "Latitude",
    "Longitude",
]
METRIC = "EPSG:26916"  # UTM 16N


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("beats")
    parser.add_argument("crimes")
    parser.add_argument("speed")
    parser.add_argument("red_light")
    parser.add_argument("--district", default="12")
    args = parser.parse_args()
    beats = gpd.read_file(args.beats)
    beats = beats.loc[beats["district"] == args.district].sort_values("beat_num")
    beats.to_file(HERE / "police_beats.geojson", driver="GeoJSON", COORDINATE_PRECISION=7)
    area = beats.to_crs(METRIC).union_all()

    crimes = pd.read_csv(args.crimes, dtype=str, keep_default_na=False)[CRIME_COLUMNS]
    located = crimes["Latitude"] != ""
    pts = gpd.GeoSeries(
        gpd.points_from_xy(
            pd.to_numeric(crimes.loc[located, "Longitude"]),
            pd.to_numeric(crimes.loc[located, "Latitude"]),
        ),
        index=crimes.index[located],
        crs="EPSG:4326",
    ).to_crs(METRIC)
    inside = pd.Series(False, index=crimes.index)
    inside[pts.index] = pts.within(area).to_numpy()
    labelled = pd.to_numeric(crimes["District"], errors="coerce") == int(args.district)
    crimes.loc[inside | labelled].to_csv(HERE / "crimes.csv", index=False)

    for src, name in ((args.speed, "speed_cameras.csv"), (args.red_light, "red_light_cameras.csv")):
        cams = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        pts = gpd.GeoSeries(
            gpd.points_from_xy(pd.to_numeric(cams["LONGITUDE"]), pd.to_numeric(cams["LATITUDE"])),
            crs="EPSG:4326",
        ).to_crs(METRIC)
        cams.loc[(pts.distance(area) <= 100).to_numpy()].to_csv(HERE / name, index=False)


if __name__ == "__main__":
    main()
