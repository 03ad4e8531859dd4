"""The ingest pipeline. Its stages, in order, are listed in ``digitize.pipeline.stages``.

    batch.py      ingest(): plan, run the jobs on an executor, write what comes back
    plan.py       (parent) new files in the inbox, grouped into jobs
    executor.py   where jobs run: LocalExecutor (process pool), SerialExecutor
    runner.py     (worker) one job through the worker stages, timed
    prepare.py    (worker) copy, prepare
    searchable.py (worker) ocr, drop-blank, originals
    describe.py   (worker) identify, classify, extract; the result handed to the parent
    writer.py     (parent) each result through the parent steps
    store.py, record.py, indexing.py, move.py   (parent) archive, record, index, move
    context.py, state.py, run.py   what the stages share
"""

from __future__ import annotations

from digitize.pipeline.batch import ingest
from digitize.pipeline.executor import Executor, LocalExecutor, SerialExecutor

__all__ = ["Executor", "LocalExecutor", "SerialExecutor", "ingest"]
