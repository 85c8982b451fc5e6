"""What was really patrolled: check-ins and GPS tracks read, matched to the streets and
measured against the plan (issue #15).

``checkins`` (the check-in workbook and reading check-ins), ``tracks`` (GPX, CSV and
GeoJSON tracks), ``matching`` (map matching to the plan's street network), ``compliance``
(every team-shift against its plan), ``layers`` (the actuals' layers in the plan store),
``importer`` (``patrol actuals``: read, check, match, score and save in one transaction)
and ``synth`` (synthetic tracks from a plan with known deviations).
"""
