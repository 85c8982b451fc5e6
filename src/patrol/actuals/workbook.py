"""``OUT/checkin.xlsx``: the check-in sheet a team fills in and hands back.

One row per planned stop, grouped by team-shift (in time order, each group shaded in
turn and foldable in Excel's outline), with blank columns for the arrival time, done
yes/no and a note. Headers and sheet names are Chinese (``lang="en"`` English); dates and
planned times are real Excel dates. The same columns read back as CSV
(:mod:`patrol.actuals.checkins`). Text that a spreadsheet would run as a formula is
neutralised (:func:`patrol.atomic.neutralise_cell`); the file is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from patrol.actuals.labels import text
from patrol.atomic import atomic_path, neutralise_cell
from patrol.labels import label, shift_label

if TYPE_CHECKING:
    from patrol.plan import Plan

__all__ = ["CHECKIN_COLUMNS", "CHECKIN_FILE", "checkin_rows", "write_checkin_workbook"]

CHECKIN_FILE = "checkin.xlsx"
CHECKIN_COLUMNS = (
    "date",
    "shift",
    "team_id",
    "members",
    "seq",
    "kind",
    "task_id",
    "grid_id",
    "place",
    "planned_arrive",
    "planned_depart",
    "arrive",
    "done",
    "note",
)
"""The sheet's columns in order (headers: ``col.<name>`` in :mod:`patrol.actuals.labels`)."""

_FORMATS = {
    "date": "yyyy-mm-dd",
    "planned_arrive": "yyyy-mm-dd hh:mm",
    "planned_depart": "yyyy-mm-dd hh:mm",
    "arrive": "hh:mm",
}
_WIDTHS = {"members": 28, "place": 36, "note": 24, "team_id": 26, "task_id": 22}
_SHADES = ("FFFFFF", "EEF3FA")


def checkin_rows(plan: Plan, *, lang: str = "zh") -> pd.DataFrame:
    """One row per planned stop (the police room left out), grouped by team-shift in time
    order; the columns of :data:`CHECKIN_COLUMNS`, the last three blank."""
    rows: list[dict[str, Any]] = []
    routes = sorted(plan.routes, key=lambda r: (r.team.slot.start, r.team.team_id))
    for route in routes:
        team = route.team
        members = "、".join(f"{p.name}({label('role.' + p.role, lang)})" for p in team.members)
        for stop in route.stops:
            if stop.kind == "post":
                continue
            rows.append(
                {
                    "date": team.slot.date,
                    "shift": shift_label(team.slot.shift, lang),
                    "team_id": team.team_id,
                    "members": members,
                    "seq": stop.seq,
                    "kind": label(f"kind.{stop.kind}", lang),
                    "task_id": stop.task_id,
                    "grid_id": stop.grid_id,
                    "place": stop.description(lang),
                    "planned_arrive": stop.arrive,
                    "planned_depart": stop.depart,
                    "arrive": None,
                    "done": None,
                    "note": None,
                }
            )
    return pd.DataFrame(rows, columns=list(CHECKIN_COLUMNS))


def _write_sheet(sheet: Any, table: pd.DataFrame, *, lang: str) -> None:
    """Headers (bold, frozen), the rows shaded by team-shift and outlined, formats, widths,
    and a yes/no list on the done column."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append([text(f"col.{c}", lang) for c in CHECKIN_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    group, previous = -1, ""
    for k, row in enumerate(table.itertuples(index=False), start=2):
        if str(row.team_id) != previous:
            group, previous = group + 1, str(row.team_id)
        sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
        fill = PatternFill("solid", fgColor=_SHADES[group % 2])
        for cell in sheet[k]:
            cell.fill = fill
        first = k == 2 or table["team_id"].iloc[k - 3] != row.team_id
        sheet.row_dimensions[k].outline_level = 0 if first else 1
    for j, name in enumerate(CHECKIN_COLUMNS, start=1):
        letter = get_column_letter(j)
        fmt = _FORMATS.get(name)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        sheet.column_dimensions[letter].width = _WIDTHS.get(name, 14)
    done = get_column_letter(CHECKIN_COLUMNS.index("done") + 1)
    choice = DataValidation(type="list", formula1=f'"{text("yes", lang)},{text("no", lang)}"')
    sheet.add_data_validation(choice)
    choice.add(f"{done}2:{done}{max(2, len(table) + 1)}")
    sheet.freeze_panes = "A2"


def write_checkin_workbook(plan: Plan, out: str | Path, *, lang: str = "zh") -> Path:
    """Write ``out/checkin.xlsx`` for ``plan`` in ``lang`` (atomically) and return its path."""
    from openpyxl import Workbook

    target = Path(out) / CHECKIN_FILE
    book = Workbook()
    sheet = book.active
    sheet.title = text("sheet.checkin", lang)
    _write_sheet(sheet, checkin_rows(plan, lang=lang), lang=lang)
    howto = book.create_sheet(text("sheet.howto", lang))
    for key in ("howto.1", "howto.2", "howto.3"):
        howto.append([text(key, lang)])
    howto.column_dimensions["A"].width = 90
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
