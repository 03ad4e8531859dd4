"""What runs in a worker process: one job (a group of input files) through the compute stages.

prepare pages (split at separator sheets) -> for each document: OCR to PDF/A ->
text per page -> classify -> extract fields.

The worker writes only into its own scratch folder and returns a ``JobResult``
(one ``DocumentResult`` per document) or a ``DocumentFailure`` for the whole job;
the parent writes the archive, the ledger and the index. Nothing here touches the
input files except to read them.
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

from digitize import similarity
from digitize.errors import DocumentError, MissingDependencyError
from digitize.models import Classification, DocumentFailure, DocumentJob, DocumentResult, SourceFile
from digitize.settings import Settings
from digitize.stages import classify as classify_stage
from digitize.stages import extract, pages
from digitize.stages.ocr import OcrEngine


@dataclass
class WorkerContext:
    """Everything a worker needs, picklable: settings, the engine, the loaded rules and scheme."""

    settings: Settings
    engine: OcrEngine
    rules: classify_stage.RuleSet
    ocr_info: dict[str, str]
    kka: Any = None  # digitize.kka.Scheme
    model_path: Path | None = None  # the archive's trained classifier, loaded once per process


_MODELS: dict[tuple[str, float], Any] = {}


def _model(path: Path | None):
    """The archive's trained model, loaded once per worker process (and again if retrained)."""
    if path is None or not path.exists():
        return None
    from digitize import learn

    key = (str(path), path.stat().st_mtime)
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = learn.load(path)
    return _MODELS[key]


def classify_text(texts: list[str], ctx: WorkerContext) -> Classification:
    """Rules, then the archive's model when it is confident; unclassified below the threshold."""
    from digitize import learn

    rules_result = classify_stage.classify(texts, ctx.rules)
    model = _model(ctx.model_path)
    prediction = scores = None
    if model is not None:
        scores = model.predict_proba("\n".join(texts))  # one pass through the features
        best = max(scores, key=scores.__getitem__)
        prediction = (best, scores[best])
    settings = ctx.settings.classify
    return learn.combine(rules_result, prediction, settings.model_threshold, settings.min_confidence, scores)


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
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def move(self, seconds: float, from_stage: str, to_stage: str) -> None:
        """Count ``seconds`` spent inside one stage's call as another stage's work."""
        if seconds:
            self.seconds[from_stage] = self.seconds.get(from_stage, 0.0) - seconds
            self.seconds[to_stage] = self.seconds.get(to_stage, 0.0) + seconds


def init_worker() -> None:
    """Process-pool initializer: one Tesseract thread per process; PDF/A writing loaded now,
    once, rather than inside the first document's timing."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from digitize.stages import textlayer

    textlayer.preload()


def process_document(job: DocumentJob, ctx: WorkerContext) -> JobResult | DocumentFailure:
    clock = _Clock()
    label = job.label
    try:
        with tempfile.TemporaryDirectory(prefix="digitize-") as tmp:
            return _process(job, ctx, clock, Path(tmp), label)
    except DocumentError as exc:
        return DocumentFailure(job, exc.reason, str(exc), clock.current, clock.seconds)
    except MissingDependencyError:
        raise  # not this document's fault: every document would fail; the batch stops with exit 4
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


@dataclass
class JobResult:
    job: DocumentJob
    documents: list[DocumentResult]
    separators: int = 0  # separator sheets found (not archived)


def _private_copy(source: SourceFile, scratch: Path) -> SourceFile:
    """Copy the input into the scratch folder and check it is the file that was hashed.

    Every later stage reads the copy: a file the scanner rewrites meanwhile is never
    read half-old, half-new, and the input is never opened for anything but reading.
    """
    target = scratch / f"source-{source.sha256[:12]}{source.path.suffix.lower()}"
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


def document_id(parts: list[tuple[str, list[int] | None]]) -> str:
    """Deterministic id from the content: re-running a job after a crash rewrites the same files.

    ``parts`` are (sha256, pages or None for the whole file); a whole single file keeps
    the first 12 hex digits of its SHA-256.
    """
    if len(parts) == 1 and parts[0][1] is None:
        return parts[0][0][:12]
    key = ";".join(f"{sha}:{','.join(map(str, pages)) if pages else '*'}" for sha, pages in parts)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class _PageReader:
    """The engine's Tesseract for page preparation (``pages.Reader``); reading time is kept apart."""

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


