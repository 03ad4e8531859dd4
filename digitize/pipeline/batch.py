"""The batch: ``ingest`` takes every new scan in an inbox into the archive (the stages are in ``pipeline.stages``)."""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path

from digitize import runreport
from digitize.archive import Archive
from digitize.errors import ConfigError
from digitize.fulltext import finish_swap, open_index
from digitize.fulltext.base import is_outdated
from digitize.i18n import _
from digitize.ledger import Ledger, now
from digitize.lock import archive_lock
from digitize.models import DocumentFailure
from digitize.pipeline import indexing
from digitize.pipeline.context import WorkerContext, make_context
from digitize.pipeline.executor import Executor, LocalExecutor
from digitize.pipeline.plan import plan
from digitize.pipeline.run import Run
from digitize.pipeline.writer import Writer
from digitize.report import BatchReport, Failure, NoProgress, Progress
from digitize.settings import Settings
from digitize.stages.ocr import OcrEngine


def refuse_overlap(inbox: Path, archive: Path) -> None:
    """The inbox and the archive must be apart: else each run would ingest the archive's own PDFs again."""
    inbox, archive = inbox.resolve(), archive.resolve()
    if inbox == archive:
        raise ConfigError(_("The inbox {inbox} is the archive itself: give the scanner's folder as the inbox "
                            "and keep the archive elsewhere (--archive).").format(inbox=inbox))
    if archive.is_relative_to(inbox):
        raise ConfigError(_("The archive {archive} is inside the inbox {inbox}: its PDFs would be ingested again; "
                            "move the archive out of the inbox or choose another with --archive.")
                          .format(archive=archive, inbox=inbox))
    if inbox.is_relative_to(archive):
        raise ConfigError(_("The inbox {inbox} is inside the archive {archive}: scan into a folder outside the "
                            "archive and ingest that.").format(inbox=inbox, archive=archive))


def ingest(
    inbox: Path,
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    force: bool = False,
    only: set[str] | None = None,
) -> BatchReport:
    """Process every new scan in ``inbox`` into the archive. Returns the batch report.

    Workers compute (``executor``, default a process pool of ``ingest.jobs`` processes);
    only this process writes the archive, the ledger and the index. ``only``: the SHA-256 of the
    files to process (``digitize repair --from-inbox``); every other file of the inbox is left alone."""
    if not inbox.is_dir():
        raise ConfigError(_("Inbox {inbox} is not a folder: give the folder the scanner writes to.")
                          .format(inbox=inbox))
    refuse_overlap(inbox, settings.archive.path)
    progress = progress or NoProgress()
    executor = executor or LocalExecutor(settings.ingest.jobs)
    archive = Archive.from_settings(settings)
    ctx = make_context(settings, engine, model_path=archive.model_path,  # nothing is written if it cannot run
                       scratch_root=archive.scratch_for_run())
    archive.ensure()
    archive.check_free(settings.ingest.min_free_mb)
    with archive_lock(archive.root, "ingest", settings.archive.lock_wait) as took_over:
        return _locked(inbox, settings, archive, ctx, executor, progress, force, only, took_over)


def _locked(inbox: Path, settings: Settings, archive: Archive, ctx: WorkerContext, executor: Executor,
            progress: Progress, force: bool, only: set[str] | None, took_over: str | None) -> BatchReport:
    leftovers = archive.clear_leftovers(scratch=not settings.ingest.keep_failed_scratch)
    ledger = Ledger(archive.ledger_path)
    finish_swap(archive.index_path)
    outdated = is_outdated(archive.index_path)
    if outdated:  # made by an older digitize: this writer makes it again from the sidecars, unattended
        shutil.rmtree(archive.index_path)
    lost_index = not archive.index_path.exists()
    index = open_index(archive.index_path, settings.index.backend, modes=archive.modes(False))
    report = BatchReport(inbox=str(inbox), archive=str(archive.root))
    started, started_at = time.perf_counter(), now()
    run = Run(archive, ledger, index, ledger.start_run(str(inbox.resolve())), report, settings,
              inbox.resolve(), ctx.rules.labels(), ledger.signatures())
    report.run_id = run.run_id
    writer = Writer(run)
    aborted = False
    try:
        if took_over:
            report.notices.append(Failure(str(archive.root), "stale-lock",
                                          _("The run {notice}.").format(notice=took_over)))
        if leftovers:
            report.notices.append(Failure(str(archive.root), "leftovers-removed",
                                          _("Removed {count} file(s) and folder(s) that an interrupted "
                                            "run left in the archive (scratch copies, .part files).")
                                          .format(count=len(leftovers))))
        if lost_index and ledger.mark_all_indexed(0):
            report.notices.append(Failure(str(archive.index_path), "index-outdated" if outdated else "index-missing",
                                          _("The search index was made by an older digitize: every archived "
                                            "document is indexed again from its sidecar files.") if outdated else
                                          _("The search index was missing: every archived document is "
                                            "indexed again from its sidecar files.")))
        indexing.recover(run)
        jobs = plan(inbox, settings, ledger, report, run.run_id, force, only, note=getattr(progress, "note", None))
        progress.start(len(jobs))
        planned = getattr(progress, "planned", None)
        if planned is not None:  # pages planned, for the bar: from the files' headers
            from digitize.stages.pages.count import page_count

            counts = [page_count(source) for job in jobs for source in job.sources]
            planned(None if None in counts else sum(c or 0 for c in counts))
        begin = getattr(progress, "begin", None)
        for outcome in executor.map(jobs, ctx, started=(lambda job: begin(job.label)) if begin else None):
            writer.handle(outcome)
            if isinstance(outcome, DocumentFailure):
                progress.advance(outcome.job.label, "failed", outcome.message)
            else:
                progress.advance(outcome.job.label, "done",
                                 ", ".join(d.classification.type for d in outcome.documents),
                                 pages=sum(len(d.pages) for d in outcome.documents))
        writer.flush()
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    except BaseException:
        aborted = True  # a full disk, a damaged index: the run is recorded failed, never ok
        raise
    finally:
        if not settings.ingest.keep_failed_scratch and ctx.scratch_root is not None:
            shutil.rmtree(ctx.scratch_root, ignore_errors=True)
            with contextlib.suppress(OSError):
                archive.scratch.rmdir()  # unless another run's scratch is still there
        progress.stop()
        report.elapsed = time.perf_counter() - started
        status = ("interrupted" if report.interrupted else "failed" if aborted
                  else "partial" if report.failed else "ok")
        try:
            ledger.finish_run(run.run_id, status, report.as_json())
            with contextlib.suppress(OSError):  # a full disk: the ledger has the summary still
                report.report_path = str(runreport.write(archive, run.run_id, started_at, now(), status, report))
        finally:
            run.close_indexes()
            ledger.close()
    return report
