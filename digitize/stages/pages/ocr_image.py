"""The image Tesseract reads: the upright, level page cleaned by the ``[pages]`` steps and scaled for OCR."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from digitize.imaging import cleanup
from digitize.settings import PagesSettings

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder


def _ocr_image(builder: _Builder, level: np.ndarray, suffix: str = "", *, dpi: float, number: int, upscale: bool,
               bilevel: bool) -> tuple[Path, float]:
    """The image Tesseract reads from the upright, level page: cleaned, upscaled when needed.

    Saved in the builder's scratch folder as ``ocr-NNNN{suffix}.tif``; an upscaled image
    raises the builder's ``oversample``. Returns its path and resolution."""
    ocr_gray, ocr_dpi = _clean(builder.settings, level, dpi, upscale=upscale, bilevel=bilevel)
    if ocr_dpi > dpi:
        builder.oversample = max(builder.oversample or 0, int(round(ocr_dpi)))  # noqa: RUF046 - may be numpy
    ocr_path = builder.scratch / f"ocr-{number:04d}{suffix}.tif"
    Image.fromarray(ocr_gray).save(ocr_path, dpi=(ocr_dpi, ocr_dpi))  # scratch only: uncompressed, fast
    return ocr_path, ocr_dpi


def _clean(settings: PagesSettings, gray: np.ndarray, dpi: float, upscale: bool = True, bilevel: bool = False
           ) -> tuple[np.ndarray, float]:
    """``bilevel``: a black-and-white scan, with no paper tone to even out."""
    gray = _tidy(settings, gray, dpi, bilevel)
    gray, dpi = _scale(settings, gray, dpi, upscale)
    if settings.binarize:
        gray = cleanup.binarize_adaptive(gray, dpi)
    return gray, dpi


def _tidy(s: PagesSettings, gray: np.ndarray, dpi: float, bilevel: bool) -> np.ndarray:
    """The cleanup steps switched on: dark borders, background, contrast, specks."""
    if s.remove_borders:
        gray = cleanup.remove_dark_borders(gray)
    if s.normalize_background and not bilevel:
        gray = cleanup.normalize_background(gray, dpi)
    if s.stretch_contrast:
        gray = cleanup.stretch_contrast(gray)
    if s.despeckle:
        gray = cleanup.despeckle(gray, dpi)
    return gray


def _scale(s: PagesSettings, gray: np.ndarray, dpi: float, upscale: bool) -> tuple[np.ndarray, float]:
    """Scaled by the height of its letters (``scale_by_text``), else upscaled when under ``upscale_below_dpi``."""
    height = cleanup.text_height(gray) if s.scale_by_text else None
    if height is not None:  # the letters say how large Tesseract needs the page
        return cleanup.scale(gray, dpi, cleanup.text_scale(height, s.min_text_px, s.target_text_px, s.max_text_px))
    if upscale and dpi < s.upscale_below_dpi:
        return cleanup.upscale(gray, dpi, s.upscale_to_dpi)
    return gray, dpi
