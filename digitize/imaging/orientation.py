"""Page orientation (0/90/180/270) of a page whose text lines are already level.

Three tests, cheapest first, each used only when the one before cannot tell:

1. ascenders against descenders: Latin text has more ink above the x-height than
   below the baseline, so the ratio is well above 1 upright and well below 1 upside
   down (a few milliseconds; decides most pages with five or more text lines);
   (page preparation then reads the page as it stands and keeps it when Tesseract
   is confident of its words: the OCR it needs anyway, see ``stages.pages``);
2. Tesseract's OSD on a copy scaled to about 150 dpi (lower resolutions lost
   accuracy on the corpus, and saved little);
3. when OSD fails or its confidence is below ``min_confidence``: both candidates are
   OCR'd on a band of the page and the one with the more confident words wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from digitize.imaging.skew import rotate

OSD_DPI = 150.0


@dataclass(frozen=True)
class Orientation:
    rotate_cw: int  # turn the page clockwise by this many degrees to make it upright
    confidence: float
    method: str  # "ascenders", "osd", "ocr-confidence" or "none"


def scaled(gray: np.ndarray, dpi: float, target: float) -> np.ndarray:
    if dpi <= target * 1.1:
        return gray
    scale = target / dpi
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _band(gray: np.ndarray) -> np.ndarray:
    """The middle third of the page, where body text usually is."""
    h = gray.shape[0]
    return gray[h // 3 : 2 * h // 3]


UPRIGHT_RATIO = 1.4  # ascender/descender ratio at or above which a page is upright
UPSIDE_DOWN_RATIO = 0.7  # at or below which it is upside down
MIN_LINES = 5
MIN_AGREEMENT = 0.5  # net share of lines whose own ascender/descender balance agrees with the page's
MIN_WORD_CONFIDENCE = 50.0  # the OCR-confidence fallback turns a page only with this much evidence
MIN_MARGIN = 10.0


READ_UPRIGHT_CONFIDENCE = 65.0  # a page Tesseract reads with this mean word confidence ...
READ_UPRIGHT_WORDS = 10  # ... over at least this many words, ...
READ_MAX_TURNED = 0.2  # ... few of them on lines it had to turn itself, is upright


def reads_upright(confidence: float | None, words: int, turned_words: int = 0) -> bool:
    """Whether an OCR reading of a page shows it is upright.

    Measured (``ind+eng``) on the corpus's 40 text pages and 10 receipts: upright pages
    read at a mean word confidence of 68-96 (receipts 68-89, clean pages 88-96); the
    same pages upside down or on their side at 31-55 (sheet music on its side: 60). An
    upright page under the threshold only takes the slower path (OSD, a second reading).
    Tesseract reads a page on its side by turning its lines itself, sometimes with
    high confidence (a receipt at 87): such a reading, whose word boxes stand
    taller than wide, does not count.
    """
    return (confidence is not None and confidence >= READ_UPRIGHT_CONFIDENCE and words >= READ_UPRIGHT_WORDS
            and turned_words <= READ_MAX_TURNED * words)


def reading_score(confidence: float | None, words: int, turned_words: int = 0) -> float:
    """Mean word confidence, discounted by the share of words Tesseract had to turn itself."""
    if not confidence or not words:
        return 0.0
    return confidence * (1.0 - turned_words / words)


def by_ascenders(gray: np.ndarray, dpi: float) -> Orientation | None:
    """Upright or upside down from the ascender/descender balance; None when it cannot tell."""
    ratio, lines = ascender_ratio(gray, dpi)
    if lines >= MIN_LINES and (ratio >= UPRIGHT_RATIO or ratio <= UPSIDE_DOWN_RATIO):
        return Orientation(0 if ratio > 1 else 180, round(float(abs(np.log(ratio))), 2), "ascenders")
    return None


def detect(gray: np.ndarray, dpi: float, lang: str, min_confidence: float = 2.0, ascenders: bool = True, *,
           osd: Callable[[np.ndarray, float], tuple[int, float] | None],
           word_confidence: Callable[[np.ndarray, str], float]) -> Orientation:
    """How far to turn ``gray`` (a deskewed page) clockwise to make it upright.

    ``osd(gray, dpi)`` and ``word_confidence(gray, lang)`` come from the caller (Tesseract's,
    ``digitize.tesseract``): this module is image math only. ``ascenders=False`` skips the
    first test (the caller already ran it).
    """
    if ascenders:
        found_a = by_ascenders(gray, dpi)
        if found_a is not None:
            return found_a
    found = osd(gray, dpi)
    if found and found[1] >= min_confidence:
        return Orientation(found[0], found[1], "osd")
    candidates = {found[0], (found[0] + 180) % 360} if found else {0, 180}
    small = scaled(gray, dpi, 200.0)
    return decide({angle: word_confidence(_band(rotate(small, angle)), lang) for angle in sorted(candidates)})


def decide(scores: dict[int, float]) -> Orientation:
    """The candidate turn whose reading has the more confident words; 0 unless the evidence is clear."""
    best = max(scores, key=lambda a: (scores[a], a == 0))
    margin = scores[best] - max((s for a, s in scores.items() if a != best), default=0.0)
    if best != 0 and (scores[best] < MIN_WORD_CONFIDENCE or margin < MIN_MARGIN):
        return Orientation(0, round(margin, 1), "none")  # no clear evidence: leave the page as scanned
    return Orientation(best, round(margin, 1), "ocr-confidence")


def ascender_ratio(gray: np.ndarray, dpi: float) -> tuple[float, int]:
    """Ink above the x-height band over ink below the baseline, summed over text lines.

    Latin script has more ascenders (b d f h k l t, capitals, digits) than descenders
    (g j p q y): an upright page gives a ratio well above 1, an upside-down one well
    below. Returns (ratio, number of text lines measured). ``gray`` must be level.
    """
    scale = min(1.0, 150.0 / dpi) if dpi > 0 else 1.0
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = ink.sum(axis=1).astype(np.float64)
    if rows.max() <= 0:
        return 1.0, 0
    line_mask = rows > max(2.0, 0.02 * ink.shape[1] * 0.05)
    up = down = 0.0
    lines = 0
    votes: list[float] = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], line_mask.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2], strict=True):  # padded: edges pair up
        height = end - start
        if height < 6 or height > 0.6 * (dpi * scale):  # too thin for text, or a picture
            continue
        profile = rows[start:end]
        core = np.flatnonzero(profile >= 0.5 * profile.max())
        top, bottom = core[0], core[-1]
        if bottom - top < 2:
            continue
        line_up, line_down = profile[:top].sum(), profile[bottom + 1 :].sum()
        up += line_up
        down += line_down
        lines += 1
        votes.append(float(np.sign(line_up - line_down)) if line_up + line_down > 0.05 * profile.sum() else 0.0)
    if lines == 0 or down + up == 0:
        return 1.0, lines
    if abs(float(np.mean(votes))) < MIN_AGREEMENT:
        return 1.0, 0  # lines disagree (capitals and digits: receipts, forms): no x-height to read
    return float((up + 1.0) / (down + 1.0)), lines
