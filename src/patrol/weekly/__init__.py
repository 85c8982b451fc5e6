"""The weekly core on plain matrices: which task on which day, shift and vehicle.

- :mod:`~patrol.weekly.problem`: :class:`WeekProblem` (days, shifts, vehicles, tasks,
  travel matrix) and :class:`Schedule` (one task sequence per vehicle);
- :mod:`~patrol.weekly.check`: :func:`evaluate_week`, the independent checker;
- :mod:`~patrol.weekly.search`: :func:`solve_week`, the solver (construction, PyVRP over
  the week, pattern descent, large-neighbourhood search over patterns);
- :mod:`~patrol.weekly.routes`: exact removal gains and feasible insertions on routes;
- :mod:`~patrol.weekly.engine`: the week as one PyVRP problem (the only PyVRP import);
- :mod:`~patrol.weekly.cordeau`: Cordeau's periodic VRP files (the benchmark).

No geometry and no scenario here: places are matrix rows, so the benchmark and the
planner run the same code.
"""

from patrol.weekly.check import WeekReport, evaluate_week
from patrol.weekly.problem import Schedule, Spacing, WeekProblem, WeekTask, WeekVehicle
from patrol.weekly.search import SearchParams, solve_week

__all__ = [
    "Schedule",
    "SearchParams",
    "Spacing",
    "WeekProblem",
    "WeekReport",
    "WeekTask",
    "WeekVehicle",
    "evaluate_week",
    "solve_week",
]
