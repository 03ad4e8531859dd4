"""Read-side operations on an archive: search, show one document, rebuild the index."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.archive import RESTRICTED, Archive
from digitize.errors import ArchiveError, NotFoundError, UsageError
from digitize.fulltext import IndexedDocument, SearchHit, open_index
from digitize.fulltext.base import rebuild_index
from digitize.fulltext.query import normalize
from digitize.ledger import Ledger
from digitize.lock import archive_lock
from digitize.restricted import can_read, require_readable
from digitize.settings import Settings


def _open(settings: Settings) -> Archive:
    archive = Archive.from_settings(settings)
    archive.require_existing()
    return archive


def search(settings: Settings, query: str, limit: int = 10, restricted: bool = False) -> list[SearchHit]:
    """Hits of the main part; with ``restricted`` also of the restricted part (for a user who may read it)."""
    if limit < 1:
        raise UsageError(f"--limit must be 1 or more, not {limit}.")
    query = normalize(query)
    archive = _open(settings)
    if not archive.index_path.exists():
        raise ArchiveError(f"The archive {archive.root} has no index: run `digitize index rebuild`.")
    hits = _search(archive.index_path, settings, query, limit)
    if restricted:
        require_readable(archive)
        if archive.index_for(True).exists():
            hits = sorted(hits + _search(archive.index_for(True), settings, query, limit),
                          key=lambda h: -h.score)[:limit]
    for hit in hits:
        hit.path = str(archive.root / hit.path)
    return hits


def restricted_matches(settings: Settings, query: str) -> int | None:
    """How many restricted documents match ``query``: for a user who may read the restricted part and
    did not ask for it. None for a user who may not (telling would say what the secret letters hold)."""
    archive = _open(settings)
    path = archive.index_for(True)
    if not can_read(archive) or not path.exists():
        return None
    return len(_search(path, settings, normalize(query), RESTRICTED_COUNT_LIMIT))


RESTRICTED_COUNT_LIMIT = 10_000


def _search(path: Path, settings: Settings, query: str, limit: int) -> list[SearchHit]:
    index = open_index(path, settings.index.backend, readonly=True)
    try:
        return index.search(query, limit)
    finally:
        index.close()


@dataclass
class DocumentView:
    metadata: dict[str, Any]
    pages: list[str]
    files: dict[str, str]  # absolute paths
    events: list[dict[str, str]] = field(default_factory=list)  # the ledger's, oldest first


def show(settings: Settings, doc_id: str, restricted: bool = False) -> DocumentView:
    """One document by its id (or a unique prefix); a restricted one only when asked for, by a user who
    may read the restricted part. From the ledger, or from the sidecars for a user who may not read it."""
    archive = _open(settings)
    if restricted:
        require_readable(archive)
    if os.access(archive.ledger_path, os.R_OK):
        ledger = Ledger(archive.ledger_path)
        try:
            matches = ledger.find_documents(doc_id)
            _one(archive, doc_id, matches)
            row = ledger.document(doc_id if doc_id in matches else matches[0])
            history = ledger.events(row["id"]) if row else []
        finally:
            ledger.close()
        assert row is not None  # the id is one find_documents just returned
        json_path, txt_path = row["json_path"], row["txt_path"]
    else:  # the ledger is the owner's alone: find the sidecar
        found = {p.stem: p for p in archive.sidecar_paths(None if restricted else False) if p.stem.startswith(doc_id)}
        _one(archive, doc_id, sorted(found))
        meta_path = found[doc_id] if doc_id in found else next(iter(found.values()))
        json_path = archive.relative(meta_path)
        txt_path = archive.relative(meta_path.with_suffix(".txt"))
        history = []
    if json_path.startswith(RESTRICTED + "/") and not restricted:
        raise NotFoundError(f"Document {Path(json_path).stem} is restricted: add --restricted (you must be allowed "
                            "to read the archive's restricted part).")
    meta = archive.read_metadata(json_path)
    text = (archive.root / txt_path).read_text(encoding="utf-8")
    files = {kind: str(archive.root / rel) for kind, rel in meta.get("files", {}).items()}
    return DocumentView(meta, text.split("\f"), files, history or list(meta.get("events") or []))


def _one(archive: Archive, doc_id: str, matches: list[str]) -> None:
    if not matches:
        raise NotFoundError(f"No document with id '{doc_id}' in {archive.root}: use `digitize search` to find it.")
    if len(matches) > 1 and doc_id not in matches:
        raise NotFoundError(f"'{doc_id}' matches {len(matches)} documents ({', '.join(matches[:5])}): "
                            "give more of the id.")


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
    """Recreate the indexes (the main part's, and the restricted part's when there is one) from the
    archive's sidecars alone; return the number of documents."""
    archive = _open(settings)
    with archive_lock(archive.root, "index rebuild", settings.archive.lock_wait):
        return _rebuild(settings, archive)


def _rebuild(settings: Settings, archive: Archive) -> int:
    count = 0
    for restricted in (False, True):
        if restricted and not (archive.restricted / "documents").exists():
            continue
        if restricted:
            require_readable(archive)
        documents = (IndexedDocument.from_metadata(meta, pages)
                     for meta, pages in archive.iter_documents(restricted))
        count += rebuild_index(archive.index_for(restricted), settings.index.backend, documents)
    ledger = Ledger(archive.ledger_path)
    try:
        ledger.mark_all_indexed()
    finally:
        ledger.close()
    return count
