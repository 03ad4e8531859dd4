"""The job stages: a private copy of every input file, then the pages ready for OCR."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path

from digitize.errors import DocumentError
from digitize.i18n import _
from digitize.models import SourceFile
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.state import JobWork
from digitize.settings import Settings
from digitize.stages import pages


def copy_inputs(work: JobWork, ctx: WorkerContext) -> JobWork:
    """Copy every input into the scratch folder and check it is the file that was hashed.

    Every later stage reads the copy: a file the scanner rewrites meanwhile is never
    read half-old, half-new, and the input is never opened for anything but reading.
    """
    return dataclasses.replace(work, copies=tuple(_copy(s, work.scratch.copy_of(s)) for s in work.job.sources))


def _copy(source: SourceFile, target: Path) -> SourceFile:
    digest = hashlib.sha256()
    try:
        src = source.path.open("rb")
    except FileNotFoundError as exc:
        raise DocumentError(
            "vanished",
            _("{file}: the file was removed while the run was going on; nothing was archived for it "
              "(put it back in the inbox to process it).").format(file=source.rel),
        ) from exc
    with src, target.open("wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != source.sha256:
        raise DocumentError(
            "changed",
            _("{file}: the file changed while it was being read (still being written?); "
              "it will be processed by the next run.").format(file=source.rel),
        )
    return dataclasses.replace(source, path=target)


class PageReader:
    """The engine reading single pages for page preparation (``pages.Reader``); its time is kept apart."""

    def __init__(self, ctx: WorkerContext, label: str) -> None:
        self.ctx, self.label, self.seconds = ctx, label, 0.0

    def __call__(self, image: Path, out_base: Path):
        start = time.perf_counter()
        try:
            return self.ctx.engine.read_page(image, out_base, self.ctx.settings.ocr, self.label)
        finally:
            self.seconds += time.perf_counter() - start

    def osd(self, gray, dpi: float) -> tuple[int, float] | None:
        return self.ctx.engine.osd(gray, dpi, self.ctx.settings.ocr)


def prepare_pages(work: JobWork, ctx: WorkerContext) -> JobWork:
    """Page images ready for OCR (deskewed, upright, cleaned, blank pages flagged), split into documents
    at separator sheets when the settings ask."""
    split = splitting(ctx.settings)
    reader = PageReader(ctx, work.job.label) if ctx.engine.reads_pages else None
    documents = pages.prepare(list(work.copies), work.scratch.root, ctx.settings.pages, ctx.settings.ocr.lang,
                              ctx.settings.ocr.force, split, reader)
    return dataclasses.replace(work, documents=tuple(documents), split=split is not None,
                               reading_seconds=reader.seconds if reader else 0.0)


def splitting(settings: Settings) -> pages.Splitting | None:
    """How the settings split a run of pages into documents (separator sheets, blank pages), or None."""
    ingest = settings.ingest
    if not (ingest.separators or ingest.blank_separators):
        return None
    return pages.Splitting(tuple(ingest.separator_values) if ingest.separators else (), ingest.blank_separators)
