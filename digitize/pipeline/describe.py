"""The document stages that say what a document is: its parts and id, its type, its fields."""

from __future__ import annotations

import dataclasses
import hashlib

from digitize import similarity
from digitize.models import DocumentResult
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.state import DocumentWork
from digitize.stages import classify as classify_stage
from digitize.stages import extract as extract_stage


def document_id(parts: list[tuple[str, list[int] | None]]) -> str:
    """Deterministic id from the content: re-running a job after a crash rewrites the same files.

    ``parts`` are (sha256, pages or None for the whole file); a whole single file keeps
    the first 12 hex digits of its SHA-256.
    """
    if len(parts) == 1 and parts[0][1] is None:
        return parts[0][0][:12]
    key = ";".join(f"{sha}:{','.join(map(str, pages)) if pages else '*'}" for sha, pages in parts)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def identify(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """Which files, and which of their pages, the document is made of; its id (decided here only)."""
    by_rel = {source.rel: source for source in work.job.job.sources}
    used: dict[str, list[int]] = {}
    for page in work.pages:
        used.setdefault(page.source, []).append(page.source_page)
    parts = tuple({"path": rel, "sha256": by_rel[rel].sha256, "pages": pages} for rel, pages in used.items())
    doc_id = document_id([(by_rel[rel].sha256, None if work.whole else pages) for rel, pages in used.items()])
    return dataclasses.replace(work, doc_id=doc_id, sources=tuple(by_rel[rel] for rel in used), parts=parts)


def classify(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    settings = ctx.settings.classify
    found = classify_stage.classify_document(
        work.texts, ctx.rules, model_path=ctx.model_path, model_threshold=settings.model_threshold,
        min_confidence=settings.min_confidence, separator_type=work.prepared.metadata.get("type"))
    return dataclasses.replace(work, classification=found)


def extract(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """The metadata fields; the archive classification code (KKA); what a separator sheet said."""
    fields = extract_stage.extract_fields(work.texts, unsure=[page.unsure for page in work.pages])
    assert work.classification is not None  # classify runs first
    code = classify_stage.archive_code(ctx.kka, fields, work.classification.type)
    if code:
        fields["kka"] = code
    elif ctx.kka is not None:
        fields.pop("kka", None)
    if work.prepared.metadata:
        fields["separator"] = {"value": dict(work.prepared.metadata), "page": 0, "confidence": 1.0}
    return dataclasses.replace(work, fields=fields)


def result(work: DocumentWork, ctx: WorkerContext, stage_seconds: dict[str, float]) -> DocumentResult:
    """What the parent needs to archive the document."""
    assert work.classification is not None
    texts = work.texts
    label = ctx.rules.labels().get(work.classification.type)
    return DocumentResult(
        doc_id=work.doc_id,
        sources=work.sources,
        pdf=work.pdf.read_bytes(),
        pages=list(work.pages),
        classification=work.classification,
        fields=work.fields,
        title=extract_stage.make_title(texts, work.fields, label),
        date=work.fields.get("tanggal", {}).get("value"),
        ocr_info=ctx.ocr_info,
        stage_seconds=stage_seconds,
        warnings=list(work.warnings),
        notices=list(work.notices),
        parts=list(work.parts),
        signature=similarity.signature("\n".join(texts)),
        originals=list(work.originals),
        digital_signatures=list(work.signatures),
    )
