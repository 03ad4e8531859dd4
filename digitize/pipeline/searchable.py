"""The document stages that make and finish its PDF: signatures read, OCR, blank pages dropped, originals kept."""

from __future__ import annotations

import dataclasses
import mimetypes
from pathlib import Path

from digitize.errors import DocumentError
from digitize.i18n import _
from digitize.models import SourceFile
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.state import DocumentWork
from digitize.stages import signatures


def has_pdf_sources(work: DocumentWork, ctx: WorkerContext) -> bool:
    return any(source.kind == "pdf" for source in work.sources)


def read_signatures(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """Each digital signature of the document's PDFs: signer, time, certificate, whether its bytes are intact.

    Read from the worker's hash-checked copies, the very bytes that are kept."""
    found: list[dict] = []
    copies = {copy.rel: copy for copy in work.job.copies}
    for source in work.sources:
        copy = copies[source.rel]
        if source.kind != "pdf" or not signatures.is_signed_file(copy.path):
            continue
        try:
            entries = signatures.read(copy.path)
        except Exception as exc:  # noqa: BLE001 - a signature pyHanko cannot parse: still signed, still kept
            entries = [{"signer": None, "intact": False, "error": f"{type(exc).__name__}: {exc}"}]
        found += [{"file": source.rel} | entry for entry in entries]
    if not found:
        return work
    broken = sum(1 for entry in found if not entry.get("intact"))
    notices = (_("{broken} of {count} digital signature(s) do not match the signed bytes "
                 "(changed after signing)").format(broken=broken, count=len(found)),) if broken else ()
    return dataclasses.replace(work, signatures=tuple(found), notices=work.notices + notices)


def make_searchable(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """The engine writes the searchable PDF/A (PDF/A-3 when originals are embedded: by the settings, or
    because a PDF is signed); each page gets its text."""
    settings = ctx.settings.ocr
    if ctx.settings.archive.keep_originals == "embed" or work.signatures:
        settings = dataclasses.replace(settings, pdfa_part=3)
    label = work.job.job.label
    output = ctx.engine.make_searchable(work.prepared, work.pdf, settings, label)
    if len(output.texts) != len(work.pages):
        raise DocumentError(
            "ocr-failed", _("{file}: OCR returned {texts} pages of text for {pages} pages.")
            .format(file=label, texts=len(output.texts), pages=len(work.pages)))
    unsure = output.unsure or [frozenset()] * len(work.pages)
    read = tuple(page if page.origin == "pdf-text"  # pages that had text keep it; OCR skipped them
                 else dataclasses.replace(page, text=text, confidence=conf, unsure=doubt)
                 for page, text, conf, doubt in zip(work.pages, output.texts, output.confidences, unsure,
                                                    strict=False))
    return dataclasses.replace(work, pages=read, warnings=work.warnings + tuple(output.warnings),
                               notices=work.notices + tuple(output.notices))


def has_pages_to_drop(work: DocumentWork, ctx: WorkerContext) -> bool:
    blank = [page.blank for page in work.pages]
    return ctx.settings.pages.drop_blank and any(blank) and not all(blank)


def drop_blank_pages(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """Remove blank pages from the PDF/A (only when ``pages.drop_blank``); the rest are renumbered."""
    import pikepdf

    with pikepdf.open(work.pdf, allow_overwriting_input=True) as pdf:
        for page in sorted((p for p in work.pages if p.blank), key=lambda p: -p.number):
            del pdf.pages[page.number - 1]
        pdf.save(work.pdf)
    kept = tuple(dataclasses.replace(page, number=number)
                 for number, page in enumerate((p for p in work.pages if not p.blank), start=1))
    dropped = ", ".join(str(p.number) for p in work.pages if p.blank)
    return dataclasses.replace(work, pages=kept, notices=work.notices + (
        _("blank page(s) {pages} of the scan dropped (pages.drop_blank)").format(pages=dropped),))


def keeps_originals(work: DocumentWork, ctx: WorkerContext) -> bool:
    return ctx.settings.archive.keep_originals in ("copy", "embed") or bool(work.signatures)


def keep_originals(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """``archive.keep_originals``: ``embed`` attaches the scans to the PDF/A-3 (associated files);
    ``copy`` hands their bytes to the parent, which stores them beside the PDF/A. Both read the
    worker's hash-checked copies, so what is kept is exactly what was processed.

    A signed PDF is kept both ways whatever the setting: byte for byte beside the document, and
    embedded as the source of the PDF/A-3 that renders it."""
    mode = ctx.settings.archive.keep_originals
    used = {source.rel for source in work.sources}
    signed = work.signed
    copies = [copy for copy in work.job.copies if copy.rel in used]
    for copy in copies:
        if mode == "embed" or copy.rel in signed:
            _embed(work.pdf, copy, "signed original" if copy.rel in signed else "original scan")
    beside = [copy for copy in copies if mode == "copy" or copy.rel in signed]
    return dataclasses.replace(work, originals=tuple((c.path.suffix.lower(), c.path.read_bytes()) for c in beside))


def _embed(pdf_path: Path, source: SourceFile, description: str = "original scan") -> None:
    """Attach the original file to the PDF/A-3 as its source (associated file, /AF)."""
    import pikepdf

    name = Path(source.rel).name
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(
            pdf, source.path.read_bytes(), filename=name, description=description,
            mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            relationship=pikepdf.Name.Source,
        )
        pdf.attachments[name] = spec
        associated = pdf.Root.get("/AF")
        if not isinstance(associated, pikepdf.Array):
            pdf.Root.AF = associated = pikepdf.Array()
        if all(item.objgen != spec.obj.objgen for item in associated):  # qpdf may have listed it already
            associated.append(spec.obj)  # beside any other original already embedded
        pdf.save(pdf_path)
