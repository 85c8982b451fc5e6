"""A fixed-seed sample of bench/fuzz.py: broken and odd inputs end in a clear problem
or a plan, never a traceback or a hang (the full run of 10,000 cases is the benchmark)."""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("patrol_bench_fuzz", FUZZ)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_makes_the_same_cases(fuzz: ModuleType, tmp_path: Path) -> None:
    base = fuzz.write_base(tmp_path / "base")
    made = []
    for copy in range(2):
        cases = []
        for n in range(8):
            folder = tmp_path / f"copy{copy}_{n}"
            shutil.copytree(base, folder)
            cases.append(fuzz.mutate(folder, random.Random(5 + n), n))
        made.append(cases)
    assert made[0] == made[1] and len({c.kind for c in made[0]}) > 2


def test_a_fixed_seed_sample_has_no_traceback_hang_or_poor_message(fuzz: ModuleType) -> None:
    outcomes = fuzz.fuzz(300, seed=19, workers=1, plan_every=50, cli=False)
    figures = fuzz.figures(outcomes)
    print(figures)
    bad = fuzz.failures(outcomes)
    assert not bad, "\n".join(f"{o.case}: {o.result}/{o.planned}\n{o.detail}" for o in bad[:5])
    assert figures["cases"] == 300 and figures["planned"] >= 2
    assert figures["accepted"] > 20 and figures["rejected"] > 20
