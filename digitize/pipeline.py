"""The ingest pipeline: the explicit list of stages, and the parent that writes.

Stages, in order:

    discover   walk the inbox, SHA-256 every file, sniff its format     (parent)
    plan       skip files the ledger has archived; retry failed ones    (parent)
    prepare    page images ready for OCR                                (worker)
    ocr        searchable PDF/A-2b + text per page                      (worker)
    classify   document type from config/classes.toml                   (worker)
    extract    tanggal, nomor, perihal, title                           (worker)
    archive    PDF/A, .txt and .json into documents/<type>/<year>/      (parent)
    ledger     file, document, stage timings, checksums                 (parent)
    index      full-text index entry                                    (parent)

Workers compute in a process pool (``execute``: a worker that crashes fails only
its own document); only this module's parent code writes the archive, the ledger
and the index, so there is exactly one writer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from digitize import __version__, kka, similarity
from digitize.archive import Archive
from digitize.errors import ConfigError
from digitize.fields.registry import ledger_values
from digitize.fulltext import IndexedDocument, SearchIndex, open_index
from digitize.ledger import Ledger
from digitize.models import DocumentFailure, DocumentJob, DocumentResult, SourceFile
from digitize.report import BatchReport, Failure, NoProgress, PageNote, Progress
from digitize.settings import Settings
from digitize.stages import classify as classify_stage
from digitize.stages import grouping
from digitize.stages.discover import discover
from digitize.stages.ocr import OcrEngine, get_engine
from digitize.execute import execute
from digitize.worker import JobResult, WorkerContext, document_id

INDEX_BATCH = 10  # documents per index commit
DUPLICATE_SIMILARITY = 0.5  # estimated Jaccard similarity of word 3-shingles


class DocumentChanged(Exception):
    """The input changed between processing and archiving: do not archive it now."""

    def __init__(self, rel: str):
        super().__init__(f"{rel}: the file changed after it was processed; it will be processed by the next run.")


def worker_count(settings: Settings, pending: int) -> int:
    jobs = settings.ingest.jobs or os.cpu_count() or 1
    if jobs < 0:
        raise ConfigError(f"ingest.jobs must be 0 (one per CPU) or more, not {jobs}.")
    return max(1, min(jobs, pending))


def ingest(
    inbox: Path,
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> BatchReport:
    """Process every new scan in ``inbox`` into the archive. Returns the batch report."""
    if not inbox.is_dir():
        raise ConfigError(f"Inbox {inbox} is not a folder: give the folder the scanner writes to.")
    progress = progress or NoProgress()
    engine = engine or get_engine(settings.ocr.engine)
    ocr_info = dict(engine.check(settings.ocr), lang=settings.ocr.lang)
    rules = classify_stage.load_rules(settings.classify.rules)
    scheme = kka.load_scheme(settings.classify.kka, settings.classify.kka_scheme)
    archive = Archive(settings.archive.path)
    archive.ensure()
    ledger = Ledger(archive.ledger_path)
    index = open_index(archive.index_path, settings.index.backend)
    report = BatchReport(inbox=str(inbox), archive=str(archive.root))
    started = time.perf_counter()
    run_id = ledger.start_run(str(inbox.resolve()))
    writer = _Writer(archive, ledger, index, run_id, report, rules.labels(), settings, inbox)
    try:
        writer.index_pending_from_ledger()
        jobs = _plan(inbox, settings, ledger, report, run_id, force)
        progress.start(len(jobs))
        ctx = WorkerContext(settings, engine, rules, ocr_info, scheme, archive.model_path)
        for outcome in execute(jobs, ctx, worker_count(settings, len(jobs))):
            writer.handle(outcome)
            label = outcome.job.label
            if isinstance(outcome, DocumentFailure):
                progress.advance(label, "failed", outcome.message)
            else:
                progress.advance(label, "done", ", ".join(d.classification.type for d in outcome.documents))
        writer.flush_index()
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        progress.stop()
        report.elapsed = time.perf_counter() - started
        status = "interrupted" if report.interrupted else ("partial" if report.failed else "ok")
        try:
            ledger.finish_run(run_id, status, report.as_json())
        finally:
            index.close()
            ledger.close()
    return report


def _plan(inbox: Path, settings: Settings, ledger: Ledger, report: BatchReport, run_id: int,
          force: bool) -> list[DocumentJob]:
    found = discover(inbox, settings.ingest.extensions, settings.ingest.follow_symlinks,
                     settle_seconds=settings.ingest.settle_seconds,
                     skip_dirs=(settings.ingest.processed_dir,))
    report.ignored = len(found.ignored)
    report.deferred = len(found.deferred)
    report.files_seen = len(found.files) + len(found.rejected)
    for bad in found.rejected:
        ledger.record_failure(run_id, bad.sha256, bad.rel, bad.size, None, bad.reason, bad.message)
        report.fail(bad.rel, bad.reason, bad.message)
    fresh: list[SourceFile] = []
    seen: set[str] = set()
    for source in found.files:
        record = ledger.file(source.sha256)
        if source.sha256 in seen or (record and record.status == "done" and not force):
            report.skipped += 1
            continue
        seen.add(source.sha256)
        report.new += 1
        report.retried += bool(record and record.status == "failed")
        fresh.append(source)
    ingest_settings = settings.ingest
    groups = grouping.group(fresh, ingest_settings.group, ingest_settings.page_pattern, ingest_settings.time_gap)
    return [DocumentJob(document_id([(s.sha256, None) for s in members]), tuple(members)) for members in groups]


class _Writer:
    """The single writer: archive files, ledger rows and index entries, in that order."""

    def __init__(self, archive: Archive, ledger: Ledger, index: SearchIndex, run_id: int,
                 report: BatchReport, labels: dict[str, str], settings: Settings, inbox: Path):
        self.archive, self.ledger, self.index = archive, ledger, index
        self.run_id, self.report, self.labels = run_id, report, labels
        self.low_confidence = settings.pages.low_confidence
        self.keep_originals = settings.archive.keep_originals
        self.inbox = inbox.resolve()
        self.processed_root = (self.inbox / settings.ingest.processed_dir
                               if settings.ingest.move_processed else None)
        self.to_move: list[SourceFile] = []
        self.pending: list[IndexedDocument] = []
        self.signatures = ledger.signatures()

    def _probable_duplicate(self, outcome: DocumentResult) -> dict[str, Any] | None:
        """The most similar archived document when its text is at least half the same (a rescan)."""
        if not outcome.signature:
            return None
        best, score = None, 0.0
        for doc_id, minhash in self.signatures.items():
            if doc_id == outcome.job.doc_id:
                continue
            value = similarity.similarity(outcome.signature, minhash)
            if value > score:
                best, score = doc_id, value
        return {"id": best, "similarity": round(score, 2)} if best and score >= DUPLICATE_SIMILARITY else None

    def handle(self, outcome: JobResult | DocumentFailure) -> None:
        """Archive every document of a job, or record why the job's files failed."""
        if isinstance(outcome, DocumentFailure):
            self._fail(outcome.job.sources, outcome.reason, outcome.message, outcome.detail,
                       outcome.stage_seconds, outcome.stage)
            return
        self.report.separators += outcome.separators
        try:
            for document in outcome.documents:
                self._archive(document)
        except DocumentChanged as exc:
            self._fail(outcome.job.sources, "changed", str(exc))
            return
        for source in outcome.job.sources:
            self.ledger.mark_file_done(self.run_id, source.sha256, source.rel, source.size, source.mtime)
        self.to_move.extend(outcome.job.sources)
        if len(self.pending) >= INDEX_BATCH:
            self.flush_index()

    def _fail(self, sources, reason: str, message: str, detail: str = "",
              seconds: dict[str, float] | None = None, stage: str | None = None) -> None:
        for source in sources:
            self.ledger.record_failure(self.run_id, source.sha256, source.rel, source.size,
                                       source.mtime, reason, message, detail)
            if seconds is not None:
                self.ledger.record_stages(self.run_id, source.sha256, seconds, stage, message)
        label = ", ".join(s.rel for s in sources)
        self.report.fail(label, reason, message)

    def _archive(self, outcome: DocumentResult) -> None:
        source = outcome.job.sources[0]
        start = time.perf_counter()
        meta = self._metadata(outcome)
        twin = self._probable_duplicate(outcome)
        if twin:
            meta["probable_duplicate_of"] = twin
            self.report.duplicates.append(Failure(source.rel, "probable-duplicate",
                                                  f"{source.rel}: text is {twin['similarity']:.0%} like archived "
                                                  f"document {twin['id']}; archived anyway, check if it is a rescan."))
        previous = self.ledger.document(meta["id"])
        originals = []
        if self.keep_originals == "copy":
            for part in outcome.job.sources:
                data = part.path.read_bytes()
                if hashlib.sha256(data).hexdigest() != part.sha256:
                    raise DocumentChanged(part.rel)
                originals.append((part.path.suffix.lower(), data))
        stored = self.archive.store(meta["id"], meta["type"], meta["year"], outcome.pdf, outcome.text, meta,
                                    originals)
        if previous and previous["pdf_path"] != self.archive.relative(stored.pdf):
            # re-processed (--force) into another folder: drop the old copy
            self.archive.remove([previous[k] for k in ("pdf_path", "txt_path", "json_path") if previous[k]])
        outcome.stage_seconds["archive"] = time.perf_counter() - start
        self.ledger.record_document(self.run_id, {
            "id": meta["id"], "source_path": source.rel, "version": meta["version"],
            "supersedes": meta["supersedes"], "type": meta["type"],
            "type_confidence": meta["type_confidence"], "title": meta["title"], "date": meta["date"],
            "year": meta["year"], "pages": len(outcome.pages),
            "pdf_path": self.archive.relative(stored.pdf), "pdf_sha256": stored.checksums["pdf"],
            "txt_path": self.archive.relative(stored.txt), "txt_sha256": stored.checksums["txt"],
            "json_path": self.archive.relative(stored.json), "json_sha256": stored.checksums["json"],
            "created": meta["created"],
            **ledger_values(meta["fields"]),
        }, meta["pages"], outcome.parts)
        self.ledger.record_stages(self.run_id, source.sha256, outcome.stage_seconds)
        if outcome.signature:
            self.ledger.record_signature(meta["id"], outcome.signature)
            self.signatures[meta["id"]] = outcome.signature
        self.report.documents += 1
        self.report.pages += len(outcome.pages)
        self.report.ocr_seconds += outcome.stage_seconds.get("ocr", 0.0)
        self.report.types[meta["type"]] += 1
        for notice in outcome.notices:
            self.report.notices.append(Failure(source.rel, "notice", f"{source.rel}: {notice}"))
        for page in outcome.pages:
            if page.blank:
                self.report.blank_pages.append(PageNote(source.rel, page.number, meta["id"]))
            elif page.confidence is not None and page.confidence < self.low_confidence:
                self.report.low_confidence.append(
                    PageNote(source.rel, page.number, meta["id"], round(page.confidence, 1)))
        self.report.archived.append({"id": meta["id"], "type": meta["type"],
                                     "path": self.archive.relative(stored.pdf), "source": source.rel})
        self.pending.append(IndexedDocument.from_metadata(
            dict(meta, files={"pdf": self.archive.relative(stored.pdf)}), [p.text for p in outcome.pages]))

    def _metadata(self, result: DocumentResult) -> dict[str, Any]:
        source = result.job.sources[0]
        earlier = self.ledger.latest_document_for_path(source.rel, source.sha256)
        return {
            "id": result.job.doc_id,
            "version": earlier[1] + 1 if earlier else 1,
            "supersedes": earlier[0] if earlier else None,
            "sources": [s.as_source() | {"pages": part["pages"]}
                        for s, part in zip(result.job.sources, result.parts or [{"pages": None}] * len(result.job.sources))],
            "pages": [page.as_json() for page in result.pages],
            "type": result.classification.type,
            "type_label": self.labels.get(result.classification.type, result.classification.type),
            "type_confidence": result.classification.confidence,
            "type_scores": result.classification.scores,
            "title": result.title,
            "date": result.date,
            "year": result.year,
            "fields": result.fields,
            "ocr": result.ocr_info,
            "warnings": result.warnings,
            "notices": result.notices,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "pipeline_version": __version__,
        }

    def flush_index(self) -> None:
        if self.pending:
            self.index.add(self.pending)
            self.ledger.mark_indexed([doc.id for doc in self.pending])
            self.pending = []
        moving, self.to_move = self.to_move, []
        if self.processed_root is not None:
            for source in moving:  # archived, recorded and indexed: now the original may leave the inbox
                self._move_original(source)

    def _move_original(self, source: SourceFile) -> None:
        target = self.processed_root / date.today().isoformat() / source.path.relative_to(self.inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        stem, n = target, 1
        while target.exists():
            target = stem.with_name(f"{stem.stem}-{n}{stem.suffix}")
            n += 1
        shutil.move(source.path, target)

    def index_pending_from_ledger(self) -> None:
        """Index documents archived by an earlier run that stopped before its index commit."""
        rows = self.ledger.unindexed()
        if not rows:
            return
        docs = []
        for row in rows:
            meta = self.archive.read_metadata(row["json_path"])
            text = (self.archive.root / row["txt_path"]).read_text(encoding="utf-8")
            docs.append(IndexedDocument.from_metadata(meta, text.split("\f")))
        self.index.add(docs)
        self.ledger.mark_indexed([d.id for d in docs])
