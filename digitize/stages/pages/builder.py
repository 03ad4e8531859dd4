"""Build pages: orientation, the OCR image, the visible page, separator and blank splitting."""

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
from digitize.stages.pages.load import _normalise
from digitize.stages.pages.types import PreparedDocument, Reader, Splitting, estimate_dpi
from digitize.stages.pages.visible import _turn_page


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
