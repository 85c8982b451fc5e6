"""Input files are data: no VRT, no /vsi paths, no links out of the folder, the driver
the suffix names, and never a request to the network."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from patrol.errors import InputError, ProblemLog
from patrol.scenario.guard import (
    check_driver,
    check_input_file,
    gdal_reason,
    suffix_of,
)
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario


def _vrt(source: str) -> str:
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='cameras'>"
        f"<SrcDataSource>{source}</SrcDataSource>"
        "<GeometryType>wkbPoint</GeometryType></OGRVRTLayer></OGRVRTDataSource>"
    )


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"camera_id,lon,lat\nc1,117.2,39.1\n")

    def do_HEAD(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/cams.csv", _Recorder.requests
    httpd.shutdown()
    httpd.server_close()


def test_vrt_disguised_as_geojson_reading_passwd_is_refused(tmp_path: Path) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    (folder / "cameras.csv").unlink()
    (folder / "cameras.geojson").write_text(_vrt("CSV:/etc/passwd"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_scenario(folder)
    problem = next(p for p in info.value.problems if p.file == "cameras.geojson")
    assert "VRT" in problem.message and "root:" not in str(info.value)


def test_vrt_pointing_at_a_server_makes_no_request(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    url, requests = server
    folder = write_tiny_scenario(tmp_path / "s")
    (folder / "cameras.csv").unlink()
    for name in ("cameras.geojson", "cameras.gml", "cameras.kml"):
        (folder / name).write_text(_vrt(f"/vsicurl/{url}"), encoding="utf-8")
        with pytest.raises(InputError):
            read_scenario(folder)
        (folder / name).unlink()
    assert requests == []


def test_check_input_file_refuses_links_out_pipes_and_wrong_content(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    outside = tmp_path / "secret.geojson"
    outside.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    (folder / "grids.geojson").symlink_to(outside)
    plog = ProblemLog()
    assert not check_input_file(folder / "grids.geojson", folder=folder, plog=plog)
    assert "outside the scenario folder" in plog.errors[-1].message
    import os

    os.mkfifo(folder / "posts.geojson")
    assert not check_input_file(folder / "posts.geojson", folder=folder, plog=plog)
    assert "not a regular file" in plog.errors[-1].message
    (folder / "roads.gpkg").write_text("{}", encoding="utf-8")
    assert not check_input_file(folder / "roads.gpkg", folder=folder, plog=plog)
    assert "GeoPackage" in plog.errors[-1].message
    assert not check_input_file(Path("/vsicurl/http://x/a.geojson"), folder=None, plog=plog)
    (folder / "ok.geojson").write_text("\ufeff {}", encoding="utf-8")
    assert check_input_file(folder / "ok.geojson", folder=folder, plog=plog)


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    (folder / "grids.geojson").rename(folder / "grids_v2.data")
    (folder / "grids.geojson").symlink_to(folder / "grids_v2.data")
    assert len(read_scenario(folder).grids) == 4


def test_check_driver_and_suffixes() -> None:
    plog = ProblemLog()
    assert check_driver(Path("a.geojson"), "GeoJSON", plog=plog)
    assert not check_driver(Path("a.geojson"), "OGR_VRT", plog=plog)
    assert "OGR_VRT" in plog.errors[0].message
    assert (suffix_of(Path("R.OSM.PBF")), suffix_of(Path("a.shp"))) == (".osm.pbf", ".shp")


def test_gdal_reason_drops_the_path_and_the_driver_hint() -> None:
    exc = RuntimeError(
        "/home/x/grids.geojson: not recognized. It might help to specify the correct "
        "driver explicitly by prefixing the file path with '<DRIVER>:', e.g. 'CSV:path'."
    )
    assert gdal_reason(exc, Path("/home/x/grids.geojson")) == "grids.geojson: not recognized"
