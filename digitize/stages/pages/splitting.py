"""Splitting a run of pages into documents: separator sheets and blank pages mark where one ends."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pikepdf

from digitize.errors import DocumentError
from digitize.i18n import _
from digitize.models import Page
from digitize.stages import separators
from digitize.stages.pages.types import PreparedDocument

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder


@dataclass(frozen=True)
class Splitting:
    """How to split a run of pages into documents (separator sheets, blank pages)."""

    separator_values: tuple[str, ...] = ()
    blank_pages: bool = False


def _cut_at_separator(builder: _Builder, gray: np.ndarray, dpi: float) -> bool:
    """Whether ``gray`` is a separator sheet; if so the next page starts a document (with the sheet's metadata)."""
    split = builder.split
    if not (split and split.separator_values):
        return False
    found = separators.find_separator(gray, dpi, list(split.separator_values))
    if not found:
        return False
    builder.cuts.append((len(builder.pages), found.metadata))
    builder.separators += 1
    return True


def _cut_at_blank(builder: _Builder, page: Page) -> bool:
    """Whether the blank ``page`` separates documents (``Splitting.blank_pages``); if so it is not archived."""
    if not (page.blank and builder.split and builder.split.blank_pages):
        return False
    builder.cuts.append((len(builder.pages), {}))
    builder.separators += 1
    return True


def _documents(builder: _Builder) -> list[PreparedDocument]:
    """One document per run of pages between separators (runs without pages are dropped)."""
    bounds: list[tuple[int, dict[str, str]]] = [(0, {}), *builder.cuts, (len(builder.pages), {})]
    documents: list[PreparedDocument] = []
    for (start, metadata), (end, _metadata) in pairwise(bounds):
        if end <= start:
            continue
        target = builder.scratch / f"pages-{len(documents) + 1}.pdf"
        pdf = pikepdf.new()
        pdf.pages.extend(builder.pdf.pages[start:end])
        pdf.save(target)
        pages = builder.pages[start:end]
        for number, page in enumerate(pages, start=1):
            page.number = number
        documents.append(PreparedDocument(pages, target, "images", builder.ocr_images[start:end],
                                          builder.oversample, list(builder.warnings), metadata,
                                          builder.readings[start:end]))
    if not documents:
        raise DocumentError("no-pages", _("no pages to archive: every page is a separator sheet or blank."))
    return documents
