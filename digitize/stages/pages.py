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
"""

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

# Paper sizes (long side in inches) used to guess the resolution of scans that carry none.
_A4_LONG_IN = 11.69
_STANDARD_DPI = (100, 150, 200, 240, 300, 400, 600)
_MIN_TEXT_CHARS = 20  # a PDF page with fewer characters of text counts as image-only


class Reader(Protocol):
    """The OCR engine's Tesseract, bound to its settings, for preparation to settle orientation."""

    def __call__(self, image: Path, out_base: Path) -> Any:
        """Read one prepared page image: a ``textlayer.PageText``."""

    def osd(self, gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
        """Tesseract OSD: (degrees to turn clockwise, confidence), or None."""


@dataclass
class PreparedDocument:
    pages: list[Page]
    ocr_input: Path  # the PDF handed to OCR
    mode: str  # "images": every page is an image to OCR; "skip-text": keep pages that have text
    ocr_images: list[str | None] = field(default_factory=list)  # per page; None: OCRmyPDF renders it
    oversample: int | None = None  # raster resolution OCR needs for upscaled pages
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # from a DIGITIZE: separator sheet
    readings: list[Any] = field(default_factory=list)  # per page: OCR already done while orienting, or None


@dataclass(frozen=True)
class Splitting:
    """How to split a run of pages into documents (separator sheets, blank pages)."""

    separator_values: tuple[str, ...] = ()
    blank_pages: bool = False


def estimate_dpi(width: int, height: int) -> float:
    """Guess the scan resolution from the pixel size, assuming an A4-sized page."""
    raw = max(width, height) / _A4_LONG_IN
    nearest = min(_STANDARD_DPI, key=lambda d: abs(d - raw))
    return float(nearest) if abs(nearest - raw) / nearest < 0.12 else round(raw, 1)


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


class _Builder:
    """Collects prepared pages: the visible PDF pages and the images OCR reads."""

    def __init__(self, scratch: Path, settings: PagesSettings, lang: str, split: Splitting | None = None,
                 reader: Reader | None = None):
        self.scratch, self.settings, self.lang, self.split, self.reader = scratch, settings, lang, split, reader
        self.pdf = pikepdf.new()
        self.pages: list[Page] = []
        self.ocr_images: list[str | None] = []
        self.readings: list[Any] = []  # what the reader found on a page while checking its orientation
        self.oversample: int | None = None
        self.warnings: list[str] = []
        self.cuts: list[tuple[int, dict[str, str]]] = []  # (index of the first page after a separator, metadata)
        self.separators = 0

    def add(self, image: Image.Image, dpi: float | None, origin: str, source: SourceFile | None = None,
            source_page: int = 0, original: Path | None = None) -> Page | None:
        number = len(self.pages) + 1
        width, height = image.size
        estimated = dpi is None
        dpi = dpi or estimate_dpi(width, height)
        gray = np.asarray(image.convert("L"))
        page = Page(number, None, width, height, dpi, estimated, origin)
        page.source, page.source_page = (source.rel if source else ""), source_page
        if self.split and self.split.separator_values:
            found = separators.find_separator(gray, dpi, list(self.split.separator_values))
            if found:
                self.cuts.append((len(self.pages), found.metadata))
                self.separators += 1
                return None  # a separator sheet is not archived
        check = blank.check_blank(gray, dpi, self.settings.blank_max_ink)
        page.blank, page.ink_ratio = check.blank, check.ink_ratio
        if page.blank and self.split and self.split.blank_pages:
            self.cuts.append((len(self.pages), {}))
            self.separators += 1
            return None
        if page.blank:  # nothing to straighten
            turn, level, decided = 0.0, gray, True
        else:
            turn, level, decided = self._orient(page, gray, dpi)
        # A resolution guessed from the pixel size assumes a letter-sized page: trust it for
        # upscaling only when the image has a page's proportions (not a receipt or a strip).
        page_shaped = 0.6 <= min(width, height) / max(width, height) <= 0.78
        make = functools.partial(self._ocr_image, dpi=dpi, number=number, upscale=not estimated or page_shaped,
                                 bilevel=image.mode == "1")
        ocr_path, ocr_dpi = make(level)
        reading = None
        if not decided:
            extra, reading, (ocr_path, ocr_dpi) = self._settle_orientation(page, level, dpi, (ocr_path, ocr_dpi), make)
            turn += extra
        page.image = ocr_path
        if self.settings.visible == "cleaned":
            visible_path, visible_dpi, visible_turn = ocr_path, ocr_dpi, 0.0
        else:
            visible_path, visible_dpi, visible_turn = original, dpi, turn
        self._add_visible(visible_path, visible_dpi, visible_turn, image, number)
        self.pages.append(page)
        self.ocr_images.append(str(ocr_path))
        self.readings.append(reading)
        return page

    def _ocr_image(self, level: np.ndarray, suffix: str = "", *, dpi: float, number: int, upscale: bool,
                   bilevel: bool) -> tuple[Path, float]:
        """The image Tesseract reads from the upright, level page: cleaned, upscaled when needed."""
        ocr_gray, ocr_dpi = self._clean(level, dpi, upscale=upscale, bilevel=bilevel)
        if ocr_dpi > dpi:
            self.oversample = max(self.oversample or 0, int(round(ocr_dpi)))
        ocr_path = self.scratch / f"ocr-{number:04d}{suffix}.tif"
        Image.fromarray(ocr_gray).save(ocr_path, dpi=(ocr_dpi, ocr_dpi))  # scratch only: uncompressed, fast
        return ocr_path, ocr_dpi

    def _settle_orientation(self, page: Page, level: np.ndarray, dpi: float, made: tuple[Path, float],
                            make: Callable[..., tuple[Path, float]]) -> tuple[int, Any, tuple[Path, float]]:
        """Orientation the ascender test left open; ``made`` is the OCR image of ``level`` as it stands.

        1. Tesseract reads the page as it stands; when it is confident of its words the
           page is upright, and the reading is kept for the OCR stage (no second pass).
           (A page already turned a quarter because its lines ran vertically asks OSD
           first: there, upright and upside down are equally likely.)
        2. Otherwise OSD decides when it is sure.
        3. Otherwise the other candidate is read too, and the more confident reading wins
           (``orientation.decide``: the page stays as scanned without clear evidence).
           Upside down, only the middle third is read, and compared with the words of the
           first reading in that third (when there are enough of them).

        Without a reader (engines that cannot read one page) this is ``orientation.detect``.
        Returns (degrees turned further clockwise, reading or None, OCR image and its resolution).
        Quarter turns of ``level`` are exact, so the page is not resampled again.
        """
        s = self.settings

        def turned(extra: int, reading: Any = None) -> tuple[int, Any, tuple[Path, float]]:
            if not extra:
                return 0, reading, made
            page.rotation = (page.rotation + extra) % 360
            return extra, None, make(skew.rotate(level, extra), f"-{extra}")

        def sure(found: tuple[int, float] | None) -> bool:
            return found is not None and found[1] >= s.osd_min_confidence

        def score(r: Any) -> float:
            return orientation.reading_score(r.confidence, r.words, r.turned_words)

        if self.reader is None:
            return turned(orientation.detect(level, dpi, self.lang, s.osd_min_confidence, ascenders=False).rotate_cw)
        osd = None
        if page.rotation % 180:  # turned a quarter because its lines ran vertically: either way is as likely
            osd = self.reader.osd(level, dpi)
            if sure(osd):
                return turned(osd[0])
        reading = self.reader(made[0], self.scratch / f"read-{page.number:04d}")
        if orientation.reads_upright(reading.confidence, reading.words, reading.turned_words):
            return 0, reading, made
        if osd is None:
            osd = self.reader.osd(level, dpi)
            if sure(osd):
                return turned(osd[0], reading)
        other = osd[0] if osd and osd[0] else 180
        if other == 180:  # the middle third decides: a third of a second reading
            height, scale = level.shape[0], made[1] / dpi
            inside = reading.within(height / 3 * scale, 2 * height / 3 * scale)
            if inside[1] >= orientation.READ_UPRIGHT_WORDS:
                band = make(skew.rotate(level[height // 3: 2 * height // 3], 180), "-180-band")
                band_reading = self.reader(band[0], self.scratch / f"read-{page.number:04d}-180-band")
                if not orientation.decide({0: orientation.reading_score(*inside), 180: score(band_reading)}).rotate_cw:
                    return 0, reading, made
                return turned(180)  # read whole by the OCR stage
        other_made = make(skew.rotate(level, other), f"-{other}")
        other_reading = self.reader(other_made[0], self.scratch / f"read-{page.number:04d}-{other}")
        if not orientation.decide({0: score(reading), other: score(other_reading)}).rotate_cw:
            return 0, reading, made
        page.rotation = (page.rotation + other) % 360
        return other, other_reading, other_made

    def _orient(self, page: Page, gray: np.ndarray, dpi: float) -> tuple[float, np.ndarray, bool]:
        """Degrees to turn the scan clockwise to make it upright and level, the page so turned, and
        whether the orientation is settled (False: ``_settle_orientation`` decides). Fills the page's fields."""
        s = self.settings
        base, angle, decided = 0, 0.0, True
        if s.deskew or s.auto_rotate:
            found = skew.estimate_skew(gray, dpi, s.max_skew)
            if found.vertical and s.auto_rotate:
                base = 90
            if s.deskew:
                angle = found.angle if abs(found.angle) >= s.min_skew else 0.0
            page.skew_deg = found.angle
        level = skew.rotate(gray, base + angle)
        if s.auto_rotate:
            found_o = orientation.by_ascenders(level, dpi)
            if found_o is None:
                decided = False
            elif found_o.rotate_cw:
                base = (base + found_o.rotate_cw) % 360
                level = skew.rotate(level, found_o.rotate_cw)  # a quarter-turn multiple: exact
        page.rotation = base
        return base + angle, level, decided

    def _clean(self, gray: np.ndarray, dpi: float, upscale: bool = True, bilevel: bool = False
               ) -> tuple[np.ndarray, float]:
        """``bilevel``: a black-and-white scan, with no paper tone to even out."""
        s = self.settings
        if s.remove_borders:
            gray = cleanup.remove_dark_borders(gray)
        if s.normalize_background and not bilevel:
            gray = cleanup.normalize_background(gray, dpi)
        if s.stretch_contrast:
            gray = cleanup.stretch_contrast(gray)
        if s.despeckle:
            gray = cleanup.despeckle(gray, dpi)
        height = cleanup.text_height(gray) if s.scale_by_text else None
        if height is not None:  # the letters say how large Tesseract needs the page
            gray, dpi = cleanup.scale(gray, dpi, cleanup.text_scale(height, s.min_text_px, s.target_text_px,
                                                                     s.max_text_px))
        elif upscale and dpi < s.upscale_below_dpi:
            gray, dpi = cleanup.upscale(gray, dpi, s.upscale_to_dpi)
        if s.binarize:
            gray = cleanup.binarize_adaptive(gray, dpi)
        return gray, dpi

    def _add_visible(self, path: Path | None, dpi: float, turn_cw: float, image: Image.Image, number: int) -> None:
        """The page the PDF/A shows: ``path`` (the scan's own file data) or else ``image`` saved losslessly."""
        layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
        data = None
        if path is not None:
            try:
                data = img2pdf.convert(str(path), layout_fun=layout)
            except Exception:  # noqa: BLE001 - a variant img2pdf cannot embed as it is: save the pixels instead
                data = None
        if data is None:
            path = self.scratch / f"page-{number:04d}.png"
            (image if image.mode in ("1", "L", "RGB") else _normalise(image)).save(path, format="PNG")
            data = img2pdf.convert(str(path), layout_fun=layout)
        one = pikepdf.open(io.BytesIO(data))
        page = one.pages[0]
        if turn_cw % 360:
            _turn_page(one, page, turn_cw)
        self.pdf.pages.append(page)

    def finish(self) -> list[PreparedDocument]:
        """One document per run of pages between separators (runs without pages are dropped)."""
        bounds = [(0, {})] + self.cuts + [(len(self.pages), {})]
        documents = []
        for (start, metadata), (end, _) in zip(bounds, bounds[1:]):
            if end <= start:
                continue
            target = self.scratch / f"pages-{len(documents) + 1}.pdf"
            pdf = pikepdf.new()
            pdf.pages.extend(self.pdf.pages[start:end])
            pdf.save(target)
            pages = self.pages[start:end]
            for number, page in enumerate(pages, start=1):
                page.number = number
            documents.append(PreparedDocument(pages, target, "images", self.ocr_images[start:end],
                                              self.oversample, list(self.warnings), metadata,
                                              self.readings[start:end]))
        if not documents:
            raise DocumentError("no-pages", "no pages to archive: every page is a separator sheet or blank.")
        return documents


def _turn_page(pdf: pikepdf.Pdf, page: pikepdf.Page, turn_cw: float) -> None:
    """Draw the page's content turned clockwise by ``turn_cw`` degrees on a canvas that holds it all."""
    box = [float(v) for v in page.mediabox]
    w, h = box[2] - box[0], box[3] - box[1]
    phi = math.radians(-turn_cw)  # PDF space has y up: clockwise on screen is a negative angle
    c, s = math.cos(phi), math.sin(phi)
    if abs(c) < 1e-12:
        c = 0.0
    if abs(s) < 1e-12:
        s = 0.0
    new_w, new_h = abs(w * c) + abs(h * s), abs(w * s) + abs(h * c)
    e = new_w / 2 - (c * w / 2 - s * h / 2)
    f = new_h / 2 - (s * w / 2 + c * h / 2)
    page.contents_add(pikepdf.Stream(pdf, f"q {c:.6f} {s:.6f} {-s:.6f} {c:.6f} {e:.4f} {f:.4f} cm\n".encode()),
                      prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
    page.mediabox = pikepdf.Array([0, 0, new_w, new_h])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]


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


def _prepare_pdf(source: SourceFile, scratch: Path, settings: PagesSettings, lang: str,
                 force_ocr: bool, reader: Reader | None = None) -> PreparedDocument:
    pdf_path, warnings = _open_pdf(source, scratch, settings)
    with pikepdf.open(pdf_path) as pdf:
        count = len(pdf.pages)
    texts = _pdf_texts(source, pdf_path)
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
