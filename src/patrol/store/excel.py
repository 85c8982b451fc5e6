"""``OUT/plan.xlsx``: the people's tables as one workbook, one sheet a table.

Sheet names and headers are in the reader's language (:mod:`patrol.store.people` makes
the tables); dates and times are real Excel dates (formatted ``yyyy-mm-dd`` and
``yyyy-mm-dd hh:mm``), so a chief can sort and filter them. The file is written
atomically (:func:`patrol.atomic.atomic_path`); the coverage sheet is added to the
workbook of the plan when coverage is measured, replacing an older one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from patrol.atomic import atomic_path, neutralise_cell
from patrol.labels import label

__all__ = ["WORKBOOK_FILE", "write_workbook"]

WORKBOOK_FILE = "plan.xlsx"
_FORMATS = {"date": "yyyy-mm-dd", "time": "yyyy-mm-dd hh:mm"}


def _cell(value: Any) -> Any:
    """A value openpyxl writes: timestamps as naive datetimes, blanks as empty cells."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    if isinstance(value, str):  # openpyxl stores text beginning with "=" as a formula
        return neutralise_cell(value)
    return value.item() if hasattr(value, "item") else value


def fill_sheet(sheet: Any, table: pd.DataFrame) -> None:
    """Headers in row 1 (bold, frozen), the rows below, date formats, column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    kinds = table.attrs.get("kinds", {})
    sheet.append([neutralise_cell(str(c)) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for j, header in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        fmt = _FORMATS.get(kinds.get(header, ""))
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        longest = max([len(str(header))] + [len(str(v)) for v in table[header].head(200)])
        sheet.column_dimensions[letter].width = min(60, 4 + 1.6 * longest)
    sheet.freeze_panes = "A2"


def write_workbook(
    target: Path, tables: dict[str, pd.DataFrame], *, lang: str = "zh", extend: bool = True
) -> Path:
    """Write the people's ``tables`` (name -> table, as :func:`patrol.store.people.people_table`
    makes them) into the workbook ``target``, one sheet each, named in ``lang``.

    With ``extend`` (the default) the sheets of an existing workbook whose tables are
    not given are kept, so the coverage sheet can be added after the plan's; a given
    table replaces its sheet. ``extend=False`` starts a new workbook.
    """
    from openpyxl import Workbook, load_workbook

    if extend and target.exists():
        book = load_workbook(target)
    else:
        book = Workbook()
        book.remove(book.active)
    for name, table in tables.items():
        title = label(f"book.{name}", lang)[:31]  # Excel's limit on sheet names
        for other in ("zh", "en"):  # a sheet of the same table in either language goes
            old = label(f"book.{name}", other)[:31]
            if old in book.sheetnames:
                book.remove(book[old])
        fill_sheet(book.create_sheet(title), table)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
