"""Fixtures of the bureau tests: a tiny synthetic bureau and one real Dask cluster.

``tiny_bureau`` is three synthetic stations of two to three grids (about a hundred
buildings in all) written once per session; ``cluster_client`` is a real
``distributed.LocalCluster`` with two single-threaded worker processes, started once for
the session when a test asks for it (starting one costs seconds); ``farmed`` is the
tiny bureau with station S02 broken, planned once on that cluster.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from patrol.planner import PlanParams

TINY_PARAMS = PlanParams(seed=0, max_iterations=40, time_limit_s=2.0)
"""Deterministic and small: a fixed routing iteration count and 2 s of CP-SAT work."""


@pytest.fixture(scope="session")
def tiny_bureau(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from patrol.scenario.synth.bureau import write_synthetic_bureau

    root = tmp_path_factory.mktemp("bureau") / "bureau"
    return write_synthetic_bureau(
        root, stations=3, min_grids=2, max_grids=3, buildings_per_grid=15, seed=1
    )


@pytest.fixture(scope="session")
def cluster_client() -> Iterator[Any]:
    from patrol.bureau.farm import close_client, start_client

    client, cluster = start_client(workers=2, scheduler=None)
    try:
        yield client
    finally:
        close_client(client, cluster)


def break_station(station: Path) -> None:
    """Cut the station's grids file short: it no longer reads as GeoJSON."""
    (station / "grids.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")


@pytest.fixture(scope="session")
def farmed(
    tiny_bureau: Path, cluster_client: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    from patrol.bureau.farm import plan_stations
    from patrol.bureau.folder import read_bureau

    root = tmp_path_factory.mktemp("farm")
    bureau = root / "bureau"
    shutil.copytree(tiny_bureau, bureau)
    break_station(bureau / "S02")
    lines: list[str] = []
    run = plan_stations(
        read_bureau(bureau),
        root / "out",
        params=TINY_PARAMS,
        client=cluster_client,
        maps=False,
        sheets=False,
        progress=lines.append,
    )
    return {"bureau": bureau, "out": root / "out", "run": run, "lines": lines, "root": root}
