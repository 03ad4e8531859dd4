"""One writer per archive: the archive lock.

Every command that writes the archive (``ingest``, ``run``, ``classify confirm``, ``index rebuild``,
``repair``) holds ``<archive>/.lock`` while it works. The lock is a POSIX record lock (``fcntl``) on
that file, so the kernel releases it when its holder dies, however it dies (``kill -9``, a power
cut); the file's text names the holder (pid, host, start time, command) for the message a second
writer gets. A lock whose holder is gone is taken over with a notice. Worker processes do not
inherit a POSIX lock, so a worker left behind never keeps the archive locked. Searches and
``verify`` never take it and never wait.

The lock is re-entrant within a process (``repair`` runs ``ingest`` and ``index rebuild``)."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digitize.errors import BusyError
from digitize.i18n import _

LOCK_NAME = ".lock"
POLL_SECONDS = 0.2
_held: dict[Path, tuple[int, int]] = {}  # archive root -> (fd, depth) held by this process


@contextmanager
def archive_lock(root: Path, command: str, wait: float = 0.0) -> Iterator[str | None]:
    """Hold the archive's writer lock; yield a notice when a gone holder's lock was taken over.
    ``wait``: seconds to wait for a busy archive (0: fail at once with ``BusyError``)."""
    key = root.resolve()
    if key in _held:
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
        try:
            yield None
        finally:
            _held[key] = (fd, _held[key][1] - 1)
        return
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise BusyError(_busy_message(root, _read(fd), wait)) from None
                time.sleep(POLL_SECONDS)
        previous = _read(fd)
        notice = None
        if previous.get("pid"):
            notice = _("took over the archive lock of {command} (pid {pid} on {host}, started {started}), which is "
                       "gone").format(command=previous.get("command", _("a writer")), pid=previous["pid"],
                                      host=previous.get("host", "?"), started=previous.get("started", "?"))
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": command,
                  "started": datetime.now(UTC).isoformat(timespec="seconds")}
        _write(fd, holder)
        _held[key] = (fd, 1)
        try:
            yield notice
        finally:
            del _held[key]
            _write(fd, {})  # released cleanly: no stale holder to report
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        if key not in _held:
            os.close(fd)


def holder(root: Path) -> dict[str, Any] | None:
    """Who holds the archive's lock now (for ``digitize status``), or None. Never waits."""
    if root.resolve() in _held:
        return _read(_held[root.resolve()][0])
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = _read(fd)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # needs a read lock only: nobody writes
        except OSError:
            return info or {"pid": "?"}
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        value = json.loads(data.decode("utf-8")) if data.strip() else {}
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def _write(fd: int, info: dict[str, Any]) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8") if info else b"", 0)
    os.fsync(fd)


def _busy_message(root: Path, info: dict[str, Any], wait: float) -> str:
    who = _("{command} (pid {pid} on {host}, started {started})").format(
        command=info.get("command", _("another digitize")), pid=info.get("pid", "?"), host=info.get("host", "?"),
        started=info.get("started", "?")) if info else _("another digitize")
    if wait > 0:
        return _("The archive {root} is busy after waiting {wait:g} s: {who} is writing it. Run again when it has "
                 "finished, or give --wait SECONDS to wait for it.").format(root=root, wait=wait, who=who)
    return _("The archive {root} is busy: {who} is writing it. Run again when it has finished, or give --wait "
             "SECONDS to wait for it.").format(root=root, who=who)
