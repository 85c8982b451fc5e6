"""The re-plan's and comparison's words, Chinese first, English too (``text(key, lang)``)."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    # the store no longer matches the scenario
    "mismatch.head": (
        "计划库与方案不再一致，未重新编排（原计划未改动）：",
        "The saved plan no longer matches the scenario; nothing was re-planned (the saved "
        "plan is unchanged):",
    ),
    "mismatch.grid_gone": (
        "网格 {grid} 已从网格图层删除",
        "grid {grid} was deleted from the grids",
    ),
    "mismatch.grid_beat": (
        "网格 {grid} 的警格由 {old} 改为 {new}",
        "grid {grid} moved from beat {old} to beat {new}",
    ),
    "mismatch.renamed": (
        "人员 {pid} 由“{old}”改名为“{new}”",
        "person {pid} was renamed from '{old}' to '{new}'",
    ),
    "mismatch.new_id": (
        "人员“{name}”的编号由 {old} 改为 {new}",
        "person '{name}' changed id from {old} to {new}",
    ),
    "mismatch.shifts": (
        "班次由 {old} 改为 {new}",
        "the shifts changed from {old} to {new}",
    ),
    "mismatch.week": ("周起始日由 {old} 改为 {new}", "the week start changed from {old} to {new}"),
    "mismatch.fix": (
        "请按原计划的网格与人员编号修正方案，或用 patrol plan 重新编排整周。",
        "Put the grids and person ids back as the plan had them, or plan the whole week "
        "again with patrol plan.",
    ),
    "cut.bad_date": (
        "日期 {date} 不在计划周（{first} 至 {last}）内。",
        "{date} is not in the planned week ({first} to {last}).",
    ),
    "cut.bad_shift": (
        "班次“{shift}”不存在，可用：{names}。",
        "there is no shift '{shift}'; use one of {names}.",
    ),
    # why a team or task changed
    "why.member_gone": ("{name} 缺勤或不在名单", "{name} is absent or left the roster"),
    "why.replaced": ("{old} 缺勤，由 {new} 替班", "{old} is absent, {new} takes their place"),
    "why.dissolved": (
        "队员缺勤且无人可替，小队取消",
        "a member is absent and nobody can take their place",
    ),
    "why.team_gone": ("原小队取消", "its team was cancelled"),
    "why.moved": ("改由其他小队或班次完成", "moved to another team or shift"),
    "why.new_task": ("新增任务", "a new task"),
    "why.no_longer": ("不再需要", "no longer needed"),
    "why.newly_unserved": ("新近未安排：{reason}", "newly unserved: {reason}"),
    "why.time": ("同一小队，时间调整", "same team, new times"),
    # the changes table
    "col.change": ("变动", "change"),
    "col.what": ("对象", "what"),
    "col.date": ("日期", "date"),
    "col.shift": ("班次", "shift"),
    "col.team": ("小队", "team"),
    "col.before": ("原", "before"),
    "col.after": ("现", "after"),
    "col.why": ("原因", "why"),
    "change.team": ("小队变动", "team changed"),
    "change.task_moved": ("任务调整", "task moved"),
    "change.newly_unserved": ("新近未安排", "newly unserved"),
    "change.newly_served": ("新近安排", "newly served"),
    # revisions and sheets
    "revised": ("修订", "revised"),
    "revision.mark": ("修订 第{n}版", "revised, revision {n}"),
    # comparison
    "cmp.figure": ("指标", "figure"),
    "cmp.a": ("方案A", "plan A"),
    "cmp.b": ("方案B", "plan B"),
    "cmp.diff": ("差值(B-A)", "difference (B-A)"),
    "cmp.demand_met": ("加权需求完成率(%)", "weighted demand met (%)"),
    "cmp.visits": ("入户走访次数", "household visits"),
    "cmp.sweeps": ("网格巡查次数", "grid sweeps"),
    "cmp.sweeps_grid": ("网格 {grid} 巡查次数", "sweeps of grid {grid}"),
    "cmp.walking_h": ("步行小时数", "walking hours"),
    "cmp.blind_residents": ("盲区内居民数", "residents in blind spots"),
    "cmp.blind_incidents": ("盲区内警情数", "incidents in blind spots"),
    "cmp.blind_area": ("盲区面积(平方米)", "blind-spot area (m²)"),
    "cmp.duty_spread": ("{role}班次差(最多-最少)", "{role} duty spread (most - fewest)"),
    "cmp.routes_changed": ("变动路线数", "routes changed"),
    "cmp.streets_walked": ("新走街段数", "streets newly walked"),
    "cmp.streets_unwalked": ("不再走街段数", "streets newly unwalked"),
    "cmp.blind_gained": ("新增盲区(平方米)", "blind spots gained (m²)"),
    "cmp.blind_lost": ("消除盲区(平方米)", "blind spots lost (m²)"),
    "cmp.same": ("两方案无差异。", "The two plans do not differ."),
    "cmp.title": ("方案对比", "Plans compared"),
    "cmp.layer.gained": ("新增盲区", "blind spots gained"),
    "cmp.layer.lost": ("消除盲区", "blind spots lost"),
    "cmp.layer.walked": ("新走街段", "streets newly walked"),
    "cmp.layer.unwalked": ("不再走街段", "streets newly unwalked"),
    "cmp.layer.routes": ("变动路线（方案B）", "routes changed (plan B)"),
    # the command line
    "cli.replanned": (
        "自 {first} 起重新编排：加权需求完成率 {before}% → {after}%；{count} 处变动；"
        "此后的小队班次 {kept}% 成员不变。",
        "Re-planned from {first}: weighted demand met {before}% -> {after}%; {count} "
        "change(s); {kept}% of the later team-shifts kept their members.",
    ),
    "cli.more": ("……另有 {count} 处，见 {file}", "... {count} more in {file}"),
    "cli.outputs": ("输出文件：", "Outputs:"),
    "cli.inputs_changed": (
        "自上次编排以来改动的方案文件：{files}；按新内容重新编排。",
        "Scenario files changed since the plan was made: {files}; re-planning with them.",
    ),
    "cli.time_limit": (
        "--time-limit 必须大于 0，现为 {limit}。",
        "--time-limit must be positive, got {limit}.",
    ),
    "cli.no_scenario": (
        "找不到 {out} 中计划所用的方案文件夹，请用 --scenario 指定。",
        "The scenario folder of the plan in {out} is not found; give it with --scenario.",
    ),
    # variants
    "variant.bad": ("变动文件 {file} 有误：{what}", "the change file {file} is wrong: {what}"),
    "variant.fix": (
        "可用：[[add_people]]（person_id、name、role…）、[[set_risk]]（grid_id、risk）、"
        "[[add_cameras]]（camera_id、lon、lat、range_m…）。",
        "Use [[add_people]] (person_id, name, role, ...), [[set_risk]] (grid_id, risk), "
        "[[add_cameras]] (camera_id, lon, lat, range_m, ...).",
    ),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The words for ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``."""
    pair = WORDS.get(key)
    words = key if pair is None else pair[0 if lang == "zh" else 1]
    return words.format(**values) if values else words


def both(key: str, **values: Any) -> tuple[str, str]:
    """(Chinese, English) of ``key``."""
    return text(key, "zh", **values), text(key, "en", **values)
