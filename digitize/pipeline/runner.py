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
from typing import Any, TypeVar

from digitize.errors import DocumentError, MissingDependencyError
from digitize.models import DocumentFailure, DocumentJob, DocumentResult
from digitize.pipeline import describe
from digitize.pipeline.context import Scratch, WorkerContext
from digitize.pipeline.stages import DOCUMENT_STAGES, JOB_STAGES, Stage
from digitize.pipeline.state import DocumentWork, JobResult, JobWork

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
    clock = Clock()
    start = time.perf_counter()
    scratch = Scratch(ctx.scratch_root)
    failed = True
    try:
        outcome = _run(job, ctx, clock, scratch)
        failed = False
        outcome.seconds = time.perf_counter() - start
        return outcome
    except DocumentError as exc:
        return DocumentFailure(job, exc.reason, _kept(str(exc), scratch, ctx), clock.current, clock.seconds)
    except MissingDependencyError:
        raise  # not this document's fault: every document would fail; the batch stops with exit 4
    except Exception as exc:  # an unexpected bug must not stop the batch; keep the traceback
        message = (f"{job.label}: unexpected error in stage '{clock.current}' ({type(exc).__name__}: {exc}); "
                   "please report it with the ledger entry.")
        return DocumentFailure(job, "internal-error", _kept(message, scratch, ctx), clock.current,
                               clock.seconds, detail=traceback.format_exc())
    finally:
        scratch.close(keep=failed and ctx.settings.ingest.keep_failed_scratch)


def _kept(message: str, scratch: Scratch, ctx: WorkerContext) -> str:
    if ctx.settings.ingest.keep_failed_scratch:
        return f"{message} (its scratch files are kept in {scratch.root}; delete them when done)"
    return message


def _run(job: DocumentJob, ctx: WorkerContext, clock: Clock, scratch: Scratch) -> JobResult:
    work = run_stages(JOB_STAGES, JobWork(job, scratch), ctx, clock)
    clock.move(work.reading_seconds, "prepare", "ocr")  # pages read while preparing: the OCR they needed anyway
    results: list[DocumentResult] = []
    for number, prepared in enumerate(work.documents, start=1):
        document = DocumentWork(work, prepared, scratch.document(number), whole=len(work.documents) == 1,
                                pages=tuple(prepared.pages), notices=tuple(prepared.warnings))
        document = run_stages(DOCUMENT_STAGES, document, ctx, clock)
        results.append(describe.result(document, ctx, dict(clock.seconds)))
    separators = len(work.documents) - 1 if work.split else 0
    return JobResult(job, results, separators)
