"""Prepared documents, the reader protocol and the resolution guess."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from digitize.models import Page

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


def estimate_dpi(width: int, height: int) -> float:
    """Guess the scan resolution from the pixel size, assuming an A4-sized page."""
    raw = max(width, height) / _A4_LONG_IN
    nearest = min(_STANDARD_DPI, key=lambda d: abs(d - raw))
    return float(nearest) if abs(nearest - raw) / nearest < 0.12 else round(raw, 1)