def _process(job: DocumentJob, ctx: WorkerContext, clock: _Clock, scratch: Path, label: str) -> JobResult:
    locals_ = clock.run("copy", lambda: [_private_copy(s, scratch) for s in job.sources])
    ingest = ctx.settings.ingest
    split = None
    if ingest.separators or ingest.blank_separators:
        split = pages.Splitting(tuple(ingest.separator_values) if ingest.separators else (),
                                ingest.blank_separators)
    reader = _PageReader(ctx, label) if getattr(ctx.engine, "reads_pages", False) else None
    prepared_docs = clock.run(
        "prepare",
        lambda: pages.prepare(locals_, scratch, ctx.settings.pages, ctx.settings.ocr.lang,
                              ctx.settings.ocr.force, split, reader),
    )
    if reader:
        clock.move(reader.seconds, "prepare", "ocr")  # that reading is the OCR the pages needed anyway
    by_rel = {s.rel: s for s in job.sources}
    results = []
    for index, prepared in enumerate(prepared_docs, start=1):
        work = scratch / f"doc-{index}"
        work.mkdir()
        results.append(_document(job, ctx, clock, work, label, prepared, locals_, by_rel,
                                 whole=len(prepared_docs) == 1))
    separators = len(prepared_docs) - 1 if split else 0
    return JobResult(job, results, separators)


def _document(job: DocumentJob, ctx: WorkerContext, clock: _Clock, scratch: Path, label: str,
              prepared: pages.PreparedDocument, locals_: list[SourceFile], by_rel: dict[str, SourceFile],
              whole: bool) -> DocumentResult:
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
    notices = list(prepared.warnings) + list(output.notices)
    kept = prepared.pages
    # which files, and which of their pages, this document is made of
    used: dict[str, list[int]] = {}
    for page in kept:
        used.setdefault(page.source, []).append(page.source_page)
    sources = tuple(by_rel[rel] for rel in used)
    parts = [{"path": rel, "sha256": by_rel[rel].sha256, "pages": pgs} for rel, pgs in used.items()]
    doc_id = document_id([(by_rel[rel].sha256, None if whole else pgs) for rel, pgs in used.items()])
    if ctx.settings.pages.drop_blank and any(p.blank for p in kept) and not all(p.blank for p in kept):
        kept = clock.run("drop-blank", lambda: _drop_blank_pages(out_pdf, prepared.pages))
        dropped = [p.number for p in prepared.pages if p.blank]
        notices.append(f"blank page(s) {', '.join(map(str, dropped))} of the scan dropped (pages.drop_blank)")
    if embed:
        for local in locals_:
            if local.rel in used:
                clock.run("embed", lambda: _embed_original(out_pdf, local))
    texts = [page.text for page in kept]
    classification = clock.run("classify", lambda: classify_text(texts, ctx))
    if prepared.metadata.get("type"):
        classification = _type_from_separator(prepared.metadata["type"], classification, ctx.rules)
    fields = clock.run("extract", lambda: extract.extract_fields(texts))
    if ctx.kka is not None:
        code = ctx.kka.resolve(fields, classification.type)
        if code:
            fields["kka"] = code
        else:
            fields.pop("kka", None)
    if prepared.metadata:
        fields["separator"] = {"value": dict(prepared.metadata), "page": 0, "confidence": 1.0}
    label_of = ctx.rules.labels().get(classification.type)
    return DocumentResult(
        job=DocumentJob(doc_id, sources),
        pdf=out_pdf.read_bytes(),
        pages=kept,
        classification=classification,
        fields=fields,
        title=extract.make_title(texts, fields, label_of),
        date=fields.get("tanggal", {}).get("value"),
        ocr_info=ctx.ocr_info,
        stage_seconds=dict(clock.seconds),
        warnings=warnings,
        notices=notices,
        parts=parts,
        signature=similarity.signature("\n".join(texts)),
    )


def _type_from_separator(value: str, found: Classification, rules: classify_stage.RuleSet) -> Classification:
    """A type written on the separator sheet wins over the classifier (a clerk chose it)."""
    wanted = value.strip().lower()
    for doc_type in rules.types:
        if wanted in {doc_type.name.lower(), doc_type.label.lower(), *(a.lower() for a in doc_type.aliases)}:
            return Classification(doc_type.name, 1.0, dict(found.scores, separator=1.0))
    return found
