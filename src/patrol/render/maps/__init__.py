"""Interactive maps of a week's plan and of its coverage, that open with no network.

Two pages, written by :func:`write_maps` (:mod:`.write`): ``plan.html``
(:func:`plan_map`, :mod:`.plan`) and ``coverage.html`` (:func:`coverage_map`,
:mod:`.coverage`). Both carry a title (station, week, and the generated time or the plan
id), a legend, a scale bar and tooltips on grids; every word comes from
:mod:`patrol.labels` (Chinese by default, ``lang="en"``). Focus households appear only as
counts and categories, never by name.

- :mod:`.display` makes geometry and words ready for Leaflet (lon/lat, rounded, escaped);
- :mod:`.elements` holds our folium elements, the style sheet, the legend and
  :func:`~.elements.stable_ids`, which makes the same plan give the same bytes;
- :mod:`.layers` the parts both pages share (base map, grids, beats, streets, posts).

Offline: Leaflet and its plugins are inlined (:mod:`patrol.render.assets`); there is no
tile layer unless ``tiles`` asks for one (:mod:`patrol.render.basemaps`) – the streets,
drawn light, are the base map. Geometry is simplified to about a metre and coordinates are
rounded to 5 decimals (about 1 m) to keep a station's week to a few megabytes.
"""

from __future__ import annotations

from patrol.render.maps.coverage import coverage_map
from patrol.render.maps.layers import grid_status
from patrol.render.maps.plan import plan_map
from patrol.render.maps.write import write_maps
from patrol.render.style import RISK_COLOURS, STATUS_COLOURS, TEAM_COLOURS

__all__ = [
    "RISK_COLOURS",
    "STATUS_COLOURS",
    "TEAM_COLOURS",
    "coverage_map",
    "grid_status",
    "plan_map",
    "write_maps",
]
