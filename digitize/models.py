"""Plain data passed between stages, and between worker processes and the parent.

Everything here is picklable and holds no open files, so a job can run in a
process pool today and on a Dask worker later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SourceFile:
    """One input file as found in the inbox."""

    path: Path  # absolute
    rel: str  # path relative to the inbox, as shown to users
    size: int
    mtime: float
    sha256: str
    kind: str  # "pdf", "tiff", "jpeg", "png" (sniffed from the content, not the name)

    def as_source(self) -> dict[str, Any]:
        return {"path": self.rel, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class DocumentJob:
    """The unit of work: files that belong together (one scan, or pages grouped into one document).

    Separator sheets may split a job into several documents; each document's id is decided
    once, by the worker, from the files and pages it is made of."""

    sources: tuple[SourceFile, ...]

    @property
    def label(self) -> str:
        """The job's files as messages name them."""
        return ", ".join(s.rel for s in self.sources)


@dataclass
class Page:
    """One page of a document as prepared for OCR."""

    number: int  # 1-based
    image: Path | None  # prepared image in the worker's scratch folder; None when the PDF page has text
    width: int = 0
    height: int = 0
    dpi: float = 0.0
    dpi_estimated: bool = False
    origin: str = "image"  # image | pdf-raster | pdf-text
    source: str = ""  # the input file this page came from (inbox-relative name)
    source_page: int = 0  # its page number in that file
    text: str = ""
    # page preparation (filled by the prepare stage; None = not measured)
    skew_deg: float | None = None  # skew found on the scan; positive = text lines rise to the right
    rotation: int = 0  # degrees clockwise the scan was turned to make it upright: 0, 90, 180, 270
    blank: bool = False
    ink_ratio: float | None = None  # share of dark pixels after cleanup, for blank-page decisions
    confidence: float | None = None  # mean Tesseract word confidence, 0-100
    unsure: frozenset[str] = frozenset()  # words OCR read with low confidence: not trusted for field values

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text_chars": len(self.text.strip()),
            "width_px": self.width,
            "height_px": self.height,
            "dpi": round(self.dpi, 1),
            "dpi_estimated": self.dpi_estimated,
            "origin": self.origin,
            "source": self.source,
            "source_page": self.source_page,
            "skew_deg": None if self.skew_deg is None else round(self.skew_deg, 2),
            "rotation": self.rotation,
            "blank": self.blank,
            "ink_ratio": None if self.ink_ratio is None else round(self.ink_ratio, 5),
            "confidence": None if self.confidence is None else round(self.confidence, 1),
        }


@dataclass
class Classification:
    type: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class DocumentResult:
    """What a worker hands back to the parent: everything needed to write the archive."""

    doc_id: str
    sources: tuple[SourceFile, ...]  # the files (of the job) it is made of
    pdf: bytes
    pages: list[Page]
    classification: Classification
    fields: dict[str, Any]
    title: str
    date: str | None  # ISO date of the document, when found
    ocr_info: dict[str, Any]
    stage_seconds: dict[str, float]
    warnings: list[str] = field(default_factory=list)  # OCR engine's remarks, kept in the metadata
    notices: list[str] = field(default_factory=list)  # what digitize changed (active content removed ...)
    parts: list[dict[str, Any]] = field(default_factory=list)  # [{path, sha256, pages}] the document is made of
    signature: list[int] | None = None  # MinHash of the text, for near-duplicate detection
    originals: list[tuple[str, bytes]] = field(default_factory=list)  # (suffix, bytes) to keep beside the PDF/A
    digital_signatures: list[dict[str, Any]] = field(default_factory=list)  # of its signed PDFs (TTE)

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else "undated"

    @property
    def text(self) -> str:
        """All pages, separated by form feeds (the ``.txt`` sidecar format)."""
        return "\f".join(page.text for page in self.pages)


@dataclass
class DocumentFailure:
    """A document that could not be processed, with a reason code and a one-line message."""

    job: DocumentJob
    reason: str
    message: str
    stage: str
    stage_seconds: dict[str, float] = field(default_factory=dict)
    detail: str = ""  # traceback for unexpected errors, kept in the ledger only
