"""A feasible week without a solver: the start every CP-SAT stage is hinted with.

Teams are built one by one, heaviest beat-slots first, least-loaded people first; then
people alike in everything the model sees swap whole weeks so the model's symmetry order
(the earlier in the roster works at least as many shifts) holds in the start too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from patrol.scenario.model import Person, ShiftSlot
from patrol.teams.rules import rest_partners
from patrol.teams.types import GRID_WORKER, Duty
from patrol.vocab import OTHER_ROLES, POLICE_ROLES


class _Week:
    """Who is on duty so far, and who is still free for a beat-slot."""

    def __init__(
        self,
        people: Sequence[Person],
        allowed: Duty,
        rest: Sequence[tuple[int, int]],
        fits: Callable[[Person], bool],
    ) -> None:
        self.people = people
        self.options: dict[tuple[str, int], list[int]] = defaultdict(list)
        for pi, si, b in sorted(allowed):
            if fits(people[pi]):
                self.options[(b, si)].append(pi)
        self.partner = rest_partners(rest)
        self.busy: set[tuple[int, int]] = set()
        self.load: Counter[int] = Counter()
        self.chosen: Duty = set()

    def free(self, b: str, si: int, roles: frozenset[str] | set[str]) -> list[int]:
        """People of ``roles`` who may still take beat ``b`` in slot ``si``."""
        return [
            pi
            for pi in self.options[(b, si)]
            if self.people[pi].role in roles
            and (pi, si) not in self.busy
            and self.load[pi] < self.people[pi].max_shifts_per_week
            and not any((pi, sj) in self.busy for sj in self.partner[si])
        ]

    def take(self, pi: int, si: int, b: str) -> None:
        self.busy.add((pi, si))
        self.load[pi] += 1
        self.chosen.add((pi, si, b))


def greedy_week(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: Duty,
    needed: Mapping[tuple[str, int], int],
    weight: Mapping[tuple[str, int], float],
    min_others: int,
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
) -> Duty:
    """A feasible week built team by team, heaviest beat-slots first, least-loaded people
    first; then alike people swap whole weeks so the symmetry order holds."""
    week = _Week(people, allowed, rest, lambda p: True)

    def pick(b: str, si: int, fits: frozenset[str] | set[str]) -> int | None:
        free = week.free(b, si, fits)
        if not free:
            return None
        return min(
            free,
            key=lambda pi: (
                people[pi].grid_id is None and people[pi].beat_id is None,
                week.load[pi],
                pi,
            ),
        )

    order = sorted(needed, key=lambda k: (-weight[k], slots[k[1]].start, k[0]))
    for round_ in range(max(needed.values(), default=0)):
        for b, si in order:
            if needed[(b, si)] <= round_:
                continue
            cop = pick(b, si, POLICE_ROLES)
            gw = pick(b, si, {GRID_WORKER})
            if cop is None or gw is None:
                continue
            week.take(cop, si, b)
            week.take(gw, si, b)
            for _ in range(min_others):
                other = pick(b, si, OTHER_ROLES)
                if other is not None:
                    week.take(other, si, b)
    return symmetrize_duty(week.chosen, alike)


def fill_greedily(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: Duty,
    caps: Mapping[tuple[str, int], int],
    fits: frozenset[str],
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
) -> Duty:
    """Fill up to ``caps`` places per beat-slot with people of ``fits``, least loaded first
    (a feasible start for the others' stage)."""
    week = _Week(people, allowed, rest, lambda p: p.role in fits)
    order = sorted(caps, key=lambda k: (slots[k[1]].start, k[0]))
    for round_ in range(max(caps.values(), default=0)):
        for b, si in order:
            if caps[(b, si)] <= round_:
                continue
            free = week.free(b, si, fits)
            if free:
                pi = min(free, key=lambda p: (people[p].beat_id is None, week.load[p], p))
                week.take(pi, si, b)
    return symmetrize_duty(week.chosen, alike)


def symmetrize_duty(chosen: Duty, alike: Sequence[Sequence[int]]) -> Duty:
    """Alike people swap whole weeks so that earlier ones work at least as many shifts."""
    chosen = set(chosen)
    for group in alike:
        weeks = sorted(
            ([(si, b) for pi, si, b in sorted(chosen) if pi == g] for g in group),
            key=len,
            reverse=True,
        )
        chosen -= {c for c in chosen if c[0] in group}
        chosen |= {(pi, si, b) for pi, week in zip(group, weeks, strict=True) for si, b in week}
    return chosen
