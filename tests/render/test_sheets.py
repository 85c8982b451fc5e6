"""Printed route sheets on the tiny week: what a team on the street and the chief read.

The PDFs are read back with pypdf (text, fonts, page sizes) and pypdfium2 (pixels), so
the tests check what a printer and a reader see, not how the renderer was called.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from patrol.coverage.of_plan import measure_plan_coverage
from patrol.plan import Plan, TeamRoute
from patrol.planner import PlanParams, plan_week
from patrol.render.sheets import write_sheets
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario

GENERATED = dt.datetime(2026, 11, 29, 18, 0)


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny week planned once (deterministic work limit)."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("sheets") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=200, engine="pyvrp"))


@pytest.fixture(scope="module")
def zh_files(tiny_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Chinese sheets with coverage (blind spots) and anti-fraud talks for elders."""
    out = tmp_path_factory.mktemp("zh")
    return write_sheets(
        tiny_plan,
        out,
        coverage=measure_plan_coverage(tiny_plan),
        generated=GENERATED,
        anti_fraud=("elderly_alone",),
    )


@pytest.fixture(scope="module")
def en_files(tiny_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """English sheets, one file per team and shift."""
    return write_sheets(
        tiny_plan, tmp_path_factory.mktemp("en"), lang="en", split=True, generated=GENERATED
    )


@pytest.fixture(scope="module")
def redacted(tiny_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> list[list[Path]]:
    """Redacted sheets written twice into two folders (for the determinism check)."""
    return [
        write_sheets(
            tiny_plan, tmp_path_factory.mktemp(f"redact{k}"), redact=True, generated=GENERATED
        )
        for k in range(2)
    ]


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _is_landscape(page: object) -> bool:
    box = page.mediabox  # type: ignore[attr-defined]
    return float(box.width) > float(box.height)


def _route_pages(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [p.extract_text() for p in reader.pages if not _is_landscape(p)]


def _page_of(route: TeamRoute, pages: list[str]) -> str:
    hits = [t for t in pages if route.team.team_id in t]
    assert len(hits) == 1, f"expected one page for {route.team.team_id}, got {len(hits)}"
    return hits[0]


def _labels(plan: Plan) -> dict[str, str]:
    fh = plan.scenario.focus_households
    return dict(zip(fh["household_id"], fh["label"], strict=True))


def test_week_and_one_file_per_day_named_without_spaces(
    tiny_plan: Plan, zh_files: list[Path]
) -> None:
    sheets = zh_files[0].parent
    names = [p.relative_to(sheets).as_posix() for p in zh_files]
    assert names[0] == "week.pdf"
    days = sorted({r.team.slot.date for r in tiny_plan.routes})
    expected = [f"{d.isoformat()}_{d.strftime('%a')}.pdf" for d in days]
    # the team copies of each day, then the police copies in their own folder
    assert names[1:] == expected + [f"police/{n}" for n in expected]
    assert all(" " not in n for n in names) and sheets.name == "sheets"
    # atomic writes leave no temporary files behind
    assert sorted(x.name for x in sheets.iterdir()) == sorted(["police", "week.pdf", *expected])
    assert sorted(x.name for x in (sheets / "police").iterdir()) == expected


def test_one_page_per_routed_team_shift_plus_overview(
    tiny_plan: Plan, zh_files: list[Path]
) -> None:
    week = PdfReader(zh_files[0])
    overview = [p for p in week.pages if _is_landscape(p)]
    assert 1 <= len(overview) <= 2
    assert all(_is_landscape(p) for p in week.pages[: len(overview)]), "overview comes first"
    assert len(week.pages) == len(tiny_plan.routes) + len(overview)
    per_day: dict[str, int] = defaultdict(int)
    for r in tiny_plan.routes:
        per_day[r.team.slot.date.isoformat()] += 1
    for path in zh_files[1:]:
        assert len(PdfReader(path).pages) == per_day[path.name[:10]], path.name
    a4 = week.pages[-1].mediabox
    assert (round(float(a4.width) / 72 * 25.4), round(float(a4.height) / 72 * 25.4)) == (210, 297)


def test_route_page_has_members_times_places_and_check_in_columns(
    tiny_plan: Plan, zh_files: list[Path]
) -> None:
    pages = _route_pages(zh_files[0])
    addresses = dict(
        zip(
            tiny_plan.scenario.buildings["building_id"],
            tiny_plan.scenario.buildings["address"],
            strict=True,
        )
    )
    homes = dict(
        zip(
            tiny_plan.scenario.focus_households["household_id"],
            tiny_plan.scenario.focus_households["building_id"],
            strict=True,
        )
    )
    grid_names = dict(
        zip(tiny_plan.scenario.grids["grid_id"], tiny_plan.scenario.grids["name"], strict=True)
    )
    for route in tiny_plan.routes:
        text = _page_of(route, pages)
        slot = route.team.slot
        assert "巡逻路线单" in text
        assert f"{slot.start:%H:%M}–{slot.end:%H:%M}" in text
        assert f"{slot.date.month}月{slot.date.day}日" in text
        for person in route.team.members:
            assert person.name in text
            assert person.phone and person.phone not in text  # phones only when asked
        for header in ("序号", "计划时间", "地点", "任务", "打卡", "实到时间", "备注"):
            assert header in text
        assert "小队负责人签字" in text and "审核民警签字" in text
        assert f"{route.length_m / 1000:.1f}公里" in text
        for stop in route.stops:
            if stop.kind == "visit":
                assert addresses[homes[stop.target_id]] in text  # Chinese address
            elif stop.kind == "sweep":
                assert grid_names[stop.grid_id] in text
            if stop.kind != "post":
                assert f"{stop.arrive:%H:%M}" in text


def test_household_label_only_on_the_visiting_teams_page(
    tiny_plan: Plan, zh_files: list[Path]
) -> None:
    labels = _labels(tiny_plan)
    visitors: dict[str, set[str]] = defaultdict(set)
    for r in tiny_plan.routes:
        for s in r.stops:
            if s.kind == "visit":
                visitors[s.target_id].add(r.team.team_id)
    assert visitors, "the tiny week should visit households"
    week = PdfReader(zh_files[0])
    for household, teams in visitors.items():
        text = labels[household]
        for page in week.pages:
            content = page.extract_text()
            on_page = text in content
            if _is_landscape(page):
                assert not on_page, f"{text} printed on the overview"
            else:
                team_here = any(t in content for t in teams)
                assert on_page == team_here, (household, content[:200])
    assert any("反诈宣传" in t for t in _route_pages(zh_files[0])), "elderly visit gets a talk"


def _private_words(plan: Plan) -> list[str]:
    """The focus households' labels and the names of their categories."""
    from patrol.labels import label

    fh = plan.scenario.focus_households
    words = [x for x in fh["label"] if x]
    return words + [label(f"category.{c}", "zh") for c in fh["category"].unique()]


def test_team_copies_show_focus_household_and_address_only(
    tiny_plan: Plan, zh_files: list[Path]
) -> None:
    private = _private_words(tiny_plan)
    addresses = set(tiny_plan.scenario.buildings["address"])
    team = [p for p in zh_files[1:] if p.parent.name == "sheets"]
    police = [p for p in zh_files[1:] if p.parent.name == "police"]
    assert team and len(team) == len(police)
    visits = 0
    for path in team:
        for text in _texts(path):
            assert "队员联" in text and "民警联" not in text
            assert not any(x in text for x in private), (path.name, text[:300])
            if "入户走访" in text:
                visits += 1
                assert "入户走访：重点户" in text
                assert any(a in text for a in addresses)
    assert visits, "the tiny week has visits on the team copies"
    police_text = "".join(t for p in police for t in _texts(p))
    assert "民警联" in police_text and "队员联" not in police_text
    assert any(x in police_text for x in _labels(tiny_plan).values())


def test_phones_only_when_asked(tiny_plan: Plan, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    files = write_sheets(
        tiny_plan, tmp_path, phones=True, split=True, progress=lambda *a: calls.append(a)
    )
    n = len(tiny_plan.routes)
    assert calls == [(k, n) for k in range(1, n + 1)]  # progress after each route map
    route = tiny_plan.routes[0]
    stem = re.sub(r"[^\w.-]+", "_", route.team.team_id)
    for path in (p for p in files if p.stem == stem):
        (text,) = _texts(path)
        assert all(p.phone in text for p in route.team.members), path
    hidden = write_sheets(tiny_plan, tmp_path / "r", phones=True, redact=True, split=True)
    phones = [p.phone for p in tiny_plan.scenario.people]
    assert not any(x in t for p in hidden for t in _texts(p) for x in phones)


def test_redact_removes_every_label(tiny_plan: Plan, redacted: list[list[Path]]) -> None:
    private = _private_words(tiny_plan)
    assert private
    for path in redacted[0]:
        for text in _texts(path):
            assert not any(x in text for x in private), path.name
    # the visit itself is still on every copy, as a focus household
    assert any("入户走访：重点户" in t for t in _texts(redacted[0][0]))


def test_output_is_deterministic(redacted: list[list[Path]]) -> None:
    first, second = redacted
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_overview_holds_calendar_grid_figures_blind_spots_and_unserved(
    tiny_plan: Plan, zh_files: list[Path], redacted: list[list[Path]]
) -> None:
    reader = PdfReader(zh_files[0])
    text = "".join(p.extract_text() for p in reader.pages if _is_landscape(p))
    assert "巡逻周计划总览" in text and "排班日历" in text
    for name in tiny_plan.scenario.grids["name"]:
        assert name in text
    for team in tiny_plan.team_plan.teams:
        assert team.police.name in text and team.grid_worker.name in text
    assert "盲区" in text and "未安排任务及原因" in text
    no_cov = "".join(p.extract_text() for p in PdfReader(redacted[0][0]).pages if _is_landscape(p))
    assert "未计算覆盖率" in no_cov


def test_english_sheets_one_file_per_team(tiny_plan: Plan, en_files: list[Path]) -> None:
    n = len(tiny_plan.routes)
    assert len(en_files) == 1 + 2 * n
    stems = {re.sub(r"[^\w.-]+", "_", r.team.team_id) for r in tiny_plan.routes}
    assert {p.stem for p in en_files[1 : 1 + n]} == stems  # team copies
    assert {p.stem for p in en_files[1 + n :]} == stems  # police copies
    assert {p.parent.name for p in en_files[1 + n :]} == {"police"}
    route = tiny_plan.routes[0]
    path = next(p for p in en_files if p.stem == re.sub(r"[^\w.-]+", "_", route.team.team_id))
    (text,) = _texts(path)
    for words in (
        "Patrol route sheet",
        "Planned",
        "Done",
        "Arrived",
        "Team leader's signature",
        route.team.slot.date.strftime("%a"),
    ):
        assert words in text
    assert "巡逻路线单" not in text and "打卡" not in text
    for person in route.team.members:
        assert person.name in text  # names stay as written


def test_font_is_embedded_and_no_system_font_used(zh_files: list[Path]) -> None:
    reader = PdfReader(zh_files[0])
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]  # type: ignore[index]
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                fd = desc.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in fd or "/FontFile3" in fd, fd
                assert "NotoSansSC" in str(fd["/FontName"])
                seen += 1
    assert seen >= len(reader.pages)


def test_first_route_page_renders_with_ink(zh_files: list[Path]) -> None:
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(zh_files[1]))
    try:
        image = doc[0].render(scale=1.0).to_pil().convert("L")
    finally:
        doc.close()
    pixels = np.asarray(image)
    dark = (pixels < 100).mean()
    assert dark > 0.015, f"page one looks blank ({dark:.3%} dark pixels)"
    # the map (below the header) has ink too: streets, grid lines, the route
    h = pixels.shape[0]
    assert (pixels[int(h * 0.15) : int(h * 0.40)] < 200).mean() > 0.02


def test_bad_language_is_refused(tiny_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang"):
        write_sheets(tiny_plan, tmp_path, lang="fr")


def test_a_fallback_team_says_its_kind_on_its_sheet(tiny_plan: Plan, tmp_path: Path) -> None:
    import dataclasses

    from patrol.labels import label

    route = tiny_plan.routes[0]
    team = dataclasses.replace(route.team, grid_worker=None)  # police + volunteers
    assert team.kind == "police_volunteers"
    plan = dataclasses.replace(tiny_plan, routes=[dataclasses.replace(route, team=team)])
    files = write_sheets(plan, tmp_path, split=True)
    (text,) = _texts(files[1])
    assert "".join(label("team.kind.police_volunteers", "zh").split()) in "".join(text.split())
    assert "队员联" in text
