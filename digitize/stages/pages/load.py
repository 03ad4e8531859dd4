"""Load pages and check limits: decode image files and PDF pages, size and page-count limits."""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import img2pdf
import numpy as np
import pikepdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.imaging import blank, cleanup, orientation, skew
from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings
from digitize.stages import sanitize, separators
from digitize.stages.pages.types import _MIN_TEXT_CHARS  # noqa: F401


def _too_large(source: SourceFile, size: tuple[int, int], settings: PagesSettings, where: str) -> DocumentError | None:
    megapixels = size[0] * size[1] / 1e6
    if megapixels > settings.max_megapixels:
        return DocumentError(
            "too-large",
            f"{source.rel}: {where} is {size[0]}x{size[1]} pixels ({megapixels:.0f} MP), over the "
            f"{settings.max_megapixels:.0f} MP limit (pages.max_megapixels); scan at a lower resolution.",
        )
    return None


def _too_many_pages(source: SourceFile, count: int, settings: PagesSettings) -> DocumentError | None:
    if count > settings.max_pages:
        return DocumentError(
            "too-many-pages",
            f"{source.rel}: has {count} pages, over the limit of {settings.max_pages} (pages.max_pages); "
            "split the file or raise the limit.",
        )
    return None


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


def _add_image(builder: "_Builder", source: SourceFile, settings: PagesSettings) -> None:
    if source.kind == "heif":
        import pillow_heif  # registered on first use only

        pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = int(settings.max_megapixels * 1e6)  # Pillow's own guard, for formats it checks
    try:
        with Image.open(source.path) as img:
            frames = getattr(img, "n_frames", 1)
            problem = _too_many_pages(source, frames, settings) or _too_large(source, img.size, settings, "the image")
            if problem:
                raise problem
            for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
                problem = _too_large(source, frame.size, settings, f"page {number}")
                if problem:
                    raise problem
                dpi = _credible_dpi(frame.info, settings)
                orientation_tag = frame.getexif().get(0x0112, 1) if source.kind == "jpeg" else 1
                frame.load()  # decode now so truncated data fails here, inside the error handler
                passthrough = frames == 1 and (
                    (source.kind == "jpeg" and orientation_tag in (0, 1) and frame.mode in ("L", "RGB"))
                    or (source.kind in ("png", "tiff") and frame.mode in ("1", "L", "RGB", "P")
                        and "transparency" not in frame.info))  # the PDF/A can hold the file's own data
                image = frame if passthrough else _normalise(
                    ImageOps.exif_transpose(frame) if orientation_tag > 1 else frame)
                builder.add(image, dpi, "image", source, number, original=source.path if passthrough else None)
    except Image.DecompressionBombError as exc:
        raise DocumentError("too-large", f"{source.rel}: image is too large to process safely ({exc}).") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise DocumentError(
            "corrupt",
            f"{source.rel}: image cannot be decoded ({exc}); the file is damaged or truncated, scan it again.",
        ) from exc


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


def _open_pdf(source: SourceFile, scratch: Path, settings: PagesSettings) -> tuple[Path, list[str]]:
    """Check a PDF can be read and is within limits; return a copy without active content to use."""
    try:
        pdf_path, removed = sanitize.sanitized_copy(source.path, scratch / f"sanitized-{source.sha256[:8]}.pdf")
        with pikepdf.open(pdf_path) as pdf:
            count = len(pdf.pages)
            problem = _too_many_pages(source, count, settings)
            for number, page in enumerate(pdf.pages, start=1):
                box = [float(v) for v in page.mediabox]
                pixels = ((box[2] - box[0]) / 72 * settings.rasterize_dpi, (box[3] - box[1]) / 72 * settings.rasterize_dpi)
                problem = problem or _too_large(source, (int(pixels[0]), int(pixels[1])), settings, f"page {number}")
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
    if problem:
        raise problem
    if count == 0:
        raise DocumentError("corrupt", f"{source.rel}: PDF has no pages.")
    return pdf_path, ([f"removed active content from {source.rel}: {', '.join(removed)}"] if removed else [])


def _pdf_texts(source: SourceFile, pdf_path: Path) -> list[str]:
    try:
        return external.pdf_page_texts(pdf_path)
    except MissingDependencyError:
        raise
    except Exception as exc:  # pdftotext failed on a PDF pikepdf could open
        raise DocumentError("corrupt", f"{source.rel}: cannot read the PDF's text ({exc}).") from exc


def _add_pdf_pages(builder: "_Builder", source: SourceFile, pdf_path: Path, scratch: Path,
                   settings: PagesSettings) -> None:
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            scan = _page_scan(page, scratch / f"scan-{source.sha256[:8]}-{number:04d}")
            if scan is not None:  # the page is one upright scanned image: use its own data
                image, dpi, original = scan
                builder.add(_normalise(image), dpi, "pdf-image", source, number, original=original)
                continue
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


def _page_scan(page: pikepdf.Page, stem: Path) -> tuple[Image.Image, float, Path | None] | None:
    """The page's image when the page is exactly one image drawn upright over the whole page.

    Returns (image, dpi, path of the original JPEG data or None). Anything else (text,
    vector graphics, several images, a rotated or partial placement) returns None and
    the page is rendered instead.
    """
    try:
        if int(page.obj.get("/Rotate", 0)) % 360:
            return None
        images = dict(page.get_images())
        if len(images) != 1:
            return None
        (name, xobject), = images.items()
        matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        drawn = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                m = matrix
                matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                          e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
            elif op == "Do":
                drawn += 1
            elif op in ("Tj", "TJ", "'", '"', "re", "l", "c", "S", "f", "F", "B", "sh", "BI"):
                return None  # text or vector content
        box = [float(v) for v in page.mediabox]
        width_pt, height_pt = box[2] - box[0], box[3] - box[1]
        a, b, c, d, e, f = matrix
        if drawn != 1 or abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
            return None
        if a < 0.95 * width_pt or d < 0.95 * height_pt:
            return None
        pdf_image = pikepdf.PdfImage(xobject)
        dpi = pdf_image.width / (a / 72)
        original = None
        if pdf_image.filters == ["/DCTDecode"] and pdf_image.mode in ("L", "RGB"):
            original = stem.with_suffix(".jpg")
            original.write_bytes(xobject.read_raw_bytes())
            image = Image.open(original)
            image.load()
        else:
            image = pdf_image.as_pil_image()
        return image, round(dpi, 1), original
    except Exception:  # noqa: BLE001 - any trouble (e.g. JBIG2 without jbig2dec): render the page instead
        return None


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
        raise MissingDependencyError(f"`pdftoppm` is missing: {external.install_hint('pdftoppm')}.") from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise DocumentError("corrupt", f"{source.rel}: page {number} cannot be rendered ({exc}).") from exc
    if not paths:
        raise DocumentError("corrupt", f"{source.rel}: page {number} cannot be rendered.")
    return Path(paths[0])
