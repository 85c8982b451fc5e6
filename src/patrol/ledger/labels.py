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
    "err.no_actuals": (
        "{out} 中还没有实际巡逻记录；请先运行 patrol actuals 输出目录 --checkins ... --tracks ...",
        "{out} holds no actuals yet; run patrol actuals OUT --checkins ... --tracks ... first",
    ),
    # what the commands print
    "msg.imported": (
        "台账库 {store}：已导入 {week} 一周（{shifts} 个班组，{done} 个有实际记录）",
        "station store {store}: week of {week} imported ({shifts} team-shifts, {done} with "
        "actuals)",
    ),
    "msg.no_daily": (
        "{day} 没有计划班次，未出抽查名单",
        "no patrol planned on {day}: no spot-check list",
    ),
    "msg.reports": ("台账与报表：", "ledger and reports:"),
    "msg.next_week": (
        "下周场景：{folder}（{n} 处修改）",
        "next week's scenario: {folder} ({n} changes)",
    ),
    # the next week's change list
    "col.layer": ("文件", "file"),
    "col.target": ("对象", "item"),
    "col.field": ("字段", "field"),
    "col.old": ("原值", "was"),
    "col.new": ("新值", "now"),
    "col.why": ("原因", "why"),
    "value.due_first": ("逾期，下周优先走访", "overdue, first next week"),
    "change.visited": ("本周已走访，更新最近走访日期", "visited this week: last visit moved on"),
    "change.missed_visit": (
        "本周漏访：最近走访日期不变，下周逾期优先",
        "missed this week: last visit kept, so it is overdue and planned first",
    ),
    "change.missed_patrols": (
        "本周有漏巡：下周提级一周",
        "patrols missed this week: raised for next week",
    ),
    "change.raise_ended": ("上周提级到期，恢复原等级", "last week's raise ends"),
    "change.next_week": ("计划周顺延一周", "the plan moves on a week"),
    # report titles, headings, headlines
    "title.daily": ("每日暗访抽查名单", "Daily spot-check list"),
    "title.weekly": ("每周跟进考核督导", "Weekly follow-up"),
    "title.monthly": ("每月考核通报", "Monthly report"),
    "title.ledger": ("巡逻走访台账", "Patrol and visit ledger"),
    "sheet.overview": ("概况", "overview"),
    "sheet.none": ("（无）", "(none)"),
    "period.week": ("{start} 至 {end}", "{start} to {end}"),
    "sep": ("；", "; "),
    "head.daily": (
        "抽查 {n} 个班组（{flagged} 个按近 {days} 天记录选出，其余随机），"
        "共 {candidates} 个班组在岗。",
        "{n} team-shifts to check ({flagged} chosen by the last {days} days' record, the "
        "rest at random) of {candidates} on duty.",
    ),
    "head.daily_secret": (
        "随机抽取按派出所和日期固定，名单不要提前告知被查班组。",
        "The random pick is fixed by station and date; do not tell the teams in advance.",
    ),
    "head.weekly": (
        "本周 {shifts} 个班组，计划停靠点 {stops} 个，完成 {done}，漏点 {missed} 个；"
        "走访完成 {visits}/{due} 户；热点驻留不足 {short} 次。",
        "{shifts} team-shifts this week, {stops} stops planned, {done} done, {missed} "
        "missed; {visits} of {due} visits done; {short} hot-spot stops too short.",
    ),
    "head.carried": (
        "结转下周未完成走访 {n} 户（下周优先安排）。",
        "{n} visits carried forward (due first next week).",
    ),
    "head.monthly": (
        "本月 {weeks} 周、{shifts} 个班组。",
        "{weeks} weeks and {shifts} team-shifts this month.",
    ),
    "head.monthly_top": (
        "盲区人口最多的网格：{grid} {name}（盲区人口 {blind}，本月警情 {incidents} 起）。",
        "Grid with most residents in blind spots: {grid} {name} ({blind} residents, "
        "{incidents} incidents this month).",
    ),
    "head.ledger": (
        "共 {weeks} 周：巡逻班组 {patrols} 条，走访 {visits} 条。",
        "{weeks} weeks: {patrols} team-shifts, {visits} visits.",
    ),
    "sec.daily": ("抽查名单", "to check"),
    "sec.people": ("人员考核", "per person"),
    "sec.grids": ("网格考核", "per grid"),
    "sec.carried": ("结转走访", "visits carried forward"),
    "sec.trend": ("逐周趋势", "week by week"),
    "sec.ranking": ("网格排名", "grid ranking"),
    "sec.patrols": ("巡逻台账", "patrols"),
    "sec.visits": ("走访台账", "visits"),
    "sec.grid_weeks": ("网格台账", "grids by week"),
    "note.carried": (
        "本周及以前漏访、此后仍未走访的重点户。",
        "Focus households missed this week or before and not visited since.",
    ),
    "note.ranking": (
        "按本月各周盲区人口（实际巡逻）之和、再按本月警情数排序。",
        "Ranked by the month's residents in blind spots as walked (summed over weeks), "
        "then by the month's incidents.",
    ),
    # reasons a team-shift is checked
    "why.deviated": ("偏离计划", "deviated"),
    "why.missed_visits": ("漏访", "missed visits"),
    "why.short_dwell": ("驻留不足", "short dwell"),
    "why.random": ("随机抽查", "random pick"),
    "why.missed_stops": ("漏点", "missed stops"),
    "why.late": ("迟到", "late"),
    "why.missed_stops_text": ("漏点 {n} 个", "{n} stops missed"),
    "why.late_text": ("迟到 {n} 次", "{n} late arrivals"),
    "why.beat": ("本警格：{record}", "this beat: {record}"),
    "why.deviated_text": ("偏离计划 {share}%（{when}）", "{share}% off the plan ({when})"),
    "why.missed_visits_text": ("漏访 {n} 户", "{n} visits missed"),
    "why.short_dwell_text": ("热点驻留不足 {n} 次", "{n} hot-spot stops too short"),
    # stop statuses
    "status.done": ("已完成", "done"),
    "status.late": ("迟到", "late"),
    "status.missed": ("未完成", "missed"),
    # headers
    "col.pick": ("序号", "no."),
    "col.week_start": ("周起始日", "week of"),
    "col.date": ("日期", "date"),
    "col.shift": ("班次", "shift"),
    "col.team_id": ("小队编号", "team"),
    "col.beat_id": ("警格", "beat"),
    "col.members": ("成员", "members"),
    "col.grids": ("网格", "grids"),
    "col.grid_id": ("网格", "grid"),
    "col.name": ("名称", "name"),
    "col.start": ("出发时间", "start"),
    "col.end": ("返回时间", "end"),
    "col.reason": ("抽查原因", "why checked"),
    "col.record": ("近期记录", "recent record"),
    "col.check_at": ("暗访时间地点", "where and when to check"),
    "col.person_id": ("人员编号", "person"),
    "col.role": ("身份", "role"),
    "col.risk": ("风险等级", "risk"),
    "col.residents": ("人口", "residents"),
    "col.shifts": ("班组数", "team-shifts"),
    "col.shifts_planned": ("计划班次", "shifts planned"),
    "col.shifts_tracked": ("有轨迹班次", "shifts tracked"),
    "col.stops_planned": ("计划停靠点", "stops planned"),
    "col.stops_done": ("完成", "done"),
    "col.stops_late": ("迟到", "late"),
    "col.stops_missed": ("漏点", "missed"),
    "col.stops_done_share": ("完成率(%)", "done (%)"),
    "col.visits_due": ("应访户数", "visits due"),
    "col.visits_planned": ("计划走访", "visits planned"),
    "col.visits_done": ("完成走访", "visits done"),
    "col.visits_done_share": ("走访完成率(%)", "visits done (%)"),
    "col.sweep_share": ("巡查路线完成(%)", "sweep walked (%)"),
    "col.sweeps_required": ("应巡次数", "sweeps required"),
    "col.sweeps_planned": ("计划巡查", "sweeps planned"),
    "col.sweeps_done": ("完成巡查", "sweeps done"),
    "col.hotspot_target_min": ("热点应驻留(分钟)", "hot-spot minutes due"),
    "col.hotspot_dwell_min": ("热点实驻留(分钟)", "hot-spot minutes"),
    "col.hotspot_short": ("驻留不足次数", "short dwells"),
    "col.deviation": ("偏离度(%)", "deviation (%)"),
    "col.longest_gap_walked_h": ("最长无巡逻间隔(小时)", "longest gap (h)"),
    "col.blind_residents_walked": ("盲区人口(实际)", "residents in blind spots"),
    "col.household_id": ("重点户编号", "household"),
    "col.first_missed": ("首次漏访", "first missed"),
    "col.last_missed": ("最近漏访", "last missed"),
    "col.times_missed": ("漏访次数", "times missed"),
    "col.last_done": ("最近完成走访", "last visit done"),
    "col.incidents": ("警情数", "incidents"),
    "col.rank": ("排名", "rank"),
    "col.tracked": ("有轨迹", "tracked"),
    "col.planned_arrive": ("计划到达", "planned arrival"),
    "col.arrive": ("实到时间", "arrival"),
    "col.status": ("完成情况", "status"),
    "col.dwell_min": ("驻留(分钟)", "minutes on site"),
    "col.late_min": ("迟到(分钟)", "minutes late"),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The ledger's text for ``key`` in ``lang`` (then :mod:`patrol.labels`'), formatted."""
    pair = CATALOGUE.get(key) or SHARED.get(key)
    found = key if pair is None else pair[0 if lang == "zh" else 1]
    return found.format(**values) if values else found


def both(key: str, **values: Any) -> str:
    """Chinese, then English, on two lines: how the ledger's messages read."""
    return f"{text(key, 'zh', **values)}\n{text(key, 'en', **values)}"
