"""The one palette of maps, sheets and figures: colours and line styles, written once.

Web maps (:mod:`patrol.render.maps`) use colour; the print map (:mod:`patrol.render.figure`)
and the sheets (:mod:`patrol.render.sheets`) must read on a grey photocopy, so they lean on
shapes and greys and use colour only to help. Both sides share the blind-spot red and the
risk scale, so a chief sees the same meaning on screen and on paper.
"""

from __future__ import annotations

__all__ = [
    "BEAT_COLOURS",
    "RISK_COLOURS",
    "RISK_FILL",
    "STATUS_COLOURS",
    "TEAM_COLOURS",
    "WALKED_RAMP",
    "walked_colour",
]

# ------------------------------------------------------------------ web maps (colour)

#: grid fill by coverage status (see :func:`patrol.render.maps.grid_status`)
STATUS_COLOURS = {"met": "#74c476", "short": "#fdae6b", "uncovered": "#de2d26"}
#: grid fill by risk level
RISK_COLOURS = {"green": "#1a9641", "yellow": "#f4d03f", "orange": "#f39c12", "red": "#d7191c"}
#: one colour per team of a shift, in a beat's team order
# fmt: off
TEAM_COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
    "#8c564b", "#e377c2", "#393b79", "#bcbd22", "#637939", "#7f7f7f",
)
# fmt: on
BEAT_COLOUR = "#2b2b2b"
STREET_COLOUR = "#9a9a9a"
NEVER_WALKED_COLOUR = "#8c8c8c"
NIGHT_WALKED_COLOUR = "#54278f"
WEEK_BLIND_COLOUR = "#e31a1c"
NIGHT_BLIND_COLOUR = "#3f007d"
CAMERA_COLOUR = "#1b9e77"
POST_COLOUR = "#08519c"
UNSERVED_COLOUR = "#111111"
GRID_EDGE_COLOUR = "#555555"
#: streets by how often they are walked in the week: 1, 2, 3–5, 6 or more
WALKED_RAMP = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")


def walked_colour(count: float) -> str:
    """The :data:`WALKED_RAMP` colour of a street walked ``count`` times in the week."""
    for threshold, colour in ((6, WALKED_RAMP[3]), (3, WALKED_RAMP[2]), (2, WALKED_RAMP[1])):
        if count >= threshold:
            return colour
    return WALKED_RAMP[0]


# ------------------------------------------------------------------ print (grey first)

#: pale risk tints behind the overview print map
RISK_FILL = {"green": "#e8f4e4", "yellow": "#fbf5d0", "orange": "#fbe5d2", "red": "#f7d4cf"}
#: route colours of the overview print map, one per beat
# fmt: off
BEAT_COLOURS = (
    "#1b4f9c", "#b2461d", "#2d7d32", "#6a3d9a", "#8c6d1f", "#00707a", "#a0245e", "#4d4d4d",
)
# fmt: on
#: blind-spot hatching on print maps and its key on the sheets
PRINT_BLIND = "#b2182b"
PRINT_BLIND_RGB = (178, 24, 43)
PRINT_STREET = "#a6a6a6"
PRINT_GRID_EDGE = "#444444"
#: dashes of a walk between stops (matplotlib on-off in points)
TRANSIT_DASH = (0, (4, 2.5))

# PDF text and rules, as RGB
BLACK = (0, 0, 0)
DARK = (55, 55, 55)
GREY = (120, 120, 120)
HEADER_FILL = (225, 225, 225)
CLOCK_GREY = (170, 170, 170)
