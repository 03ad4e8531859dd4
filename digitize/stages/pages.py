"""Prepare pages: turn one input file into page images ready for OCR.

Images are used as they are (multi-page TIFFs frame by frame); JPEGs that need
no change are passed through byte for byte. PDF pages without text are
rasterized at ``pages.rasterize_dpi``; a PDF that already has text on some
page is handed to OCR as it is, and only its pages without text are OCR'd.

The result is a list of ``Page`` and the PDF that OCR turns searchable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings

# Paper sizes (long side in inches) used to guess the resolution of scans that carry none.
_A4_LONG_IN = 11.69
_STANDARD_DPI = (100, 150, 200, 240, 300, 400, 600)
_MIN_TEXT_CHARS = 20  # a PDF page with fewer characters of text counts as image-only


@dataclass
class PreparedDocument:
    pages: list[Page]
    ocr_input: Path  # the PDF handed to OCR
    mode: str  # "images": every page is an image to OCR; "skip-text": keep pages that have text


def estimate_dpi(width: int, height: int) -> float:
    """Guess the scan resolution from the pixel size, assuming an A4-sized page."""
    raw = max(width, height) / _A4_LONG_IN
    nearest = min(_STANDARD_DPI, key=lambda d: abs(d - raw))
    return float(nearest) if abs(nearest - raw) / nearest < 0.12 else round(raw, 1)


def prepare(source: SourceFile, scratch: Path, settings: PagesSettings) -> PreparedDocument:
    if source.kind == "pdf":
        return _prepare_pdf(source, scratch, settings)
    return _prepare_image(source, scratch, settings)


def _credible_dpi(info: dict, settings: PagesSettings) -> float | None:
    dpi = info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return None
    if settings.min_dpi <= x <= settings.max_dpi and abs(x - y) / x < 0.05:
        return x
    return None


def _prepare_image(source: SourceFile, scratch: Path, settings: PagesSettings) -> PreparedDocument:
    pages: list[Page] = []
    try:
        with Image.open(source.path) as img:
            frames = getattr(img, "n_frames", 1)
            for index, frame in enumerate(ImageSequence.Iterator(img), start=1):
                pages.append(_save_frame(source, frame, index, frames, scratch, settings))
    except Image.DecompressionBombError as exc:
        raise DocumentError(
            "too-large", f"{source.rel}: image is too large to process safely ({exc})."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentError(
            "corrupt",
            f"{source.rel}: image cannot be decoded ({exc}); the file is damaged or truncated, "
            "scan it again.",
        ) from exc
    if not pages:
        raise DocumentError("corrupt", f"{source.rel}: the image has no pages; scan it again.")
    return PreparedDocument(pages, _images_to_pdf(pages, scratch / "pages.pdf"), "images")


def _save_frame(
    source: SourceFile, frame: Image.Image, number: int, frames: int, scratch: Path, settings: PagesSettings
) -> Page:
    dpi = _credible_dpi(frame.info, settings)
    orientation = frame.getexif().get(0x0112, 1) if source.kind == "jpeg" else 1
    passthrough = (
        source.kind == "jpeg" and frames == 1 and orientation in (0, 1) and frame.mode in ("L", "RGB")
    )
    frame.load()  # decode now so truncated data fails here, inside the error handler
    image = frame if passthrough else _normalise(ImageOps.exif_transpose(frame) if orientation > 1 else frame)
    width, height = image.size
    estimated = dpi is None
    if dpi is None:
        dpi = estimate_dpi(width, height)
    if passthrough:
        path = source.path  # original JPEG data, read only
    else:
        path = scratch / f"page-{number:04d}.png"
        image.save(path, format="PNG", dpi=(dpi, dpi))
    return Page(number, path, width, height, dpi, estimated, "image")


def _normalise(image: Image.Image) -> Image.Image:
    """Modes OCRmyPDF and PDF/A accept: 1, L or RGB; alpha flattened onto white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _images_to_pdf(pages: list[Page], target: Path) -> Path:
    pdf = pikepdf.new()
    for page in pages:
        layout = img2pdf.get_fixed_dpi_layout_fun((page.dpi, page.dpi))
        one = pikepdf.open(io.BytesIO(img2pdf.convert(str(page.image), layout_fun=layout)))
        pdf.pages.extend(one.pages)
    pdf.save(target)
    return target


def _prepare_pdf(source: SourceFile, scratch: Path, settings: PagesSettings) -> PreparedDocument:
    try:
        with pikepdf.open(source.path) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise DocumentError(
            "encrypted",
            f"{source.rel}: PDF is password-protected; remove the password "
            "(for example `qpdf --decrypt --password=... IN OUT`) and put the copy in the inbox.",
        ) from exc
    except pikepdf.PdfError as exc:
        raise DocumentError(
            "corrupt", f"{source.rel}: PDF is damaged and cannot be read ({exc}); scan it again."
        ) from exc
    if count == 0:
        raise DocumentError("corrupt", f"{source.rel}: PDF has no pages.")
    try:
        texts = external.pdf_page_texts(source.path)
    except MissingDependencyError:
        raise
    except Exception as exc:  # pdftotext failed on a PDF pikepdf could open
        raise DocumentError("corrupt", f"{source.rel}: cannot read the PDF's text ({exc}).") from exc
    texts += [""] * (count - len(texts))
    has_text = [len(t.strip()) >= _MIN_TEXT_CHARS for t in texts[:count]]
    if any(has_text):
        pages = [
            Page(n, None, origin="pdf-text" if has_text[n - 1] else "pdf-raster", text=texts[n - 1])
            for n in range(1, count + 1)
        ]
        return PreparedDocument(pages, source.path, "skip-text")
    pages = []
    for number in range(1, count + 1):
        pages.append(_rasterize(source, number, scratch, settings))
    return PreparedDocument(pages, _images_to_pdf(pages, scratch / "pages.pdf"), "images")


def _rasterize(source: SourceFile, number: int, scratch: Path, settings: PagesSettings) -> Page:
    try:
        paths = convert_from_path(
            source.path,
            dpi=settings.rasterize_dpi,
            first_page=number,
            last_page=number,
            output_folder=scratch,
            fmt="png",
            paths_only=True,
            output_file=f"raster-{number:04d}",
        )
    except PDFInfoNotInstalledError as exc:
        raise MissingDependencyError(f"`pdftoppm` is missing: {external.install_hint('pdftoppm')}.") from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise DocumentError("corrupt", f"{source.rel}: page {number} cannot be rendered ({exc}).") from exc
    if not paths:
        raise DocumentError("corrupt", f"{source.rel}: page {number} cannot be rendered.")
    path = Path(paths[0])
    with Image.open(path) as img:
        width, height = img.size
    return Page(number, path, width, height, float(settings.rasterize_dpi), False, "pdf-raster")
