"""Cleanup of the image Tesseract reads (the archived page keeps the scan as it is).

Each step is a pure function, switched on or off in the ``[pages]`` settings.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_UPSCALE = 2.0  # more only makes Tesseract slower: the detail is not there
MIN_DOWNSCALE = 0.5
_MIN_GLYPHS = 30  # fewer glyph-like shapes than this: no text height to measure


def upscale(gray: np.ndarray, dpi: float, target_dpi: float) -> tuple[np.ndarray, float]:
    """Scale a low-resolution page up towards ``target_dpi`` (Tesseract reads small type badly)."""
    if dpi <= 0 or dpi >= target_dpi:
        return gray, dpi
    return scale(gray, dpi, target_dpi / dpi)


def scale(gray: np.ndarray, dpi: float, factor: float) -> tuple[np.ndarray, float]:
    """Resize by ``factor`` (clamped to 0.5-2); the resolution recorded changes with it."""
    factor = min(max(factor, MIN_DOWNSCALE), MAX_UPSCALE)
    if abs(factor - 1.0) < 0.05:
        return gray, dpi
    method = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=method), dpi * factor


def text_height(gray: np.ndarray) -> float | None:
    """Median height in pixels of the glyph-like ink shapes on the page; None when there are too few.

    Letters and digits, not lines, pictures or specks: a shape counts when it is 4-200
    pixels tall, at most three times as wide as tall, and not a speck. Large pages are
    measured at half size.
    """
    step = 2 if gray.size > 4_000_000 else 1
    small = gray[::step, ::step] if step > 1 else gray
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w, area = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_AREA]
    glyph = (h * step >= 4) & (h * step <= 200) & (w <= 3 * h) & (area * step * step >= 8)
    if glyph.sum() < _MIN_GLYPHS:
        return None
    return float(np.median(h[glyph])) * step


def text_scale(height: float, smallest: float, target: float, largest: float) -> float:
    """Factor that brings text outside ``smallest``-``largest`` pixels tall to ``target``; 1 otherwise."""
    if height < smallest or height > largest:
        return min(max(target / height, MIN_DOWNSCALE), MAX_UPSCALE)
    return 1.0


def normalize_background(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by an estimate of the paper's brightness: evens out shadows, grey paper, photos."""
    k = max(3, int(dpi / 6) | 1)  # larger than a character, smaller than a shadow
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k // 4 | 1, k // 4 | 1))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    np.maximum(background, 1, out=background)
    return cv2.divide(gray, background, scale=255.0)  # 8-bit in, 8-bit out: no full-page float copies


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Map the darkest ink to black and the paper to white."""
    lo, hi = np.percentile(gray, (1, 95))
    if hi - lo < 10:
        return gray
    out = (gray.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def despeckle(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Remove isolated dark specks smaller than a printed full stop."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    max_area = max(2, int((0.25 * dpi / 25.4) ** 2))
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False
    out = gray.copy()
    out[small[labels]] = 255
    return out


def remove_dark_borders(gray: np.ndarray) -> np.ndarray:
    """Whiten dark regions connected to the page edge (scanner lid, page shadow)."""
    _, dark = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = dark.shape
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    x, y, cw, ch = (stats[:, i] for i in range(4))
    edge = ((x == 0) | (y == 0) | (x + cw >= w) | (y + ch >= h)) & ((cw > w * 0.3) | (ch > h * 0.3))
    edge[0] = False
    out = gray.copy()
    out[edge[labels]] = 255
    return out


def binarize_adaptive(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Local threshold (mean of a neighbourhood about a line high): for uneven lighting."""
    block = max(15, int(dpi / 8) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
