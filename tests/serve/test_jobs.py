"""One planning run at a time, off the request thread, with its stages."""

from __future__ import annotations

import threading
import time

from patrol.errors import InputError
from patrol.serve.jobs import STAGES, JobState, PlanJob, stage_of


def _wait(job: PlanJob, status: str) -> JobState:
    for _ in range(500):
        state = job.snapshot()
        if state.status == status:
            return state
        time.sleep(0.01)
    raise AssertionError(job.snapshot())


def test_stage_of_the_run_messages() -> None:
    keys = [k for k, _ in STAGES]
    assert stage_of("Building the street network ...") == (keys.index("network"), 0.0)
    assert stage_of("Routing round 2: 40 tasks in 3 shifts ...")[0] == keys.index("routing")
    assert stage_of("Measuring coverage and blind spots ...")[0] == keys.index("coverage")
    assert stage_of("Route maps drawn: 5/10") == (keys.index("sheets"), 0.5)
    assert stage_of("something else") is None


def test_a_second_run_is_refused_while_one_runs() -> None:
    job, gate = PlanJob(), threading.Event()

    def work(say: object) -> str:
        say("Forming 1+1+N teams for 21 shifts ...")  # type: ignore[operator]
        gate.wait(5)
        return "plan"

    assert job.start(work)
    state = _wait(job, "running")
    assert not job.start(work)  # refused, not queued
    for _ in range(200):
        if job.snapshot().stage == 2:
            break
        time.sleep(0.01)
    assert 0 < job.snapshot().fraction < 1
    gate.set()
    state = _wait(job, "done")
    assert state.fraction == 1.0 and job.result == "plan"
    assert job.start(lambda say: "again")  # free again once done
    _wait(job, "done")


def test_a_failed_run_says_why_in_both_languages() -> None:
    job = PlanJob()

    def work(say: object) -> None:
        raise InputError("roster.csv has no rows.", file="roster.csv", zh="roster.csv 没有数据行。")

    assert job.start(work)
    state = _wait(job, "failed")
    assert "没有数据行" in state.error_zh and "no rows" in state.error_en
