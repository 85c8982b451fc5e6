"""The top-level API: ``import patrol`` is light and every name it lists resolves."""

from __future__ import annotations

import importlib
import subprocess
import sys

import patrol


def test_every_listed_name_resolves() -> None:
    for name, module in patrol._API.items():
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
        assert getattr(patrol, name) is getattr(importlib.import_module(module), name)


def test_import_patrol_loads_no_solver_map_or_pdf_library() -> None:
    code = (
        "import sys, patrol; heavy = {'ortools', 'pyvrp', 'folium', 'fpdf', 'matplotlib',"
        " 'dask', 'distributed', 'dask_geopandas'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_show_versions_names_patrol_and_its_libraries() -> None:
    text = patrol.show_versions()
    assert text.splitlines()[0] == f"patrol {patrol.__version__}"
    assert "geopandas" in text and "pyvrp" in text


def test_planning_modules_load_no_dask() -> None:
    code = (
        "import sys, patrol.cli, patrol.outputs, patrol.planner, patrol.store.write;"
        "print(sorted({'dask', 'distributed', 'dask_geopandas'} & "
        "{m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
