"""Our folium elements and the stable ids that make pages repeatable."""

from __future__ import annotations

import folium

from patrol.render.maps.elements import Control, Markers, ShiftRoutes, legend_html, stable_ids


def _page() -> str:
    m = folium.Map(tiles=None)
    Control("<b>标题</b>", position="topleft", css_class="patrol-panel").add_to(m)
    Markers([[39.9, 116.4, "<span>1</span>", "patrol-rank", 0, None, "t"]], name="n").add_to(m)
    ShiftRoutes({"shifts": [], "initial": 0, "words": {}}, name="r").add_to(m)
    return str(m.get_root().render())


def test_stable_ids_give_the_same_page_twice() -> None:
    with stable_ids():
        first = _page()
    with stable_ids():
        second = _page()
    assert first == second
    assert "patrol_markers_0000000" in first
    assert _page() != first  # outside, folium's random ids


def test_stable_ids_nest_into_one_sequence() -> None:
    with stable_ids():
        a = folium.Map(tiles=None)
        with stable_ids():
            b = folium.Map(tiles=None)
    assert a._id != b._id


def test_elements_write_their_data() -> None:
    with stable_ids():
        page = _page()
    assert "L.markerClusterGroup" not in page
    assert '"<b>标题<\\/b>"' in page
    with stable_ids():
        m = folium.Map(tiles=None)
        Markers([], name="n", cluster=True).add_to(m)
    assert Markers([], name="n", cluster=True).default_js == [("markerclusterjs", "")]


def test_legend_html_escapes_titles_and_texts() -> None:
    html = legend_html([("网格<", [("box", "#fff", "达标&"), ("line", "#000", "a")])], "zh")
    assert "网格&lt;" in html and "达标&amp;" in html and "border-top-color:#000" in html
    assert html.startswith("<b>图例</b>")
