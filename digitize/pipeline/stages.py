"""The pipeline on one screen: every stage a document goes through, in order.

In a worker process (``runner.process_job``), for each job (the files that make one
scan batch item):

    copy        a private, hash-checked copy of every input file          (prepare.copy_inputs)
    prepare     page images ready for OCR, split at separator sheets      (prepare.prepare_pages)

(a job of several pages is spread over the workers: after ``copy`` its pages are listed, and each is
prepared and read as a unit of its own on any worker (``runner.run_unit``, ``stages.pages.units``);
``runner.finish_job`` then puts them together in order and goes on with the document stages below,
whose ``ocr`` finds every page read already)

then for each document the job holds:

    identify    which files and pages it is made of; its id               (describe.identify)
    signatures  the digital signatures of its signed PDFs (pyHanko)       (searchable.read_signatures)
    ocr         searchable PDF/A and the text of every page               (searchable.make_searchable)
    drop-blank  blank pages removed (pages.drop_blank)                    (searchable.drop_blank_pages)
    originals   the scans kept: embedded, or copied beside (keep_originals) (searchable.keep_originals);
                a signed PDF always both, byte for byte
    classify    document type: rules, the archive's model, separator sheet (describe.classify)
    extract     nomor, tanggal, perihal, ... and the archive code (KKA)   (describe.extract)

In the parent (``writer.Writer``), for each document a worker returned:

    archive     PDF/A, .txt, .json (and originals) into documents/<type>/<year>/  (store.store)
    record      ledger rows, checksums, stage timings; the run's report   (record.record)
    index       queued for the full-text index, committed in batches      (indexing.queue)

and after each index commit:

    move        originals leave the inbox (ingest.move_processed)         (move.move_originals)

Each worker stage takes the document's state and returns a new one (``DocumentWork``);
none changes an object it was given. The runner times every stage by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from digitize.pipeline import describe, indexing, prepare, record, searchable, store

State = TypeVar("State")
Ctx = TypeVar("Ctx")


@dataclass(frozen=True)
class Stage(Generic[State, Ctx]):
    name: str  # as timings, the ledger and error messages name it
    run: Callable[[State, Ctx], State]
    when: Callable[[State, Ctx], bool] | None = None  # None: always

    def applies(self, state: State, ctx: Ctx) -> bool:
        return self.when is None or self.when(state, ctx)


JOB_STAGES = (
    Stage("copy", prepare.copy_inputs),
    Stage("prepare", prepare.prepare_pages),
)

DOCUMENT_STAGES = (
    Stage("identify", describe.identify),
    Stage("signatures", searchable.read_signatures, when=searchable.has_pdf_sources),
    Stage("ocr", searchable.make_searchable),
    Stage("drop-blank", searchable.drop_blank_pages, when=searchable.has_pages_to_drop),
    Stage("originals", searchable.keep_originals, when=searchable.keeps_originals),
    Stage("classify", describe.classify),
    Stage("extract", describe.extract),
)

PARENT_STEPS = (
    Stage("archive", store.store),
    Stage("record", record.record),
    Stage("index", indexing.queue),
)
