"""The Dash app: the page shell, its pages, and the plain routes that send files.

Everything the browser loads comes from this server: Dash serves its own scripts
(``serve_locally``), the maps are the plan's offline HTML files, and no tile layer is
added, so a page makes no request beyond its own address. With a password set, every
route but ``/login`` needs the login cookie.
"""

from __future__ import annotations

import html as html_text
import secrets
import time
from pathlib import Path
from typing import Any

from patrol.serve.access import safe_file, verify_password
from patrol.serve.labels import text
from patrol.serve.station import Station

__all__ = ["create_app", "team_sheet_pdf"]

PAGES = ("/", "/plan", "/map", "/print", "/replan", "/compare", "/check")
_NAV = (
    "nav.scenario", "nav.plan", "nav.map", "nav.print", "nav.replan", "nav.compare", "nav.check",
)  # fmt: skip
_STYLE = {"fontFamily": "sans-serif"}


def create_app(station: Station) -> Any:
    """A Dash app for ``station`` (its Flask server is ``app.server``)."""
    import dash
    import dash_leaflet  # noqa: F401  (component libraries load before the app is made)
    from dash import Input, Output, State, dcc, no_update
    from flask import Flask

    from patrol.serve import (
        page_check,
        page_compare,
        page_map,
        page_plan,
        page_print,
        page_replan,
        page_scenario,
    )

    server = Flask("patrol.serve")
    server.secret_key = secrets.token_bytes(32)
    server.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)
    _add_routes(server, station)
    app = dash.Dash(
        "patrol.serve",
        server=server,  # type: ignore[arg-type]
        title="patrol",
        update_title=None,  # type: ignore[arg-type]
        suppress_callback_exceptions=True,
        serve_locally=True,
        assets_folder=str(Path(__file__).parent / "assets"),
    )
    renderers = {
        "/": page_scenario.layout,
        "/plan": page_plan.layout,
        "/map": page_map.layout,
        "/print": page_print.layout,
        "/replan": page_replan.layout,
        "/compare": page_compare.layout,
        "/check": page_check.layout,
    }

    def render(pathname: str | None, lang: str | None) -> tuple[Any, Any, str]:
        lang = lang if lang in ("zh", "en") else "zh"
        path = pathname if pathname in renderers else "/"
        nav = [
            dcc.Link(text(key, lang), href=href, className="nav-current" if href == path else "nav")
            for key, href in zip(_NAV, PAGES, strict=True)
        ]
        title = text("app.title", lang, station=_station(station))
        return renderers[path](station, lang), nav, title

    def first_layout() -> Any:
        """The shell with the asked-for page already in it (the page's address is the
        layout request's referrer), so the first view needs no second round trip."""
        from urllib.parse import urlparse

        from flask import has_request_context, request

        referrer = request.referrer if has_request_context() else None
        path = urlparse(referrer).path if referrer else "/"
        return _shell(station, render(path, station.config.lang), path)

    app.layout = first_layout

    @app.callback(  # type: ignore[misc,untyped-decorator]
        Output("page", "children"),
        Output("nav", "children"),
        Output("title", "children"),
        Output("shown", "data"),
        Input("url", "pathname"),
        Input("lang", "value"),
        State("shown", "data"),
    )
    def show_page(pathname: str | None, lang: str | None, shown: Any) -> tuple[Any, ...]:
        if shown == [pathname, lang]:  # already drawn by the layout
            return no_update, no_update, no_update, no_update
        return (*render(pathname, lang), [pathname, lang])

    pages = (
        page_scenario, page_plan, page_map, page_print, page_replan, page_compare, page_check,
    )  # fmt: skip
    for page in pages:
        page.register(app, station)
    return app


def _shell(station: Station, first: tuple[Any, Any, str], path: str) -> Any:
    """The page frame: title, the four pages' links, the language switch, and the first
    page drawn (``first``: its content, links and title)."""
    from dash import dcc, html

    languages = [{"label": text(f"lang.{k}"), "value": k} for k in ("zh", "en")]
    head = html.Div(
        [
            html.H2(first[2], id="title"),
            html.Span(first[1], id="nav"),
            dcc.RadioItems(
                id="lang", options=languages, value=station.config.lang, inline=True,
                persistence=True, persistence_type="local",
                inputStyle={"marginLeft": "10px"}, style={"color": "#fff"},
            ),
        ],
        className="shell-head",
    )  # fmt: skip
    return html.Div(
        [
            dcc.Location(id="url"),
            dcc.Store(id="shown", data=[path, station.config.lang]),
            head,
            html.Div(first[0], id="page", className="shell-body"),
        ],
        style=_STYLE,
    )


