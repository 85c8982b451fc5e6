"""Fixtures of the bureau tests: a tiny synthetic bureau and one real Dask cluster.

``tiny_bureau`` is three synthetic stations of two to three grids (about a hundred
buildings in all) written once per session; ``cluster_client`` is a real
``distributed.LocalCluster`` with two single-threaded worker processes, started once for
the module that asks for it (starting one costs seconds).
"""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Any]:
    from patrol.bureau.farm import close_client, start_client

    client, cluster = start_client(workers=2, scheduler=None)
    try:
        yield client
    finally:
        close_client(client, cluster)
