"""Settling a page's orientation: skew and the ascender test (``_orient``), then, for a page that
test leaves open, OSD and reading ahead (``_settle_orientation``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitize.imaging import orientation, skew
from digitize.models import Page
from digitize.settings import PagesSettings

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder

_Made = tuple[Path, float]  # an OCR image and its resolution
_Settled = tuple[int, Any, _Made]  # degrees turned further clockwise, reading or None, the OCR image


def _orient(settings: PagesSettings, page: Page, gray: np.ndarray, dpi: float) -> tuple[float, np.ndarray, bool]:
    """Degrees to turn the scan clockwise to make it upright and level, the page so turned, and
    whether the orientation is settled (False: ``_settle_orientation`` decides). Fills the page's fields."""
    base, angle = _vertical_and_skew(settings, page, gray, dpi)
    level = skew.rotate(gray, base + angle)
    decided = True
    if settings.auto_rotate:
        found = orientation.by_ascenders(level, dpi)
        if found is None:
            decided = False
        elif found.rotate_cw:
            base = (base + found.rotate_cw) % 360
            level = skew.rotate(level, found.rotate_cw)  # a quarter-turn multiple: exact
    page.rotation = base
    return base + angle, level, decided


def _vertical_and_skew(s: PagesSettings, page: Page, gray: np.ndarray, dpi: float) -> tuple[int, float]:
    """(90 when the text lines run vertically and ``auto_rotate`` turns them, else 0; the skew to level
    when ``deskew``). Fills ``page.skew_deg`` when it is measured."""
    if not (s.deskew or s.auto_rotate):
        return 0, 0.0
    found = skew.estimate_skew(gray, dpi, s.max_skew)
    page.skew_deg = found.angle
    base = 90 if found.vertical and s.auto_rotate else 0
    angle = found.angle if s.deskew and abs(found.angle) >= s.min_skew else 0.0
    return base, angle


def _settle_orientation(builder: _Builder, page: Page, level: np.ndarray, dpi: float, made: _Made,
                        make: Callable[..., _Made]) -> _Settled:
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
    settling = _Settling(builder, page, level, dpi, made, make)
    if builder.reader is None:
        from digitize import tesseract  # the one module that runs Tesseract; looked up now, not at import

        s = builder.settings
        return settling.turned(orientation.detect(level, dpi, builder.lang, s.osd_min_confidence, ascenders=False,
                                                  osd=tesseract.osd,
                                                  word_confidence=tesseract.mean_word_confidence).rotate_cw)
    return settling.by_reading()


def _score(reading: Any) -> float:
    return orientation.reading_score(reading.confidence, reading.words, reading.turned_words)


class _Settling:
    """One page's open orientation, settled by the builder's reader (see ``_settle_orientation``)."""

    def __init__(self, builder: _Builder, page: Page, level: np.ndarray, dpi: float, made: _Made,
                 make: Callable[..., _Made]):
        self.builder, self.page, self.level, self.dpi, self.made, self.make = builder, page, level, dpi, made, make
        self.osd: tuple[int, float] | None = None

    def turned(self, extra: int, reading: Any = None) -> _Settled:
        """The page turned ``extra`` degrees further (the OCR stage reads it then), or ``reading`` kept."""
        if not extra:
            return 0, reading, self.made
        self.page.rotation = (self.page.rotation + extra) % 360
        return extra, None, self.make(skew.rotate(self.level, extra), f"-{extra}")

    def ask_osd(self) -> int | None:
        """Ask OSD: the turn it is sure of, else None (what it said is kept in ``self.osd``)."""
        assert self.builder.reader is not None
        self.osd = self.builder.reader.osd(self.level, self.dpi)
        sure = self.osd is not None and self.osd[1] >= self.builder.settings.osd_min_confidence
        return self.osd[0] if sure and self.osd is not None else None

    def read(self, image: Path, suffix: str = "") -> Any:
        assert self.builder.reader is not None
        return self.builder.reader(image, self.builder.scratch / f"read-{self.page.number:04d}{suffix}")

    def by_reading(self) -> _Settled:
        if self.page.rotation % 180:  # turned a quarter for vertical lines: either way is as likely
            sure = self.ask_osd()
            if sure is not None:
                return self.turned(sure)
        reading = self.read(self.made[0])
        if orientation.reads_upright(reading.confidence, reading.words, reading.turned_words):
            return 0, reading, self.made
        if self.osd is None:
            sure = self.ask_osd()
            if sure is not None:
                return self.turned(sure, reading)
        other = self.osd[0] if self.osd and self.osd[0] else 180
        if other == 180:
            settled = self.by_middle_third(reading)
            if settled is not None:
                return settled
        return self.by_other_reading(reading, other)

    def by_middle_third(self, reading: Any) -> _Settled | None:
        """Upside down or not, by reading the middle third turned over: None when the first
        reading has too few words there to compare with."""
        height, scale = self.level.shape[0], self.made[1] / self.dpi
        inside = reading.within(height / 3 * scale, 2 * height / 3 * scale)
        if inside[1] < orientation.READ_UPRIGHT_WORDS:
            return None
        band = self.make(skew.rotate(self.level[height // 3: 2 * height // 3], 180), "-180-band")
        band_reading = self.read(band[0], "-180-band")
        if not orientation.decide({0: orientation.reading_score(*inside), 180: _score(band_reading)}).rotate_cw:
            return 0, reading, self.made
        return self.turned(180)  # read whole by the OCR stage

    def by_other_reading(self, reading: Any, other: int) -> _Settled:
        """The page read turned ``other`` degrees too: the more confident reading wins."""
        other_made = self.make(skew.rotate(self.level, other), f"-{other}")
        other_reading = self.read(other_made[0], f"-{other}")
        if not orientation.decide({0: _score(reading), other: _score(other_reading)}).rotate_cw:
            return 0, reading, self.made
        self.page.rotation = (self.page.rotation + other) % 360
        return other, other_reading, other_made
