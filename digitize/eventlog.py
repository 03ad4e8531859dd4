"""The event log of a run (``--log FILE``, a job's ``log``): one line per event, appended.

``2026-12-03T01:30:12+00:00 INFO job=nightly file=surat/001.tif done surat_undangan``

Each line is written with one ``write`` to a file opened for appending, so lines of runs that
overlap never interleave within a line; control characters in file names are escaped, so a
name cannot forge a line."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from digitize.report import Progress

LEVELS = {"done": "INFO", "failed": "ERROR", "skipped": "INFO"}


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class EventLog:
    def __init__(self, path: Path, tag: str):
        self.path = path
        self.tag = tag  # "job=nightly" or "ingest"
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, level: str, message: str) -> None:
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')} {level} {self.tag} {_clean(message)}\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        try:
            os.write(fd, line.encode("utf-8", "backslashreplace"))
        finally:
            os.close(fd)


class LogProgress:
    """A ``Progress`` that also writes each finished file to the event log."""

    def __init__(self, inner: Progress, log: EventLog):
        self.inner = inner
        self.log = log
        self.logged: set[str] = set()  # labels of the files logged so far

    def start(self, total: int) -> None:
        self.log.write("INFO", f"start files={total}")
        self.inner.start(total)

    def planned(self, pages: int | None) -> None:
        planned = getattr(self.inner, "planned", None)
        if planned is not None:
            planned(pages)

    def begin(self, label: str) -> None:
        begin = getattr(self.inner, "begin", None)
        if begin is not None:
            begin(label)

    def advance(self, label: str, status: str, detail: str = "", pages: int = 0) -> None:
        self.logged.add(label)
        self.log.write(LEVELS.get(status, "INFO"), f"file={label} {status}" + (f" pages={pages}" if pages else "")
                       + (f" {detail}" if detail else ""))
        self.inner.advance(label, status, detail, pages)

    def stop(self) -> None:
        self.inner.stop()

    def note(self, message: str) -> None:
        self.log.write("INFO", message)
        self.inner.note(message)

    def failures(self, report) -> None:
        """Files refused before any work (empty, not what their name says): one line each too."""
        for failure in report.failures:
            if failure.path not in self.logged:
                self.log.write("ERROR", f"file={failure.path} failed {failure.message}")
