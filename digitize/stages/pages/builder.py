"""Build pages: each page image through blank and separator checks, orientation, the OCR image and the
visible page (the steps live in ``splitting``, ``orientation``, ``ocr_image`` and ``visible``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
from PIL import Image

from digitize.imaging import blank
from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings
from digitize.stages.pages.ocr_image import _ocr_image
from digitize.stages.pages.orientation import _orient, _settle_orientation
from digitize.stages.pages.splitting import Splitting, _cut_at_blank, _cut_at_separator, _documents
from digitize.stages.pages.types import PreparedDocument, Reader, estimate_dpi
from digitize.stages.pages.visible import _add_visible


class _Builder:
    """Collects prepared pages: the visible PDF pages and the images OCR reads."""

    def __init__(self, scratch: Path, settings: PagesSettings, lang: str, split: Splitting | None = None,
                 reader: Reader | None = None, first: int = 1):
        self.scratch, self.settings, self.lang, self.split, self.reader = scratch, settings, lang, split, reader
        self.first = first  # the number of the first page it gets (a page prepared as a unit: its place)
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
        """Prepare ``image`` as the next page; None when it is a separator (not archived)."""
        number = self.first + len(self.pages)
        estimated = dpi is None
        dpi = dpi or estimate_dpi(*image.size)
        gray = np.asarray(image if image.mode == "L" else image.convert("L"))  # convert("L") would copy
        page = Page(number, None, image.width, image.height, dpi, estimated, origin)
        page.source, page.source_page = (source.rel if source else ""), source_page
        if _cut_at_separator(self, gray, dpi):
            return None
        check = blank.check_blank(gray, dpi, self.settings.blank_max_ink)
        page.blank, page.ink_ratio = check.blank, check.ink_ratio
        if _cut_at_blank(self, page):
            return None
        if page.blank:  # nothing to straighten
            turn, level, decided = 0.0, gray, True
        else:
            turn, level, decided = _orient(self.settings, page, gray, dpi)
        make = functools.partial(self._ocr_image, dpi=dpi, number=number, upscale=_may_upscale(image, estimated),
                                 bilevel=image.mode == "1")
        made = make(level)
        reading = None
        if not decided:
            extra, reading, made = self._settle_orientation(page, level, dpi, made, make)
            turn += extra
        self._keep(page, image, made, reading, dpi, turn, original)
        return page

    def _keep(self, page: Page, image: Image.Image, made: tuple[Path, float], reading: Any, dpi: float,
              turn: float, original: Path | None) -> None:
        """Keep the prepared page: its OCR image ``made``, the reading done while orienting, and the visible page."""
        ocr_path, ocr_dpi = made
        page.image = ocr_path
        if self.settings.visible == "cleaned":
            _add_visible(self, ocr_path, ocr_dpi, 0.0, image, page.number)
        else:
            _add_visible(self, original, dpi, turn, image, page.number)
        self.pages.append(page)
        self.ocr_images.append(str(ocr_path))
        self.readings.append(reading)

    def _ocr_image(self, level: np.ndarray, suffix: str = "", *, dpi: float, number: int, upscale: bool,
                   bilevel: bool) -> tuple[Path, float]:
        """The image Tesseract reads from the upright, level page (``ocr_image._ocr_image``)."""
        return _ocr_image(self, level, suffix, dpi=dpi, number=number, upscale=upscale, bilevel=bilevel)

    def _settle_orientation(self, page: Page, level: np.ndarray, dpi: float, made: tuple[Path, float],
                            make: Callable[..., tuple[Path, float]]) -> tuple[int, Any, tuple[Path, float]]:
        """Orientation the ascender test left open (``orientation._settle_orientation``)."""
        return _settle_orientation(self, page, level, dpi, made, make)

    def finish(self) -> list[PreparedDocument]:
        """One document per run of pages between separators (runs without pages are dropped)."""
        return _documents(self)


def _may_upscale(image: Image.Image, estimated: bool) -> bool:
    """Whether the page may be upscaled for OCR by its resolution.

    A resolution guessed from the pixel size assumes a letter-sized page: trust it for
    upscaling only when the image has a page's proportions (not a receipt or a strip)."""
    width, height = image.size
    page_shaped = 0.6 <= min(width, height) / max(width, height) <= 0.78
    return not estimated or page_shaped
