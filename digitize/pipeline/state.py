"""The state that passes from stage to stage inside a worker. Frozen: a stage returns a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.models import Classification, DocumentJob, DocumentResult, Page, SourceFile
from digitize.pipeline.context import Scratch
from digitize.stages.pages import PreparedDocument


@dataclass(frozen=True)
class JobWork:
    """One job: its files, their private copies, and the documents page preparation made of them."""

    job: DocumentJob
    scratch: Scratch
    copies: tuple[SourceFile, ...] = ()  # the same files, read from the scratch folder
    documents: tuple[PreparedDocument, ...] = ()
    split: bool = False  # separator sheets were looked for
    reading_seconds: float = 0.0  # OCR done while preparing (settling orientation): counted as OCR


@dataclass(frozen=True)
class DocumentWork:
    """One document on its way through the document stages."""

    job: JobWork
    prepared: PreparedDocument
    folder: Path  # its scratch folder
    whole: bool  # the job is one document (no separator sheets split it)
    pages: tuple[Page, ...] = ()
    doc_id: str = ""
    sources: tuple[SourceFile, ...] = ()
    parts: tuple[dict[str, Any], ...] = ()  # [{path, sha256, pages}] the document is made of
    warnings: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    originals: tuple[tuple[str, bytes], ...] = ()  # (suffix, bytes) kept beside the PDF/A
    signatures: tuple[dict[str, Any], ...] = ()  # the digital signatures of its signed PDFs (``file``: which)
    classification: Classification | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def pdf(self) -> Path:
        return self.folder / "out.pdf"

    @property
    def texts(self) -> list[str]:
        return [page.text for page in self.pages]

    @property
    def signed(self) -> set[str]:
        """The files (``rel``) of the document that carry a digital signature: kept exactly as they are."""
        return {entry["file"] for entry in self.signatures}


@dataclass
class JobResult:
    """What a worker returns for a job that went through: one result per document."""

    job: DocumentJob
    documents: list[DocumentResult]
    separators: int = 0  # separator sheets found (not archived)
    seconds: float = 0.0  # wall time of the whole job in the worker
