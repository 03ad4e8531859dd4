"""What the parent's steps share during one ingest run: the archive, ledger and index it
writes, the run's report, and the documents waiting for the next index commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.archive import Archive, StoredDocument
from digitize.fulltext import IndexedDocument, SearchIndex
from digitize.ledger import Ledger
from digitize.models import DocumentResult, SourceFile
from digitize.report import BatchReport
from digitize.settings import Settings


@dataclass
class Run:
    archive: Archive
    ledger: Ledger
    index: SearchIndex
    run_id: int
    report: BatchReport
    settings: Settings
    inbox: Path  # resolved
    labels: dict[str, str]  # document type -> its label
    signatures: dict[str, list[int]] = field(default_factory=dict)  # archived documents' MinHash
    unindexed: list[IndexedDocument] = field(default_factory=list)  # archived, not yet committed to the index
    to_move: list[SourceFile] = field(default_factory=list)  # archived inputs to move after the index commit


@dataclass(frozen=True)
class Filed:
    """A document on its way through the parent's steps."""

    document: DocumentResult
    meta: dict[str, Any] = field(default_factory=dict)  # the .json sidecar, as written
    stored: StoredDocument | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # the worker's stage timings and the parent's
