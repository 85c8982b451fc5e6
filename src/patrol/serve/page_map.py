"""Page ③ Map: the plan's own offline maps (routes and teams, or coverage and blind
spots), each with its day-and-shift selector, shown from the output folder."""

from __future__ import annotations

from typing import Any

from patrol.serve.labels import text
from patrol.serve.station import Station

__all__ = ["MAPS", "layout", "register"]

#: the map choices: value -> file under the output folder
MAPS = {"plan": "maps/plan.html", "coverage": "maps/coverage.html"}


def layout(station: Station, lang: str) -> Any:
    """The Map page (a note when there is no plan yet)."""
    from dash import dcc, html

    if not (station.config.out / MAPS["plan"]).is_file():
        return html.P(text("plan.none", lang))
    options = [{"label": text(f"map.{k}", lang), "value": k} for k in MAPS]
    return html.Div([
        html.Span(text("map.which", lang)),
        dcc.RadioItems(id="map-which", options=options, value="plan", inline=True),
        html.P(text("map.hint", lang), style={"color": "#555", "margin": "4px 0"}),
        html.Iframe(id="map-frame", src="/files/out/" + MAPS["plan"],
                    style={"width": "100%", "height": "78vh", "border": "1px solid #ccc"}),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Map page's callback: switch the map shown."""
    from dash import Input, Output

    @app.callback(Output("map-frame", "src"), Input("map-which", "value"))  # type: ignore[misc,untyped-decorator]
    def choose(which: str) -> str:
        return "/files/out/" + MAPS.get(which, MAPS["plan"])