def _station(station: Station) -> str:
    check = station.check()
    if check.scenario is not None:
        return str(check.scenario.settings.station)
    week = station.week()
    return str(week.plan.scenario.settings.station) if week is not None else ""


def _add_routes(server: Any, station: Station) -> None:
    """The login guard, the login page, the file routes and the per-team sheets."""
    from flask import Response, redirect, request, send_file, session

    hashed = station.config.password_hash

    @server.before_request  # type: ignore[misc,untyped-decorator]
    def require_login() -> Any:
        own = {"/files/": "send_folder_file", "/sheet/": "send_team_sheet"}
        for prefix, endpoint in own.items():  # nothing else answers under these paths
            if request.path.startswith(prefix) and request.endpoint != endpoint:
                return Response(text("refused") + " / " + text("refused", "en"), status=404)
        if hashed is None or session.get("patrol_ok") or request.path == "/login":
            return None
        if request.path.startswith("/_dash") or request.method != "GET":
            return Response("login required / 请先登录", status=401)
        return redirect("/login")

    @server.route("/login", methods=["GET", "POST"])  # type: ignore[misc,untyped-decorator]
    def login() -> Any:
        if hashed is None:
            return redirect("/")
        wrong = False
        if request.method == "POST":
            if verify_password(request.form.get("password", ""), hashed):
                session["patrol_ok"] = True
                return redirect("/")
            time.sleep(1.0)  # slows guessing
            wrong = True
        return Response(_login_page(wrong), status=401 if wrong else 200, mimetype="text/html")

    @server.route("/files/<root>/<path:relative>")  # type: ignore[misc,untyped-decorator]
    def send_folder_file(root: str, relative: str) -> Any:
        folders = {"out": station.config.out, "scenario": station.config.scenario}
        folder = folders.get(root)
        found = safe_file(folder, relative) if folder is not None else None
        if found is None:
            return Response(text("refused") + " / " + text("refused", "en"), status=404)
        return send_file(found, download_name=found.name)

    @server.route("/sheet/<int:index>")  # type: ignore[misc,untyped-decorator]
    def send_team_sheet(index: int) -> Any:
        week = station.week()
        copy = "police" if request.args.get("copy") == "police" else "team"
        lang = "en" if request.args.get("lang") == "en" else "zh"
        if week is None or not 0 <= index < len(week.plan.routes):
            return Response(text("refused") + " / " + text("refused", "en"), status=404)
        name, data = team_sheet_pdf(week, index, copy=copy, lang=lang)
        return Response(
            data,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _login_page(wrong: bool) -> str:
    esc = html_text.escape
    message = (
        f"<p style='color:#b00'>{esc(text('login.wrong'))} {esc(text('login.wrong', 'en'))}</p>"
    )
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>{esc(text('login.title'))}</title></head>"
        "<body style='font-family:sans-serif;margin:40px'>"
        f"<h2>{esc(text('login.title'))} / {esc(text('login.title', 'en'))}</h2>"
        f"{message if wrong else ''}"
        "<form method='post' action='/login'>"
        f"<label>{esc(text('login.password'))} / {esc(text('login.password', 'en'))} "
        "<input type='password' name='password' autofocus></label> "
        f"<button type='submit'>{esc(text('login.submit'))}</button></form></body></html>"
    )


def team_sheet_pdf(
    week: Any, index: int, *, copy: str = "team", lang: str = "zh"
) -> tuple[str, bytes]:
    """The route sheet of the plan's route ``index`` alone, as a PDF (file name, bytes):
    the team copy or the police copy, printed from the saved plan on request."""
    import dataclasses
    import tempfile

    from patrol.render.sheets import write_sheets

    route = week.plan.routes[index]
    one = dataclasses.replace(week.plan, routes=[route])
    with tempfile.TemporaryDirectory(prefix="patrol-sheet-") as tmp:
        written = write_sheets(one, tmp, coverage=week.coverage, lang=lang, split=True)
        parent = "police" if copy == "police" else "sheets"
        pdf = next(p for p in written if p.name != "week.pdf" and p.parent.name == parent)
        return pdf.name, pdf.read_bytes()
