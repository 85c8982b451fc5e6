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
    "map.plan_title": ("{station} 巡逻计划图", "{station}: patrol plan"),
    "map.coverage_title": ("{station} 覆盖与盲区图", "{station}: coverage and blind spots"),
    "map.week": ("{start} 至 {end}", "week {start} to {end}"),
    "map.generated": ("生成于 {time}", "generated {time}"),
    "map.legend": ("图例", "Legend"),
    "map.status.met": ("巡查达标", "sweeps met"),
    "map.status.short": ("巡查不足", "sweeps short"),
    "map.status.uncovered": ("本周未巡查", "not swept this week"),
    "map.layer.status": ("网格：覆盖状态", "Grids: coverage status"),
    "map.layer.risk": ("网格：风险等级", "Grids: risk level"),
    "map.layer.grids": ("网格", "Grids"),
    "map.layer.beats": ("警格边界", "Beat boundaries"),
    "map.layer.streets": ("街道", "Streets"),
    "map.layer.posts": ("警务室", "Police rooms"),
    "map.layer.unserved": ("未安排任务", "Unserved tasks"),
    "map.layer.tiles": ("底图", "Base map"),
    "map.layer.blind_week": ("盲区（全周）", "Blind spots (week)"),
    "map.layer.blind_night": ("夜间盲区", "Night blind spots"),
    "map.layer.cameras": ("摄像头视域", "Camera views"),
    "map.layer.heat": ("近{days}天警情热力", "Incidents, last {days} days (heat)"),
    "map.layer.walked": ("街道巡走次数", "Streets by times walked"),
    "map.layer.night_walked": ("夜巡街道", "Streets walked at night"),
    "map.routes": ("巡逻路线", "Patrol routes"),
    "map.prev": ("上一班", "previous"),
    "map.next": ("下一班", "next"),
    "map.no_routes": ("本班次无巡逻路线", "No routes in this shift"),
    "map.team_list": ("{n} 支小队", "{n} teams"),
    "map.members": ("成员", "members"),
    "map.length_km": ("路程 {km} 公里", "{km} km"),
    "map.stop": ("第 {seq} 站", "Stop {seq}"),
    "map.time": ("时间", "time"),
    "map.task": ("任务", "task"),
    "map.target": ("对象", "target"),
    "map.reason": ("原因", "reason"),
    "map.sweeps": ("巡查（计划/应巡）", "sweeps (planned/required)"),
    "map.walked_share": ("街道巡走比例", "street length walked"),
    "map.longest_gap": ("最长间隔（小时）", "longest gap (h)"),
    "map.walked_count": ("巡走次数", "times walked"),
    "map.night_walked_count": ("夜间巡走次数", "times walked at night"),
    "map.never_walked": ("未巡走", "not walked"),
    "map.camera_seen": ("摄像头可见", "seen by a camera"),
    "map.yes": ("是", "yes"),
    "map.no": ("否", "no"),
    "map.blind_list": ("盲区排名（按居民数）", "Blind spots by residents"),
    "map.rank": ("排名", "rank"),
    "map.band.week": ("全周", "week"),
    "map.band.night": ("夜间", "night"),
    "map.street_length": ("街道长度（米）", "street length (m)"),
    "map.incidents_90d": ("近90天警情", "incidents, 90 days"),
    "map.no_blind_spots": ("无盲区", "no blind spots"),
    "map.focus_households": ("重点户", "focus households"),
    "map.layers": ("图层", "Layers"),
    # --- sheets (render/sheets.py) ---
    "sheet.title": ("巡逻路线单", "Patrol route sheet"),
    "sheet.week_title": ("巡逻周计划总览", "Weekly patrol overview"),
    "sheet.revised": ("修订 第{n}版", "Revised, revision {n}"),
    "sheet.week_range": ("{start} 至 {end}", "{start} to {end}"),
    "sheet.date": ("{y}年{m}月{d}日 {wd}", "{wd} {iso}"),
    "sheet.team": ("小队", "Team"),
    "sheet.members": ("队员", "Members"),
    "sheet.col.no": ("序号", "No."),
    "sheet.col.time": ("计划时间", "Planned"),
    "sheet.col.place": ("地点", "Place"),
    "sheet.col.task": ("任务", "Task"),
    "sheet.col.check": ("打卡", "Done"),
    "sheet.col.actual": ("实到时间", "Arrived"),
    "sheet.col.notes": ("备注", "Notes"),
    "sheet.start_mark": ("起", "S"),
    "sheet.end_mark": ("终", "E"),
    "sheet.depart": ("警务室出发，签到", "Leave the police room, sign in"),
    "sheet.return": ("返回警务室，签退", "Back at the police room, sign out"),
    "sheet.sweep_task": ("网格巡查 约{km}公里", "Sweep the grid, about {km} km"),
    "sheet.part": ("第{part}/{parts}段", "part {part}/{parts}"),
    "sheet.repeat": ("连续{n}遍", "{n} times in a row"),
    "sheet.start_at": ("从{street}开始", "start at {street}"),
    "sheet.hotspot_place": ("热点{id}", "Hot spot {id}"),
    "sheet.hotspot_task": ("热点驻留 {min}分钟", "Hot-spot stop, {min} min"),
    "sheet.hotspot_why": ("近90天{n}起，多为{category}", "{n} in 90 days, mostly {category}"),
    "sheet.visit_task": ("入户走访：{category}", "Household visit: {category}"),
    "sheet.anti_fraud": ("反诈宣传", "anti-fraud talk"),
    "sheet.near": ("{place}附近", "near {place}"),
    "sheet.total": (
        "全程约{km}公里，用时{duration}（{start}–{end}）",
        "Total about {km} km, {duration} ({start}–{end})",
    ),
    "sheet.duration": ("{h}小时{m}分", "{h} h {m} min"),
    "sheet.minutes": ("{m}分钟", "{m} min"),
    "sheet.leader_sign": ("小队负责人签字", "Team leader's signature"),
    "sheet.reviewer_sign": ("审核民警签字", "Reviewing officer's signature"),
    "sheet.chief_sign": ("所长审阅签字", "Chief's review signature"),
    "sheet.page": ("第{page}页 / 共{pages}页", "Page {page} of {pages}"),
    "sheet.generated": ("生成时间 {time}", "Generated {time}"),
    "sheet.plan_id": ("计划编号 {id}", "Plan {id}"),
    "sheet.continued": ("（续）", "(continued)"),
    "sheet.calendar": (
        "排班日历（小队：民警/辅警 · 网格员 · 其他队员）",
        "Duty calendar (team: officer · grid worker · others)",
    ),
    "sheet.calendar_grey": ("灰色：已编组、本班无任务", "grey: team formed, no tasks this shift"),
    "sheet.no_team": ("无", "none"),
    "sheet.headline": (
        "小队班次{routes}个 · 步行{km}公里 · 加权需求满足率{met}%"
        "（上限{bound}%） · 未安排任务{unserved}项",
        "{routes} team shifts · {km} km walked · weighted demand met "
        "{met}% (bound {bound}%) · {unserved} tasks unserved",
    ),
    "sheet.per_grid": ("各网格巡查与走访（计划/应做）", "Sweeps and visits per grid (planned/due)"),
    "sheet.short": ("不足", "short"),
    "sheet.blind_spots": (
        "盲区前{n}位（无摄像头、无巡逻经过）",
        "Top {n} blind spots (no camera, no patrol)",
    ),
    "sheet.no_coverage": ("未计算覆盖率，无盲区信息", "Coverage not measured: no blind spots"),
    "sheet.no_blind_spots": ("无盲区", "No blind spots"),
    "sheet.unserved": ("未安排任务及原因", "Unserved tasks and reasons"),
    "sheet.none": ("无", "none"),
    "sheet.more": ("另有{n}项未列出（见 plan.gpkg）", "{n} more not listed (see plan.gpkg)"),
    "sheet.reason": ("原因", "Reason"),
    "sheet.rank": ("排名", "Rank"),
    "sheet.band": ("时段", "Band"),
    "sheet.band.week": ("全周", "week"),
    "sheet.band.night": ("夜间", "night"),
    "sheet.place": ("位置", "Place"),
    "sheet.kind": ("类型", "Kind"),
    "sheet.task": ("任务", "Task"),
    "sheet.day": ("日期", "Day"),
    # static map (render/figure.py)
    "figure.north": ("北", "N"),
    "figure.post_mark": ("警", "P"),
    "figure.sweep": ("巡查路段", "sweep walk"),
    "figure.transit": ("行进路线", "walk between stops"),
    "figure.stop": ("网格巡查起点", "sweep start"),
    "figure.hotspot": ("热点", "hot spot"),
    "figure.visit": ("走访户", "household visit"),
    "figure.routes": ("巡逻路线", "patrol routes"),
    "figure.title": (
        "{station} 巡逻计划 {start} 至 {end}",
        "{station} patrol plan {start} to {end}",
    ),
    # the plan store
    "store.version": (
        "该计划以存储版本 {found} 保存，本程序读取版本 {expected}；请用 patrol plan 重新制定计划。",
        "this plan was saved in store version {found}, but this patrol reads version "
        "{expected}; plan the week again with 'patrol plan'.",
    ),
    "store.inputs_changed": (
        "场景文件自制定计划以来已改动：{files}（按保存的计划继续）",
        "the scenario's files changed since the plan was made: {files} (going on with "
        "the saved plan)",
    ),
    # --- maps: the title names the plan when no generated time is given ---
    "map.plan_id": ("计划编号 {id}", "plan {id}"),
    # --- teams: the roles and kinds of fallback teams, staffing gaps (#13) ---
    "role.red_armband": ("红袖标", "red-armband volunteer"),
    "role.police_assistant": ("警务助理", "police assistant"),
    "team.kind.full": ("1+1+N联动小队", "1+1+N team"),
    "team.kind.police_volunteers": (
        "后备小队：民警/辅警+志愿者（无网格员）",
        "fallback team: police + volunteers (no grid worker)",
    ),
    "team.kind.red_armband": (
        "后备小队：红袖标（只巡查绿、黄网格，不入户）",
        "fallback team: red armband (sweeps green and yellow grids only, no visits)",
    ),
    "team.kind.police_assistant": ("后备小队：警务助理", "fallback team: police assistant"),
    "team.name.police_volunteers": ("民警/辅警+志愿者", "police + volunteers"),
    "team.name.red_armband": ("红袖标", "red armband"),
    "team.name.police_assistant": ("警务助理", "police assistant"),
    "gaps.title": ("人员缺口（未能组队的班次）", "Staffing gaps (shifts without a team)"),
    "gaps.count": ("人员缺口共{n}个（{days}）", "{n} staffing gaps ({days})"),
    "gaps.none": ("无人员缺口", "No staffing gaps"),
    "gaps.formed": ("已组/需组", "formed/needed"),
    "gaps.fallback_used": ("已用后备小队：{text}", "Fallback teams used: {text}"),
    "gaps.no_fallback": ("未用后备小队", "No fallback teams used"),
    "team.mark": ("〔{name}〕", " [{name}]"),
    # --- sheets: the two copies of a route sheet (#20 privacy) ---
    "sheet.copy.police": ("民警联 · 含重点户信息，勿外传", "POLICE COPY · private, do not pass on"),
    "sheet.copy.team": ("队员联", "Team copy"),
    "sheet.copy_short.police": ("民警联", "police copy"),
    "sheet.copy_short.team": ("队员联", "team copy"),
    # --- why a task is unserved and what would fix it (#13, routing.reasons) ---
    "why.grid": ("网格{grid}（{beat}警格）", "grid {grid} (beat {beat})"),
    "why.sweep_of": (
        "本周第{i}次巡查（共{k}次），原定{day}",
        "sweep {i} of {k} this week, meant for {day}",
    ),
    "why.shifts": ("可用班次：{shifts}", "shifts it could use: {shifts}"),
    "why.more_shifts": ("等另{n}个班次", "and {n} more"),
    "why.need_worker": ("缺：{days}{grid}的网格员", "missing: a grid worker of {grid} on {days}"),
    "why.need_police": (
        "缺：{days}{beat}警格的民警或辅警",
        "missing: a police member of beat {beat} on {days}",
    ),
    "why.need_people": (
        "缺：{days}{beat}警格可出勤的人员（本周班次已满或无志愿者等成员）",
        "missing: people free on beat {beat} on {days} (weekly limits reached or no N member)",
    ),
    "why.need_minutes": (
        "缺：{beat}警格约{minutes}分钟小队时间",
        "missing: {minutes} team-minutes on beat {beat}",
    ),
    # the output folder (patrol plan --out OUT), checked before planning
    "out.is_file": (
        "{path} 是一个文件，不是文件夹：请用 --out 指定一个文件夹。",
        "{path} is a file, not a folder: give a folder with --out.",
    ),
    "out.not_writable": (
        "无法在 {parent} 中写入（只读或没有权限）：请用 --out 指定一个可写的文件夹。",
        "cannot write in {parent} (read-only or no permission): give a writable folder with --out.",
    ),
    "out.no_space": (
        "{parent} 所在磁盘只剩 {free_mb} MB，本次运行约需 {need_mb} MB：请腾出空间，"
        "或用 --out 换一个磁盘。",
        "the disk of {parent} has {free_mb} MB free and this run needs about {need_mb} MB: "
        "free some space or give a folder on another disk with --out.",
    ),
    "out.disk_full": (
        "写入 {path} 时磁盘已满：{out} 保持原样（上一次的计划完整保留，或没有计划）。"
        "请腾出空间后重新运行。",
        "the disk filled up while writing {path}: {out} is as it was (the previous plan, "
        "whole, or none). Free some space and run again.",
    ),
    "out.write_failed": (
        "无法写入 {path}（{reason}）：{out} 保持原样。",
        "cannot write {path} ({reason}): {out} is as it was.",
    ),
    "out.not_plan_folder": (
        "{path} 已存在，但不是 patrol 的输出文件夹（其中没有 plan.gpkg）；一次运行会整体"
        "替换输出文件夹，请用 --out 指定一个新的或空的文件夹。",
        "{path} exists but is not a patrol output folder (it holds no plan.gpkg); a run "
        "replaces its output folder whole, so give a new or empty folder with --out.",
    ),
    "out.holds_scenario": (
        "输出文件夹 {path} 包含场景文件夹 {scenario}：请用 --out 指定另一个文件夹。",
        "the output folder {path} holds the scenario folder {scenario}: give another "
        "folder with --out.",
    ),
    # --- column headers of the people's tables: CSV and plan.xlsx (#19 exports) ---
    "col.date": ("日期", "date"),
    "col.day": ("星期", "day"),
    "col.shift": ("班次", "shift"),
    "col.team_id": ("小队编号", "team"),
    "col.beat_id": ("警格", "beat"),
    "col.post_id": ("警务室", "police room"),
    "col.start": ("出发时间", "start"),
    "col.end": ("返回时间", "end"),
    "col.length_m": ("路程(米)", "distance (m)"),
    "col.stops": ("停靠点数", "stops"),
    "col.members": ("成员", "members"),
    "col.night": ("夜班", "night"),
    "col.seq": ("序号", "no."),
    "col.kind": ("任务类型", "task kind"),
    "col.target_id": ("对象编号", "target"),
    "col.grid_id": ("网格", "grid"),
    "col.arrive": ("到达时间", "arrive"),
    "col.depart": ("离开时间", "leave"),
    "col.description": ("说明", "description"),
    "col.person_id": ("人员编号", "person"),
    "col.name": ("姓名", "name"),
    "col.grid_name": ("网格名称", "grid name"),
    "col.role": ("身份", "role"),
    "col.phone": ("电话", "phone"),
    "col.shortfall": ("缺员数", "members short"),
    "col.task": ("任务编号", "task"),
    "col.reason": ("原因", "reason"),
    "col.risk": ("风险等级", "risk"),
    "col.sweeps_required": ("应巡次数", "sweeps required"),
    "col.sweeps_planned": ("计划巡查次数", "sweeps planned"),
    "col.night_sweeps_required": ("应夜巡次数", "night sweeps required"),
    "col.night_sweeps_planned": ("计划夜巡次数", "night sweeps planned"),
    "col.visits_due": ("应访户数", "visits due"),
    "col.visits_planned": ("计划走访户数", "visits planned"),
    "col.hotspot_minutes_target": ("热点应驻留(分钟)", "hot-spot minutes due"),
    "col.hotspot_minutes_planned": ("热点计划驻留(分钟)", "hot-spot minutes planned"),
    "col.recent_incidents": ("近期警情数", "recent incidents"),
    "col.shifts": ("本周班次数", "shifts this week"),
    "col.max_shifts": ("每周班次上限", "shift limit a week"),
    "col.needed": ("需组队数", "teams needed"),
    "col.formed": ("已组队数", "teams formed"),
    "col.households": ("户数", "households"),
    "col.residents": ("人口", "residents"),
    "col.street_length_m": ("街道长度(米)", "street length (m)"),
    "col.street_walked_share": ("街道巡走比例(%)", "street walked (%)"),
    "col.night_street_walked_share": ("夜间街道巡走比例(%)", "street walked at night (%)"),
    "col.camera_seen_share": ("摄像头可见街道比例(%)", "street seen by cameras (%)"),
    "col.blind_street_share": ("盲区街道比例(%)", "blind street (%)"),
    "col.buildings": ("楼栋数", "buildings"),
    "col.buildings_covered_share": ("巡逻覆盖楼栋比例(%)", "buildings passed (%)"),
    "col.residents_covered_share": ("巡逻覆盖人口比例(%)", "residents passed (%)"),
    "col.night_buildings_covered_share": ("夜巡覆盖楼栋比例(%)", "buildings passed at night (%)"),
    "col.blind_buildings": ("盲区楼栋数", "blind buildings"),
    "col.blind_residents": ("盲区人口", "residents in blind spots"),
    "col.patrols": ("巡逻次数", "patrols"),
    "col.longest_gap_h": ("最长无巡逻间隔(小时)", "longest gap without a patrol (h)"),
    "col.sweeps_share": ("巡查完成率(%)", "sweeps done (%)"),
    "col.visits_share": ("走访完成率(%)", "visits done (%)"),
    "col.incidents_90d": ("近90天警情数", "incidents, last 90 days"),
    "col.incidents_in_blind_spots": ("盲区内警情数", "incidents in blind spots"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "book.routes": ("巡逻路线", "routes"),
    "book.stops": ("停靠点", "stops"),
    "book.teams": ("小队成员", "teams"),
    "book.unserved": ("未安排任务", "unserved"),
    "book.grids": ("网格需求", "grids"),
    "book.duty": ("人员班次", "duty"),
    "book.staffing_gaps": ("人员缺口", "staffing gaps"),
    "book.coverage": ("网格覆盖", "coverage"),
    # mixed travel and posts far from the station (#21)
    "leg.walk": ("步行", "walk"),
    "leg.car": ("驾车", "drive"),
    "leg.ebike": ("骑电动车", "e-bike"),
    "sheet.leg": ("{mode} {km} · {min}分钟", "{mode} {km} · {min} min"),
    "sheet.mixed_total": (
        "其中步行 {walk}，{drive_mode} {drive}",
        "walked {walk}, {drive_mode} {drive}",
    ),
    "figure.drive": ("驾车路段", "driven"),
    "map.drive": ("驾车/骑行路段（虚线）", "driven legs (dashed)"),
    "team.stand_in": (
        "警务助理在{village}代行民警职责（本警格无民警/辅警在岗）",
        "the police assistant stands in for the police in {village} (no police member of "
        "the beat on duty)",
    ),
    "sheet.trips_title": ("驻点往返（不在任何班次内）", "Travel to and from posts (in no shift)"),
    "sheet.trip_out": ("{date} {name}：{station} → {post}", "{date} {name}: {station} → {post}"),
    "sheet.trip_back": ("{date} {name}：{post} → {station}", "{date} {name}: {post} → {station}"),
    "sheet.trip_drive": ("驾车 {km}，约 {duration}", "drive {km}, about {duration}"),
    # progress lines of a run (``Phrase``): the English text is what logs and the local
    # screen's stage detection read, so keep each English start as it is
    # log lines a chief may see (``Phrase``; the CLI's log formatter says them)
    "log.unplaced": (
        "{role} {person}（{name}）不在任何已规划的网格或警格（{where}），未编入小队。",
        "{role} {person} ({name}) serves no planned beat ({where}); left out of the teams.",
    ),
    "log.no_roads": (
        "没有道路：行程按直线距离 × {factor} 估算。",
        "no roads: travel is straight-line distance x {factor}",
    ),
    "log.settings_changed": (
        "读取 patrol.toml 后设置被改动；计划库保存的是 patrol.toml 原文件。",
        "the settings were changed after reading patrol.toml; the store keeps the file",
    ),
    "log.team_wall_clock": (
        "组队模型在墙钟时限（{seconds} 秒）处停止；在较慢的机器上各次结果可能不同。",
        "Team model stopped on the wall-clock limit ({seconds} s); results may differ "
        "between runs on a slow machine.",
    ),
    "progress.network": ("正在构建街道路网……", "Building the street network ..."),
    "progress.demand": ("正在把本周需求展开为任务……", "Expanding the week's demand into tasks ..."),
    "progress.teams": (
        "正在为{shifts}个班次组建“1+1+N”小队……",
        "Forming 1+1+N teams for {shifts} shifts ...",
    ),
    "progress.assigning": (
        "正在把{tasks}项任务分配给{teams}支小队……",
        "Assigning {tasks} tasks to {teams} teams ...",
    ),
    "progress.round": (
        "第{round}轮路线规划：{shifts}个班次中的{tasks}项任务……",
        "Routing round {round}: {tasks} tasks in {shifts} shifts ...",
    ),
    "progress.core": (
        "周计划调整又排入{tasks}项任务。",
        "The weekly core placed {tasks} more tasks.",
    ),
    "progress.planned": (
        "已规划{routes}条路线；加权需求满足率{met}%（理论上限{bound}%）。",
        "Planned {routes} routes; weighted demand met {met}% (upper bound {bound}%).",
    ),
    "progress.writing": ("正在把计划写入{out}……", "Writing the plan to {out} ..."),
    "progress.coverage": ("正在计算覆盖与盲区……", "Measuring coverage and blind spots ..."),
    "progress.switch": ("正在把{out}切换为新计划……", "Switching {out} to the new plan ..."),
    "progress.switch_revision": (
        "正在把{out}切换为第{number}版……",
        "Switching {out} to revision {number} ...",
    ),
    "progress.maps": ("正在绘制地图……", "Drawing the maps ..."),
    "progress.maps_drawn": ("地图已绘制：{done}/{total}", "Maps drawn: {done}/{total}"),
    "progress.sheets": ("正在打印路线单……", "Printing the route sheets ..."),
    "progress.route_maps_drawn": (
        "路线图已绘制：{done}/{total}",
        "Route maps drawn: {done}/{total}",
    ),
    "progress.reading_scenario": ("正在读取场景……", "Reading the scenario ..."),
    "progress.check_lists": (
        "正在生成抽查清单和跟进事项……",
        "Writing the spot-check list and the follow-up ...",
    ),
    "progress.replan_from": (
        "从{start}起重新规划；{kept}个班次保持原计划……",
        "Re-planning from {start}; {kept} shifts kept as planned ...",
    ),
    "progress.more_teams": (
        "用仍空闲的人员再组建{teams}支小队……",
        "Forming {teams} more teams from the people still free ...",
    ),
    "progress.old_teams": (
        "由原小队在{shifts}个班次中规划{tasks}项任务的路线……",
        "Routing {tasks} tasks on their old teams in {shifts} shifts ...",
    ),
    "progress.checkins": ("正在读取{files}个签到文件……", "Reading {files} check-in file(s) ..."),
    "progress.tracks": ("正在读取GPS轨迹……", "Reading the GPS tracks ..."),
    "progress.matching": (
        "正在把{tracks}条轨迹匹配到街道……",
        "Matching {tracks} track(s) to the streets ...",
    ),
    "progress.measuring_actuals": (
        "正在对照计划核算实际巡逻……",
        "Measuring what was done against the plan ...",
    ),
    "progress.saving_actuals": (
        "正在把实际巡逻记录保存到{out}……",
        "Saving the actuals into {out} ...",
    ),
    "progress.ledger": ("正在读取{out}的台账……", "Ledger of {out} ..."),
    "progress.synth_actuals": (
        "正在生成一周的合成实际记录（GPS轨迹、签到）……",
        "A week of synthetic actuals (GPS tracks, check-ins) ...",
    ),
    "progress.ledger_reports": ("正在生成台账及报表……", "The ledger and its reports ..."),
    "progress.reading_revise": (
        "正在读取{out}中的计划和场景{folder}……",
        "Reading the plan in {out} and the scenario {folder} ...",
    ),
    "progress.reading_compare": (
        "正在读取{a}和{b}中的计划……",
        "Reading the plans in {a} and {b} ...",
    ),
    "progress.opening": ("正在打开{where}……", "Opening {where} ..."),
}


class Phrase(str):
    """A catalogue entry that can be said in either language, passed where a plain ``str``
    is expected (a progress callback, a log line).

    As a ``str`` it is the English text, so logs and the local screen's stage detection
    read it unchanged; :func:`said` gives it in the chief's language.
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Phrase:
        phrase = super().__new__(cls, label(key, "en", **values))
        phrase.key, phrase.values = key, values
        return phrase


def said(message: str, lang: str = "zh") -> str:
    """``message`` in ``lang``: a :class:`Phrase` is translated (and so are the phrases
    among its values, such as a role), any other text is kept."""
    if isinstance(message, Phrase):
        values = {k: said(v, lang) if isinstance(v, str) else v for k, v in message.values.items()}
        return label(message.key, lang, **values)
    return message


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
