"""Read-side operations on an archive: search, show one document, rebuild the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digitize.archive import Archive
from digitize.errors import ArchiveError, NotFoundError
from digitize.fulltext import IndexedDocument, SearchHit, open_index
from digitize.fulltext.base import rebuild_index
from digitize.ledger import Ledger
from digitize.settings import Settings


def _open(settings: Settings) -> Archive:
    archive = Archive.from_settings(settings)
    archive.require_existing()
    return archive


def search(settings: Settings, query: str, limit: int = 10) -> list[SearchHit]:
    archive = _open(settings)
    if not archive.index_path.exists():
        raise ArchiveError(f"The archive {archive.root} has no index: run `digitize index rebuild`.")
    index = open_index(archive.index_path, settings.index.backend)
    try:
        hits = index.search(query, limit)
    finally:
        index.close()
    for hit in hits:
        hit.path = str(archive.root / hit.path)
    return hits


@dataclass
class DocumentView:
    metadata: dict[str, Any]
    pages: list[str]
    files: dict[str, str]  # absolute paths
    events: list[dict[str, str]] = field(default_factory=list)  # the ledger's, oldest first


def show(settings: Settings, doc_id: str) -> DocumentView:
    archive = _open(settings)
    ledger = Ledger(archive.ledger_path)
    try:
        matches = ledger.find_documents(doc_id)
        if not matches:
            raise NotFoundError(f"No document with id '{doc_id}' in {archive.root}: use `digitize search` to find it.")
        if len(matches) > 1 and doc_id not in matches:
            raise NotFoundError(f"'{doc_id}' matches {len(matches)} documents ({', '.join(matches[:5])}): "
                                "give more of the id.")
        row = ledger.document(doc_id if doc_id in matches else matches[0])
        history = ledger.events(row["id"]) if row else []
    finally:
        ledger.close()
    assert row is not None  # the id is one find_documents just returned
    meta = archive.read_metadata(row["json_path"])
    text = (archive.root / row["txt_path"]).read_text(encoding="utf-8")
    files = {kind: str(archive.root / rel) for kind, rel in meta.get("files", {}).items()}
    return DocumentView(meta, text.split("\f"), files, history)


def quarantine(settings: Settings) -> list[dict[str, Any]]:
    """Input files that could not be archived, with the reason, the message and how often they were tried."""
    archive = _open(settings)
    ledger = Ledger(archive.ledger_path)
    try:
        return [
            {"path": f.path, "reason": f.reason, "message": f.message, "attempts": f.attempts,
             "sha256": None if f.sha256.startswith("unhashed:") else f.sha256}
            for f in ledger.failures()
        ]
    finally:
        ledger.close()


def rebuild(settings: Settings) -> int:
    """Recreate the index from the archive's sidecars alone; return the number of documents."""
    archive = _open(settings)
    documents = (IndexedDocument.from_metadata(meta, pages) for meta, pages in archive.iter_documents())
    count = rebuild_index(archive.index_path, settings.index.backend, documents)
    ledger = Ledger(archive.ledger_path)
    try:
        ledger.mark_all_indexed()
    finally:
        ledger.close()
    return count
