"""Coverage of a patrol week: what patrols and cameras cover, and the blind spots.

One job a module, in the order :func:`patrol.coverage.measure.measure_coverage` uses them:
``layers`` (check the inputs, hold them as arrays), ``tracks`` (GPS fixes to legs, legs to
timed segments), ``walk`` (streets walked, buildings covered), ``cameras`` (camera views
and what they see), ``blind_spots`` (blind features merged into ranked areas), ``gaps``
(longest time without a patrol), ``tables`` (the result tables) and ``measure`` (the
:class:`~patrol.coverage.measure.Coverage` result and the chain of steps). Helpers below
them: ``geometry`` (vector look-ups), ``dissolve`` (raster buffer and dissolve),
``intervals`` (interval arithmetic), ``clock`` (hours, the night band), ``arrays`` (types).
``of_plan`` turns a planned week into the inputs.
"""
