"""The batch report: counts, failures, timing. It decides the batch's exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from digitize.errors import ExitCode


@dataclass
class Failure:
    path: str
    reason: str
    message: str


@dataclass
class PageNote:
    """A page worth a look: blank, or OCR'd with low confidence (check or rescan)."""

    path: str
    page: int
    doc_id: str
    confidence: float | None = None
    detail: str = ""  # e.g. "turned 180°", "deskewed 3.2°"


DESKEW_NOTED = 0.5  # degrees: pages levelled by less are not listed


@dataclass
class BatchReport:
    inbox: str
    archive: str
    files_seen: int = 0
    new: int = 0  # to process this run, retries included
    retried: int = 0  # of which failed in an earlier run
    skipped: int = 0  # already archived (same SHA-256), or the same file twice in this inbox
    ignored: int = 0  # not a scan by its name (README.md, .json, ...)
    deferred_files: list[str] = field(default_factory=list)  # still being written: the next run takes them
    failed: int = 0
    documents: int = 0
    separators: int = 0  # separator sheets (and blank separators) found, not archived
    pages: int = 0
    types: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    notices: list[Failure] = field(default_factory=list)  # archived, but digitize changed something
    duplicates: list[Failure] = field(default_factory=list)  # archived, but probably a rescan of another
    blank_pages: list[PageNote] = field(default_factory=list)
    low_confidence: list[PageNote] = field(default_factory=list)
    rotated: list[PageNote] = field(default_factory=list)  # turned upright
    deskewed: list[PageNote] = field(default_factory=list)  # levelled by at least DESKEW_NOTED degrees
    archived: list[dict[str, Any]] = field(default_factory=list)  # id, type, path, source
    elapsed: float = 0.0
    ocr_seconds: float = 0.0
    interrupted: bool = False
    report_path: str | None = None  # reports/run-<id>.json, once written
    run_id: int | None = None

    def fail(self, path: str, reason: str, message: str) -> None:
        self.failed += 1
        self.failures.append(Failure(path, reason, message))

    @property
    def deferred(self) -> int:
        return len(self.deferred_files)

    @property
    def pages_per_minute(self) -> float:
        return round(self.pages / self.elapsed * 60, 1) if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.failed else ExitCode.OK

    def as_json(self) -> dict[str, Any]:
        return {
            "inbox": self.inbox,
            "archive": self.archive,
            "files_seen": self.files_seen,
            "new": self.new,
            "retried": self.retried,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "deferred": self.deferred,
            "deferred_files": self.deferred_files,
            "failed": self.failed,
            "documents": self.documents,
            "separators": self.separators,
            "pages": self.pages,
            "types": dict(sorted(self.types.items())),
            "failures": [f.__dict__ for f in self.failures],
            "notices": [n.__dict__ for n in self.notices],
            "probable_duplicates": [n.__dict__ for n in self.duplicates],
            "blank_pages": [n.__dict__ for n in self.blank_pages],
            "low_confidence_pages": [n.__dict__ for n in self.low_confidence],
            "rotated_pages": [n.__dict__ for n in self.rotated],
            "deskewed_pages": [n.__dict__ for n in self.deskewed],
            "archived": self.archived,
            "elapsed_seconds": round(self.elapsed, 2),
            "pages_per_minute": self.pages_per_minute,
            "interrupted": self.interrupted,
            "report": self.report_path,
            "run": self.run_id,
            "exit_code": self.exit_code,
        }


class Progress(Protocol):
    """What the pipeline tells its caller while it runs. The CLI renders it."""

    def start(self, total: int) -> None: ...

    def begin(self, label: str) -> None:
        """``label`` (a file, a job) is handed to a worker: it is being worked on from now."""

    def planned(self, pages: int | None) -> None:
        """The pages the run's files hold (None: some file cannot tell), after ``start``."""

    def advance(self, label: str, status: str, detail: str = "", pages: int = 0) -> None:
        """``label`` (a file, a job) is finished, with ``pages`` pages; ``status`` "done" or "failed"."""

    def stop(self) -> None: ...

    def note(self, message: str) -> None:
        """Something the user waits for (fresh files left to settle), before it happens."""


class NoProgress:
    def start(self, total: int) -> None:
        pass

    def begin(self, label: str) -> None:
        pass

    def planned(self, pages: int | None) -> None:
        pass

    def advance(self, label: str, status: str, detail: str = "", pages: int = 0) -> None:
        pass

    def stop(self) -> None:
        pass

    def note(self, message: str) -> None:
        pass
