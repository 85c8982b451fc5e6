"""Privacy by default, read from every file a run writes (maps, sheets, CSVs, workbook,
summary, store): no machine path anywhere, no phone number unless asked, and the files
meant for sharing (maps, team copies, tables) name no household's category or label."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import pytest

from patrol.labels import label
from patrol.outputs import OutputOptions, Week, run_week
from tests.factory import write_tiny_scenario

REPO = Path(__file__).resolve().parents[2]
PRIVATE_FILES = {"plan.gpkg", "week.pdf"}  # the chief's store and binder
"""The files that may name households: the store (a snapshot of the scenario, like the
scenario folder itself) and the chief's week.pdf with the police copies; and police/."""


def file_text(path: Path) -> str:
    """What a reader of ``path`` can get at: text, PDF streams inflated, xlsx XML."""
    raw = path.read_bytes()
    if path.suffix == ".pdf":
        parts = [raw.decode("latin-1")]
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", raw, flags=re.S):
            try:
                parts.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                continue
        return "\n".join(parts)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return raw.decode("utf-8", "replace")


def _pdf_words(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(path).pages)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Week, Path, Path]:
    """The tiny week planned with every output, by default (no options)."""
    from patrol.planner import PlanParams
    from patrol.scenario.read import read_scenario

    tmp = tmp_path_factory.mktemp("private")
    folder = write_tiny_scenario(tmp / "scenario")
    week = run_week(
        read_scenario(folder), tmp / "out", params=PlanParams(seed=1, max_iterations=100)
    )
    return week, folder, tmp / "out"


def _files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_no_machine_path_in_any_output(run: tuple[Week, Path, Path]) -> None:
    _, folder, out = run
    machine = {str(folder.resolve()), str(out.resolve()), str(REPO), str(Path.home())}
    machine |= {str(out.resolve().parent), "/tmp/"}
    files = _files(out)
    assert {"plan.gpkg", "summary.json", "plan.html", "week.pdf", "teams.csv"} <= {
        p.name for p in files
    }
    for path in files:
        text = file_text(path)
        found = [m for m in machine if m in text]
        assert not found, f"{path.relative_to(out)} holds {found}"


def test_no_phone_number_unless_asked(run: tuple[Week, Path, Path]) -> None:
    week, _, out = run
    phones = [p.phone for p in week.plan.scenario.people if p.phone]
    assert phones
    for path in _files(out):
        if path.name == "plan.gpkg":
            continue  # the store keeps the on-duty phones, for `patrol sheets --phones`
        text = file_text(path)
        words = _pdf_words(path) if path.suffix == ".pdf" else text
        assert not any(x in words for x in phones), path.relative_to(out)


def test_shared_files_name_no_household(run: tuple[Week, Path, Path]) -> None:
    week, _, out = run
    fh = week.plan.scenario.focus_households
    private = [x for x in fh["label"] if x]
    private += [label(f"category.{c}", lang) for c in fh["category"] for lang in ("zh", "en")]
    shared = [p for p in _files(out) if p.name not in PRIVATE_FILES and p.parent.name != "police"]
    assert any(p.suffix == ".html" for p in shared) and any(p.suffix == ".csv" for p in shared)
    for path in shared:
        words = _pdf_words(path) if path.suffix == ".pdf" else file_text(path)
        found = [x for x in private if x in words]
        assert not found, f"{path.relative_to(out)} names {found}"
    police = [p for p in _files(out) if p.parent.name == "police"]
    assert police and any(x in _pdf_words(p) for p in police for x in private)


def test_redact_leaves_households_out_of_the_police_copies_too(
    run: tuple[Week, Path, Path], tmp_path: Path
) -> None:
    from patrol.outputs import draw_week

    week, _, _ = run
    written = draw_week(week, tmp_path, options=OutputOptions(redact=True), maps=False)
    fh = week.plan.scenario.focus_households
    private = [x for x in fh["label"] if x] + [label(f"category.{c}") for c in fh["category"]]
    phones = [p.phone for p in week.plan.scenario.people if p.phone]
    for path in written:
        words = _pdf_words(path)
        assert not any(x in words for x in [*private, *phones]), path.name


def test_phones_where_the_chief_asks(run: tuple[Week, Path, Path], tmp_path: Path) -> None:
    from patrol.outputs import draw_week
    from patrol.store.write import write_plan

    week, _, _ = run
    on_duty = {p.phone for r in week.plan.routes for p in r.team.members if p.phone}
    sheets = draw_week(week, tmp_path / "a", options=OutputOptions(phones=True), maps=False)
    printed = "".join(_pdf_words(p) for p in sheets)
    assert on_duty and all(x in printed for x in on_duty)
    write_plan(week.plan, tmp_path / "b", phones=True)
    teams = (tmp_path / "b" / "teams.csv").read_text(encoding="utf-8-sig")
    assert any(x in teams for x in on_duty)
