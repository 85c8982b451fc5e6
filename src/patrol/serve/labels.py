"""Every text the station page shows, Chinese first, English second."""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT", "text"]

TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("{station} 巡逻计划", "{station} patrol plan"),
    "nav.scenario": ("① 场景", "① Scenario"),
    "nav.plan": ("② 计划", "② Plan"),
    "nav.map": ("③ 地图", "③ Map"),
    "nav.print": ("④ 打印", "④ Print"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    # scenario page
    "scn.tool": ("点击地图：", "Click on the map to:"),
    "scn.tool.risk": ("改网格风险", "set a grid's risk"),
    "scn.tool.camera": ("放置摄像头", "place a camera"),
    "scn.tool.incident": ("放置警情", "place an incident"),
    "scn.risk": ("风险颜色：", "Risk colour:"),
    "scn.move": ("移动已有点位（空 = 新建）：", "Move an existing point (empty = add a new one):"),
    "scn.category": ("警情类别：", "Incident category:"),
    "scn.time": ("警情时间：", "Incident time:"),
    "scn.save": ("保存到场景文件", "Save to the scenario files"),
    "scn.unsaved": ("未保存的修改：{files}", "Unsaved changes: {files}"),
    "scn.clean": ("没有未保存的修改。", "No unsaved changes."),
    "scn.saved": (
        "已保存。原文件备份在 {backup}。",
        "Saved. The previous files are in {backup}.",
    ),
    "scn.save_refused": (
        "有错误，未保存。请先改正下列问题。",
        "Not saved: there are errors. Fix the problems below first.",
    ),
    "scn.ok": ("检查通过：场景可以用于计划。", "Checked: the scenario can be planned."),
    "scn.errors": ("错误（{n} 个，改正后才能保存）：", "Errors ({n}, fix them to save):"),
    "scn.warnings": ("提示（{n} 个）：", "Warnings ({n}):"),
    "scn.risk_set": ("{grid} 的风险改为{risk}。", "{grid}: risk set to {risk}."),
    "scn.no_grid": ("点击处没有网格。", "There is no grid where you clicked."),
    "scn.placed.cameras": (
        "摄像头 {id} 放在 {lon}, {lat}。",
        "Camera {id} placed at {lon}, {lat}.",
    ),
    "scn.placed.incidents": (
        "警情 {id} 放在 {lon}, {lat}。",
        "Incident {id} placed at {lon}, {lat}.",
    ),
    "scn.roster": ("人员名单（可直接修改单元格）", "Roster (edit the cells)"),
    "scn.upload": ("上传人员名单（CSV 或 Excel）", "Upload a roster (CSV or Excel)"),
    "scn.uploaded": ("已载入上传的人员名单 {name}。", "Uploaded roster {name} loaded."),
    "scn.calendar": ("可排班日历（按日期）", "Availability calendar (by date)"),
    "scn.person": ("人员", "person"),
    "roster.person_id": ("编号", "person_id"),
    "roster.name": ("姓名", "name"),
    "roster.role": ("角色", "role"),
    "roster.beat_id": ("警格", "beat_id"),
    "roster.grid_id": ("网格", "grid_id"),
    "roster.available": ("可排班时间", "available"),
    "roster.max_shifts_per_week": ("每周最多班次", "max_shifts_per_week"),
    "roster.phone": ("电话", "phone"),
    "scn.no_scenario": (
        "没有场景文件夹：只能查看和打印已保存的计划。",
        "No scenario folder: the saved plan can be viewed and printed only.",
    ),
    "scn.legend": ("图例：", "Legend:"),
    "scn.cameras": ("摄像头", "cameras"),
    "scn.incidents": ("警情", "incidents"),
    # plan page
    "plan.start": ("开始计划", "Plan the week"),
    "plan.time_limit": ("求解时间（秒，空 = 自动）：", "Solver seconds (empty = automatic):"),
    "plan.started": ("计划已开始。", "Planning started."),
    "plan.busy": (
        "已有一个计划正在进行，请等它完成后再开始。",
        "A plan is already running; wait for it to finish before starting another.",
    ),
    "plan.unsaved": (
        "注意：计划使用已保存的场景文件，未保存的修改不会进入计划。",
        "Note: the plan uses the saved scenario files; unsaved changes are not in it.",
    ),
    "plan.no_scenario": ("没有场景文件夹，不能计划。", "No scenario folder: nothing to plan."),
    "plan.idle": ("尚未开始。", "Not started."),
    "plan.running": ("进行中：{stage}（{seconds} 秒）", "Running: {stage} ({seconds} s)"),
    "plan.done": ("完成（{seconds} 秒）。", "Done ({seconds} s)."),
    "plan.failed": ("计划失败：", "Planning failed:"),
    "plan.none": ("还没有计划。", "No plan yet."),
    "plan.nothing": ("无。", "None."),
    "plan.headline": ("主要指标", "Headline figures"),
    "plan.met": ("加权需求完成率", "weighted demand met"),
    "plan.bound": ("上限", "upper bound"),
    "plan.routes": ("路线数", "routes"),
    "plan.teams": ("队伍数", "teams"),
    "plan.sweeps": ("网格巡查（计划/要求）", "grid sweeps (planned/required)"),
    "plan.visits": ("入户走访（计划/应访）", "household visits (planned/due)"),
    "plan.walk": ("步行总里程（公里）", "walking (km)"),
    "plan.gaps": ("缺编班次（{n} 个）", "Staffing gaps ({n})"),
    "plan.unserved": ("未完成任务及原因（{n} 个）", "Unserved tasks and why ({n})"),
    "plan.col.date": ("日期", "date"),
    "plan.col.shift": ("班次", "shift"),
    "plan.col.beat": ("警格", "beat"),
    "plan.col.reason": ("原因", "reason"),
    "plan.col.task": ("任务", "task"),
    "plan.col.kind": ("类型", "kind"),
    "stage.network": ("路网", "street network"),
    "stage.demand": ("任务需求", "demand"),
    "stage.teams": ("组队", "teams"),
    "stage.assignment": ("分派任务", "assignment"),
    "stage.routing": ("排路线", "routing"),
    "stage.coverage": ("覆盖与盲区", "coverage"),
    "stage.maps": ("地图", "maps"),
    "stage.sheets": ("路线单", "route sheets"),
    "stage.switch": ("保存结果", "saving"),
    # map page
    "map.which": ("地图：", "Map:"),
    "map.plan": ("计划地图（路线、队伍）", "plan map (routes, teams)"),
    "map.coverage": ("覆盖地图（盲区、摄像头）", "coverage map (blind spots, cameras)"),
    "map.hint": (
        "左上角选择日期和班次。",
        "Choose the day and shift at the top left of the map.",
    ),
    # print page
    "print.week": (
        "所长联：全周总览和全部路线单（民警联）",
        "Chief's copy: week overview and every sheet",
    ),
    "print.days": ("按日打印", "By day"),
    "print.team_copy": ("队员联", "team copy"),
    "print.police_copy": ("民警联", "police copy"),
    "print.teams": ("按队打印", "By team"),
    "print.team_pick": ("选择队伍和班次：", "Choose a team and shift:"),
    "print.download": ("下载", "Download"),
    "print.excel": ("Excel 和表格", "Excel and tables"),
    # re-plan and compare pages
    "nav.replan": ("⑤ 重新计划", "⑤ Re-plan"),
    "nav.compare": ("⑥ 对比", "⑥ Compare"),
    "rp.what": (
        "从选定的日期（和班次）起重新计划本周余下的班次：之前的班次保持不变，队伍和任务尽量不动；"
        "旧计划保存为上一版本，只重印有变化的路线单。",
        "Plan the rest of the week again from the chosen date (and shift): earlier shifts "
        "stay as they were, teams and tasks move as little as possible; the old plan is "
        "kept as the previous revision and only the changed route sheets are reprinted.",
    ),
    "rp.day": ("从哪一天：", "From the day:"),
    "rp.shift": ("从哪个班次（空 = 当天第一个）：", "From the shift (empty = the day's first):"),
    "rp.start": ("重新计划", "Re-plan"),
    "rp.changes": ("变化（{n} 项）", "Changes ({n})"),
    "rp.sheets": ("需要重印的路线单（{n} 个文件）", "Route sheets to reprint ({n} files)"),
    "cmp.revision": ("第 {n} 版", "revision {n}"),
    "cmp.one": (
        "计划只有一个版本：重新计划之后可以在这里对比。",
        "The plan has one revision only: re-plan first to compare here.",
    ),
    "cmp.a": ("计划 A：", "Plan A:"),
    "cmp.b": ("计划 B：", "Plan B:"),
    "cmp.go": ("对比", "Compare"),
    "nav.check": ("⑦ 检查", "⑦ Check"),
    "chk.what": (
        "上传本周的签到表（CSV 或 Excel）和 GPS 轨迹（GPX），与计划对照，"
        "并生成每日暗访抽查清单和每周跟进考核督导。",
        "Upload the week's check-in sheets (CSV or Excel) and GPS tracks (GPX): they are "
        "measured against the plan, then the daily spot-check list and the weekly "
        "follow-up are written.",
    ),
    "chk.upload": ("选择签到表和轨迹文件（可多选）", "Choose check-in and track files (several)"),
    "chk.start": ("导入并生成督导报表", "Import and write the reports"),
    "chk.nothing": ("请先上传文件。", "Upload the files first."),
    "chk.summary": (
        "签到 {checkins} 条，轨迹 {tracks} 条；站点完成 {done}%，漏巡 {missed} 个；"
        "巡查路线完成 {sweep}%。",
        "{checkins} check-ins, {tracks} tracks; stops done {done}%, missed {missed}; "
        "sweep length walked {sweep}%.",
    ),
    "chk.reports": ("督导报表（{n} 个文件）", "Reports ({n} files)"),
    # login
    "login.title": ("登录", "Log in"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.wrong": ("密码不对。", "Wrong password."),
    "refused": ("不能提供这个文件。", "This file cannot be served."),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The page text ``key`` in ``lang`` with ``values`` filled in."""
    zh, en = TEXT[key]
    return (en if lang == "en" else zh).format(**values)
