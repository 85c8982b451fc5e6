"""Offline map assets: Leaflet and its plugins inlined into the HTML from installed packages.

Police networks are often cut off from the internet, so a map must open from a file with
no request leaving the machine. folium links every script and style sheet from a CDN;
:func:`make_offline` walks a map's elements, drops the links and puts the same libraries
inline, read from packages that ship them (``xstatic-leaflet``,
``xstatic-leaflet-markercluster``, and folium's own copy of ``leaflet-heat``). Images that
a style sheet refers to (``url(images/layers.png)``) become ``data:`` URIs.

folium's jQuery, Bootstrap and Font Awesome serve its marker icons and popups styled by
Bootstrap; our vector layers, CircleMarkers and DivIcons need none of them, so they are
dropped. A link this module does not know raises an error rather than slipping through.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["ASSETS", "asset_text", "make_offline"]

# package -> {folium link name: file of the local copy}
_FILES: dict[str, dict[str, str]] = {
    "xstatic.pkg.leaflet": {"leaflet": "leaflet.js", "leaflet_css": "leaflet.css"},
    "xstatic.pkg.leaflet_markercluster": {
        "markerclusterjs": "leaflet.markercluster.js",
        "markerclustercss": "MarkerCluster.css",
        "markerclusterdefaultcss": "MarkerCluster.Default.css",
    },
    "folium": {"leaflet-heat.js": "templates/leaflet_heat.min.js"},
}
#: folium link name -> (package, file) of the local copy
ASSETS: dict[str, tuple[str, str]] = {
    name: (package, file) for package, files in _FILES.items() for name, file in files.items()
}

# folium links that vector maps do not need
DROPPED = frozenset(
    {
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)

T = TypeVar("T")

_CSS_URL = re.compile(r"url\((['\"]?)(?!data:)([^)'\"]+)\1\)")


def _package_dir(package: str) -> Path:
    import importlib

    module = importlib.import_module(package)
    base = getattr(module, "BASE_DIR", None)
    return Path(base) if base else Path(str(module.__file__)).parent


@functools.cache
def asset_text(name: str) -> str:
    """The text of the local copy of folium's asset ``name`` (style sheets with their
    images inlined).

    Raises
    ------
    KeyError
        When ``name`` is not a known asset.
    """
    package, file = ASSETS[name]
    path = _package_dir(package) / file
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        text = _inline_css_urls(text, path.parent)
    return text


def _inline_css_urls(css: str, base: Path) -> str:
    """Replace relative ``url(...)`` references in ``css`` by ``data:`` URIs."""

    def repl(match: re.Match[str]) -> str:
        target = base / match.group(2)
        if not target.exists():
            return match.group(0)
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _CSS_URL.sub(repl, css)


def _walk(element: Any) -> list[Any]:
    found = [element]
    for child in element._children.values():
        found.extend(_walk(child))
    return found


def make_offline(m: T) -> T:
    """Inline every script and style sheet a folium map links to; return the map.

    Call after all layers are added (again if more are added later). The libraries go
    into the page header once each, in the order folium would have linked them.

    Raises
    ------
    ValueError
        When an element links an asset with no local copy here.
    """
    from branca.element import Element

    figure: Any = m.get_root()  # type: ignore[attr-defined]
    scripts: dict[str, str] = {}
    styles: dict[str, str] = {}
    for element in _walk(m):
        for attr, bucket in (("default_js", scripts), ("default_css", styles)):
            links = getattr(element, attr, None)
            if not links:
                continue
            for name, url in links:
                if name in DROPPED:
                    continue
                if name not in ASSETS:
                    raise ValueError(
                        f"{type(element).__name__} links {name!r} ({url}), which has no "
                        "offline copy in patrol.render.assets; add it to ASSETS or drop it."
                    )
                bucket.setdefault(name, asset_text(name))
            setattr(element, attr, [])
    for name, text in styles.items():
        figure.header.add_child(Element(f"<style>{text}</style>"), name=f"inline_{name}")
    for name, text in scripts.items():
        figure.header.add_child(Element(f"<script>{text}</script>"), name=f"inline_{name}")
    return m
