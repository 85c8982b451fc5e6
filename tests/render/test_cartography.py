"""Print-map furniture: extents, scale bars, north arrow, street names, bold text."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import pytest
import shapely

from patrol.render.cartography import (
    bold_text,
    draw_north_arrow,
    draw_scale_bar,
    draw_street_names,
    fit_extent,
    nice_length,
)

matplotlib.use("Agg")


@pytest.fixture
def ax():  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 3))
    axes = fig.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 1000)
    axes.set_ylim(0, 750)
    yield axes
    plt.close(fig)


def test_fit_extent_keeps_aspect_and_minimum_span() -> None:
    x0, y0, x1, y1 = fit_extent((0, 0, 100, 10), 2.0, pad=0.0, min_span_m=250)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(2.0)
    assert x1 - x0 >= 250 and (x0 + x1) / 2 == pytest.approx(50)


def test_nice_length_is_a_round_fifth() -> None:
    assert nice_length(1000) == 200
    assert nice_length(12000) == 2000
    assert nice_length(10) == 10


def test_scale_bar_labels_in_metres(ax) -> None:  # type: ignore[no-untyped-def]
    draw_scale_bar(ax, (0, 0, 1000, 750), 8)
    assert [t.get_text() for t in ax.texts] == ["0", "200 m"]
    assert len(ax.patches) == 3


def test_north_arrow_says_north(ax) -> None:  # type: ignore[no-untyped-def]
    draw_north_arrow(ax, "zh", 8)
    assert "北" in [t.get_text() for t in ax.texts]


def test_street_names_once_each_longest_first(ax) -> None:  # type: ignore[no-untyped-def]
    edges = gpd.GeoDataFrame(
        {"name": ["长江路", "长江路", "黄河路", ""]},
        geometry=[
            shapely.LineString([(100, 100), (600, 100)]),
            shapely.LineString([(100, 300), (400, 300)]),
            shapely.LineString([(500, 200), (500, 600)]),
            shapely.LineString([(100, 500), (900, 500)]),
        ],
    )
    draw_street_names(ax, edges, (0, 0, 1000, 750), 8)
    assert sorted(t.get_text() for t in ax.texts) == ["长江路", "黄河路"]


def test_bold_text_strokes_and_halo() -> None:
    assert len(bold_text()) == 2
    assert len(bold_text(halo=3)) == 3
