"""The actuals' words: check-in sheet headers, compliance headers, messages (zh, en).

Kept beside the package (not in :mod:`patrol.labels`) so the actuals' many headers and
messages live in one place; :func:`text` formats an entry, :func:`both` gives Chinese then
English, as every message of ``patrol actuals`` reads.
"""

from __future__ import annotations

from typing import Any

from patrol.errors import Problem

CATALOGUE: dict[str, tuple[str, str]] = {
    # the check-in workbook
    "sheet.checkin": ("签到表", "Check-ins"),
    "sheet.howto": ("填写说明", "How to fill in"),
    "col.date": ("日期", "date"),
    "col.shift": ("班次", "shift"),
    "col.team_id": ("小队编号", "team id"),
    "col.members": ("队员", "members"),
    "col.seq": ("序号", "stop no."),
    "col.kind": ("任务类型", "task"),
    "col.task_id": ("任务编号", "task id"),
    "col.grid_id": ("网格", "grid"),
    "col.place": ("地点", "place"),
    "col.planned_arrive": ("计划到达", "planned arrival"),
    "col.planned_depart": ("计划离开", "planned departure"),
    "col.arrive": ("实到时间", "arrival time"),
    "col.done": ("完成(是/否)", "done (yes/no)"),
    "col.note": ("备注", "note"),
    "howto.1": (
        "每个小队每个班次一组，每站一行。请在“实到时间”填写到达时间（如 09:35），",
        "One group per team-shift, one row per stop. Write the arrival time (e.g. 09:35) ",
    ),
    "howto.2": (
        "在“完成(是/否)”填写 是 或 否，必要时在“备注”说明原因。",
        "in 'arrival time', yes or no in 'done (yes/no)', and a reason in 'note' if needed.",
    ),
    "howto.3": (
        "填好后运行：patrol actuals 输出目录 --checkins checkin.xlsx",
        "Then run: patrol actuals OUT --checkins checkin.xlsx",
    ),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # errors: file, row, what, fix
    "err.unreadable": ("无法读取文件（{reason}）", "cannot read the file ({reason})"),
    "fix.unreadable": (
        "请另存为 xlsx、CSV、GPX 或 GeoJSON 后重试",
        "save it as xlsx, CSV, GPX or GeoJSON and try again",
    ),
    "err.columns": ("缺少列：{columns}", "missing columns: {columns}"),
    "fix.columns": (
        "按 checkin.xlsx 的表头填写，或导出含 人员/小队、时间、经纬度或点位编号 的签到记录",
        "use the headers of checkin.xlsx, or export the log with person/team, time and "
        "lon/lat or a check-in point id",
    ),
    "err.unknown_team": (
        "未知的小队或人员“{who}”：本周计划中没有",
        "unknown team or person '{who}': not in this week's plan",
    ),
    "fix.unknown_team": (
        "使用 checkin.xlsx 中的小队编号或花名册中的人员编号",
        "use a team id from checkin.xlsx or a person id from the roster",
    ),
    "err.unknown_stop": (
        "小队 {team} 没有第 {seq} 站",
        "team {team} has no stop {seq}",
    ),
    "fix.unknown_stop": (
        "序号按 checkin.xlsx 填写，不要增删行",
        "keep the stop numbers of checkin.xlsx; do not add or remove rows",
    ),
    "err.unknown_point": (
        "未知的签到点位“{point}”",
        "unknown check-in point '{point}'",
    ),
    "fix.unknown_point": (
        "点位编号应为计划中的任务编号或目标编号（如走访户编号）",
        "the point id must be a task id or target id of the plan (a household id, say)",
    ),
    "err.bad_time": ("“{value}”不是时间", "'{value}' is not a time"),
    "fix.bad_time": (
        "写成 09:35 或 2026-11-30 09:35",
        "write it as 09:35 or 2026-11-30 09:35",
    ),
    "err.bad_done": ("“{value}”不是 是/否", "'{value}' is not yes/no"),
    "fix.bad_done": ("填写 是 或 否（或留空）", "write yes or no (or leave it blank)"),
    "err.bad_lonlat": ("经纬度“{value}”无效", "lon/lat '{value}' is not valid"),
    "fix.bad_lonlat": (
        "经度 -180～180、纬度 -90～90，十进制度",
        "longitude -180..180 and latitude -90..90 in decimal degrees",
    ),
    "err.outside_week": (
        "时间 {time} 不在计划周（{start} 至 {end}）内",
        "time {time} is outside the planned week ({start} to {end})",
    ),
    "fix.outside_week": (
        "检查日期与设备时钟，或把它导入对应那一周的计划",
        "check the date and the device clock, or import it into the plan of its own week",
    ),
    "err.outside_area": (
        "轨迹 {track} 的 {share}% 定位点在辖区外（最远 {far_m} 米）",
        "track {track}: {share}% of its fixes lie outside the area (up to {far_m} m away)",
    ),
    "fix.outside_area": (
        "检查坐标是否为 WGS 84 经纬度、是否为本所的设备",
        "check that the coordinates are WGS 84 lon/lat and the device is this station's",
    ),
    "err.duplicate": (
        "重复签到：小队 {team} 第 {seq} 站已在 {other} 签到",
        "duplicate check-in: team {team} stop {seq} is already checked in at {other}",
    ),
    "fix.duplicate": ("删去重复的一行（或重复的文件）", "remove the repeated row (or file)"),
    "err.no_fixes": ("文件中没有带时间的定位点", "the file holds no timed GPS fixes"),
    "fix.no_fixes": (
        "导出轨迹时勾选时间，每个点需有经纬度和时间",
        "export the track with times: every fix needs lon/lat and a time",
    ),
    # warnings, one per track
    "warn.gap": (
        "轨迹 {track} 中断 {minutes} 分钟（自 {start}），中断期间按未巡逻计",
        "track {track} has a gap of {minutes} min (from {start}); counted as not patrolled",
    ),
    "fix.gap": ("检查定位设备的电量与定位设置", "check the device's battery and location setting"),
    "warn.noise": (
        "轨迹 {track} 定位漂移较大（距街道中位 {median_m} 米）",
        "track {track} is noisy (median {median_m} m from the streets)",
    ),
    "fix.noise": ("开启高精度定位", "turn on high-accuracy location"),
    "warn.far": (
        "轨迹 {track} 有 {count} 个定位点距街道超过 {limit_m} 米，已忽略",
        "track {track}: {count} fixes lie more than {limit_m} m from any street and were ignored",
    ),
    "fix.far": (
        "属正常情况（进楼、信号遮挡）可忽略；否则检查设备",
        "normal inside buildings or under cover; otherwise check the device",
    ),
    "warn.clock": (
        "轨迹 {track} 的时间与班次 {shift} 相差 {hours} 小时，设备时钟可能有误，已按班次校正",
        "track {track} is {hours} h off its shift {shift}: the device clock looks wrong; "
        "corrected to the shift",
    ),
    "fix.clock": (
        "把设备时间设为北京时间（自动）",
        "set the device to Beijing time (automatic)",
    ),
    "warn.off_duty": (
        "轨迹 {track}：{who} 在 {date} 没有排班，未计入",
        "track {track}: {who} has no shift on {date}; not counted",
    ),
    "fix.off_duty": (
        "检查人员编号或设备归属",
        "check the person id or who carried the device",
    ),
    "warn.unplaced": (
        "签到（{who}，{time}）附近 {radius_m} 米内没有该小队的计划站点，未计入",
        "check-in ({who}, {time}) has no planned stop of the team within {radius_m} m; not counted",
    ),
    "fix.unplaced": ("检查签到位置或点位编号", "check the check-in's place or point id"),
    "err.no_actuals": (
        "{out} 中还没有实际巡逻数据：先运行 patrol actuals {out} --checkins … --tracks …",
        "{out} holds no actuals yet: run patrol actuals {out} --checkins ... --tracks ... first",
    ),
    "msg.problems": (
        "签到/轨迹有 {n} 处问题，计划库未改动：",
        "{n} problem(s); the store is unchanged:",
    ),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The catalogue text for ``key`` in ``lang``, formatted with ``values``."""
    zh, en = CATALOGUE.get(key, (key, key))
    return (zh if lang == "zh" else en).format(**values)


def both(key: str, **values: Any) -> str:
    """Chinese, then English: ``"中文 / English"``."""
    return f"{text(key, 'zh', **values)} / {text(key, 'en', **values)}"


def problem(
    file: str,
    what: str,
    *,
    row: int | str = "",
    severity: str = "error",
    **values: Any,
) -> Problem:
    """A :class:`~patrol.errors.Problem` for ``err.<what>`` or ``warn.<what>`` with its
    fix, in Chinese and English; ``row`` is the file's row (1 = first data row)."""
    prefix = "err" if severity == "error" else "warn"
    return Problem(
        file,
        both(f"{prefix}.{what}", **values),
        both(f"fix.{what}"),
        feature=f"row {row}" if row != "" else "",
        severity="error" if severity == "error" else "warning",
    )
