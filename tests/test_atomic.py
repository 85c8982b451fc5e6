"""The one writer of files: atomic replacement, Excel-ready CSV, GeoPackage layers."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from patrol.atomic import (
    atomic_folder,
    atomic_path,
    neutralise_cell,
    neutralise_frame,
    remove_stale_temps,
    swap_folders,
    write_csv,
    write_gpkg,
    write_text,
)


def test_atomic_path_replaces_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "plan.txt"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("new")
        assert not target.exists()  # nothing visible until the block ends
    assert target.read_text() == "new"


def test_atomic_path_keeps_the_old_file_and_no_partial_one_when_the_block_raises(
    tmp_path: Path,
) -> None:
    target = write_text(tmp_path / "plan.txt", "old")
    with pytest.raises(RuntimeError, match="killed"), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


def test_write_csv_is_utf8_with_bom_and_reads_back_chinese(tmp_path: Path) -> None:
    frame = pd.DataFrame({"姓名": ["张三", "李四"], "班次": ["夜班", "白班"], "n": [1, 2]})
    out = write_csv(tmp_path / "roster.csv", frame)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to see UTF-8
    assert "张三".encode() in raw
    back = pd.read_csv(out, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, frame)
    assert raw.decode("utf-8-sig").splitlines()[0] == "姓名,班次,n"  # no index column


def _points(ids: list[str]) -> gpd.GeoDataFrame:
    geoms = [shapely.Point(116.0 + i / 100, 39.9) for i in range(len(ids))]
    return gpd.GeoDataFrame({"id": ids}, geometry=geoms, crs="EPSG:4326")


def test_write_gpkg_extend_keeps_other_layers_and_replaces_namesakes(tmp_path: Path) -> None:
    target = tmp_path / "plan.gpkg"
    write_gpkg(target, {"stops": _points(["a", "b"]), "notes": pd.DataFrame({"k": ["x"]})})
    write_gpkg(target, {"stops": _points(["c"])})
    layers = dict(pyogrio.list_layers(target).tolist())
    assert set(layers) == {"stops", "notes"}
    assert gpd.read_file(target, layer="stops")["id"].tolist() == ["c"]
    notes = gpd.read_file(target, layer="notes")
    assert notes["k"].tolist() == ["x"]  # a plain table is stored without geometry
    assert notes.geometry.isna().all()


def test_write_gpkg_without_extend_starts_anew(tmp_path: Path) -> None:
    target = tmp_path / "plan.gpkg"
    write_gpkg(target, {"stops": _points(["a"]), "old": _points(["z"])})
    write_gpkg(target, {"stops": _points(["b", "c"])}, extend=False)
    assert [name for name, _ in pyogrio.list_layers(target).tolist()] == ["stops"]
    assert gpd.read_file(target, layer="stops").crs == "EPSG:4326"


def test_neutralise_cell_prefixes_formulas_and_keeps_numbers() -> None:
    for bad in ("=1+1", "+86 cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("http://x")'):
        assert neutralise_cell(bad) == "'" + bad
    for kept in ("-3.5", "+7", "-1e3", ".5", "张三", "a=b", "", "2026-11-30"):
        assert neutralise_cell(kept) == kept
    assert neutralise_cell(-3.5) == -3.5 and neutralise_cell(None) is None


def test_neutralise_frame_touches_only_text_cells_and_names() -> None:
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "王某"], "x": [-3.5, 2.0], "=h": [1, 2]})
    out = neutralise_frame(frame)
    assert out["name"].tolist() == ["'=cmd|' /C calc'!A0", "王某"]
    assert out["x"].tolist() == [-3.5, 2.0] and out["x"].dtype == float
    assert list(out.columns) == ["name", "x", "'=h"]
    assert frame["name"].iloc[0].startswith("=")  # the caller's frame is left alone


def test_write_csv_neutralises_formula_cells_but_not_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("http://x","y")', "+1-2", "@A1", "-3.5"], "v": [-3.5, 1, 2, 3]}
    )
    out = write_csv(tmp_path / "t.csv", frame)
    back = pd.read_csv(out, encoding="utf-8-sig", dtype={"name": str})
    assert back["name"].tolist() == ['\'=HYPERLINK("http://x","y")', "'+1-2", "'@A1", "-3.5"]
    assert back["v"].tolist() == [-3.5, 1, 2, 3]
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert all(not line.startswith(("=", "+", "@")) for line in lines)


def test_atomic_folder_replaces_the_folder_whole_only_when_the_block_succeeds(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    with atomic_folder(out) as stage:
        (stage / "a.txt").write_text("first")
        assert not out.exists()  # nothing visible until the block ends
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]
    with pytest.raises(RuntimeError), atomic_folder(out) as stage:
        (stage / "b.txt").write_text("second")
        raise RuntimeError("killed half way")
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]  # the old folder, whole
    with atomic_folder(out, copy_old=True) as stage:
        (stage / "b.txt").write_text("added")
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left


def test_swap_folders_puts_the_new_folder_in_place_and_drops_the_old(tmp_path: Path) -> None:
    new, target = tmp_path / "new", tmp_path / "target"
    for folder, text in ((new, "new"), (target, "old")):
        folder.mkdir()
        (folder / "f").write_text(text)
    swap_folders(new, target)
    assert (target / "f").read_text() == "new" and not new.exists()
    other = tmp_path / "other"
    other.mkdir()
    swap_folders(other, tmp_path / "absent")
    assert (tmp_path / "absent").is_dir() and not other.exists()


def test_remove_stale_temps_removes_only_what_dead_processes_left(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    (tmp_path / f".out.tmp-{pid}-abc").mkdir()
    (tmp_path / f".plan.gpkg.tmp-{pid}-xyz.gpkg").write_text("half")
    live = tmp_path / f".out.tmp-{os.getpid()}-mine"
    live.mkdir()
    (tmp_path / f".out.old-{pid}-q").mkdir()  # a swap cut between its renames: restored
    (tmp_path / "keep.txt").write_text("user file")
    removed = remove_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == sorted(
        [f".out.tmp-{pid}-abc", f".plan.gpkg.tmp-{pid}-xyz.gpkg"]
    )
    assert live.exists() and (tmp_path / "keep.txt").exists() and (tmp_path / "out").is_dir()
    assert remove_stale_temps(tmp_path / "missing") == []


def test_atomic_path_clears_what_a_killed_write_left_beside_its_target(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import os; print(os.getpid())"
    pid = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
    stale = tmp_path / f".summary.json.tmp-{pid}-abcd.json"
    stale.write_text("{")
    write_text(tmp_path / "summary.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]
