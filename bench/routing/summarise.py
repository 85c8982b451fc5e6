"""Summarise benchmark CSVs as Markdown tables: per class and engine, mean gap and vehicles.

    python bench/routing/summarise.py bench/routing/results/solomon_all_5s.csv ...

``gap %`` is the distance gap to the best-known distance over feasible runs; with a
vehicles-first objective read it next to ``veh - bks`` (total vehicles above the
best-known count): fewer vehicles usually costs distance, and more vehicles can give a
negative distance gap.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ORDER = ["C1", "C2", "R1", "R2", "RC1", "RC2", "X"]


def summarise(path: Path) -> str:
    """One Markdown table for one CSV."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by[(row["group"], row["engine"])].append(row)
    engines = sorted({r["engine"] for r in rows})
    groups = [g for g in ORDER if any((g, e) in by for e in engines)]
    lines = [
        f"`{path.name}`",
        "",
        "| class | n | "
        + " | ".join(
            f"{e} gap % | {e} veh - bks | {e} gap % at bks veh (n) | {e} infeasible"
            for e in engines
        )
        + " |",
        "|---|---|" + "---|---|---|---|" * len(engines),
    ]
    totals: dict[str, list[dict[str, str]]] = defaultdict(list)
    for group in [*groups, "all"]:
        cells = []
        n = 0
        for engine in engines:
            items = by.get((group, engine), []) if group != "all" else totals[engine]
            if group != "all":
                totals[engine].extend(items)
            n = len(items)
            ok = [r for r in items if r["feasible"] == "True"]
            gap = statistics.fmean(float(r["gap_pct"]) for r in ok) if ok else float("nan")
            extra = sum(int(r["vehicles"]) - int(r["bks_vehicles"]) for r in items)
            same = [r for r in ok if r["vehicles"] == r["bks_vehicles"]]
            same_gap = statistics.fmean(float(r["gap_pct"]) for r in same) if same else float("nan")
            cells.append(
                f"{gap:+.2f} | {extra:+d} | {same_gap:+.2f} ({len(same)}) | {len(items) - len(ok)}"
            )
        name = f"**{group}**" if group == "all" else group
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Print a table per CSV given on the command line."""
    for arg in sys.argv[1:]:
        print(summarise(Path(arg)))
        print()


if __name__ == "__main__":
    main()
