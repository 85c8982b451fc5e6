"""Passwords stored as hashes, the host rule, and files only from inside their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patrol.errors import InputError
from patrol.serve.access import (
    check_access,
    hash_password,
    is_loopback,
    read_password_hash,
    safe_file,
    verify_password,
    write_password_file,
)


def test_hash_and_verify() -> None:
    stored = hash_password("正确的密码 horse")
    assert "正确的密码" not in stored and stored.startswith("scrypt$")
    assert verify_password("正确的密码 horse", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("x", "garbage")
    assert hash_password("same") != hash_password("same")  # salted


def test_password_file_round_trip(tmp_path: Path) -> None:
    path = write_password_file(tmp_path / "pw", "long enough")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert verify_password("long enough", read_password_hash(path))
    with pytest.raises(InputError, match="shorter than 8"):
        write_password_file(tmp_path / "pw2", "short")
    (tmp_path / "plain").write_text("hunter22\n")
    with pytest.raises(InputError) as err:
        read_password_hash(tmp_path / "plain")
    assert "--set-password" in err.value.text("zh")


def test_loopback_and_the_host_rule(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("station-pc")
    assert check_access("127.0.0.1", None) is None
    with pytest.raises(InputError) as err:
        check_access("0.0.0.0", None)
    assert "密码" in err.value.text("zh")
    pw = write_password_file(tmp_path / "pw", "long enough")
    assert check_access("0.0.0.0", pw) == read_password_hash(pw)


def test_safe_file_stays_inside(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "maps").mkdir(parents=True)
    (root / "maps" / "plan.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    (root / ".hidden").write_text("x")
    assert safe_file(root, "maps/plan.html") == (root / "maps" / "plan.html").resolve()
    for bad in ("../secret.txt", "maps/../../secret.txt", "/etc/passwd", "link.txt",
                ".hidden", "maps", "", "maps/\x00plan.html", "missing.html"):  # fmt: skip
        assert safe_file(root, bad) is None, bad
