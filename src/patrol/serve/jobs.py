"""Long work off the request thread: one planning run at a time, with its progress.

The page starts a run and polls :meth:`PlanJob.snapshot` twice a second; the run itself
happens in a worker thread, so the page never freezes. A second run asked for while one
is going is refused (``start`` returns ``False``), never queued silently. Progress comes
from the messages :func:`patrol.outputs.run_week` and :func:`patrol.planner.plan_week`
give their ``progress`` callback, each mapped to a stage of :data:`STAGES`.
"""

from __future__ import annotations

import re
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from patrol.errors import InputError, PatrolError

__all__ = ["STAGES", "JobState", "PlanJob", "stage_of"]

#: the stages of a run, in order: (key, message prefixes that start it)
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("network", ("Reading", "Building the street network")),
    ("demand", ("Expanding",)),
    ("teams", ("Forming",)),
    ("assignment", ("Assigning",)),
    ("routing", ("Routing round", "Planned")),
    ("coverage", ("Measuring coverage",)),
    ("maps", ("Drawing the maps", "Maps drawn", "Route maps drawn")),
    ("sheets", ("Printing the route sheets",)),
    ("switch", ("Switching",)),
)
_COUNT = re.compile(r":\s*(\d+)/(\d+)\s*$")


def stage_of(message: str) -> tuple[int, float] | None:
    """The stage index a progress message belongs to and how far into that stage it is
    (0–1, from a trailing ``done/total``); ``None`` for a message of no stage."""
    for index in range(len(STAGES) - 1, -1, -1):
        _key, prefixes = STAGES[index]
        if message.startswith(prefixes):
            if message.startswith("Route maps drawn"):  # the sheets' maps
                index = next(i for i, s in enumerate(STAGES) if s[0] == "sheets")
            found = _COUNT.search(message)
            within = int(found[1]) / max(1, int(found[2])) if found else 0.0
            return index, min(1.0, within)
    return None


@dataclass(frozen=True)
class JobState:
    """What the page shows of a run: ``status`` is idle, running, done or failed."""

    status: str = "idle"
    stage: int = 0
    within: float = 0.0
    message: str = ""
    error_zh: str = ""
    error_en: str = ""
    elapsed_s: float = 0.0

    @property
    def fraction(self) -> float:
        """How much of the run is done, 0–1 (1 once it is done)."""
        if self.status == "done":
            return 1.0
        return min(0.99, (self.stage + self.within) / len(STAGES))


class PlanJob:
    """One planning run at a time in a worker thread; ``result`` holds the last run's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = JobState()
        self._started = 0.0
        self.result: Any = None

    def start(self, work: Callable[[Callable[[str], None]], Any]) -> bool:
        """Run ``work(progress)`` in a thread; ``False`` (and nothing started) while a run
        is going."""
        with self._lock:
            if self._state.status == "running":
                return False
            self._state = JobState(status="running")
            self._started = time.perf_counter()
        threading.Thread(target=self._run, args=(work,), daemon=True, name="patrol-plan").start()
        return True

    def snapshot(self) -> JobState:
        """The run's state now (elapsed seconds included)."""
        with self._lock:
            state = self._state
            if state.status == "running":
                elapsed = time.perf_counter() - self._started
                state = JobState(**{**state.__dict__, "elapsed_s": elapsed})
            return state

    def _say(self, message: str) -> None:
        found = stage_of(message)
        with self._lock:
            stage, within = found if found else (self._state.stage, self._state.within)
            stage = max(stage, self._state.stage)
            self._state = JobState(status="running", stage=stage, within=within, message=message)

    def _run(self, work: Callable[[Callable[[str], None]], Any]) -> None:
        try:
            result = work(self._say)
        except InputError as exc:
            self._finish("failed", zh=exc.text("zh"), en=exc.text("en"))
        except PatrolError as exc:
            self._finish("failed", zh=str(exc), en=str(exc))
        except Exception:  # a bug: show it rather than leave the bar running
            text = traceback.format_exc(limit=3)
            self._finish("failed", zh=text, en=text)
        else:
            self.result = result
            self._finish("done")

    def _finish(self, status: str, *, zh: str = "", en: str = "") -> None:
        with self._lock:
            self._state = JobState(
                status=status,
                stage=len(STAGES) if status == "done" else self._state.stage,
                message=self._state.message,
                error_zh=zh,
                error_en=en,
                elapsed_s=time.perf_counter() - self._started,
            )
