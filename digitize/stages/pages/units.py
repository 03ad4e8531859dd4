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

from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings
from digitize.stages.pages.builder import _Builder
from digitize.stages.pages.images import _add_frame as _add_image_frame
from digitize.stages.pages.images import frame_count, opened
from digitize.stages.pages.pdf import _add_pdf_page as _add_pdf_page_of
from digitize.stages.pages.pdf import _open_pdf, _pdf_texts
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
    with opened(source, settings) as img:
        return frame_count(source, img, settings)


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
    with pikepdf.open(unit.pdf) as pdf:
        _add_pdf_page_of(builder, unit.source, unit.pdf, pdf.pages[unit.number - 1], unit.number, builder.scratch,
                         builder.settings)


def _add_frame(builder: _Builder, unit: Unit, settings: PagesSettings) -> None:
    with opened(unit.source, settings) as img:
        img.seek(unit.number - 1)
        _add_image_frame(builder, unit.source, img, unit.number, unit.alone, settings)


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
