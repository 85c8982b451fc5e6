"""Errors and warnings every layer of patrol raises.

Loaders never stop at the first problem: they collect :class:`Problem` records and raise
one :class:`InputError` listing all of them, each naming the file, the feature, what is
wrong and how to fix it. Repairs (such as fixing an invalid polygon) are warnings, which
``strict=True`` turns into errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


class PatrolError(Exception):
    """Base class of every error patrol raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what it is and how to fix it.

    ``feature`` is the row number or the feature's id (``"grid_id=G03"``), empty when the
    problem concerns the whole file.
    """

    file: str
    message: str
    fix: str = ""
    feature: str = ""
    field: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.feature:
            where += f" [{self.feature}]"
        if self.field:
            where += f" field '{self.field}'"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class InputError(PatrolError, ValueError):
    """The scenario's files or settings cannot be used as they are.

    Carries every :class:`Problem` found, so a user fixes them all in one round.
    """

    def __init__(self, problems: Iterable[Problem] | Problem | str, *, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file=file or "input", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        lines = [f"{len(errors)} problem(s) in the input:"] + [f"  - {p}" for p in errors]
        super().__init__("\n".join(lines))


@dataclass
class ProblemLog:
    """Collects problems while a loader runs, then raises them together."""

    problems: list[Problem] = field(default_factory=list)

    def error(
        self, file: str, message: str, fix: str = "", *, feature: str = "", field: str = ""
    ) -> None:
        self.problems.append(Problem(file, message, fix, feature, field, "error"))

    def warn(
        self, file: str, message: str, fix: str = "", *, feature: str = "", field: str = ""
    ) -> None:
        self.problems.append(Problem(file, message, fix, feature, field, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self, *, strict: bool = False) -> None:
        """Raise one :class:`InputError` if any error (or, with ``strict``, any warning)."""
        bad = self.problems if strict else self.errors
        if bad:
            raise InputError(
                [Problem(p.file, p.message, p.fix, p.feature, p.field, "error") for p in bad]
            )
