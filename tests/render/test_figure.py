"""The static print map: numbered stops as on the sheet, a true scale bar, the one font."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import matplotlib
import numpy as np
import pytest
import shapely

from patrol.coverage.of_plan import measure_plan_coverage
from patrol.plan import Plan, Stop
from patrol.planner import PlanParams, plan_week
from patrol.render.figure import font_context, plot_plan, save_plan_figure, stop_groups
from patrol.render.fonts import FONT_FAMILY, font_path, pdf_font_file
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny week planned once (deterministic work limit)."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("figure") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=200, engine="pyvrp"))


def _stop(seq: int, kind: str, task: str, target: str, start_min: int, end_min: int) -> Stop:
    t0 = dt.datetime(2026, 11, 30, 19, 0)
    return Stop(
        "T",
        seq,
        kind,  # type: ignore[arg-type]
        task,
        target,
        "G1",
        t0 + dt.timedelta(minutes=start_min),
        t0 + dt.timedelta(minutes=end_min),
        shapely.Point(0, 0),
        f"巡查{target}",
    )


def test_back_to_back_stops_of_one_piece_share_a_number() -> None:
    stops = (
        _stop(0, "post", "post:P", "P", 0, 0),
        _stop(1, "sweep", "sweep:G1:1:2", "G1", 2, 8),
        _stop(2, "sweep", "sweep:G1:2:2", "G1", 8, 14),  # same piece, walked again
        _stop(3, "sweep", "sweep:G1:3:2", "G1", 20, 26),  # later, after a gap: own number
        _stop(4, "post", "post:P", "P", 30, 30),
    )
    groups = stop_groups(SimpleNamespace(stops=stops))  # type: ignore[arg-type]
    assert [[s.seq for s in g] for g in groups] == [[0], [1, 2], [3], [4]]


def _texts(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_team_map_numbers_every_stop_row(tiny_plan: Plan) -> None:
    import matplotlib.pyplot as plt

    route = max(tiny_plan.routes, key=lambda r: len(r.stops))
    fig, ax = plot_plan(tiny_plan, team_id=route.team.team_id)
    try:
        numbers: set[int] = set()
        for t in ax.texts:  # stop markers: numbers in a box
            if t.get_bbox_patch() is not None and re.fullmatch(r"[\d·…]+", t.get_text()):
                numbers |= {int(n) for n in re.findall(r"\d+", t.get_text())}
        rows = len(stop_groups(route)) - 2
        assert numbers == set(range(1, rows + 1))
        assert "北" in _texts(ax)
        # the scale bar: a round length no wider than a third of the view
        (bar,) = [t for t in _texts(ax) if re.fullmatch(r"[\d.]+ k?m", t)]
        value = float(bar.split()[0]) * (1000 if bar.endswith("km") else 1)
        x0, x1 = ax.get_xlim()
        assert 0 < value <= (x1 - x0) / 3
        assert tiny_plan.scenario.posts["name"].iloc[0] in _texts(ax)
    finally:
        plt.close(fig)


def test_unknown_team_is_refused(tiny_plan: Plan) -> None:
    with pytest.raises(ValueError, match="no route for team"):
        plot_plan(tiny_plan, team_id="nobody")


def test_saved_overview_png_has_ink_and_english_words(tiny_plan: Plan, tmp_path: Path) -> None:
    from PIL import Image

    cov = measure_plan_coverage(tiny_plan)
    path = save_plan_figure(
        tiny_plan, tmp_path / "img" / "plan.png", coverage=cov, lang="en", dpi=80
    )
    assert path.exists() and [p.name for p in path.parent.iterdir()] == ["plan.png"]
    pixels = np.asarray(Image.open(path).convert("L"))
    assert pixels.shape == (640, 640)
    assert (pixels < 128).mean() > 0.01
    import matplotlib.pyplot as plt

    fig, ax = plot_plan(tiny_plan, coverage=cov, lang="en")
    try:
        key = ax.get_legend()
        assert key is not None
        legend = [t.get_text() for t in key.get_texts()]
        assert "police room" in legend and "blind spot" in legend
        assert "N" in _texts(ax)
    finally:
        plt.close(fig)


def test_matplotlib_uses_the_packaged_font() -> None:
    from matplotlib import font_manager

    from patrol.render.fonts import use_font_in_matplotlib

    assert use_font_in_matplotlib() == FONT_FAMILY
    found = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False
    )
    assert Path(found) == font_path()
    assert "pylopdf_fonts_zh_cn" in str(font_path())


def test_pdf_font_subset_is_truetype_with_the_text(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    path = pdf_font_file("巡逻路线单 政安里", tmp_path)
    with TTFont(str(path)) as font:
        assert "glyf" in font and "CFF " not in font
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "巡逻路线单政安里0123456789:")
        assert len(font.getGlyphOrder()) < 400  # a subset, not the 30,000-glyph font


def test_font_context_sets_noto_for_new_text() -> None:
    import matplotlib.pyplot as plt

    with font_context():
        assert plt.rcParams["font.family"][0] == FONT_FAMILY
    assert plt.rcParams["font.family"][0] != FONT_FAMILY or FONT_FAMILY == "sans-serif"


def test_save_plan_figure_png_is_the_same_twice(tiny_plan: Plan, tmp_path: Path) -> None:
    a = save_plan_figure(tiny_plan, tmp_path / "a.png")
    b = save_plan_figure(tiny_plan, tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert b"tIME" not in a.read_bytes()  # no timestamp chunk
