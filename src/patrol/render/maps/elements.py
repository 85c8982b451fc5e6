"""Our folium elements, the page's style sheet, the legend, and stable element ids.

folium names every element ``<kind>_<random hex>`` and writes those names into the page,
so two renderings of one plan would differ. :func:`stable_ids` gives the elements made
inside it the ids ``00000001``, ``00000002``, ... in the order they are made: a map built
and rendered inside it is the same text in every run and every process.

The elements: :class:`Control` (fixed HTML in a corner: title, legend, ranked list),
:class:`Markers` (many DivIcon markers from one compact JSON array, optionally clustered)
and :class:`ShiftRoutes` (the routes of one shift at a time, with a selector).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from patrol.labels import label
from patrol.render.maps.display import esc, js_json
from patrol.render.style import POST_COLOUR, UNSERVED_COLOUR, WEEK_BLIND_COLOUR

__all__ = ["CSS", "Control", "Markers", "ShiftRoutes", "legend_html", "stable_ids"]

# ------------------------------------------------------------------ stable ids

_IDS: ContextVar[Iterator[int] | None] = ContextVar("patrol_map_ids", default=None)
_random_id = Element._generate_id


def _next_id(cls: type) -> str:
    ids = _IDS.get()
    return _random_id() if ids is None else format(next(ids), "08x")


Element._generate_id = classmethod(_next_id)  # type: ignore[method-assign,assignment]


@contextlib.contextmanager
def stable_ids() -> Iterator[None]:
    """Number the folium elements made inside (in order), instead of random ids.

    Nested uses share the outer numbering, so a map built by :func:`plan_map` inside
    :func:`write_maps` keeps one sequence for building and rendering.
    """
    if _IDS.get() is not None:
        yield
        return
    token = _IDS.set(itertools.count(1))
    try:
        yield
    finally:
        _IDS.reset(token)


# ------------------------------------------------------------------ style sheet

_FONT = '"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif'
_BADGE = "color: #fff; text-align: center; border: 1.5px solid #fff;"
CSS = f"""
html .leaflet-container {{ background: #f6f5f0; font-family: {_FONT}; }}
.patrol-panel {{ background: rgba(255,255,255,.95); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 5px rgba(0,0,0,.35); font: 13px/1.45 {_FONT}; color: #222;
  max-width: 340px; }}
.patrol-title h1 {{ font-size: 16px; margin: 0 0 2px 0; }}
.patrol-title div {{ font-size: 12px; color: #555; }}
.patrol-legend {{ font-size: 12px; max-height: 46vh; overflow-y: auto; }}
.patrol-legend h4 {{ margin: 6px 0 2px 0; font-size: 12px; }}
.patrol-legend i {{ display: inline-block; width: 14px; height: 12px; margin-right: 6px;
  vertical-align: -1px; border: 1px solid rgba(0,0,0,.35); }}
.patrol-legend i.line {{ height: 0; border: 0; border-top-width: 3px;
  border-top-style: solid; vertical-align: 3px; }}
.patrol-shifts select {{ font-size: 13px; max-width: 230px; }}
.patrol-shifts button {{ font-size: 12px; margin-left: 2px; }}
.patrol-shifts ul {{ list-style: none; padding: 0; margin: 4px 0 0 0; font-size: 12px; }}
.patrol-shifts li i {{ display: inline-block; width: 18px; height: 4px; margin-right: 6px;
  vertical-align: 3px; }}
.patrol-stop span {{ display: block; width: 18px; height: 18px; border-radius: 9px;
  font: bold 11px/18px sans-serif; {_BADGE} box-shadow: 0 0 2px rgba(0,0,0,.6); }}
.patrol-post span {{ display: block; width: 20px; height: 20px; border-radius: 3px;
  background: {POST_COLOUR}; font: bold 12px/20px {_FONT}; {_BADGE}
  box-shadow: 0 0 3px rgba(0,0,0,.6); }}
.patrol-unserved span {{ display: block; width: 16px; height: 16px; color: #fff;
  background: {UNSERVED_COLOUR}; border-radius: 2px; font: bold 12px/16px sans-serif;
  text-align: center; transform: rotate(45deg); }}
.patrol-unserved span b {{ display: block; transform: rotate(-45deg); }}
.patrol-cluster span {{ display: block; width: 26px; height: 26px; border-radius: 13px;
  background: {UNSERVED_COLOUR}; color: #fff; font: bold 12px/26px sans-serif;
  text-align: center; border: 2px solid #fff; box-shadow: 0 0 3px rgba(0,0,0,.6); }}
.patrol-rank span {{ display: block; min-width: 22px; height: 16px; padding: 0 2px;
  border-radius: 3px; background: #fff; color: {WEEK_BLIND_COLOUR};
  border: 1.5px solid {WEEK_BLIND_COLOUR}; font: bold 11px/16px sans-serif;
  text-align: center; }}
.patrol-label {{ color: #333; font: 11px/1.2 {_FONT}; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }}
.patrol-label span {{ position: relative; left: -50%; top: -7px; }}
.patrol-blind-list {{ max-height: 52vh; overflow-y: auto; }}
.patrol-blind-list table {{ border-collapse: collapse; font-size: 12px; }}
.patrol-blind-list td, .patrol-blind-list th {{ padding: 1px 5px; text-align: right; }}
.patrol-blind-list tr.row {{ cursor: pointer; }}
.patrol-blind-list tr.row:hover {{ background: #fee; }}
.leaflet-tooltip table th, .leaflet-popup-content table th {{ text-align: left;
  padding-right: 8px; font-weight: normal; color: #555; }}
.leaflet-tooltip, .leaflet-popup-content {{ font-family: {_FONT}; font-size: 12px; }}
.leaflet-control-layers {{ font-family: {_FONT}; font-size: 12px; }}
"""

# ------------------------------------------------------------------ elements

_CONTROL_JS = """
{% macro script(this, kwargs) %}
(function(map) {
    var ctl = L.control({position: {{ this.position|tojson }}});
    ctl.onAdd = function() {
        var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
        div.innerHTML = {{ this.html_json }};
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    ctl.addTo(map);
    {{ this.script }}
})({{ this._parent.get_name() }});
{% endmacro %}
"""


class Control(MacroElement):  # type: ignore[misc]
    """A Leaflet control holding fixed HTML (title, legend, ranked list).

    ``script`` runs after the control is added, with ``ctl`` (the control) and ``map``.
    """

    _template = Template(_CONTROL_JS)

    def __init__(self, html_text: str, *, position: str, css_class: str, script: str = ""):
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PatrolControl"
        self.html_json = js_json(html_text)
        self.position = position
        self.css_class = css_class
        self.script = script


_MARKERS_JS = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {% if this.cluster -%}
    L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
        iconCreateFunction: function(c) { return L.divIcon({
            html: '<span>' + c.getChildCount() + '</span>',
            className: 'patrol-cluster', iconSize: [26, 26]}); }});
{%- else %}L.layerGroup();{% endif %}
(function(group, rows) {
    rows.forEach(function(r) {
        var size = r[4];
        var m = L.marker([r[0], r[1]], {
            icon: L.divIcon({html: r[2], className: r[3],
                             iconSize: size ? [size, size] : null}),
            interactive: !!(r[5] || r[6]), keyboard: false});
        if (r[5]) { m.bindPopup(r[5]); }
        if (r[6]) { m.bindTooltip(r[6]); }
        group.addLayer(m);
    });
})({{ this.get_name() }}, {{ this.rows_json }});
{% endmacro %}
"""


class Markers(Layer):  # type: ignore[misc]
    """Many DivIcon markers from one compact JSON array (optionally clustered).

    Each row: ``[lat, lon, icon_html, css_class, size_px, popup_html, tooltip]``.
    """

    _template = Template(_MARKERS_JS)

    def __init__(
        self,
        rows: list[list[Any]],
        *,
        name: str,
        cluster: bool = False,
        show: bool = True,
        control: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "PatrolMarkers"
        self.rows_json = js_json(rows)
        self.cluster = cluster
        if cluster:
            self.default_js = [("markerclusterjs", "")]
            self.default_css = [("markerclustercss", ""), ("markerclusterdefaultcss", "")]


_SHIFT_ROUTES_JS = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup();
(function(group, data, map) {
    var select, list, count;
    function show(i) {
        group.clearLayers();
        var shift = data.shifts[i];
        select.value = String(i);
        map.getContainer().setAttribute('data-shift', shift.key);
        var items = [];
        shift.teams.forEach(function(t) {
            L.polyline(t.line, {color: '#ffffff', weight: 8, opacity: 0.85,
                interactive: false, className: 'patrol-route-casing'}).addTo(group);
            L.polyline(t.line, {color: t.colour, weight: 4, opacity: 0.95,
                className: 'patrol-route'}).bindPopup(t.popup).addTo(group);
            (t.drives || []).forEach(function(d) {
                L.polyline(d, {color: '#ffffff', weight: 6, opacity: 1, interactive: false,
                    className: 'patrol-route-drive-casing'}).addTo(group);
                L.polyline(d, {color: t.colour, weight: 3, opacity: 0.95, dashArray: '2 8',
                    interactive: false, className: 'patrol-route-drive'}).addTo(group);
            });
            t.stops.forEach(function(s) {
                L.marker([s[0], s[1]], {icon: L.divIcon({
                    html: '<span style="background:' + t.colour + '">' + s[2]
                          + '</span>',
                    className: 'patrol-stop', iconSize: [18, 18]}),
                    zIndexOffset: 500}).bindPopup(s[3]).addTo(group);
            });
            items.push('<li><i style="background:' + t.colour + '"></i>'
                       + t.label + '</li>');
        });
        list.innerHTML = items.length ? items.join('')
                                      : '<li>' + data.words.none + '</li>';
        count.textContent = data.words.teams.replace('{n}', shift.teams.length);
    }
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function() {
        var div = L.DomUtil.create('div', 'patrol-panel patrol-shifts');
        var head = L.DomUtil.create('div', '', div);
        head.innerHTML = '<b>' + data.words.title + '</b> <span></span>';
        count = head.querySelector('span');
        var row = L.DomUtil.create('div', '', div);
        var prev = L.DomUtil.create('button', 'patrol-prev', row);
        prev.type = 'button'; prev.textContent = '◀'; prev.title = data.words.prev;
        select = L.DomUtil.create('select', 'patrol-shift-select', row);
        data.shifts.forEach(function(s, i) {
            var o = document.createElement('option');
            o.value = String(i); o.textContent = s.label; select.appendChild(o);
        });
        var next = L.DomUtil.create('button', 'patrol-next', row);
        next.type = 'button'; next.textContent = '▶'; next.title = data.words.next;
        list = L.DomUtil.create('ul', '', div);
        select.addEventListener('change', function() { show(+select.value); });
        prev.addEventListener('click', function() {
            show((+select.value + data.shifts.length - 1) % data.shifts.length); });
        next.addEventListener('click', function() {
            show((+select.value + 1) % data.shifts.length); });
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    ctl.addTo(map);
    if (data.shifts.length) { show(data.initial); }
})({{ this.get_name() }}, {{ this.data_json }}, {{ this._parent.get_name() }});
{% endmacro %}
"""


class ShiftRoutes(Layer):  # type: ignore[misc]
    """The routes of one shift at a time, with a selector control to switch shifts.

    ``data``: ``{"shifts": [{"key", "label", "teams": [...]}], "initial": i, "words"}``.
    """

    _template = Template(_SHIFT_ROUTES_JS)

    def __init__(self, data: dict[str, Any], *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PatrolShiftRoutes"
        self.data_json = js_json(data)


# ------------------------------------------------------------------ legend

LegendRow = tuple[str, str, str]


def _swatch(kind: str, colour: str) -> str:
    if kind == "line":
        return f'<i class="line" style="border-top-color:{colour}"></i>'
    if kind == "dash":
        return f'<i class="line" style="border-top-color:{colour};border-top-style:dashed"></i>'
    if kind == "html":
        return colour
    return f'<i style="background:{colour}"></i>'


def legend_html(sections: list[tuple[str, list[LegendRow]]], lang: str) -> str:
    """Legend HTML: sections of (swatch kind, colour, text); kind is box, line, dash or
    html (then ``colour`` is the swatch's own HTML). Titles and texts are escaped."""
    parts = [f"<b>{esc(label('map.legend', lang))}</b>"]
    for title, rows in sections:
        parts.append(f"<h4>{esc(title)}</h4>")
        parts.extend(f"<div>{_swatch(k, colour)}{esc(text)}</div>" for k, colour, text in rows)
    return "".join(parts)
