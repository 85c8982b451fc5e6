"""Page ⑥ Compare: two revisions of the plan side by side
(:func:`patrol.revise.compare.compare_plans`): each figure in plan A, plan B and the
difference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from patrol.serve.labels import text
from patrol.serve.station import Station

__all__ = ["compare_revisions", "layout", "register", "revision_choices"]


def revision_choices(out: Path, lang: str) -> list[dict[str, Any]]:
    """One choice per revision of the plan in ``out`` (the last is the current plan)."""
    from patrol.revise.revisions import read_revisions

    choices = []
    for entry in read_revisions(out):
        number = int(entry["revision"])
        since = entry.get("from") or ""
        caption = text("cmp.revision", lang, n=number) + (f"（{since}）" if since else "")
        choices.append({"label": caption, "value": number})
    return choices


def compare_revisions(out: Path, a: int, b: int, *, lang: str) -> list[dict[str, Any]]:
    """The figures of revisions ``a`` and ``b`` of ``out`` side by side."""
    from patrol.outputs import read_week
    from patrol.revise.compare import compare_plans, comparison_rows
    from patrol.revise.revisions import read_revisions, revision_folder

    last = int(read_revisions(out)[-1]["revision"])

    def folder(n: int) -> Path:
        return out if n == last else revision_folder(out, n)

    return comparison_rows(compare_plans(read_week(folder(a)), read_week(folder(b))), lang=lang)


def layout(station: Station, lang: str) -> Any:
    """The Compare page (a note while the plan has one revision only)."""
    from dash import dcc, html

    if station.week() is None:
        return html.P(text("plan.none", lang))
    choices = revision_choices(station.config.out, lang)
    if len(choices) < 2:
        return html.P(text("cmp.one", lang))
    return html.Div([
        html.Div([
            html.Span(text("cmp.a", lang)),
            dcc.Dropdown(id="cmp-a", options=choices, value=choices[-2]["value"],
                         clearable=False, style={"width": "220px"}),
            html.Span(text("cmp.b", lang)),
            dcc.Dropdown(id="cmp-b", options=choices, value=choices[-1]["value"],
                         clearable=False, style={"width": "220px"}),
            html.Button(text("cmp.go", lang), id="cmp-go"),
        ], className="tools"),
        html.Div(id="cmp-results"),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Compare page's callback."""
    from dash import Input, Output, State, dash_table

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("cmp-results", "children"),
        Input("cmp-go", "n_clicks"),
        State("cmp-a", "value"),
        State("cmp-b", "value"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def compare(_n: int, a: int, b: int, lang: str) -> Any:
        rows = compare_revisions(station.config.out, int(a), int(b), lang=lang)
        return dash_table.DataTable(  # type: ignore[attr-defined]
            id="cmp-table",
            columns=[{"name": c, "id": c} for c in (rows[0] if rows else {})],
            data=rows, style_cell={"textAlign": "left", "fontSize": "13px"},
        )  # fmt: skip
