"""Page ⑤ Re-plan: choose a date (and shift), plan the rest of the week again with the
least change (:func:`patrol.revise.replan.replan_week`, kept as the plan's next revision),
see the changes and reprint only the changed sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from patrol.labels import Phrase, label, shift_label
from patrol.serve.labels import text
from patrol.serve.page_plan import status_line
from patrol.serve.station import Station

__all__ = ["changes_rows", "layout", "register", "start_replan"]


def start_replan(station: Station, day: str, shift: str | None, *, lang: str) -> bool:
    """Start re-planning the saved week from ``day`` (and ``shift``) in the worker thread;
    ``False`` while a run is going."""
    import datetime as dt

    from patrol.outputs import OutputOptions
    from patrol.revise.replan import replan_week
    from patrol.revise.revisions import write_revision
    from patrol.scenario.read import read_scenario

    week = station.week()
    folder = station.config.scenario
    out = station.config.out
    params = station.config.params

    def work(say: Any) -> Any:
        say(Phrase("progress.reading_scenario"))
        if week is None or folder is None:
            raise ValueError("no plan or no scenario")
        scenario = read_scenario(folder)
        cut = dt.date.fromisoformat(day)
        result = replan_week(week.plan, scenario, cut, shift=shift, params=params, progress=say)
        return write_revision(result, out, options=OutputOptions(lang=lang), progress=say)

    return station.job.start(work)


def changes_rows(out: Path) -> list[dict[str, Any]]:
    """The last re-plan's changes as ``changes.csv`` lists them (empty before any)."""
    import pandas as pd

    from patrol.revise.revisions import CHANGES_FILE

    path = out / CHANGES_FILE
    if not path.is_file():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    records: list[dict[str, Any]] = frame.to_dict(orient="records")  # type: ignore[assignment]
    return records


def results(station: Station, lang: str) -> Any:
    """The changes of the last re-plan and the changed sheets to print."""
    from dash import dash_table, html

    out = station.config.out
    rows = changes_rows(out)
    changed = sorted((out / "sheets" / "changed").rglob("*.pdf"))
    links = [
        html.Li(html.A(p.relative_to(out / "sheets" / "changed").as_posix(),
                       href="/files/out/" + p.relative_to(out).as_posix(),
                       download=p.name, className="download"))
        for p in changed
    ]  # fmt: skip
    table = (
        dash_table.DataTable(  # type: ignore[attr-defined]
            id="rp-changes",
            columns=[{"name": c, "id": c} for c in rows[0]],
            data=rows,
            page_size=25,
            style_cell={"textAlign": "left", "fontSize": "13px"},
        )
        if rows
        else html.P(text("plan.nothing", lang))
    )
    return html.Div([
        html.H3(text("rp.changes", lang, n=len(rows))), table,
        html.H3(text("rp.sheets", lang, n=len(changed))), html.Ul(links),
    ])  # fmt: skip


def layout(station: Station, lang: str) -> Any:
    """The Re-plan page (a note when there is no plan or no scenario)."""
    from dash import dcc, html

    week = station.week()
    if week is None or station.config.scenario is None:
        return html.P(text("plan.none" if week is None else "plan.no_scenario", lang))
    dates = sorted({s.date for s in week.plan.slots})
    shifts = list(dict.fromkeys(s.shift for s in week.plan.slots))
    day_options = [
        {"label": f"{d:%m-%d} {label(f'day.{d.weekday()}', lang)}", "value": d.isoformat()}
        for d in dates
    ]
    shift_options = [{"label": shift_label(s, lang), "value": s} for s in shifts]
    return html.Div([
        html.P(text("rp.what", lang)),
        html.Div([
            html.Span(text("rp.day", lang)),
            dcc.Dropdown(id="rp-day", options=day_options, value=day_options[-1]["value"],
                         clearable=False, style={"width": "160px"}),
            html.Span(text("rp.shift", lang)),
            dcc.Dropdown(id="rp-shift", options=shift_options, value=None,
                         style={"width": "140px"}),
            html.Button(text("rp.start", lang), id="rp-start"),
        ], className="tools"),
        html.Div(id="rp-msg", style={"fontWeight": "bold"}),
        html.Progress(id="rp-bar", max="100", value="0", style={"width": "60%"}),
        html.Div(id="rp-status"),
        dcc.Interval(id="rp-tick", interval=500),
        dcc.Store(id="rp-seen", data=station.job.snapshot().status),
        html.Div(id="rp-results", children=results(station, lang)),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Re-plan page's callbacks: start, and follow."""
    from dash import Input, Output, State, no_update

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("rp-msg", "children"),
        Input("rp-start", "n_clicks"),
        State("rp-day", "value"),
        State("rp-shift", "value"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def start(_n: int, day: str, shift: str | None, lang: str) -> str:
        if not start_replan(station, day, shift, lang=lang):
            return text("plan.busy", lang)
        return text("plan.started", lang)

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("rp-bar", "value"),
        Output("rp-status", "children"),
        Output("rp-results", "children"),
        Output("rp-seen", "data"),
        Input("rp-tick", "n_intervals"),
        State("rp-seen", "data"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def follow(_n: int, seen: str | None, lang: str) -> tuple[Any, ...]:
        state = station.job.snapshot()
        changed = state.status != seen and state.status != "running"
        if changed:
            station.week()  # take the new revision in
        shown = results(station, lang) if changed else no_update
        return str(round(100 * state.fraction)), status_line(state, lang), shown, state.status
