"""Page ② Plan: start a run, watch its stages on a progress bar, then read the headline
figures, the staffing gaps and the unserved tasks with their reasons."""

from __future__ import annotations

from typing import Any

from patrol.labels import label, shift_label
from patrol.serve.jobs import STAGES, JobState
from patrol.serve.labels import text
from patrol.serve.station import Station

__all__ = ["headline_rows", "layout", "register"]

_TABLE = {"borderCollapse": "collapse", "fontSize": "13px", "margin": "6px 0"}


def headline_rows(week: Any, lang: str) -> list[tuple[str, str]]:
    """The plan's headline figures as (label, value) rows."""
    from patrol.summary import plan_summary

    s = plan_summary(week.plan)
    return [
        (text("plan.met", lang), f"{100 * s['weighted_demand_met']:.1f}%"),
        (text("plan.bound", lang), f"{100 * s['weighted_demand_upper_bound']:.1f}%"),
        (text("plan.routes", lang), str(s["routes"])),
        (text("plan.teams", lang), str(s["teams"])),
        (text("plan.sweeps", lang), f"{s['sweeps_planned']:g} / {s['sweeps_required']}"),
        (text("plan.visits", lang), f"{s['visits_planned']} / {s['visits_due']}"),
        (text("plan.walk", lang), f"{s['walk_km']:.1f}"),
    ]


def _table(head: list[str], rows: list[list[str]], css: str, lang: str = "zh") -> Any:
    from dash import html

    if not rows:
        return html.P(text("plan.nothing", lang), className=css)
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in head])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        className=css,
        style=_TABLE,
    )


def results(station: Station, lang: str) -> Any:
    """Headline figures, staffing gaps and unserved tasks of the saved plan."""
    from dash import html

    week = station.week()
    if week is None:
        return html.P(text("plan.none", lang))
    plan = week.plan
    reason = "reason_en" if lang == "en" else "reason_zh"
    gaps = [
        [
            f"{g.slot.date:%m-%d} {label(f'day.{g.slot.date.weekday()}', lang)}",
            shift_label(g.slot.shift, lang),
            g.beat_id,
            getattr(g, reason),
        ]
        for g in plan.team_plan.gaps
    ]
    unserved = [
        [label("kind." + u.task.kind, lang), u.task.grid_id, getattr(u, reason)]
        for u in plan.unserved
    ]
    cols = [text(f"plan.col.{k}", lang) for k in ("date", "shift", "beat", "reason")]
    unserved_head = [text("plan.col.kind", lang), label("grid", lang), cols[-1]]
    return html.Div([
        html.H3(text("plan.headline", lang)),
        _table(["", ""], [list(r) for r in headline_rows(week, lang)], "headline", lang),
        html.H3(text("plan.gaps", lang, n=len(gaps))),
        _table(cols, gaps, "gaps", lang),
        html.H3(text("plan.unserved", lang, n=len(unserved))),
        _table(unserved_head, unserved, "unserved", lang),
    ])  # fmt: skip


def status_line(state: JobState, lang: str) -> str:
    """One line saying where the run is."""
    if state.status == "running":
        stage = STAGES[min(state.stage, len(STAGES) - 1)][0]
        return text(
            "plan.running",
            lang,
            stage=text(f"stage.{stage}", lang),
            seconds=f"{state.elapsed_s:.0f}",
        )
    if state.status == "done":
        return text("plan.done", lang, seconds=f"{state.elapsed_s:.0f}")
    if state.status == "failed":
        return (
            text("plan.failed", lang) + " " + (state.error_en if lang == "en" else state.error_zh)
        )
    return text("plan.idle", lang)


def stage_list(state: JobState, lang: str) -> Any:
    """The stages in order, the finished ones ticked."""
    from dash import html

    items = []
    for i, (key, _) in enumerate(STAGES):
        done = state.status == "done" or i < state.stage
        now = state.status == "running" and i == state.stage
        mark = "✓ " if done else ("▶ " if now else "")
        items.append(
            html.Li(mark + text(f"stage.{key}", lang), className="done" if done else "todo")
        )
    return html.Ol(items, className="stages", style={"columns": 3})


def layout(station: Station, lang: str) -> Any:
    """The Plan page."""
    from dash import dcc, html

    state = station.job.snapshot()
    draft = station.draft
    notes = []
    if station.config.scenario is None:
        notes.append(html.P(text("plan.no_scenario", lang)))
    elif draft is not None and (draft.changed or draft.removed):
        notes.append(html.P(text("plan.unsaved", lang), style={"color": "#b05000"}))
    return html.Div([
        *notes,
        html.Span(text("plan.time_limit", lang)),
        dcc.Input(id="plan-limit", type="number", min=1, step=1, value=None,
                  style={"width": "80px"}),
        html.Button(text("plan.start", lang), id="plan-start",
                    disabled=station.config.scenario is None, style={"marginLeft": "12px"}),
        html.Div(id="plan-msg", style={"margin": "6px 0", "fontWeight": "bold"}),
        html.Progress(id="plan-bar", max="100", value=str(round(100 * state.fraction)),
                      style={"width": "60%", "height": "22px"}),
        html.Div(id="plan-status", children=status_line(state, lang)),
        html.Div(id="plan-stages", children=stage_list(state, lang)),
        dcc.Interval(id="plan-tick", interval=500),
        dcc.Store(id="plan-seen", data=state.status),
        html.Div(id="plan-results", children=results(station, lang)),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Plan page's callbacks: start a run, and follow it."""
    from dash import Input, Output, State, no_update

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("plan-msg", "children"),
        Input("plan-start", "n_clicks"),
        State("plan-limit", "value"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def start(_n: int, limit: float | None, lang: str) -> str:
        if station.config.scenario is None:
            return text("plan.no_scenario", lang)
        if not station.start_plan(lang=lang, time_limit_s=limit):
            return text("plan.busy", lang)
        return text("plan.started", lang)

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("plan-bar", "value"),
        Output("plan-status", "children"),
        Output("plan-stages", "children"),
        Output("plan-results", "children"),
        Output("plan-seen", "data"),
        Input("plan-tick", "n_intervals"),
        State("plan-seen", "data"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def follow(_n: int, seen: str | None, lang: str) -> tuple[Any, ...]:
        state = station.job.snapshot()
        changed = state.status != seen
        shown = results(station, lang) if changed and state.status != "running" else no_update
        return (
            str(round(100 * state.fraction)),
            status_line(state, lang),
            stage_list(state, lang),
            shown,
            state.status,
        )
