"""What the command line itself says, in Chinese and English (``--lang``, Chinese by default).

The library's messages travel with their errors (:meth:`patrol.errors.PatrolError.text`);
these are the command line's own words around them: the error and warning prefixes, the
validation verdict, the list of outputs.
"""

from __future__ import annotations

import argparse
from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    "error": ("错误：", "error: "),
    "warning": ("警告：", "warning: "),
    "interrupted": ("已中断", "interrupted"),
    "valid": ("通过：{scenario} 校验无误。", "OK: {scenario} is valid."),
    "valid_warnings": (
        "通过：{scenario} 校验无误（{count} 条警告）。",
        "OK: {scenario} is valid ({count} warning(s)).",
    ),
    "outputs": ("输出文件：", "Outputs:"),
    "wrote_synth": (
        "已写入 {out}。用以下命令检查：patrol validate {out}",
        "Wrote {out}. Check it with: patrol validate {out}",
    ),
    "wrote_import": (
        "已写入 {out}。用以下命令规划：patrol plan {out} --out {out}_plan",
        "Wrote {out}. Plan it with: patrol plan {out} --out {out}_plan",
    ),
    "wrote_bureau": (
        "已写入 {out}。用以下命令规划：patrol plan-bureau {out} --out OUT",
        "Wrote {out}. Plan it with: patrol plan-bureau {out} --out OUT",
    ),
    "no_sample": (
        "找不到自带的样例（data/zhenganli）。请在代码仓库的克隆中运行 patrol demo，"
        "或用 --data 指定一个场景文件夹。",
        "The bundled sample (data/zhenganli) was not found. Run patrol demo from "
        "a clone of the repository, or give a scenario folder with --data.",
    ),
    "bad_tiles": ("--tiles 的值无法使用：{reason}", "--tiles cannot be used: {reason}"),
    "time_limit_positive": (
        "--time-limit 必须大于 0，现为 {limit}。",
        "--time-limit must be positive, got {limit}.",
    ),
    "wall_clock_needs_limit": (
        "--wall-clock 需要 --time-limit S：整个运行可用的秒数。",
        "--wall-clock needs --time-limit S: the seconds the whole run may take.",
    ),
    "reading": ("正在读取 {path} ……", "Reading {path} ..."),
    "reading_plan": ("正在读取 {out} 中的计划……", "Reading the plan in {out} ..."),
    "measuring": (
        "正在重新测算 {out} 中计划的覆盖……",
        "Measuring the coverage of the plan in {out} ...",
    ),
    "writing_synth": ("正在把合成场景写入 {out} ……", "Writing a synthetic scenario to {out} ..."),
    "writing_bureau": (
        "正在把含 {count} 个派出所的合成分局写入 {out} ……",
        "Writing a synthetic bureau of {count} stations to {out} ...",
    ),
    "importing": (
        "正在 {out} 中生成 {city} 示例场景……",
        "Building the {city} example scenario in {out} ...",
    ),
}


def lang_of(args: argparse.Namespace) -> str:
    """The language a command speaks: ``--lang``, else Chinese."""
    lang = getattr(args, "lang", None)
    return "en" if lang == "en" else "zh"


def say(key: str, lang: str, **values: Any) -> str:
    """The command line's text ``key`` in ``lang``, formatted with ``values``."""
    text = WORDS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


def both(key: str, **values: Any) -> dict[str, str]:
    """``key`` as the English message and ``zh`` keyword of a :class:`PatrolError`."""
    return {"message": say(key, "en", **values), "zh": say(key, "zh", **values)}
