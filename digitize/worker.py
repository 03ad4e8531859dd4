"""What runs in a worker process: one document through the compute stages.

prepare pages -> OCR to PDF/A -> text per page -> classify -> extract fields.

The worker writes only into its own scratch folder and returns a
``DocumentResult`` (or a ``DocumentFailure``); the parent writes the archive,
the ledger and the index. Nothing here touches the input file except to read it.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitize.errors import DocumentError
from digitize.models import DocumentFailure, DocumentJob, DocumentResult
from digitize.settings import Settings
from digitize.stages import classify as classify_stage
from digitize.stages import extract, pages
from digitize.stages.ocr import OcrEngine


@dataclass
class WorkerContext:
    """Everything a worker needs, picklable: settings, the engine, the loaded rules."""

    settings: Settings
    engine: OcrEngine
    rules: classify_stage.RuleSet
    ocr_info: dict[str, str]


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current = ""

    def run(self, stage: str, func: Callable[[], Any]) -> Any:
        self.current = stage
        start = time.perf_counter()
        try:
            return func()
        finally:
            self.seconds[stage] = time.perf_counter() - start


def init_worker() -> None:
    """Process-pool initializer: one Tesseract thread per process."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def process_document(job: DocumentJob, ctx: WorkerContext) -> DocumentResult | DocumentFailure:
    clock = _Clock()
    label = ", ".join(s.rel for s in job.sources)
    try:
        with tempfile.TemporaryDirectory(prefix="digitize-") as tmp:
            return _process(job, ctx, clock, Path(tmp), label)
    except DocumentError as exc:
        return DocumentFailure(job, exc.reason, str(exc), clock.current, clock.seconds)
    except Exception as exc:  # an unexpected bug must not stop the batch; keep the traceback
        return DocumentFailure(
            job,
            "internal-error",
            f"{label}: unexpected error in stage '{clock.current}' ({type(exc).__name__}: {exc}); "
            "please report it with the ledger entry.",
            clock.current,
            clock.seconds,
            detail=traceback.format_exc(),
        )


def _drop_blank_pages(pdf_path: Path, pages_: list) -> list:
    """Remove blank pages from the PDF/A (only when the job asks); renumber the rest."""
    import pikepdf

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        for page in sorted((p for p in pages_ if p.blank), key=lambda p: -p.number):
            del pdf.pages[page.number - 1]
        pdf.save(pdf_path)
    kept = [p for p in pages_ if not p.blank]
    for number, page in enumerate(kept, start=1):
        page.number = number
    return kept


def _process(job: DocumentJob, ctx: WorkerContext, clock: _Clock, scratch: Path, label: str) -> DocumentResult:
    (source,) = job.sources  # one file = one document for now
    prepared = clock.run(
        "prepare", lambda: pages.prepare(source, scratch, ctx.settings.pages, ctx.settings.ocr.lang)
    )
    out_pdf = scratch / "out.pdf"
    output = clock.run(
        "ocr", lambda: ctx.engine.make_searchable(prepared, out_pdf, ctx.settings.ocr, label)
    )
    if len(output.texts) != len(prepared.pages):
        raise DocumentError(
            "ocr-failed",
            f"{label}: OCR returned {len(output.texts)} pages of text for {len(prepared.pages)} pages.",
        )
    for page, text, conf in zip(prepared.pages, output.texts, output.confidences):
        if page.origin != "pdf-text":  # pages that had text keep it; OCR skipped them
            page.text = text
            page.confidence = conf
    warnings = output.warnings
    kept = prepared.pages
    if ctx.settings.pages.drop_blank and any(p.blank for p in kept) and not all(p.blank for p in kept):
        kept = clock.run("drop-blank", lambda: _drop_blank_pages(out_pdf, prepared.pages))
        dropped = [p.number for p in prepared.pages if p.blank]
        warnings = [*warnings, f"blank page(s) {', '.join(map(str, dropped))} of the scan dropped (pages.drop_blank)"]
    texts = [page.text for page in kept]
    classification = clock.run("classify", lambda: classify_stage.classify(texts, ctx.rules))
    fields = clock.run("extract", lambda: extract.extract_fields(texts))
    label_of = ctx.rules.labels().get(classification.type)
    return DocumentResult(
        job=job,
        pdf=out_pdf.read_bytes(),
        pages=kept,
        classification=classification,
        fields=fields,
        title=extract.make_title(texts, fields, label_of),
        date=fields.get("tanggal", {}).get("value"),
        ocr_info=ctx.ocr_info,
        stage_seconds=clock.seconds,
        warnings=warnings,
    )
