"""Re-plan the rest of a week with the least change, compare two plans, what-if variants.

- :mod:`~patrol.revise.check` – does a saved plan still match the scenario (grids, people)?
- :mod:`~patrol.revise.replan` – ``replan_week``: shifts before the cut kept and counted as
  done, teams kept unless a member is gone, tasks kept on their team, routes started from
  the old ones.
- :mod:`~patrol.revise.changes` – what a re-plan changed: teams, tasks moved and why,
  tasks newly unserved.
- :mod:`~patrol.revise.revisions` – the store's revisions: ``OUT/revisions/NN/``, the
  changed sheets in ``OUT/sheets/changed/``.
- :mod:`~patrol.revise.compare` – ``compare_plans``: figures side by side, the difference
  map and CSV.
- :mod:`~patrol.revise.variant` – apply a small change file to a copy of a scenario.
"""
