"""Parent step ``archive``: the document's metadata, and its files written into the archive."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from digitize import __version__, events, restricted, similarity
from digitize.archive import RESTRICTED
from digitize.i18n import _
from digitize.models import DocumentResult
from digitize.pipeline.run import Filed, Run
from digitize.report import Failure

DUPLICATE_SIMILARITY = 0.5  # estimated Jaccard similarity of word 3-shingles


def store(filed: Filed, run: Run) -> Filed:
    """Write the PDF/A, text, originals and metadata; drop an older copy left in another folder."""
    document = filed.document
    meta = metadata(document, run)
    twin = probable_duplicate(document, run.signatures)
    if twin:
        meta["probable_duplicate_of"] = twin
        rel = document.sources[0].rel
        run.report.duplicates.append(Failure(rel, "probable-duplicate",
                                             _("{file}: text is {similarity:.0%} like archived document "
                                               "{doc_id}; archived anyway, check if it is a rescan.")
                                             .format(file=rel, similarity=twin["similarity"], doc_id=twin["id"])))
    previous = run.ledger.document(meta["id"])
    stored = run.archive.store(meta["id"], meta["type"], meta["year"], document.pdf, document.text, meta,
                               document.originals)
    if previous and previous["pdf_path"] != run.archive.relative(stored.pdf):
        # re-processed (--force) into another folder: drop the old copy
        run.archive.remove([previous[k] for k in ("pdf_path", "txt_path", "json_path") if previous[k]])
        was_restricted = previous["pdf_path"].startswith(RESTRICTED + "/")
        if was_restricted != bool(meta.get("restricted")):  # moved between the parts: out of the old index now
            run.index_of(was_restricted).delete([meta["id"]])
    return dataclasses.replace(filed, meta=meta, stored=stored)


def metadata(document: DocumentResult, run: Run) -> dict[str, Any]:
    """The ``.json`` sidecar (before the archive adds its file names and checksums)."""
    first = document.sources[0]
    earlier = run.ledger.latest_document_for_path(first.rel, first.sha256)
    parts = document.parts or [{"pages": None}] * len(document.sources)
    kind = document.classification.type
    meta = {
        "id": document.doc_id,
        "version": earlier[1] + 1 if earlier else 1,
        "supersedes": earlier[0] if earlier else None,
        "sources": [s.as_source() | {"pages": part["pages"]} for s, part in zip(document.sources, parts, strict=True)],
        "pages": [page.as_json() for page in document.pages],
        "type": kind,
        "type_label": run.labels.get(kind, kind),
        "type_confidence": document.classification.confidence,
        "type_scores": document.classification.scores,
        "title": document.title,
        "date": document.date,
        "year": document.year,
        "fields": document.fields,
        "ocr": document.ocr_info,
        "warnings": document.warnings,
        "notices": document.notices,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "pipeline_version": __version__,
        "events": events.archiving_events(document),
    }
    why = restricted.reason(document.fields, run.settings)
    if why:
        meta["restricted"] = why  # stored in the restricted part, with its own index
    if document.digital_signatures:  # a signed PDF: the .pdf is its rendition, the original is kept beside
        meta["signatures"] = document.digital_signatures
    return meta


def probable_duplicate(document: DocumentResult, signatures: dict[str, list[int]]) -> dict[str, Any] | None:
    """The most similar archived document when its text is at least half the same (a rescan)."""
    if not document.signature:
        return None
    best, score = None, 0.0
    for doc_id, minhash in signatures.items():
        if doc_id == document.doc_id:
            continue
        value = similarity.similarity(document.signature, minhash)
        if value > score:
            best, score = doc_id, value
    return {"id": best, "similarity": round(score, 2)} if best and score >= DUPLICATE_SIMILARITY else None
