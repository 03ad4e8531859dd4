"""What runs in a worker: one job through the stages of ``pipeline.stages``, each one timed.

The worker writes only into the job's scratch folder and returns a ``JobResult`` (one
``DocumentResult`` per document) or a ``DocumentFailure`` for the whole job; the parent
writes the archive, the ledger and the index. Nothing here touches the input files
except to read them.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from digitize import i18n
from digitize.errors import DocumentError, MissingDependencyError
from digitize.i18n import _
from digitize.models import DocumentFailure, DocumentJob, DocumentResult, SourceFile
from digitize.pipeline import describe, prepare
from digitize.pipeline.context import Scratch, WorkerContext
from digitize.pipeline.stages import DOCUMENT_STAGES, JOB_STAGES, Stage
from digitize.pipeline.state import DocumentWork, JobResult, JobWork
from digitize.stages.pages import units
from digitize.stages.pages.splitting import Splitting

State = TypeVar("State")


class Clock:
    """Seconds per stage name, and the stage running now (for error messages)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current = ""

    def run(self, stage: str, func: Callable[[], Any]) -> Any:
        self.current = stage
        start = time.perf_counter()
        try:
            return func()
        finally:
            self.add(stage, time.perf_counter() - start)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def move(self, seconds: float, from_stage: str, to_stage: str) -> None:
        """Count ``seconds`` spent inside one stage's call as another stage's work."""
        if seconds:
            self.add(from_stage, -seconds)
            self.add(to_stage, seconds)


def run_stages(stages: tuple[Stage[State, Any], ...], state: State, ctx: Any, clock: Clock) -> State:
    """The one loop: every stage that applies, in order, timed by its name."""
    for stage in stages:
        if stage.applies(state, ctx):
            state = clock.run(stage.name, lambda: stage.run(state, ctx))  # noqa: B023 - called at once
    return state


