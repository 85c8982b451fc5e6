"""One bureau run at a time per output folder: ``OUT/.bureau.lock``.

Two clients on the same ``OUT`` would plan the same stations twice and race on the
bureau's files. The lock is a file created with ``O_EXCL`` (atomic on a local disk and on
NFSv3+), holding the host and process id of its run, and removed when the run ends. A
lock left by a run that died on this host (its process is gone) is taken over; one held
by a live run, or by another host, refuses the second run with who holds it.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from patrol.bureau.labels import both
from patrol.errors import PatrolError

__all__ = ["LOCK_FILE", "bureau_lock"]

LOCK_FILE = ".bureau.lock"
log = logging.getLogger("patrol")


def _holder(path: Path) -> tuple[str, int]:
    """The host and process id written in a lock file (``("", 0)`` when unreadable)."""
    try:
        host, pid = path.read_text(encoding="utf-8").split()[:2]
        return host, int(pid)
    except (OSError, ValueError):
        return "", 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return pid > 0


def _take(path: Path) -> bool:
    """Create the lock file; ``False`` when it exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"{socket.gethostname()} {os.getpid()}\n")
    return True


@contextmanager
def bureau_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s bureau lock while the block runs (see the module's text)."""
    path = out / LOCK_FILE
    if not _take(path):
        host, pid = _holder(path)
        if host == socket.gethostname() and not _alive(pid):
            log.info("taking over the lock %s of the ended run %s", path, pid)
            path.unlink(missing_ok=True)
        if not _take(path):
            raise PatrolError(both("locked", out=out, host=host or "?", pid=pid, lock=path))
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
