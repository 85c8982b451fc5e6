"""Who may open the page and which files it may send.

By default the server listens on 127.0.0.1 only. Any other address needs a password the
chief set (``patrol serve --set-password``), stored as an scrypt hash in a file, and a
login; without one the server refuses to start. Files are sent only from inside the
scenario and output folders, after resolving links and ``..``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from pathlib import Path

from patrol.atomic import write_text
from patrol.errors import InputError

__all__ = [
    "check_access",
    "hash_password",
    "is_loopback",
    "read_password_hash",
    "safe_file",
    "verify_password",
    "write_password_file",
]

_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An scrypt hash of ``password`` with a random salt, as one line of text."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    return f"{_PREFIX}${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the hash line ``stored`` (constant-time compare)."""
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != _PREFIX:
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def write_password_file(path: str | Path, password: str) -> Path:
    """Store the hash of ``password`` (never the password) in ``path``."""
    if len(password) < 8:
        raise InputError(
            "the password is shorter than 8 characters.",
            file="password",
            zh="密码少于 8 个字符。",
            fix="Choose a longer password.",
            fix_zh="请设置更长的密码。",
        )
    target = Path(path)
    write_text(target, hash_password(password) + "\n")
    target.chmod(0o600)
    return target


def read_password_hash(path: str | Path) -> str:
    """The hash line stored in ``path``; an error that says how to make one otherwise."""
    target = Path(path)
    text = target.read_text(encoding="utf-8").strip() if target.is_file() else ""
    if not text.startswith(_PREFIX + "$"):
        raise InputError(
            f"{target.name} holds no password hash.",
            file=target.name,
            zh=f"{target.name} 中没有密码哈希。",
            fix=f"Set one with: patrol serve --set-password --password-file {target.name}",
            fix_zh=f"先设置密码：patrol serve --set-password --password-file {target.name}",
        )
    return text


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_access(host: str, password_file: str | Path | None) -> str | None:
    """The password hash the server must ask for, or ``None`` on a loopback address.

    Raises
    ------
    InputError
        When ``host`` is not loopback and no password was set.
    """
    if password_file is not None:
        return read_password_hash(password_file)
    if is_loopback(host):
        return None
    raise InputError(
        f"listening on {host} lets other machines open the page; it needs a password.",
        file="--host",
        zh=f"在 {host} 上监听会让其他电脑打开页面，必须设置密码。",
        fix="Run patrol serve --set-password --password-file FILE once, then start with "
        "--password-file FILE (or keep the default --host 127.0.0.1).",
        fix_zh="先运行 patrol serve --set-password --password-file 文件 设置密码，再用 "
        "--password-file 文件 启动（或保留默认的 --host 127.0.0.1）。",
    )


def safe_file(root: Path, relative: str) -> Path | None:
    """The file ``relative`` inside ``root``, or ``None`` when it is not a file there
    (``..``, absolute paths, links that lead out, hidden names)."""
    if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
        return None
    parts = Path(relative).parts
    if any(part in ("..", "") or part.startswith(".") for part in parts):
        return None
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target
