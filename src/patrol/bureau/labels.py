"""The bureau's words, Chinese first, English too: messages, progress, table headers, map.

``both(key, **values)`` gives a message in Chinese, then English on the next line (what
the command line prints and a failed station reports); ``word(key, lang)`` one language.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    # the bureau folder
    "not_folder": (
        "“{path}”不是文件夹。请给出分局文件夹（每个派出所一个场景子文件夹）。",
        "'{path}' is not a folder. Give the bureau folder that holds one scenario folder "
        "per station.",
    ),
    "no_station": (
        "“{path}”中没有派出所子文件夹。请每个派出所放一个场景文件夹（patrol synth OUT "
        "--bureau 3 可生成示例）。",
        "'{path}' holds no station folder. Put one scenario folder per station in it "
        "(patrol synth OUT --bureau 3 writes an example).",
    ),
    "bad_bureau_table": (
        '{file}：[bureau] 表只能写 name = "…"（分局名称）；其余共用设置写在表外。',
        '{file}: the [bureau] table may only hold name = "..." (the bureau\'s name); '
        "shared settings go outside it.",
    ),
    "bad_toml": (
        "{file} 不是有效的 UTF-8 TOML：{reason}。请检查该行的引号和括号（字符串须用双引号）。",
        "{file} is not valid UTF-8 TOML: {reason}. Check the quoting and brackets on that "
        "line; strings need double quotes.",
    ),
    "bad_station": (
        "派出所“{station}”未能编制：{reason}",
        "station '{station}' was not planned: {reason}",
    ),
    "out_inside": (
        "输出文件夹“{out}”不能在分局文件夹“{bureau}”之内（会被当作派出所）。请另选位置。",
        "The output folder '{out}' may not lie inside the bureau folder '{bureau}' (it "
        "would be read as a station). Choose another place.",
    ),
    "out_not_bureau": (
        "“{out}”已存在且不是分局输出文件夹；为免覆盖他人文件，请另选一个新文件夹。",
        "'{out}' exists and is not a bureau output folder; choose a new folder so nothing "
        "else is overwritten.",
    ),
    "locked": (
        "另一个分局编制正在写“{out}”（主机 {host}，进程 {pid}）。请等它结束；若确认它已中止，"
        "删除 {lock} 后重试。",
        "another bureau run is writing '{out}' (host {host}, process {pid}). Wait for it to "
        "end; if you are sure it has stopped, delete {lock} and run again.",
    ),
    "store_failed": (
        "分局数据库 {store} 写入失败：{reason}。本周各表保持原样；"
        "请检查地址、用户权限和 PostGIS 扩展。",
        "writing the bureau database {store} failed: {reason}. Its tables are as they were; "
        "check the URL, the user's rights and the PostGIS extension.",
    ),
    "bad_workers": (
        "--workers 至少为 1，而给出的是 {workers}。改正：例如 --workers 2。",
        "--workers must be at least 1, got {workers}. Fix: e.g. --workers 2.",
    ),
    "outputs": ("输出文件：", "Outputs:"),
    "database_rows": ("写入 {rows} 行", "{rows} rows written"),
    "bad_store": (
        "--store 须是 PostGIS 数据库地址 postgresql://用户@主机/库名，而给出的是“{store}”；"
        "GeoPackage（bureau.gpkg）总会写在 OUT 中。",
        "--store must be a PostGIS database URL, postgresql://user@host/db, got '{store}'; "
        "the GeoPackage (bureau.gpkg) is always written in OUT.",
    ),
    # progress
    "progress": ("已完成 {done}/{total} 个派出所", "stations done {done}/{total}"),
    "slowest": (
        "最慢的仍在编制：{station}（已 {seconds:.0f} 秒）",
        "slowest still running: {station} ({seconds:.0f} s)",
    ),
    "planned": ("{station}：已编制（{seconds:.1f} 秒）", "{station}: planned ({seconds:.1f} s)"),
    "skipped": (
        "{station}：输入与设置未变，沿用已存计划",
        "{station}: inputs and settings unchanged, stored plan kept",
    ),
    "failed": ("{station}：失败 —— {message}", "{station}: FAILED - {message}"),
    "cluster": (
        "在 {address} 上编制（{workers} 个工作进程）",
        "planning on {address} ({workers} workers)",
    ),
    "done": (
        "分局完成：{planned} 个已编制，{skipped} 个沿用，{failed} 个失败；输出在 {out}",
        "bureau done: {planned} planned, {skipped} kept, {failed} failed; outputs in {out}",
    ),
    "no_dask": (
        '分局编制需要 Dask：请安装 pip install -e ".[bureau]"（或 ".[dev]"）。',
        'Planning a bureau needs Dask: install it with pip install -e ".[bureau]" (or ".[dev]").',
    ),
    "no_scheduler": (
        "无法连接调度器 {address}：{reason}。请确认 dask scheduler 正在运行且地址正确。",
        "cannot reach the scheduler {address}: {reason}. Check that `dask scheduler` runs "
        "there and the address is right.",
    ),
    # the summary table and the map
    "col.station": ("派出所", "station"),
    "col.status": ("状态", "status"),
    "col.grids": ("网格数", "grids"),
    "col.routes": ("路线数", "routes"),
    "col.demand_met": ("加权需求完成率", "weighted demand met"),
    "col.bound": ("上界", "upper bound"),
    "col.unserved": ("未完成任务数", "unserved tasks"),
    "col.gaps": ("缺编班次", "staffing gaps"),
    "col.walked": ("街道巡走率", "street walked"),
    "col.blind_spots": ("盲区数", "blind spots"),
    "col.seconds": ("用时（秒）", "seconds"),
    "col.message": ("说明", "message"),
    "status.planned": ("已编制", "planned"),
    "status.skipped": ("沿用", "kept"),
    "status.failed": ("失败", "failed"),
    "map.title": (
        "{bureau}：各派出所覆盖与盲区",
        "{bureau}: coverage and blind spots of every station",
    ),
    "map.blind": ("盲区", "blind spots"),
    "map.grids": ("网格覆盖", "grid coverage"),
    "map.stations": ("派出所辖区", "stations"),
    "map.routes": ("巡逻路线", "patrol routes"),
    "map.station_popup": (
        "{station}：完成率 {met}，盲区 {blind} 处",
        "{station}: {met} met, {blind} blind spots",
    ),
    "map.blind_popup": (
        "盲区 {area:.0f} 平方米，涉及：{stations}",
        "blind spot {area:.0f} m², stations: {stations}",
    ),
}


def word(key: str, lang: str = "zh", **values: Any) -> str:
    """One entry of the bureau's words in ``lang``, formatted with ``values``."""
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def both(key: str, **values: Any) -> str:
    """The entry in Chinese, then English on the next line."""
    return f"{word(key, 'zh', **values)}\n{word(key, 'en', **values)}"
