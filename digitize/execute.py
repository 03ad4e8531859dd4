"""Run documents through the compute stages in worker processes; outcomes come back to the parent.

Every document is computed in a worker process, never in the parent that writes the
archive: Tesseract, Leptonica, OpenCV and the image decoders are native code, and one
malformed scan can crash them. A worker process that dies (a crash, or the kernel's
out-of-memory killer) breaks the whole pool and takes every document it was running
with it. Each of those documents is then run again alone in a fresh process; the one
that kills its worker alone is recorded as failed (``worker-crashed``), and the rest of
the batch goes on in a new pool. Nothing is written for a document that crashed, so
the next run tries it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from digitize.models import DocumentFailure, DocumentJob
from digitize.worker import JobResult, WorkerContext, init_worker, process_document

Outcome = JobResult | DocumentFailure


def execute(jobs: list[DocumentJob], ctx: WorkerContext, workers: int) -> Iterator[Outcome]:
    """Yield one outcome per job, in the order they complete, from ``workers`` processes."""
    queue = list(reversed(jobs))
    while queue:
        caught = yield from _pool(queue, ctx, max(1, workers))
        for job in caught:
            yield _alone(job, ctx)


def _pool(queue: list[DocumentJob], ctx: WorkerContext, workers: int) -> Iterator[Outcome]:
    """Run jobs popped from ``queue`` until it is empty or the pool breaks.

    Returns (as the generator's value) the jobs a broken pool took with it."""
    running: dict[Future, DocumentJob] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:
        try:
            while queue or running:
                while queue and len(running) < workers * 2:  # bounded: results hold whole PDFs
                    job = queue.pop()
                    running[pool.submit(process_document, job, ctx)] = job
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                caught = []
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
            return pool.submit(process_document, job, ctx).result()
        except BrokenProcessPool:
            return DocumentFailure(
                job, "worker-crashed",
                f"{job.label}: the worker process died while processing it (a crash in Tesseract or an "
                "image library, or the computer ran out of memory); nothing was archived. Open the "
                "scan to check it; the next run tries it again.", "worker")
