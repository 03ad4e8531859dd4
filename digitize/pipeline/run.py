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
    restricted_index: SearchIndex | None = None  # opened when the first restricted document is indexed

    def index_of(self, restricted: bool) -> SearchIndex:
        """The index of the main part, or of the restricted part (opened, and made, when first needed)."""
        if not restricted:
            return self.index
        if self.restricted_index is None:
            from digitize.fulltext import open_index
            from digitize.fulltext.base import finish_swap

            path = self.archive.index_for(True)
            finish_swap(path)
            self.restricted_index = open_index(path, self.settings.index.backend, modes=self.archive.modes(True))
        return self.restricted_index

    def close_indexes(self) -> None:
        self.index.close()
        if self.restricted_index is not None:
            self.restricted_index.close()


@dataclass(frozen=True)
class Filed:
    """A document on its way through the parent's steps."""

    document: DocumentResult
    meta: dict[str, Any] = field(default_factory=dict)  # the .json sidecar, as written
    stored: StoredDocument | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # the worker's stage timings and the parent's
