"""What one running server holds: its folders, the chief's draft, the planning run and
the last plan read, shared by every page (one chief, one station)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patrol.labels import Phrase
from patrol.planner import PlanParams
from patrol.serve.draft import Check, Draft, check_draft, open_draft
from patrol.serve.jobs import PlanJob

__all__ = ["ServeConfig", "Station", "resolve_folders"]


@dataclass(frozen=True)
class ServeConfig:
    """How the server runs: the scenario folder (``None``: view a saved plan only), the
    output folder, the page's first language, the password hash (``None``: no login)
    and the planning parameters a run starts from."""

    scenario: Path | None
    out: Path
    lang: str = "zh"
    password_hash: str | None = None
    params: PlanParams = field(default_factory=PlanParams)


def resolve_folders(path: str | Path, *, out: str | Path | None = None) -> tuple[Path | None, Path]:
    """The scenario and output folders of ``patrol serve PATH``: a plan store (a folder
    with ``plan.gpkg``) gives its own scenario, a scenario folder plans into ``out``
    (default: ``<scenario>-plan`` beside it)."""
    from patrol.store import schema
    from patrol.store.read import scenario_folder

    target = Path(path).resolve()
    if (target / schema.PLAN_FILE).is_file():
        found = scenario_folder(target)
        return (found.resolve() if found is not None else None), target
    return target, Path(out).resolve() if out else target.with_name(target.name + "-plan")


class Station:
    """The state every page shares; edits and reads are serialised by one lock."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.job = PlanJob()
        self.draft: Draft | None = open_draft(config.scenario) if config.scenario else None
        self._check: Check | None = None
        self._week: Any = None
        self._week_key: tuple[int, int] | None = None

    def check(self) -> Check:
        """The draft's check, read again only after an edit (:meth:`refresh`)."""
        with self.lock:
            if self._check is None and self.draft is not None:
                self._check = check_draft(self.draft)
            return self._check or Check()

    def refresh(self) -> Check:
        """Check the draft again after an edit."""
        with self.lock:
            self._check = None
            return self.check()

    def week(self) -> Any:
        """The plan in the output folder (a :class:`patrol.outputs.Week`), read from the
        store once per version of ``plan.gpkg``; ``None`` when there is no plan yet."""
        from patrol.outputs import read_week
        from patrol.store import schema

        store = self.config.out / schema.PLAN_FILE
        if not store.is_file():
            return None
        stat = store.stat()
        key = (stat.st_ino, stat.st_mtime_ns)
        with self.lock:
            fresh = self.job.result
            if fresh is not None and hasattr(fresh, "coverage"):  # a Week the run just made
                self.job.result = None
                self._week, self._week_key = fresh, key
            elif key != self._week_key:
                self._week = read_week(self.config.out)
                self._week_key = key
            return self._week

    def start_plan(self, *, lang: str, time_limit_s: float | None) -> bool:
        """Start planning the saved scenario into the output folder; ``False`` while a run
        is going."""
        import dataclasses

        from patrol.outputs import OutputOptions, run_week
        from patrol.scenario.read import read_scenario

        scenario_dir = self.config.scenario
        params = self.config.params
        if time_limit_s:
            params = dataclasses.replace(params, time_limit_s=float(time_limit_s))

        def work(say: Any) -> Any:
            say(Phrase("progress.reading_scenario"))
            scenario = read_scenario(scenario_dir) if scenario_dir else None
            if scenario is None:
                raise ValueError("no scenario")
            return run_week(
                scenario, self.config.out, params=params, options=OutputOptions(lang=lang),
                progress=say,
            )  # fmt: skip

        return self.job.start(work)
