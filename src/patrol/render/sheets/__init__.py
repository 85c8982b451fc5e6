"""Printed route sheets (巡逻路线单): one A4 page per team and shift, and a week overview.

:func:`write_sheets` (:mod:`.write`) writes ``OUT/sheets/week.pdf`` (the chief's overview,
:mod:`.overview`, then every route sheet in time order, :mod:`.route`) and one PDF per
day with that day's sheets (or one per team and shift with ``split=True``), in two
copies: the team copy (队员联) in ``sheets/`` for the grid worker, volunteers and cadres,
which shows a visit only as "重点户" and its address, and the police copy (民警联) in
``sheets/police/``, which adds the household's category and label. A route sheet
carries what a team on the street at night needs: who walks (names, roles; phones only
with ``phones=True``), a
print map of the route with numbered stops, the stops in order with big planned times and
addresses, a box to tick and a space for the time actually reached (打卡), and signature
lines for the team leader and the reviewing officer. :mod:`.lookup` finds names and
addresses; the page layout is :mod:`patrol.render.pdf`.

Every word comes from :mod:`patrol.labels`; the one font is Noto Sans SC from
``pylopdf-fonts-zh-cn``, embedded (see :mod:`patrol.render.fonts`). A household's label
(e.g. ``独居老人 王某某``) is printed only on the police copy of the team that visits it,
never on the overview or a team copy; ``redact=True`` leaves categories and labels (and
phones) out of every copy. The same plan gives
byte-identical files: nothing on the page or in the metadata reads the clock unless
``generated`` is given.
"""

from __future__ import annotations

from patrol.render.sheets.write import write_sheets

__all__ = ["write_sheets"]
