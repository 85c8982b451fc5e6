"""The ledger's words: report titles, headers, reasons and messages (zh, en).

Kept beside the package, as :mod:`patrol.actuals.labels` is: :func:`text` formats an entry
(falling back to :mod:`patrol.labels` for the shared words), :func:`both` gives Chinese
then English, as every message of ``patrol ledger`` and ``patrol next-week`` reads.
"""

from __future__ import annotations

from typing import Any

from patrol.labels import CATALOGUE as SHARED

CATALOGUE: dict[str, tuple[str, str]] = {
    # messages
    "err.store": (
        "台账库 {store} 无法读写：{reason}。请检查文件或数据库地址后重试",
        "the station store {store} cannot be read or written: {reason}. Check the file or "
        "the database URL and try again",
    ),
    "err.store_dir": (
        "台账库 {store} 是一个文件夹；请给出 .gpkg 文件或 postgresql:// 地址",
        "the station store {store} is a folder; give a .gpkg file or a postgresql:// URL",
    ),
    "err.no_psycopg": (
        "使用 PostGIS 台账库需要 psycopg：pip install 'patrol[postgis]'",
        "a PostGIS station store needs psycopg: pip install 'patrol[postgis]'",
    ),
    "err.version": (
        "台账库 {store} 的版本是 {found}，本程序读写版本 {expected}；请换一个新的台账库",
        "the station store {store} is version {found}, this program reads version "
        "{expected}; use a new store",
    ),
    "err.no_week": (
        "台账库中没有 {week} 这一周；请先运行 patrol ledger 输出目录 导入该周",
        "the station store holds no week starting {week}; import it first with patrol ledger OUT",
    ),
    "err.empty_store": (
        "台账库 {store} 还没有任何一周；请先运行 patrol ledger 输出目录 导入",
        "the station store {store} holds no week yet; import one with patrol ledger OUT",
    ),
    "err.no_month": (
        "台账库中没有 {month} 月的周",
        "the station store holds no week in {month}",
    ),
    "err.no_day": (
        "{day} 没有计划的巡逻班次（台账库中的周：{weeks}）",
        "no patrol is planned on {day} (weeks in the store: {weeks})",
    ),
    "err.next_exists": (
        "{folder} 已存在；下周场景只写入新文件夹，请换一个名字或先删除它",
        "{folder} exists; the next week's scenario is written into a new folder only: "
        "give another name or remove it first",
    ),
    "err.no_scenario": (
        "找不到本周计划所用的场景文件夹 {folder}；请用 --scenario 指定",
        "the scenario folder of this week's plan ({folder}) is not there; give it with --scenario",
    ),
    "err.gpkg_scenario": (
        "场景是 GeoPackage 文件 {file}；下周场景需要场景文件夹（每层一个文件）",
        "the scenario is the GeoPackage {file}; the next week needs a scenario folder "
        "(one file a layer)",
    ),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The ledger's text for ``key`` in ``lang`` (then :mod:`patrol.labels`'), formatted."""
    pair = CATALOGUE.get(key) or SHARED.get(key)
    found = key if pair is None else pair[0 if lang == "zh" else 1]
    return found.format(**values) if values else found


def both(key: str, **values: Any) -> str:
    """Chinese, then English, on two lines: how the ledger's messages read."""
    return f"{text(key, 'zh', **values)}\n{text(key, 'en', **values)}"
