"""Write the two map pages of a plan into ``OUT/maps/``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.render.maps.coverage import coverage_map
from patrol.render.maps.elements import stable_ids
from patrol.render.maps.plan import plan_map

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

__all__ = ["write_maps"]

logger = logging.getLogger("patrol")


def write_maps(
    plan: Plan,
    coverage: Coverage,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    tiles: str | None = None,
    generated: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write ``OUT/maps/plan.html`` and ``OUT/maps/coverage.html`` (atomically).

    Each file stands alone: open it from a USB stick on a machine with no network. The
    same plan and coverage give the same bytes (each page is built and rendered inside
    one :func:`patrol.render.maps.elements.stable_ids`); ``generated`` adds a time to
    the titles; ``progress(done, 2)`` is called after each page.
    """
    from patrol.atomic import write_text

    folder = Path(out_dir) / "maps"
    written = []
    for name, draw in (("plan.html", plan_map), ("coverage.html", coverage_map)):
        with stable_ids():
            m = draw(plan, coverage, lang=lang, tiles=tiles, generated=generated)
            root: Any = m.get_root()
            path = write_text(folder / name, root.render())
        logger.info("map written: %s (%.1f MB)", path, path.stat().st_size / 1e6)
        written.append(path)
        if progress is not None:
            progress(len(written), 2)
    return written
