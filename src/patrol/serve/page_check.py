"""Page ⑦ Check: upload the week's check-ins and GPS tracks, measure what was really done
against the plan (:func:`patrol.actuals.importer.import_actuals`), and print the daily
spot-check list and the weekly follow-up (:func:`patrol.ledger.run.run_ledger`)."""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path
from typing import Any

from patrol.labels import Phrase
from patrol.serve.labels import text
from patrol.serve.page_plan import status_line
from patrol.serve.station import Station

__all__ = ["CheckOutcome", "layout", "register", "save_upload", "start_check"]

TRACK_SUFFIXES = (".gpx", ".geojson", ".json")
CHECKIN_SUFFIXES = (".csv", ".xlsx")


class CheckOutcome:
    """What a check run did: the import's counts and compliance, the reports written."""

    def __init__(self, imported: Any, written: list[Path]) -> None:
        self.imported = imported
        self.written = written


def save_upload(folder: Path, filename: str, contents: str) -> Path:
    """Write one uploaded file (a data URL) into ``folder`` under a safe name."""
    name = re.sub(r"[^\w.\-]+", "_", Path(filename).name).strip("._") or "upload"
    target = folder / name
    target.write_bytes(base64.b64decode(contents.split(",", 1)[1]))
    return target


def start_check(station: Station, files: list[Path], *, lang: str) -> bool:
    """Import the uploaded ``files`` (check-in tables, GPS tracks by their suffix) and
    write the ledger's reports, in the worker thread; ``False`` while a run is going."""
    from patrol.actuals.importer import import_actuals
    from patrol.ledger.run import run_ledger

    out = station.config.out
    checkins = [p for p in files if p.suffix.lower() in CHECKIN_SUFFIXES]
    tracks = [p for p in files if p.suffix.lower() in TRACK_SUFFIXES]

    def work(say: Any) -> CheckOutcome:
        imported = import_actuals(out, checkins=checkins, tracks=tracks, progress=say)
        say(Phrase("progress.check_lists"))
        run = run_ledger(out, lang=lang)
        return CheckOutcome(imported, run.written)

    return station.job.start(work)


def _summary(outcome: CheckOutcome, lang: str) -> str:
    s = outcome.imported.compliance.summary
    return text(
        "chk.summary", lang, checkins=outcome.imported.checkins, tracks=outcome.imported.tracks,
        done=f"{100 * s['stops_done_share']:.1f}", missed=f"{s['stops_missed']:.0f}",
        sweep=f"{100 * s['sweep_share']:.1f}",
    )  # fmt: skip


def results(station: Station, lang: str, outcome: CheckOutcome | None) -> Any:
    """The last check's figures and the ledger's reports to open or print."""
    from dash import html

    out = station.config.out
    reports = sorted((out / "ledger").glob("*.*")) if (out / "ledger").is_dir() else []
    links = [
        html.Li(html.A(p.name, href="/files/out/" + p.relative_to(out).as_posix(),
                       download=p.name, className="download"))
        for p in reports
    ]  # fmt: skip
    head = [html.P(_summary(outcome, lang), className="check-summary")] if outcome else []
    return html.Div([*head, html.H3(text("chk.reports", lang, n=len(reports))), html.Ul(links)])


def layout(station: Station, lang: str) -> Any:
    """The Check page (a note when there is no plan)."""
    from dash import dcc, html

    if station.week() is None:
        return html.P(text("plan.none", lang))
    return html.Div([
        html.P(text("chk.what", lang)),
        dcc.Upload(id="chk-upload", multiple=True, children=html.A(text("chk.upload", lang)),
                   style={"border": "1px dashed #888", "padding": "8px", "width": "420px",
                          "cursor": "pointer"}),
        html.Ul(id="chk-files"),
        html.Button(text("chk.start", lang), id="chk-start"),
        html.Div(id="chk-msg", style={"fontWeight": "bold"}),
        html.Progress(id="chk-bar", max="100", value="0", style={"width": "60%"}),
        html.Div(id="chk-status"),
        dcc.Interval(id="chk-tick", interval=500),
        dcc.Store(id="chk-seen", data=station.job.snapshot().status),
        html.Div(id="chk-results", children=results(station, lang, None)),
    ])  # fmt: skip


def register(app: Any, station: Station) -> None:
    """The Check page's callbacks: keep the uploads, start the check, follow it."""
    from dash import Input, Output, State, html, no_update

    uploads: dict[str, Any] = {"folder": None, "files": []}

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("chk-files", "children"),
        Input("chk-upload", "contents"),
        State("chk-upload", "filename"),
        prevent_initial_call=True,
    )
    def keep(contents: list[str] | None, names: list[str] | None) -> Any:
        folder = Path(tempfile.mkdtemp(prefix="patrol-uploads-"))
        files = [
            save_upload(folder, n, c) for n, c in zip(names or [], contents or [], strict=True)
        ]
        uploads.update(folder=folder, files=files)
        return [html.Li(p.name) for p in files]

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("chk-msg", "children"),
        Input("chk-start", "n_clicks"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def start(_n: int, lang: str) -> str:
        if not uploads["files"]:
            return text("chk.nothing", lang)
        if not start_check(station, list(uploads["files"]), lang=lang):
            return text("plan.busy", lang)
        return text("plan.started", lang)

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("chk-bar", "value"),
        Output("chk-status", "children"),
        Output("chk-results", "children"),
        Output("chk-seen", "data"),
        Input("chk-tick", "n_intervals"),
        State("chk-seen", "data"),
        State("lang", "value"),
        prevent_initial_call=True,
    )
    def follow(_n: int, seen: str | None, lang: str) -> tuple[Any, ...]:
        state = station.job.snapshot()
        changed = state.status != seen and state.status != "running"
        outcome = station.job.result if isinstance(station.job.result, CheckOutcome) else None
        shown = results(station, lang, outcome) if changed else no_update
        return str(round(100 * state.fraction)), status_line(state, lang), shown, state.status
