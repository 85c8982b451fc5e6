"""``patrol serve``'s own options: the password is set apart from serving, and without a
folder it works on a copy of the bundled sample, never on the repository's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.cli import main


def test_set_password_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--set-password"]) == 2
    assert "--password-file" in capsys.readouterr().err


def test_set_password_stores_a_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from patrol.serve.access import read_password_hash, verify_password

    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["serve", "--set-password", "--password-file", str(tmp_path / "pw")]) == 0
    assert verify_password("a long password", read_password_hash(tmp_path / "pw"))
    assert "a long password" not in (tmp_path / "pw").read_text()


def test_without_a_folder_a_copy_of_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from patrol.cli.serve import _bundled_sample_copy

    monkeypatch.chdir(tmp_path)
    copy = _bundled_sample_copy()
    assert copy.resolve() == (tmp_path / "out" / "serve" / "zhenganli").resolve()
    assert (copy / "grids.geojson").is_file() and (copy / "patrol.toml").is_file()
    (copy / "grids.geojson").write_text("{}")
    assert _bundled_sample_copy() == copy  # kept, with the chief's changes
    assert (copy / "grids.geojson").read_text() == "{}"
