"""Single files through the worker stages, nothing archived (evaluation, training): one job per file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from digitize.models import DocumentFailure, DocumentJob
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.executor import Executor
from digitize.pipeline.state import JobResult
from digitize.stages.discover import Rejected, examine_file


def run_files(files: Sequence[tuple[Path, str]], ctx: WorkerContext,
              executor: Executor) -> Iterator[tuple[int, JobResult | DocumentFailure | Rejected]]:
    """``(index, outcome)`` for each ``(path, name as shown)``: a file discovery refuses at once, then the
    others as their jobs complete. The same file given twice is one job, reported for both."""
    jobs: dict[DocumentJob, list[int]] = {}
    for number, (path, name) in enumerate(files):
        source = examine_file(path.resolve(), name)
        if isinstance(source, Rejected):
            yield number, source
        else:
            jobs.setdefault(DocumentJob((source,)), []).append(number)
    for outcome in executor.map(list(jobs), ctx):
        for number in jobs[outcome.job]:
            yield number, outcome
