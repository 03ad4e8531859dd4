"""Where jobs run. The pipeline hands jobs to an ``Executor`` and gets one outcome per job back.

* ``LocalExecutor`` (ingest's default): a process pool on this computer. Tesseract, Leptonica,
  OpenCV and the image decoders are native code, and one malformed scan can crash them. A
  worker process that dies (a crash, or the kernel's out-of-memory killer) breaks the whole
  pool and takes every job it was running with it. Each of those jobs is then run again
  alone in a fresh process; the one that kills its worker alone is recorded as failed
  (``worker-crashed``), and the rest of the batch goes on in a new pool. Nothing is written
  for a job that crashed, so the next run tries it again.
* ``SerialExecutor``: one job after another in this process (evaluation, training, tests).

Another executor (a cluster) implements ``map`` and nothing else: the stages do not change.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from digitize.models import DocumentFailure, DocumentJob
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.runner import init_worker, process_job
from digitize.pipeline.state import JobResult

Outcome = JobResult | DocumentFailure


class Executor(ABC):
    @abstractmethod
    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext) -> Iterator[Outcome]:
        """Yield one outcome per job, in the order they complete. Raises only for errors that
        stop the batch (a missing program, Ctrl-C); one job's failure is its outcome."""


class SerialExecutor(Executor):
    """Every job in this process, one after another, with the workers' one-thread Tesseract."""

    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext) -> Iterator[Outcome]:
        init_worker()
        for job in jobs:
            yield process_job(job, ctx)


def worker_count(jobs_setting: int, pending: int) -> int:
    """``ingest.jobs`` (0 = one per CPU), never more than there are jobs."""
    return max(1, min(jobs_setting or os.cpu_count() or 1, pending))


class LocalExecutor(Executor):
    """A process pool on this computer: ``workers`` processes (0 = one per CPU)."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers

    def map(self, jobs: Sequence[DocumentJob], ctx: WorkerContext) -> Iterator[Outcome]:
        workers = worker_count(self.workers, len(jobs))
        queue = list(reversed(jobs))
        while queue:
            caught = yield from _pool(queue, ctx, workers)
            for job in caught:
                yield _alone(job, ctx)


def _pool(queue: list[DocumentJob], ctx: WorkerContext, workers: int) -> Generator[Outcome, None, list[DocumentJob]]:
    """Run jobs popped from ``queue`` until it is empty or the pool breaks.

    Returns (as the generator's value) the jobs a broken pool took with it."""
    running: dict[Future, DocumentJob] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:
        try:
            while queue or running:
                while queue and len(running) < workers * 2:  # bounded: results hold whole PDFs
                    job = queue.pop()
                    running[pool.submit(process_job, job, ctx)] = job
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                caught: list[DocumentJob] = []
                for future in done:
                    job = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        caught.append(job)
                if caught:
                    return caught + list(running.values())
        except BaseException:
            for future in running:
                future.cancel()
            raise
    return []


def _alone(job: DocumentJob, ctx: WorkerContext) -> Outcome:
    """One job in a fresh process of its own: its outcome, or ``worker-crashed`` if it kills it."""
    with ProcessPoolExecutor(max_workers=1, initializer=init_worker) as pool:
        try:
            return pool.submit(process_job, job, ctx).result()
        except BrokenProcessPool:
            return DocumentFailure(
                job, "worker-crashed",
                f"{job.label}: the worker process died while processing it (a crash in Tesseract or an "
                "image library, or the computer ran out of memory); nothing was archived. Open the "
                "scan to check it; the next run tries it again.", "worker")
