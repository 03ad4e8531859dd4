"""What runs in a worker process: one document through the compute stages.

prepare pages -> OCR to PDF/A -> text per page -> classify -> extract fields.

The worker writes only into its own scratch folder and returns a
``DocumentResult`` (or a ``DocumentFailure``); the parent writes the archive,
the ledger and the index. Nothing here touches the input file except to read it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitize.errors import DocumentError
from digitize.models import DocumentFailure, DocumentJob, DocumentResult, SourceFile
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


def _private_copy(source: SourceFile, scratch: Path) -> SourceFile:
    """Copy the input into the scratch folder and check it is the file that was hashed.

    Every later stage reads the copy: a file the scanner rewrites meanwhile is never
    read half-old, half-new, and the input is never opened for anything but reading.
    """
    target = scratch / f"source{source.path.suffix.lower()}"
    digest = hashlib.sha256()
    with source.path.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != source.sha256:
        raise DocumentError(
            "changed",
            f"{source.rel}: the file changed while it was being read (still being written?); "
            "it will be processed by the next run.",
        )
    return dataclasses.replace(source, path=target)


def _embed_original(pdf_path: Path, source: SourceFile) -> None:
    """Attach the original scan to the PDF/A-3 as its source file (associated file, /AF)."""
    import mimetypes

    import pikepdf

    name = Path(source.rel).name
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(
            pdf, source.path.read_bytes(), filename=name, description="original scan",
            mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            relationship=pikepdf.Name.Source,
        )
        pdf.attachments[name] = spec
        pdf.Root.AF = pikepdf.Array([spec.obj])
        pdf.save(pdf_path)


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
    local = clock.run("copy", lambda: _private_copy(source, scratch))
    prepared = clock.run(
        "prepare",
        lambda: pages.prepare(local, scratch, ctx.settings.pages, ctx.settings.ocr.lang, ctx.settings.ocr.force),
    )
    out_pdf = scratch / "out.pdf"
    embed = ctx.settings.archive.keep_originals == "embed"
    ocr_settings = dataclasses.replace(ctx.settings.ocr, pdfa_part=3) if embed else ctx.settings.ocr
    output = clock.run(
        "ocr", lambda: ctx.engine.make_searchable(prepared, out_pdf, ocr_settings, label)
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
    warnings = list(output.warnings)
    notices = list(prepared.warnings)
    kept = prepared.pages
    if ctx.settings.pages.drop_blank and any(p.blank for p in kept) and not all(p.blank for p in kept):
        kept = clock.run("drop-blank", lambda: _drop_blank_pages(out_pdf, prepared.pages))
        dropped = [p.number for p in prepared.pages if p.blank]
        notices.append(f"blank page(s) {', '.join(map(str, dropped))} of the scan dropped (pages.drop_blank)")
    if embed:
        clock.run("embed", lambda: _embed_original(out_pdf, local))
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
        notices=notices,
    )
