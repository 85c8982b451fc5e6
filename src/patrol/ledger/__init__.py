"""The supervision ledger (台账) and the station's history, week after week.

A station runs a weekly cycle: plan → patrol → check → report → plan the next week. This
package holds the part after the actuals: :mod:`~patrol.ledger.history` keeps every
week's plan, actuals and compliance in one station store (a GeoPackage, or PostGIS for a
bureau); the reports read from it: the daily spot-check list (每日暗访抽查), the weekly
follow-up (每周跟进考核督导), the monthly report (每月考核通报) and the ledger itself; and
:mod:`~patrol.ledger.nextweek` writes the next week's scenario from the visits really done.
"""
