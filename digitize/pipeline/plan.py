"""Parent, before any work: which files in the inbox are new, grouped into jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from digitize.ledger import Ledger
from digitize.models import DocumentJob, SourceFile
from digitize.report import BatchReport
from digitize.settings import Settings
from digitize.stages import grouping
from digitize.stages.discover import discover


def plan(inbox: Path, settings: Settings, ledger: Ledger, report: BatchReport, run_id: int,
         force: bool, only: set[str] | None = None, note: Callable[[str], None] | None = None) -> list[DocumentJob]:
    """Discover the inbox; skip files the ledger has archived (unless ``force``); retry failed ones;
    record refused files as failed."""
    ingest = settings.ingest
    found = discover(inbox, ingest.extensions, ingest.follow_symlinks, settle_seconds=ingest.settle_seconds,
                     skip_dirs=(ingest.processed_dir,), patterns=ingest.patterns, note=note)
    report.ignored = len(found.ignored)
    report.deferred_files = list(found.deferred)
    report.files_seen = len(found.files) + len(found.rejected)
    for bad in found.rejected:
        ledger.record_failure(run_id, bad.sha256, bad.rel, bad.size, None, bad.reason, bad.message)
        report.fail(bad.rel, bad.reason, bad.message)
    fresh: list[SourceFile] = []
    seen: set[str] = set()
    for source in found.files:
        if only is not None and source.sha256 not in only:
            report.skipped += 1
            continue
        record = ledger.file(source.sha256)
        if source.sha256 in seen or (record and record.status == "done" and not force):
            report.skipped += 1
            continue
        seen.add(source.sha256)
        report.new += 1
        report.retried += bool(record and record.status == "failed")
        fresh.append(source)
    groups = grouping.group(fresh, ingest.group, ingest.page_pattern, ingest.time_gap)
    return [DocumentJob(tuple(members)) for members in groups]
