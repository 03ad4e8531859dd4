"""Parent step ``record``: the document's ledger rows, and what the run's report counts of it."""

from __future__ import annotations

from digitize.fields.registry import ledger_values
from digitize.i18n import _
from digitize.pipeline.run import Filed, Run
from digitize.report import DESKEW_NOTED, Failure, PageNote


def record(filed: Filed, run: Run) -> Filed:
    document, meta, stored = filed.document, filed.meta, filed.stored
    assert stored is not None  # the archive step runs first
    relative = run.archive.relative
    run.ledger.record_document(run.run_id, {
        "id": meta["id"], "source_path": document.sources[0].rel, "version": meta["version"],
        "supersedes": meta["supersedes"], "type": meta["type"],
        "type_confidence": meta["type_confidence"], "title": meta["title"], "date": meta["date"],
        "year": meta["year"], "pages": len(document.pages),
        "pdf_path": relative(stored.pdf), "pdf_sha256": stored.checksums["pdf"],
        "txt_path": relative(stored.txt), "txt_sha256": stored.checksums["txt"],
        "json_path": relative(stored.json), "json_sha256": stored.checksums["json"],
        "created": meta["created"],
        **ledger_values(meta["fields"]),
    }, meta["pages"], document.parts, meta["events"])
    run.ledger.record_stages(run.run_id, document.sources[0].sha256, filed.seconds)
    if document.signature:
        run.ledger.record_signature(meta["id"], document.signature)
        run.signatures[meta["id"]] = document.signature
    _count(filed, run)
    return filed


def _count(filed: Filed, run: Run) -> None:
    document, meta, report = filed.document, filed.meta, run.report
    rel = document.sources[0].rel
    report.documents += 1
    report.pages += len(document.pages)
    report.ocr_seconds += document.stage_seconds.get("ocr", 0.0)
    report.types[meta["type"]] += 1
    for notice in document.notices:
        report.notices.append(Failure(rel, "notice", f"{rel}: {notice}"))
    low = run.settings.pages.low_confidence
    for page in document.pages:
        if page.blank:
            report.blank_pages.append(PageNote(rel, page.number, meta["id"]))
        elif page.confidence is not None and page.confidence < low:
            report.low_confidence.append(PageNote(rel, page.number, meta["id"], round(page.confidence, 1)))
        if page.rotation:
            report.rotated.append(PageNote(rel, page.number, meta["id"],
                                           detail=_("turned {degrees}°").format(degrees=page.rotation)))
        if run.settings.pages.deskew and page.skew_deg is not None and abs(page.skew_deg) >= DESKEW_NOTED:
            report.deskewed.append(PageNote(rel, page.number, meta["id"],
                                            detail=_("deskewed {degrees:.1f}°").format(degrees=page.skew_deg)))
    assert filed.stored is not None
    report.archived.append({"id": meta["id"], "type": meta["type"],
                            "path": run.archive.relative(filed.stored.pdf), "source": rel})
