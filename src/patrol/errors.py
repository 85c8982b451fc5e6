"""Errors and warnings every layer of patrol raises, in Chinese and English.

Loaders never stop at the first problem: they collect :class:`Problem` records and raise
one :class:`InputError` listing all of them, each naming the file, the feature, what is
wrong and how to fix it. Repairs (such as fixing an invalid polygon) are warnings, which
``strict=True`` turns into errors.

**Both languages travel with the problem.** A problem holds its English text
(``message``, ``fix``) and its Chinese text (``message_zh``, ``fix_zh``), written side
by side where the problem is found; :meth:`Problem.text` and :meth:`PatrolError.text`
render either language (Chinese by default, the station's language). This module sits
below :mod:`patrol.labels` in the layers, so it holds the texts themselves rather than
label keys. ``str()`` of a problem or an error stays English (logs, tracebacks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
Lang = Literal["zh", "en"]
ZhText = tuple[str, str]
"""A problem's Chinese (message, fix); an empty fix when there is none."""

_NO_ZH: ZhText = ("", "")


class PatrolError(Exception):
    """Base class of every error patrol raises on purpose.

    ``zh`` is the Chinese text of the message, ``en`` the English one when ``message``
    holds both (else ``str(error)`` is the English); :meth:`text` picks the language a
    command was asked to speak.
    """

    def __init__(self, message: str = "", *, zh: str = "", en: str = "") -> None:
        super().__init__(message)
        self.zh = zh
        self.en = en

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``); ``str(error)`` when that
        language is not known."""
        if lang == "zh":
            return self.zh or str(self)
        return self.en or str(self)


_ROW = re.compile(r"^row (\d+)")
_MORE = re.compile(r" \(and (\d+) more\)$")


def feature_zh(feature: str) -> str:
    """How a Chinese message names a feature: ``row 5`` as 第 5 行, ``(and 3 more)`` as
    （另有 3 处）; ids (``grid_id=G03``) stay as the user wrote them."""
    text = _MORE.sub(lambda m: f"（另有 {m.group(1)} 处）", feature)
    return _ROW.sub(lambda m: f"第 {m.group(1)} 行", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what it is and how to fix it.

    ``feature`` is the row number or the feature's id (``"grid_id=G03"``), empty when the
    problem concerns the whole file. ``message``/``fix`` are English, ``message_zh`` /
    ``fix_zh`` the same in Chinese (empty: not translated, the English is shown).
    """

    file: str
    message: str
    fix: str = ""
    feature: str = ""
    field: str = ""
    severity: Severity = "error"
    message_zh: str = ""
    fix_zh: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """One line in ``lang``: file, feature, field, what is wrong, how to fix it."""
        if lang != "zh" or not self.message_zh:
            where = self.file
            if self.feature:
                where += f" [{self.feature}]"
            if self.field:
                where += f" field '{self.field}'"
            text = f"{where}: {self.message}"
            return text + (f" Fix: {self.fix}" if self.fix else "")
        where = self.file
        if self.feature:
            where += f"［{feature_zh(self.feature)}］"
        if self.field:
            where += f" 字段“{self.field}”"
        fix = self.fix_zh or self.fix
        return f"{where}：{self.message_zh}" + (f"改正：{fix}" if fix else "")

    def as_error(self) -> Problem:
        """The same problem with severity ``error`` (``strict`` mode)."""
        return Problem(
            self.file, self.message, self.fix, self.feature, self.field, "error",
            self.message_zh, self.fix_zh,
        )  # fmt: skip


def problem_lines(problems: Iterable[Problem], *, lang: str = "zh") -> str:
    """The problems as the CLI prints them: a heading, then one line each, in ``lang``."""
    items = list(problems)
    if lang == "zh":
        head = f"输入中有 {len(items)} 个问题："
    else:
        head = f"{len(items)} problem(s) in the input:"
    return "\n".join([head] + [f"  - {p.text(lang)}" for p in items])


class InputError(PatrolError, ValueError):
    """The scenario's files or settings cannot be used as they are.

    Carries every :class:`Problem` found, so a user fixes them all in one round. A plain
    message (``InputError("...", file=..., zh="...")``) becomes one problem.
    """

    def __init__(
        self,
        problems: Iterable[Problem] | Problem | str,
        *,
        file: str = "",
        zh: str = "",
        fix: str = "",
        fix_zh: str = "",
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(file or "input", problems, fix, message_zh=zh, fix_zh=fix_zh)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(problem_lines(self.errors, lang="en"))

    @property
    def errors(self) -> list[Problem]:
        """The problems to report: the errors, or every problem when none is an error."""
        return [p for p in self.problems if p.severity == "error"] or self.problems

    def text(self, lang: str = "zh") -> str:
        """Every error, one a line, in ``lang`` (Chinese by default)."""
        return problem_lines(self.errors, lang=lang)


@dataclass
class ProblemLog:
    """Collects problems while a loader runs, then raises them together.

    ``zh`` is the Chinese (message, fix) of the English ``message`` and ``fix``.
    """

    problems: list[Problem] = field(default_factory=list)

    def error(
        self,
        file: str,
        message: str,
        fix: str = "",
        *,
        feature: str = "",
        field: str = "",
        zh: ZhText = _NO_ZH,
    ) -> None:
        self.problems.append(Problem(file, message, fix, feature, field, "error", *zh))

    def warn(
        self,
        file: str,
        message: str,
        fix: str = "",
        *,
        feature: str = "",
        field: str = "",
        zh: ZhText = _NO_ZH,
    ) -> None:
        self.problems.append(Problem(file, message, fix, feature, field, "warning", *zh))

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
            raise InputError([p.as_error() for p in bad])
