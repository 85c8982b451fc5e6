"""One catalogue of every user-visible string, Chinese first, English too.

Maps, route sheets, reports and the CLI summary all take their words from here, so a term
reads the same everywhere. ``label(key, lang, **values)`` formats a catalogue entry.
Add new keys here (never inline strings in renderers).
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # domain words
    "grid": ("网格", "grid"),
    "beat": ("警格", "beat"),
    "post": ("警务室", "police room"),
    "station": ("派出所", "police station"),
    "building": ("楼栋", "building"),
    "households": ("户数", "households"),
    "residents": ("人口", "residents"),
    "focus_household": ("重点户", "focus household"),
    "incident": ("警情", "incident"),
    "incidents": ("警情数", "incidents"),
    "camera": ("摄像头", "camera"),
    "cameras": ("摄像头数", "cameras"),
    "team": ("警网联动小队", "team"),
    "shift": ("班次", "shift"),
    "risk": ("风险等级", "risk"),
    "blind_spot": ("盲区", "blind spot"),
    "route_sheet": ("巡逻路线单", "route sheet"),
    "people": ("人员", "people"),
    "grid_worker": ("网格员", "grid worker"),
    # roles
    "role.officer": ("民警", "officer"),
    "role.auxiliary": ("辅警", "auxiliary"),
    "role.grid_worker": ("网格员", "grid worker"),
    "role.volunteer": ("志愿者", "volunteer"),
    "role.cadre": ("村居干部", "cadre"),
    "role.elder": ("五老", "elder"),
    # risk colours
    "risk.green": ("绿", "green"),
    "risk.yellow": ("黄", "yellow"),
    "risk.orange": ("橙", "orange"),
    "risk.red": ("红", "red"),
    # weekdays
    "day.0": ("周一", "Mon"),
    "day.1": ("周二", "Tue"),
    "day.2": ("周三", "Wed"),
    "day.3": ("周四", "Thu"),
    "day.4": ("周五", "Fri"),
    "day.5": ("周六", "Sat"),
    "day.6": ("周日", "Sun"),
    # shift names commonly used
    "shift.day": ("白班", "day"),
    "shift.morning": ("早班", "morning"),
    "shift.afternoon": ("午班", "afternoon"),
    "shift.evening": ("晚班", "evening"),
    "shift.night": ("夜班", "night"),
    # task kinds
    "kind.sweep": ("网格巡查", "grid sweep"),
    "kind.hotspot": ("热点驻留", "hot-spot stop"),
    "kind.visit": ("入户走访", "household visit"),
    "kind.post": ("警务室", "police room"),
    # focus-household categories
    "category.elderly_alone": ("独居老人", "elderly living alone"),
    "category.hardship": ("困难家庭", "family in hardship"),
    "category.special_attention": ("重点关注人员", "special attention"),
    "category.mental_health": ("严重精神障碍患者", "severe mental illness"),
    "category.disabled": ("残疾人", "disabled person"),
    "category.other": ("其他", "other"),
    # incident categories
    "incident.ebike_theft": ("电动车盗窃", "e-bike theft"),
    "incident.burglary": ("入室盗窃", "burglary"),
    "incident.fraud": ("电信诈骗", "telecom fraud"),
    "incident.dispute": ("邻里纠纷", "neighbour dispute"),
    "incident.domestic": ("家庭纠纷", "family dispute"),
    "incident.fire_hazard": ("火灾隐患", "fire hazard"),
    "incident.noise": ("噪音扰民", "noise"),
    "incident.other": ("其他", "other"),
    # CLI / report
    "report.scenario": ("场景概况", "Scenario"),
    "report.per_grid": ("各网格概况", "Per grid"),
    "report.total": ("合计", "Total"),
    "report.name": ("名称", "name"),
    "report.roster": ("人员名单", "roster"),
    "report.sweeps_required": ("应巡次数", "sweeps required"),
    "report.sweeps_planned": ("计划巡查", "sweeps planned"),
    "report.night_sweeps": ("夜巡", "night sweeps"),
    "report.visits_due": ("应访户数", "visits due"),
    "report.visits_planned": ("计划走访", "visits planned"),
    "report.hotspot_minutes": ("热点驻留(分钟)", "hot-spot minutes"),
    "report.demand_met": ("加权需求满足率", "weighted demand met"),
    "report.upper_bound": ("理论上限", "upper bound"),
    "report.unserved": ("未安排任务", "Unserved tasks"),
    "report.teams_formed": ("组建小队", "teams formed"),
    "report.solve_time": ("求解用时", "solve time"),
    "report.plan": ("巡逻计划", "Patrol plan"),
    "report.week": ("周", "week"),
    "report.seconds": ("秒", "s"),
    "report.shortfall": ("缺员", "short of members"),
    # --- maps (render/maps.py) ---
    # --- sheets (render/sheets.py) ---
}


def label(key: str, lang: str = "zh", **values: Any) -> str:
    """The catalogue text for ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``.

    An unknown key returns the key itself, so a missing entry shows up rather than crashing.
    """
    pair = CATALOGUE.get(key)
    text = key if pair is None else pair[0 if lang == "zh" else 1]
    return text.format(**values) if values else text


def shift_label(name: str, lang: str = "zh") -> str:
    """A shift's display name: the catalogue word when there is one, else the name."""
    key = f"shift.{name}"
    return label(key, lang) if key in CATALOGUE else name
