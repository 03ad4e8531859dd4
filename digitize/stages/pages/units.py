"""Pages as units of parallel work: a job's pages listed (``plan``), each prepared and read on its own
(``prepare_unit``, in any worker), then put together in order (``assemble``).

``prepare`` in ``pages/__init__`` does the same for a whole job in one process; this splits it so the
pages of one long document keep every worker busy. A unit is one page of one source file: a frame
of an image file, or a page of a PDF (sanitized once, by ``plan``). Everything a unit makes (its
OCR image, its visible page as a one-page PDF, Tesseract's reading) is written in the job's scratch
folder under names of its own (its index in the job), so units never touch each other's files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from digitize.errors import DocumentError
from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings
from digitize.stages.pages.builder import _Builder
from digitize.stages.pages.images import _EXIF_ORIENTATION, _can_pass_through, _normalise
from digitize.stages.pages.limits import _credible_dpi, _too_large, _too_many_pages
from digitize.stages.pages.pdf import _grey_if_grey, _open_pdf, _pdf_texts, _rasterize
from digitize.stages.pages.pdfscan import _page_scan
from digitize.stages.pages.splitting import Splitting, _documents
from digitize.stages.pages.types import _MIN_TEXT_CHARS, PreparedDocument, Reader


@dataclass(frozen=True)
class Unit:
    """One page of one source file, to prepare and read on its own."""

    index: int  # 0-based position in the job: names its files
    source: SourceFile  # the worker's hash-checked copy
    number: int  # its page (frame) number in that file, 1-based
    pdf: Path | None = None  # the sanitized PDF the page is taken from (PDF sources)
    alone: bool = False  # the file's only frame (its own data can be the visible page)


@dataclass
class UnitDone:
    """A prepared (and read) page, or a separator sheet (``page`` None, ``cut`` set)."""

    index: int
    page: Page | None
    visible: Path | None  # one-page PDF: what the PDF/A shows
    ocr_image: str | None
    reading: Any  # textlayer.PageText or None (blank page)
    cut: dict[str, str] | None = None  # a separator before the next page: its metadata
    oversample: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # prepare, ocr


@dataclass
class Plan:
    units: list[Unit]
    warnings: list[str]


def plan(sources: list[SourceFile], scratch: Path, settings: PagesSettings,
         split: Splitting | None) -> Plan | None:
    """The job's pages as units; None when it is prepared whole (a lone PDF with a text layer keeps it)."""
    units: list[Unit] = []
    warnings: list[str] = []
    for source in sources:
        if source.kind == "pdf":
            pdf_path, found = _open_pdf(source, scratch, settings)
            warnings += found
            with pikepdf.open(pdf_path) as pdf:
                count = len(pdf.pages)
            if len(sources) == 1 and split is None and _has_text(source, pdf_path, count):
                return None
            units += [Unit(len(units) + n - 1, source, n, pdf_path) for n in range(1, count + 1)]
        else:
            count = _frames(source, settings)
            units += [Unit(len(units) + n - 1, source, n, alone=count == 1) for n in range(1, count + 1)]
    return Plan(units, warnings)


def _has_text(source: SourceFile, pdf_path: Path, count: int) -> bool:
    return any(len(t.strip()) >= _MIN_TEXT_CHARS for t in _pdf_texts(source, pdf_path, count))


def _frames(source: SourceFile, settings: PagesSettings) -> int:
    if source.kind == "heif":
        import pillow_heif

        pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = int(settings.max_megapixels * 1e6)
    try:
        with Image.open(source.path) as img:
            count = getattr(img, "n_frames", 1)
            problem = _too_many_pages(source, count, settings) or _too_large(source, img.size, settings, "the image")
    except Image.DecompressionBombError as exc:
        raise DocumentError("too-large", f"{source.rel}: image is too large to process safely ({exc}).") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise DocumentError(
            "corrupt",
            f"{source.rel}: image cannot be decoded ({exc}); the file is damaged or truncated, scan it again.",
        ) from exc
    if problem:
        raise problem
    return count