def init_worker() -> None:
    """Process initializer: one Tesseract thread per process; PDF/A writing loaded now,
    once, rather than inside the first document's timing."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from digitize.stages import textlayer

    textlayer.preload()


def process_job(job: DocumentJob, ctx: WorkerContext) -> JobResult | DocumentFailure:
    """One job through every worker stage: its documents, or why it failed (never raises for one bad file)."""
    clock, scratch = Clock(), Scratch(ctx.scratch_root)
    return _guarded(job, ctx, clock, scratch, lambda: _run(job, ctx, clock, scratch))


def start_job(job: DocumentJob, ctx: WorkerContext) -> JobResult | DocumentFailure | Fanout:
    """The start of a job whose pages may be spread over the workers: its files copied and its pages
    listed. A job of one page (or a PDF that keeps its text layer, or an engine that cannot read one
    page) goes on here as ``process_job``; otherwise the pages come back as units (``run_unit``,
    in any worker), then ``finish_job`` makes the documents. The scratch folder lives on until then."""
    clock, scratch = Clock(), Scratch(ctx.scratch_root)
    return _guarded(job, ctx, clock, scratch, lambda: _start(job, ctx, clock, scratch))


def _start(job: DocumentJob, ctx: WorkerContext, clock: Clock, scratch: Scratch) -> JobResult | Fanout:
    work = run_stages(JOB_STAGES[:1], JobWork(job, scratch), ctx, clock)  # the copy stage
    split = prepare.splitting(ctx.settings)
    planned = clock.run("prepare", lambda: units.plan(list(work.copies), scratch.root, ctx.settings.pages, split)
                        ) if ctx.engine.reads_pages else None
    if planned is None or len(planned.units) < 2:
        return _run(job, ctx, clock, scratch, work)
    return Fanout(job, scratch.root, work.copies, planned.units, planned.warnings, split, dict(clock.seconds))


def run_unit(fan: Fanout, unit: units.Unit, ctx: WorkerContext) -> units.UnitDone | DocumentFailure:
    """One page of a fanned-out job prepared and read (the OCR stage's reading, done here)."""
    clock, scratch = Clock(), Scratch.at(fan.scratch)
    return _guarded(fan.job, ctx, clock, scratch, lambda: _unit(fan, unit, ctx, clock), keep=True)


def _unit(fan: Fanout, unit: units.Unit, ctx: WorkerContext, clock: Clock) -> units.UnitDone:
    label = fan.job.label
    reader = prepare.PageReader(ctx, label)
    done = clock.run("prepare", lambda: units.prepare_unit(unit, fan.scratch, ctx.settings.pages, ctx.settings.ocr.lang,
                                                           fan.split, reader))
    clock.move(reader.seconds, "prepare", "ocr")
    page = done.page
    if page is not None and done.reading is None and done.ocr_image and not page.blank:
        image = Path(done.ocr_image)
        done.reading = clock.run("ocr", lambda: ctx.engine.read_page(
            image, fan.scratch / f"unit-{unit.index + 1:04d}", ctx.settings.ocr, label))
    done.seconds = dict(clock.seconds)
    return done


def finish_job(fan: Fanout, done: list[units.UnitDone], ctx: WorkerContext) -> JobResult | DocumentFailure:
    """A fanned-out job's documents from its prepared and read pages; its scratch folder removed."""
    clock, scratch = Clock(), Scratch.at(fan.scratch)
    for seconds in [fan.seconds, *(d.seconds for d in done)]:
        for stage, value in seconds.items():
            clock.add(stage, value)
    return _guarded(fan.job, ctx, clock, scratch, lambda: _finish(fan, done, ctx, clock, scratch))


def _finish(fan: Fanout, done: list[units.UnitDone], ctx: WorkerContext, clock: Clock,
            scratch: Scratch) -> JobResult:
    documents = clock.run("prepare", lambda: units.assemble(done, fan.scratch, ctx.settings.pages,
                                                            ctx.settings.ocr.lang, fan.split, fan.warnings))
    work = JobWork(fan.job, scratch, fan.copies, tuple(documents), split=fan.split is not None)
    return _documents(work, ctx, clock, scratch)


def _guarded(job: DocumentJob, ctx: WorkerContext, clock: Clock, scratch: Scratch, body: Callable[[], Any],
             keep: bool = False) -> Any:
    """``body``'s outcome, or why the job failed (never raises for one bad file). The scratch folder is
    removed after, unless ``keep`` or the outcome is a ``Fanout`` (its units and finish still need it)."""
    if i18n.active() != ctx.language:  # a worker that did not inherit the run's language (spawned, remote)
        i18n.activate(ctx.language)
    start = time.perf_counter()
    failed = True
    outcome: Any = None
    try:
        outcome = body()
        failed = False
        if isinstance(outcome, JobResult):
            outcome.seconds = time.perf_counter() - start
        return outcome
    except DocumentError as exc:
        return DocumentFailure(job, exc.reason, _kept(str(exc), scratch, ctx), clock.current, clock.seconds)
    except MissingDependencyError:
        raise  # not this document's fault: every document would fail; the batch stops with exit 4
    except Exception as exc:  # an unexpected bug must not stop the batch; keep the traceback
        message = _("{file}: unexpected error in stage '{stage}' ({error}); "
                    "please report it with the ledger entry.").format(file=job.label, stage=clock.current,
                                                                      error=f"{type(exc).__name__}: {exc}")
        return DocumentFailure(job, "internal-error", _kept(message, scratch, ctx), clock.current,
                               clock.seconds, detail=traceback.format_exc())
    finally:
        held = keep or isinstance(outcome, Fanout)
        scratch.close(keep=held or (failed and ctx.settings.ingest.keep_failed_scratch))


def _kept(message: str, scratch: Scratch, ctx: WorkerContext) -> str:
    if ctx.settings.ingest.keep_failed_scratch:
        return _("{message} (its scratch files are kept in {folder}; delete them when done)").format(
            message=message, folder=scratch.root)
    return message


def _run(job: DocumentJob, ctx: WorkerContext, clock: Clock, scratch: Scratch,
         work: JobWork | None = None) -> JobResult:
    work = run_stages(JOB_STAGES, JobWork(job, scratch), ctx, clock) if work is None else \
        run_stages(JOB_STAGES[1:], work, ctx, clock)  # copied already: on from preparation
    clock.move(work.reading_seconds, "prepare", "ocr")  # pages read while preparing: the OCR they needed anyway
    return _documents(work, ctx, clock, scratch)


def _documents(work: JobWork, ctx: WorkerContext, clock: Clock, scratch: Scratch) -> JobResult:
    results: list[DocumentResult] = []
    for number, prepared in enumerate(work.documents, start=1):
        document = DocumentWork(work, prepared, scratch.document(number), whole=len(work.documents) == 1,
                                pages=tuple(prepared.pages), notices=tuple(prepared.warnings))
        document = run_stages(DOCUMENT_STAGES, document, ctx, clock)
        results.append(describe.result(document, ctx, dict(clock.seconds)))
    separators = len(work.documents) - 1 if work.split else 0
    return JobResult(work.job, results, separators)


@dataclass(frozen=True)
class Fanout:
    """A job whose pages are units of work of their own: ``run_unit`` each (in any worker), then
    ``finish_job`` with all their results. Its scratch folder (shared by the workers of this computer)
    holds the copies and everything the units make."""

    job: DocumentJob
    scratch: Path
    copies: tuple[SourceFile, ...]
    units: list[units.Unit]
    warnings: list[str]
    split: Splitting | None
    seconds: dict[str, float]  # copying and listing the pages
