"""Where jobs run. The pipeline hands jobs to an ``Executor`` and gets one outcome per job back.

* ``LocalExecutor`` (ingest's default): a process pool on this computer. Tesseract, Leptonica,
  OpenCV and the image decoders are native code, and one malformed scan can crash them. A
  worker process that dies (a crash, or the kernel's out-of-memory killer) breaks the whole
  pool and takes every job it was running with it. Each of those jobs is then run again
  alone in a fresh process; the one that kills its worker alone is recorded as failed
  (``worker-crashed``), and the rest of the batch goes on in a new pool. Nothing is written
  for a job that crashed, so the next run tries it again.
  A job of several pages is spread over the workers: ``start_job`` copies its files and lists its
  pages, each page is prepared and read as a unit of its own (``run_unit``) on whichever worker is
  free, ahead of new jobs, and ``finish_job`` makes its documents from them; so one long document
  keeps every core busy. A failed page fails its job (as it would whole); a crash during any of a
  job's tasks runs that job again whole, alone.
* ``SerialExecutor``: one job after another in this process (evaluation, training, tests).

Another executor (a cluster) implements ``map`` and nothing else: the stages do not change (it may
run jobs whole with ``process_job``, or spread their pages with the same three functions).
"""

from __future__ import annotations

import os
import shutil
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from digitize.i18n import _
from digitize.models import DocumentFailure, DocumentJob
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.runner import Fanout, finish_job, init_worker, process_job, run_unit, start_job
from digitize.pipeline.state import JobResult
from digitize.stages.pages.units import UnitDone

Outcome = JobResult | DocumentFailure
Started = Callable[[DocumentJob], None] | None  # told when a job is handed to a worker


class Executor(ABC):
    @abstractmethod
    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext, started: Started = None) -> Iterator[Outcome]:
        """Yield one outcome per job, in the order they complete. Raises only for errors that
        stop the batch (a missing program, Ctrl-C); one job's failure is its outcome.
        ``started(job)``, when given, is called as a job is handed to a worker (the progress bar
        names the files being worked on)."""


class SerialExecutor(Executor):
    """Every job in this process, one after another, with the workers' one-thread Tesseract."""

    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext, started: Started = None) -> Iterator[Outcome]:
        init_worker()
        for job in jobs:
            if started:
                started(job)
            yield process_job(job, ctx)


def worker_count(jobs_setting: int, pending: int) -> int:
    """``ingest.jobs`` (0 = one per CPU), never more than there is work for."""
    return max(1, min(jobs_setting or os.cpu_count() or 1, pending))


def may_fan_out(job: DocumentJob) -> bool:
    """Whether the job may hold several pages (which then keep several workers busy)."""
    return len(job.sources) > 1 or any(source.kind in ("pdf", "tiff") for source in job.sources)


class LocalExecutor(Executor):
    """A process pool on this computer: ``workers`` processes (0 = one per CPU)."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers

    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext, started: Started = None) -> Iterator[Outcome]:
        workers = worker_count(self.workers, len(jobs) if not any(map(may_fan_out, jobs)) else 1 << 16)
        queue = list(reversed(jobs))
        while queue:
            caught = yield from _pool(queue, ctx, workers, started)
            for job in caught:
                yield _alone(job, ctx)


_Task = tuple[Callable[..., Any], DocumentJob, int, tuple[Any, ...]]  # (function, job, fan key, arguments)


@dataclass
class _Fan:
    """A fanned-out job in flight: its units' results so far."""

    fan: Fanout
    job: DocumentJob  # as the parent holds it
    done: list[UnitDone] = field(default_factory=list)


def _pool(queue: list[DocumentJob], ctx: WorkerContext, workers: int,
          started: Started = None) -> Generator[Outcome, None, list[DocumentJob]]:
    """Run jobs popped from ``queue`` until it is empty or the pool breaks.

    A job of many pages comes back from ``start_job`` as a ``Fanout``: its pages are run as units,
    ahead of new jobs, on whichever workers are free, and ``finish_job`` then makes its documents;
    so one long document keeps every worker busy. Returns (as the generator's value) the jobs a
    broken pool took with it."""
    running: dict[Future, tuple[DocumentJob, int]] = {}  # future -> (job, its fan key, or -1)
    ready: deque[_Task] = deque()  # units and finishes of started jobs: before new jobs
    fans: dict[int, _Fan] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:
        try:
            while queue or ready or running:
                while (queue or ready) and len(running) < workers * 2:  # bounded: results hold whole PDFs
                    if ready:
                        call, job, key, args = ready.popleft()
                        running[pool.submit(call, *args, ctx)] = (job, key)
                    else:
                        job = queue.pop()
                        running[pool.submit(start_job, job, ctx)] = (job, -1)
                        if started:
                            started(job)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                caught: list[DocumentJob] = []
                for future in done:
                    job, key = running.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        caught.append(job)
                        continue
                    yield from _settle(outcome, job, key, fans, ready, ctx.settings.ingest.keep_failed_scratch)
                if caught:
                    lost = dict.fromkeys([*caught, *(j for j, _ in running.values()), *(f.job for f in fans.values())])
                    for fan in fans.values():
                        shutil.rmtree(fan.fan.scratch, ignore_errors=True)
                    return list(lost)  # each run again whole, alone
        except BaseException:
            for future in running:
                future.cancel()
            raise
    return []


def _settle(outcome: Any, job: DocumentJob, key: int, fans: dict[int, _Fan],
            ready: deque[_Task], keep_failed: bool = False) -> Iterator[Outcome]:
    """What one finished task means: a job's outcome, a job fanned out into units, or a unit's result."""
    if isinstance(outcome, Fanout):
        key = id(outcome)
        fans[key] = _Fan(outcome, job)
        ready.extendleft(reversed([(run_unit, job, key, (outcome, unit)) for unit in outcome.units]))
        return
    if key < 0 or isinstance(outcome, JobResult):  # a whole job, or a fanned-out job finished
        fans.pop(key, None)
        yield outcome
        return
    entry = fans.get(key)
    if entry is None:  # its job failed already: the rest of its units are dropped
        return
    if isinstance(outcome, DocumentFailure):  # one page failed: the whole job fails, as it would whole
        queued = [task for task in ready if task[2] == key]
        for task in queued:
            ready.remove(task)
        if not keep_failed:  # ingest.keep_failed_scratch: left for inspection, as a whole job's would be
            shutil.rmtree(entry.fan.scratch, ignore_errors=True)
        fans.pop(key)
        yield outcome
        return
    entry.done.append(outcome)
    if len(entry.done) == len(entry.fan.units):
        ready.appendleft((finish_job, job, key, (entry.fan, entry.done)))


def _alone(job: DocumentJob, ctx: WorkerContext) -> Outcome:
    """One job in a fresh process of its own: its outcome, or ``worker-crashed`` if it kills it."""
    with ProcessPoolExecutor(max_workers=1, initializer=init_worker) as pool:
        try:
            return pool.submit(process_job, job, ctx).result()
        except BrokenProcessPool:
            return DocumentFailure(
                job, "worker-crashed",
                _("{file}: the worker process died while processing it (a crash in Tesseract or an "
                  "image library, or the computer ran out of memory); nothing was archived. Open the "
                  "scan to check it; the next run tries it again.").format(file=job.label), "worker")
