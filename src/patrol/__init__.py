"""patrol: plan a week of community-policing "1+1+N" patrols.

From grid polygons, buildings, the street network, incidents, cameras and the staff roster,
patrol forms the teams for every shift, routes them along the streets, measures coverage
and blind spots, and prints the route sheets. ``import patrol`` is light: solvers, maps and
PDF libraries load only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"


def show_versions() -> str:
    """Versions of patrol and the libraries it runs on, for bug reports."""
    import importlib.metadata as md
    import platform

    lines = [
        f"patrol {__version__}",
        f"python {platform.python_version()}",
        f"platform {platform.platform()}",
    ]
    for name in (
        "geopandas",
        "shapely",
        "pyogrio",
        "pyproj",
        "networkx",
        "scipy",
        "ortools",
        "pyvrp",
        "folium",
        "fpdf2",
        "matplotlib",
        "pandas",
        "numpy",
    ):
        try:
            lines.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            lines.append(f"{name} (not installed)")
    return "\n".join(lines)


# The public API, loaded on first use so that ``import patrol`` stays light.
_API = {
    "read_scenario": "patrol.scenario.read",
    "Scenario": "patrol.scenario.model",
    "Settings": "patrol.settings",
    "InputError": "patrol.errors",
    "PatrolError": "patrol.errors",
    "build_network": "patrol.network",
    "network_for": "patrol.network",
    "build_demand": "patrol.demand",
    "form_teams": "patrol.teams.form",
    "PlanParams": "patrol.planner",
    "plan_week": "patrol.planner",
    "Plan": "patrol.plan",
    "write_plan": "patrol.store.write",
    "read_plan": "patrol.store.read",
    "read_coverage": "patrol.store.read",
    "run_week": "patrol.outputs",
    "read_week": "patrol.outputs",
    "draw_week": "patrol.outputs",
    "OutputOptions": "patrol.outputs",
    "grid_table": "patrol.summary",
    "plan_summary": "patrol.summary",
    "measure_coverage": "patrol.coverage.measure",
    "tracks_from_points": "patrol.coverage.tracks",
    "measure_plan_coverage": "patrol.coverage.of_plan",
    "write_coverage": "patrol.store.write",
    "write_maps": "patrol.render.maps",
    "plan_map": "patrol.render.maps",
    "coverage_map": "patrol.render.maps",
    "write_sheets": "patrol.render.sheets",
    "write_synthetic_scenario": "patrol.scenario.synth",
    "import_chicago": "patrol.scenario.importers.chicago",
    "import_mesa": "patrol.scenario.importers.mesa",
    "describe_scenario": "patrol.render.report",
    "describe_plan": "patrol.render.report",
    "describe_coverage": "patrol.render.report",
}


def __getattr__(name: str) -> object:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'patrol' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = ["__version__", "show_versions", *_API]
