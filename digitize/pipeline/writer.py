"""The single writer, in the parent: each outcome a worker returns goes through the parent
steps of ``pipeline.stages`` (archive files, ledger rows, index queue), in that order."""

from __future__ import annotations

import time
from collections.abc import Sequence

from digitize.models import DocumentFailure, SourceFile
from digitize.pipeline import indexing, move
from digitize.pipeline.run import Filed, Run
from digitize.pipeline.stages import PARENT_STEPS
from digitize.pipeline.state import JobResult


class Writer:
    def __init__(self, run: Run) -> None:
        self.run = run
        ingest = run.settings.ingest
        self.processed_root = run.inbox / ingest.processed_dir if ingest.move_processed else None

    def handle(self, outcome: JobResult | DocumentFailure) -> None:
        """Archive every document of a job, or record why the job's files failed."""
        if isinstance(outcome, DocumentFailure):
            self.fail(outcome)
            return
        # a disk that filled up during the run: stop before writing, cleanly (the index is committed,
        # the run recorded failed; the next run resumes with this job's files)
        self.run.archive.check_free(self.run.settings.ingest.min_free_mb, stopping=True)
        self.run.report.separators += outcome.separators
        for document in outcome.documents:
            self._file(Filed(document, seconds=dict(document.stage_seconds)))
        for source in outcome.job.sources:
            self.run.ledger.mark_file_done(self.run.run_id, source.sha256, source.rel, source.size, source.mtime)
        self.run.to_move.extend(outcome.job.sources)
        if indexing.due(self.run):
            self.flush()

    def _file(self, filed: Filed) -> None:
        for step in PARENT_STEPS:
            start = time.perf_counter()
            filed = step.run(filed, self.run)
            if step.name == "archive":  # recorded with the worker's stages, by the next step
                filed.seconds[step.name] = time.perf_counter() - start

    def fail(self, failure: DocumentFailure) -> None:
        self._record_failure(failure.job.sources, failure.reason, failure.message, failure.detail,
                             failure.stage_seconds, failure.stage)

    def _record_failure(self, sources: Sequence[SourceFile], reason: str, message: str, detail: str,
                        seconds: dict[str, float], stage: str) -> None:
        run = self.run
        for source in sources:
            run.ledger.record_failure(run.run_id, source.sha256, source.rel, source.size, source.mtime,
                                      reason, message, detail)
            run.ledger.record_stages(run.run_id, source.sha256, seconds, stage, message)
        run.report.fail(", ".join(s.rel for s in sources), reason, message)

    def flush(self) -> None:
        """Commit the index; then the originals it covers may leave the inbox."""
        indexing.commit(self.run)
        moving, self.run.to_move = self.run.to_move, []
        if self.processed_root is not None:
            move.move_originals(moving, self.run.inbox, self.processed_root)
