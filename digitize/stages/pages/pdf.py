"""PDF files: check and sanitize them, read their text, and hand their pages to the builder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import pikepdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.i18n import _
from digitize.models import SourceFile
from digitize.settings import PagesSettings
from digitize.stages import sanitize, signatures
from digitize.stages.pages.images import _normalise
from digitize.stages.pages.limits import _too_large, _too_many_pages, _too_small
from digitize.stages.pages.pdfscan import _page_scan

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder


def _open_pdf(source: SourceFile, scratch: Path, settings: PagesSettings) -> tuple[Path, list[str]]:
    """Check a PDF can be read and is within limits; return a copy without active content to use
    (and without signatures: a signed PDF is kept as it is, and its rendition made from that copy)."""
    try:
        pdf_path, removed = sanitize.sanitized_copy(source.path, scratch / f"sanitized-{source.sha256[:8]}.pdf")
        with pikepdf.open(pdf_path) as pdf:
            signed = signatures.is_signed(pdf)
        if signed:
            pdf_path = signatures.unsigned_copy(pdf_path, scratch / f"unsigned-{source.sha256[:8]}.pdf")
        with pikepdf.open(pdf_path) as pdf:
            count = len(pdf.pages)
            problem = _too_many_pages(source, count, settings)
            for number, page in enumerate(pdf.pages, start=1):
                box = [float(v) for v in page.mediabox]
                dpi = settings.rasterize_dpi
                pixels = ((box[2] - box[0]) / 72 * dpi, (box[3] - box[1]) / 72 * dpi)
                size = (int(pixels[0]), int(pixels[1]))
                problem = problem or _too_large(source, size, settings, _("page {number}").format(number=number)) or (
                    _too_small(source, size, _("page {number} at {dpi} dpi").format(number=number, dpi=dpi)))
    except pikepdf.PasswordError as exc:
        raise DocumentError(
            "encrypted",
            _("{file}: PDF is password-protected; remove the password "
              "(for example `qpdf --decrypt --password=... IN OUT`) and put the copy in the inbox.")
            .format(file=source.rel),
        ) from exc
    except pikepdf.PdfError as exc:
        why = re.sub(rf"{re.escape(str(scratch))}/\S+?(: |$)", "", str(exc))  # qpdf names our scratch copy
        raise DocumentError(
            "corrupt", _("{file}: PDF is damaged and cannot be read ({error}); scan it again.")
            .format(file=source.rel, error=why)
        ) from exc
    if problem:
        raise problem
    if count == 0:
        raise DocumentError("corrupt", _("{file}: PDF has no pages.").format(file=source.rel))
    if removed and signed:  # its signature covers those bytes: kept as it is, and said so
        return pdf_path, [_("the signed original {file} contains active content ({removed}): "
                            "it is kept byte-identical beside the document because its signature covers it; "
                            "the archived PDF/A has none of it. Open the original only in a safe viewer.")
                          .format(file=source.rel, removed=", ".join(removed))]
    return pdf_path, ([_("removed active content from {file}: {removed}").format(file=source.rel,
                                                                                  removed=", ".join(removed))]
                      if removed else [])


def _pdf_texts(source: SourceFile, pdf_path: Path, count: int | None = None) -> list[str]:
    """The text layer of every page (``count`` pages: one string each)."""
    try:
        return external.pdf_page_texts(pdf_path, count)
    except MissingDependencyError:
        raise
    except Exception as exc:  # pdftotext failed on a PDF pikepdf could open
        raise DocumentError("corrupt", _("{file}: cannot read the PDF's text ({error}).")
                            .format(file=source.rel, error=exc)) from exc


def _add_pdf_pages(builder: _Builder, source: SourceFile, pdf_path: Path, scratch: Path,
                   settings: PagesSettings) -> None:
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            _add_pdf_page(builder, source, pdf_path, page, number, scratch, settings)


def _add_pdf_page(builder: _Builder, source: SourceFile, pdf_path: Path, page: pikepdf.Page, number: int,
                  scratch: Path, settings: PagesSettings) -> None:
    """Page ``number`` of the PDF: its own scanned image when it is one, else rendered."""
    scan = _page_scan(page, scratch / f"scan-{source.sha256[:8]}-{number:04d}")
    if scan is not None:  # the page is one upright scanned image: use its own data
        image, dpi, original = scan
        builder.add(_normalise(image), dpi, "pdf-image", source, number, original=original)
        return
    path = _rasterize(source, pdf_path, number, scratch, settings)
    with Image.open(path) as image:
        builder.add(_grey_if_grey(_normalise(image)), float(settings.rasterize_dpi), "pdf-raster", source, number)


def _grey_if_grey(image: Image.Image) -> Image.Image:
    """A colour rendering whose three channels are equal, as one grey channel (a third of the data)."""
    if image.mode != "RGB":
        return image
    pixels = np.asarray(image)
    if np.array_equal(pixels[..., 0], pixels[..., 1]) and np.array_equal(pixels[..., 1], pixels[..., 2]):
        return Image.fromarray(np.ascontiguousarray(pixels[..., 0]))
    return image


def _rasterize(source: SourceFile, pdf_path: Path, number: int, scratch: Path, settings: PagesSettings) -> Path:
    try:
        paths = convert_from_path(
            pdf_path,
            dpi=settings.rasterize_dpi,
            first_page=number,
            last_page=number,
            output_folder=scratch,
            fmt="ppm",  # uncompressed: PNG encoding cost pdftoppm several times the rendering
            paths_only=True,
            output_file=f"raster-{source.sha256[:8]}-{number:04d}",
        )
    except PDFInfoNotInstalledError as exc:
        raise MissingDependencyError(_("`pdftoppm` is missing: {hint}.").format(hint=external.install_hint("pdftoppm"))
                                     ) from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise DocumentError("corrupt", _("{file}: page {number} cannot be rendered ({error}).")
                            .format(file=source.rel, number=number, error=exc)) from exc
    if not paths:
        raise DocumentError("corrupt", _("{file}: page {number} cannot be rendered.").format(file=source.rel,
                                                                                              number=number))
    return Path(cast(str, paths[0]))  # paths_only=True: file names (pdf2image annotates images)
