"""The document stages that make and finish its PDF: OCR, blank pages dropped, originals kept."""

from __future__ import annotations

import dataclasses
import mimetypes
from pathlib import Path

from digitize.errors import DocumentError
from digitize.models import SourceFile
from digitize.pipeline.context import WorkerContext
from digitize.pipeline.state import DocumentWork


def make_searchable(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """The engine writes the searchable PDF/A (PDF/A-3 when the originals are embedded); each page gets its text."""
    settings = ctx.settings.ocr
    if ctx.settings.archive.keep_originals == "embed":
        settings = dataclasses.replace(settings, pdfa_part=3)
    label = work.job.job.label
    output = ctx.engine.make_searchable(work.prepared, work.pdf, settings, label)
    if len(output.texts) != len(work.pages):
        raise DocumentError(
            "ocr-failed", f"{label}: OCR returned {len(output.texts)} pages of text for {len(work.pages)} pages.")
    read = tuple(page if page.origin == "pdf-text"  # pages that had text keep it; OCR skipped them
                 else dataclasses.replace(page, text=text, confidence=conf)
                 for page, text, conf in zip(work.pages, output.texts, output.confidences, strict=False))
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
        f"blank page(s) {dropped} of the scan dropped (pages.drop_blank)",))


def keeps_originals(work: DocumentWork, ctx: WorkerContext) -> bool:
    return ctx.settings.archive.keep_originals in ("copy", "embed")


def keep_originals(work: DocumentWork, ctx: WorkerContext) -> DocumentWork:
    """``archive.keep_originals``: ``embed`` attaches the scans to the PDF/A-3 (associated files);
    ``copy`` hands their bytes to the parent, which stores them beside the PDF/A. Both read the
    worker's hash-checked copies, so what is kept is exactly what was processed."""
    used = {source.rel for source in work.sources}
    copies = [copy for copy in work.job.copies if copy.rel in used]
    if ctx.settings.archive.keep_originals == "copy":
        return dataclasses.replace(work, originals=tuple((c.path.suffix.lower(), c.path.read_bytes())
                                                         for c in copies))
    for copy in copies:
        _embed(work.pdf, copy)
    return work


def _embed(pdf_path: Path, source: SourceFile) -> None:
    """Attach the original scan to the PDF/A-3 as its source file (associated file, /AF)."""
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

