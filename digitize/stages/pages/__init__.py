"""Prepare pages: turn one input file into upright, deskewed pages ready for OCR.

For every page image (a frame of a TIFF, a JPEG/PNG, or a PDF page without text
rasterized at ``pages.rasterize_dpi``):

1. estimate the skew and whether text lines run vertically (``imaging.skew``);
2. decide the orientation with Tesseract OSD (``imaging.orientation``);
3. flag blank pages (``imaging.blank``);
4. make the image Tesseract reads: turned upright and level, cleaned by the
   steps switched on in ``[pages]``, upscaled when under ``upscale_below_dpi``
   (or, with ``scale_by_text``, scaled by the measured height of its letters);
5. make the page the PDF/A shows: the original scan data (JPEG bytes passed
   through, other images losslessly) drawn turned by the same angle, so nothing
   is re-encoded; or, with ``visible = "cleaned"``, the cleaned image.

A PDF that already has text on some page is handed to OCR as it is, and only
its pages without text are OCR'd (``skip-text`` mode).

Modules: ``images`` and ``pdf`` decode the input (``pdfscan``: a PDF page that is one
scan, used as it is; ``limits``: size and page-count limits); ``builder`` takes each
page through ``splitting`` (separator sheets, blank pages), ``orientation`` (steps 1-2),
``ocr_image`` (step 4) and ``visible`` (step 5); ``types`` holds what they share.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings

# The names of the old single module stay importable from here (tests and other modules use some).
from digitize.stages.pages.builder import _Builder
from digitize.stages.pages.images import _add_image, _normalise  # noqa: F401
from digitize.stages.pages.limits import _credible_dpi, _too_large, _too_many_pages  # noqa: F401
from digitize.stages.pages.pdf import _add_pdf_pages, _grey_if_grey, _open_pdf, _pdf_texts, _rasterize  # noqa: F401
from digitize.stages.pages.pdfscan import _page_scan  # noqa: F401
from digitize.stages.pages.splitting import Splitting
from digitize.stages.pages.types import (  # noqa: F401
    _A4_LONG_IN,
    _MIN_TEXT_CHARS,
    _STANDARD_DPI,
    PreparedDocument,
    Reader,
    estimate_dpi,
)
from digitize.stages.pages.visible import _turn_page  # noqa: F401

__all__ = ["Page", "PreparedDocument", "Reader", "Splitting", "estimate_dpi", "prepare"]


def prepare(sources: list[SourceFile] | SourceFile, scratch: Path, settings: PagesSettings,
            lang: str = "ind+eng", force_ocr: bool = False, split: Splitting | None = None,
            reader: Reader | None = None) -> list[PreparedDocument]:
    """Prepare the pages of ``sources`` (in order) as one document, or several when ``split`` finds separators.

    A lone PDF that has text keeps it (only its pages without text are OCR'd); in a
    document made of several files, or when splitting, every PDF page is rasterized.
    ``reader(image, out_base)`` OCRs a prepared page (the OCR engine's ``read_page``);
    with it, a page whose orientation the cheap test leaves open is read as it stands,
    and that reading is kept when it is confident (see ``_settle_orientation``).
    """
    if isinstance(sources, SourceFile):
        sources = [sources]
    if len(sources) == 1 and sources[0].kind == "pdf" and split is None:
        return [_prepare_pdf(sources[0], scratch, settings, lang, force_ocr, reader)]
    builder = _Builder(scratch, settings, lang, split, reader)
    for source in sources:
        if source.kind == "pdf":
            pdf_path, warnings = _open_pdf(source, scratch, settings)
            builder.warnings += warnings
            _add_pdf_pages(builder, source, pdf_path, scratch, settings)
        else:
            _add_image(builder, source, settings)
    return builder.finish()


def _prepare_pdf(source: SourceFile, scratch: Path, settings: PagesSettings, lang: str,
                 force_ocr: bool, reader: Reader | None = None) -> PreparedDocument:
    pdf_path, warnings = _open_pdf(source, scratch, settings)
    with pikepdf.open(pdf_path) as pdf:
        count = len(pdf.pages)
    texts = _pdf_texts(source, pdf_path, count)
    texts += [""] * (count - len(texts))
    has_text = [len(t.strip()) >= _MIN_TEXT_CHARS for t in texts[:count]]
    if any(has_text) and not force_ocr:
        pages = []
        for n in range(1, count + 1):
            page = Page(n, None, origin="pdf-text" if has_text[n - 1] else "pdf-raster", text=texts[n - 1])
            page.source, page.source_page = source.rel, n
            pages.append(page)
        return PreparedDocument(pages, pdf_path, "skip-text", [None] * count, warnings=warnings)
    builder = _Builder(scratch, settings, lang, reader=reader)
    builder.warnings = warnings
    _add_pdf_pages(builder, source, pdf_path, scratch, settings)
    (prepared,) = builder.finish()
    return prepared