def prepare_unit(unit: Unit, scratch: Path, settings: PagesSettings, lang: str, split: Splitting | None,
                 reader: Reader | None) -> UnitDone:
    """Prepare one page as ``prepare`` would (blank and separator checks, orientation, OCR image,
    visible page); the page's reading is done by the caller."""
    builder = _Builder(scratch, settings, lang, split, reader, first=unit.index + 1)
    if unit.pdf is not None:
        _add_pdf_page(builder, unit)
    else:
        _add_frame(builder, unit, settings)
    visible = None
    if builder.pages:
        visible = scratch / f"visible-{unit.index + 1:04d}.pdf"
        builder.pdf.save(visible)
    cut = builder.cuts[0][1] if builder.cuts else None
    page = builder.pages[0] if builder.pages else None
    return UnitDone(unit.index, page, visible, builder.ocr_images[0] if page else None,
                    builder.readings[0] if page else None, cut, builder.oversample)


def _add_pdf_page(builder: _Builder, unit: Unit) -> None:
    assert unit.pdf is not None
    source, number, settings = unit.source, unit.number, builder.settings
    with pikepdf.open(unit.pdf) as pdf:
        scan = _page_scan(pdf.pages[number - 1], builder.scratch / f"scan-{source.sha256[:8]}-{number:04d}")
    if scan is not None:
        image, dpi, original = scan
        builder.add(_normalise(image), dpi, "pdf-image", source, number, original=original)
        return
    path = _rasterize(source, unit.pdf, number, builder.scratch, settings)
    with Image.open(path) as image:
        builder.add(_grey_if_grey(_normalise(image)), float(settings.rasterize_dpi), "pdf-raster", source, number)


def _add_frame(builder: _Builder, unit: Unit, settings: PagesSettings) -> None:
    source = unit.source
    try:
        with Image.open(source.path) as img:
            frame = next(f for n, f in enumerate(ImageSequence.Iterator(img), 1) if n == unit.number)
            problem = _too_large(source, frame.size, settings, f"page {unit.number}")
            if problem:
                raise problem
            dpi = _credible_dpi(frame.info, settings)
            tag = frame.getexif().get(_EXIF_ORIENTATION, 1) if source.kind == "jpeg" else 1
            frame.load()
            passthrough = unit.alone and _can_pass_through(source.kind, frame, tag)
            image = frame if passthrough else _normalise(ImageOps.exif_transpose(frame) if tag > 1 else frame)
            builder.add(image, dpi, "image", source, unit.number, original=source.path if passthrough else None)
    except Image.DecompressionBombError as exc:
        raise DocumentError("too-large", f"{source.rel}: image is too large to process safely ({exc}).") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, StopIteration) as exc:
        raise DocumentError(
            "corrupt",
            f"{source.rel}: page {unit.number} cannot be decoded ({exc}); the file is damaged or truncated, "
            "scan it again.",
        ) from exc


def assemble(done: list[UnitDone], scratch: Path, settings: PagesSettings, lang: str, split: Splitting | None,
             warnings: list[str]) -> list[PreparedDocument]:
    """The prepared documents of a job from its units, in page order (as ``prepare`` would make them)."""
    builder = _Builder(scratch, settings, lang, split)
    builder.warnings = list(warnings)
    opened: list[pikepdf.Pdf] = []  # the one-page PDFs stay open until the documents are saved
    try:
        for unit in sorted(done, key=lambda d: d.index):
            if unit.cut is not None:
                builder.cuts.append((len(builder.pages), unit.cut))
                builder.separators += 1
                continue
            if unit.page is None or unit.visible is None:
                continue
            one = pikepdf.open(unit.visible)
            opened.append(one)
            builder.pdf.pages.extend(one.pages)
            builder.pages.append(unit.page)
            builder.ocr_images.append(unit.ocr_image)
            builder.readings.append(unit.reading)
            if unit.oversample:
                builder.oversample = max(builder.oversample or 0, unit.oversample)
        return _documents(builder)
    finally:
        for one in opened:
            one.close()
