"""Limits on what is prepared: pixels per page (at most, and at least), pages per file, a credible
stated resolution."""

from __future__ import annotations

from digitize.errors import DocumentError
from digitize.i18n import _
from digitize.models import SourceFile
from digitize.settings import PagesSettings


def _too_large(source: SourceFile, size: tuple[int, int], settings: PagesSettings, where: str) -> DocumentError | None:
    megapixels = size[0] * size[1] / 1e6
    if megapixels > settings.max_megapixels:
        return DocumentError(
            "too-large",
            _("{file}: {where} is {width}x{height} pixels ({megapixels:.0f} MP), over the "
              "{limit:.0f} MP limit (pages.max_megapixels); scan at a lower resolution.")
            .format(file=source.rel, where=where, width=size[0], height=size[1], megapixels=megapixels,
                    limit=settings.max_megapixels),
        )
    return None


MIN_SIDE_PX = 16  # under this a side cannot hold one line of text
MAX_ASPECT = 50  # a strip longer than this for its width is not a page (a till roll is about 20:1)


def _too_small(source: SourceFile, size: tuple[int, int], where: str) -> DocumentError | None:
    """A page too small or too thin to hold text: its own reason (``too-small``), before any step
    scales it down to nothing."""
    short, long = sorted(size)
    if short >= MIN_SIDE_PX and long <= MAX_ASPECT * short:
        return None
    if short < MIN_SIDE_PX:
        message = _("{file}: {where} is {width}x{height} pixels, too small to be a scanned page; "
                    "scan the whole page again.")
    else:
        message = _("{file}: {where} is {width}x{height} pixels, too thin ({ratio}:1) to be a scanned page; "
                    "scan the whole page again.")
    return DocumentError(
        "too-small",
        message.format(file=source.rel, where=where, width=size[0], height=size[1], ratio=long // max(short, 1)),
    )


def _too_many_pages(source: SourceFile, count: int, settings: PagesSettings) -> DocumentError | None:
    if count > settings.max_pages:
        return DocumentError(
            "too-many-pages",
            _("{file}: has {count} pages, over the limit of {limit} (pages.max_pages); "
              "split the file or raise the limit.").format(file=source.rel, count=count, limit=settings.max_pages),
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
