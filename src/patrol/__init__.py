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

    lines = [f"patrol {__version__}", f"python {platform.python_version()}",
             f"platform {platform.platform()}"]
    for name in ("geopandas", "shapely", "pyogrio", "pyproj", "networkx", "scipy", "ortools",
                 "pyvrp", "folium", "fpdf2", "matplotlib", "pandas", "numpy"):
        try:
            lines.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            lines.append(f"{name} (not installed)")
    return "\n".join(lines)


__all__ = ["__version__", "show_versions"]
