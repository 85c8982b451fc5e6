"""Starting the station page: check the address and password, build the app, listen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from patrol.planner import PlanParams
from patrol.serve.access import check_access
from patrol.serve.station import ServeConfig, Station, resolve_folders

__all__ = ["make_server", "serve"]


def make_server(
    path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    out: str | Path | None = None,
    password_file: str | Path | None = None,
    lang: str = "zh",
    params: PlanParams | None = None,
) -> Any:
    """A ready WSGI server (werkzeug, one thread per request) for ``patrol serve PATH``.

    Raises
    ------
    InputError
        When ``host`` is not this machine and no password was set.
    """
    from werkzeug.serving import make_server as werkzeug_server

    from patrol.serve.app import create_app

    password_hash = check_access(host, password_file)
    scenario, out_dir = resolve_folders(path, out=out)
    config = ServeConfig(
        scenario=scenario,
        out=out_dir,
        lang=lang,
        password_hash=password_hash,
        params=params or PlanParams(),
    )
    app = create_app(Station(config))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return werkzeug_server(host, port, app.server, threaded=True)


def serve(server: Any, *, say: Callable[[str], None] = print) -> None:
    """Serve until interrupted, after saying the address to open."""
    host = server.host if ":" not in server.host else f"[{server.host}]"
    say(f"patrol serve: 打开 / open http://{host}:{server.port}/  (Ctrl+C 停止 / to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
