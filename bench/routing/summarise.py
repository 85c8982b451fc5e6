"""Summarise benchmark CSVs as Markdown tables: per class and engine, mean gap and vehicles.

    python bench/routing/summarise.py bench/routing/results/solomon_all_5s.csv ...
    python bench/routing/summarise.py "results/a_1s.csv+results/a_5s.csv:pyvrp"  # one table

``gap %`` is the distance gap to the best-known distance over feasible runs; with a
vehicles-first objective read it next to ``veh - bks`` (total vehicles above the
best-known count): fewer vehicles usually costs distance, and more vehicles can give a
negative distance gap.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from collections import defaultdict
from pathlib import Path

ORDER = ["C1", "C2", "R1", "R2", "RC1", "RC2", "X"]


def summarise(*paths: Path, engine_filter: str = "") -> str:
    """One Markdown table for one or more CSVs; with several, a column per engine and
    time limit (``pyvrp 30s``), optionally only the engines named in ``engine_filter``."""
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if engine_filter and row["engine"] not in engine_filter.split(","):
                    continue
                if len(paths) > 1:
                    row["engine"] = f"{row['engine']} {float(row['time_limit_s']):g}s"
                rows.append(row)
    by: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by[(row["group"], row["engine"])].append(row)
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    if len(paths) == 1:
        engines.sort()
    groups = [g for g in ORDER if any((g, e) in by for e in engines)]
    lines = [
        ", ".join(f"`{path.name}`" for path in paths),
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
        ns: list[int] = []
        for engine in engines:
            items = by.get((group, engine), []) if group != "all" else totals[engine]
            if group != "all":
                totals[engine].extend(items)
            ns.append(len(items))
            ok = [r for r in items if r["feasible"] == "True"]
            gap = statistics.fmean(float(r["gap_pct"]) for r in ok) if ok else float("nan")
            extra = sum(int(r["vehicles"]) - int(r["bks_vehicles"]) for r in items)
            same = [r for r in ok if r["vehicles"] == r["bks_vehicles"]]
            same_gap = statistics.fmean(float(r["gap_pct"]) for r in same) if same else float("nan")
            cells.append(
                f"{gap:+.2f} | {extra:+d} | {same_gap:+.2f} ({len(same)}) | {len(items) - len(ok)}"
            )
        name = f"**{group}**" if group == "all" else group
        n = str(ns[0]) if len(set(ns)) == 1 else "/".join(map(str, ns))
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Print a table per CSV given on the command line; ``a.csv+b.csv`` merges files
    into one table, ``a.csv:pyvrp`` keeps one engine of a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "tables",
        nargs="+",
        metavar="CSV[+CSV...][:ENGINE]",
        help="One table per argument: '+' merges files, ':pyvrp' keeps one engine.",
    )
    for arg in parser.parse_args().tables:
        parts = [part.partition(":") for part in arg.split("+")]
        engine_filter = ",".join({flt for _, _, flt in parts if flt})
        print(summarise(*(Path(name) for name, _, _ in parts), engine_filter=engine_filter))
        print()


if __name__ == "__main__":
    main()
