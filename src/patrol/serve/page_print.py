"""Page ④ Print: the route sheets to download (the chief's week, each day's team and
police copies, one team-shift on request) and the Excel and CSV exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from patrol.labels import label, shift_label
from patrol.serve.labels import text
from patrol.serve.station import Station

__all__ = ["layout", "register", "team_options"]


def _link(out: Path, path: Path, caption: str) -> Any:
    from dash import html

    href = "/files/out/" + path.relative_to(out).as_posix()
    return html.Li(html.A(caption, href=href, download=path.name, className="download"))


def team_options(week: Any, lang: str) -> list[dict[str, Any]]:
    """One choice per route: date, day, shift, team and its members."""
    options = []
    for i, route in enumerate(week.plan.routes):
        slot = route.team.slot
        members = "、".join(m.name for m in route.team.members)
        caption = (
            f"{slot.date:%m-%d} {label(f'day.{slot.date.weekday()}', lang)} "
            f"{shift_label(slot.shift, lang)} {route.team.team_id}（{members}）"
        )
        options.append({"label": caption, "value": i})
    return options


def layout(station: Station, lang: str) -> Any:
    """The Print page (a note when there is no plan yet)."""
    from dash import dcc, html

    out = station.config.out
    sheets = out / "sheets"
    week = station.week()
    if week is None or not (sheets / "week.pdf").is_file():
        return html.P(text("plan.none", lang))
    days = sorted(sheets.glob("*.pdf"))
    day_links = []
    for pdf in days:
        if pdf.name == "week.pdf":
            continue
        police = sheets / "police" / pdf.name
        day_links.append(_link(out, pdf, f"{pdf.stem} {text('print.team_copy', lang)}"))
        if police.is_file():
            day_links.append(_link(out, police, f"{pdf.stem} {text('print.police_copy', lang)}"))
    tables = [p for p in [out / "plan.xlsx", *sorted(out.glob("*.csv"))] if p.is_file()]
    return html.Div([
        html.Ul([_link(out, sheets / "week.pdf", text("print.week", lang))]),
        html.H3(text("print.days", lang)),
        html.Ul(day_links),
        html.H3(text("print.teams", lang)),
        html.Span(text("print.team_pick", lang)),
        dcc.Dropdown(id="print-team", options=team_options(week, lang), value=0,
                     clearable=False, style={"width": "640px"}),
        html.Ul([
            html.Li(html.A(text("print.team_copy", lang), id="print-team-link", href="",
                           className="download")),
            html.Li(html.A(text("print.police_copy", lang), id="print-police-link", href="",
                           className="download")),
        ]),
        html.H3(text("print.excel", lang)),
        html.Ul([_link(out, p, p.name) for p in tables]),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Print page's callback: the per-team links follow the choice."""
    from dash import Input, Output, State

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("print-team-link", "href"),
        Output("print-police-link", "href"),
        Input("print-team", "value"),
        State("lang", "value"),
    )
    def links(index: int | None, lang: str) -> tuple[str, str]:
        i = int(index or 0)
        return f"/sheet/{i}?copy=team&lang={lang}", f"/sheet/{i}?copy=police&lang={lang}"
