"""Read-side operations on an archive: search, show one document, rebuild the index."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.archive import RESTRICTED, Archive
from digitize.errors import ArchiveError, NotFoundError, UsageError
from digitize.fulltext import IndexedDocument, SearchHit, open_index
from digitize.fulltext.base import SORTS, rebuild_index
from digitize.fulltext.query import Parsed, parse
from digitize.fulltext.search import Results
from digitize.fulltext.search import run as run_search
from digitize.i18n import _
from digitize.ledger import Ledger
from digitize.lock import archive_lock
from digitize.restricted import can_read, require_readable
from digitize.settings import Settings


def _open(settings: Settings) -> Archive:
    archive = Archive.from_settings(settings)
    archive.require_existing()
    return archive


def search(settings: Settings, query: str, limit: int = 10, restricted: bool = False) -> list[SearchHit]:
    """The best ``limit`` hits of ``query`` (see :func:`find`)."""
    return find(settings, query, limit, restricted=restricted).hits


def find(settings: Settings, query: str, limit: int = 10, offset: int = 0, sort: str = "score",
         restricted: bool = False) -> Results:
    """Hits of the main part from ``offset``, with the total; with ``restricted`` also of the restricted
    part (for a user who may read it). Paths in the hits are absolute."""
    if limit < 1:
        raise UsageError(_("--limit must be 1 or more, not {limit}.").format(limit=limit))
    if offset < 0:
        raise UsageError(_("--offset must be 0 or more, not {offset}.").format(offset=offset))
    if sort not in SORTS:
        raise UsageError(_("--sort must be one of {sorts}, not {sort!r}.").format(sorts=", ".join(SORTS), sort=sort))
    parsed = parse(query)
    archive = _open(settings)
    if not archive.index_path.exists():
        raise ArchiveError(_("The archive {archive} has no index: run `digitize index rebuild`.")
                           .format(archive=archive.root))
    parts = [archive.index_path]
    if restricted:
        require_readable(archive)
        if archive.index_for(True).exists():
            parts.append(archive.index_for(True))
    if len(parts) == 1:
        results = _run(parts[0], settings, parsed, limit, offset, sort)
    else:  # both parts: the first offset + limit of each, merged
        both = [_run(path, settings, parsed, offset + limit, 0, sort) for path in parts]
        close = any(r.close for r in both) and not any(r.total and not r.close for r in both)
        merged = [h for r in both if r.close == close for h in r.hits]
        if sort == "score":
            merged.sort(key=lambda h: -h.score)
        else:
            merged.sort(key=lambda h: h.date or "", reverse=sort == "-date")
        hits = merged[offset:offset + limit]
        for rank, hit in enumerate(hits, start=offset + 1):
            hit.rank = rank
        results = Results(sum(r.total for r in both if r.close == close), hits, close,
                          next((r.suggestion for r in both if r.suggestion), None))
    for hit in results.hits:
        hit.path = str(archive.root / hit.path)
    return results


def restricted_matches(settings: Settings, query: str) -> int | None:
    """How many restricted documents match ``query``: for a user who may read the restricted part and
    did not ask for it. None for a user who may not (telling would say what the secret letters hold)."""
    archive = _open(settings)
    path = archive.index_for(True)
    if not can_read(archive) or not path.exists():
        return None
    return _run(path, settings, parse(query), 1, 0, "score", fallback=False).total


def _run(path: Path, settings: Settings, parsed: Parsed, limit: int, offset: int, sort: str,
         fallback: bool = True) -> Results:
    index = open_index(path, settings.index.backend, readonly=True)
    try:
        return run_search(index, parsed, limit, offset, sort, fallback)
    finally:
        index.close()


def mark(text: str, query: str) -> str:
    """``text`` with every match of ``query`` wrapped in ``**`` (for ``show --page N --query Q``)."""
    from digitize.fulltext.query import leaves
    from digitize.fulltext.search import mark_all

    return mark_all(text, leaves(parse(query).node))


@dataclass
class DocumentView:
    metadata: dict[str, Any]
    pages: list[str]
    files: dict[str, str]  # absolute paths
    events: list[dict[str, str]] = field(default_factory=list)  # the ledger's, oldest first


def show(settings: Settings, doc_id: str, restricted: bool = False) -> DocumentView:
    """One document by its id (or a unique prefix); a restricted one only when asked for, by a user who
    may read the restricted part. From the ledger, or from the sidecars for a user who may not read it."""
    _given(doc_id)
    archive = _open(settings)
    if restricted:
        require_readable(archive)
    if os.access(archive.ledger_path, os.R_OK):
        ledger = Ledger(archive.ledger_path)
        try:
            row = ledger.document(resolve(archive, ledger, doc_id))
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
        raise NotFoundError(_("Document {id} is restricted: add --restricted (you must be allowed to read the "
                              "archive's restricted part).").format(id=Path(json_path).stem))
    meta = archive.read_metadata(json_path)
    text = (archive.root / txt_path).read_text(encoding="utf-8")
    files = {kind: str(archive.root / rel) for kind, rel in meta.get("files", {}).items()}
    return DocumentView(meta, text.split("\f"), files, history or list(meta.get("events") or []))


def resolve(archive: Archive, ledger: Ledger, doc_id: str) -> str:
    """The full id of the one document ``doc_id`` is the id or a unique prefix of (else ``NotFoundError``)."""
    _given(doc_id)
    matches = ledger.find_documents(doc_id)
    _one(archive, doc_id, matches)
    return doc_id if doc_id in matches else matches[0]


def _given(doc_id: str) -> None:
    if not doc_id.strip():
        raise UsageError(_("Give a document id, or the first characters of one (`digitize search` and "
                           "`digitize review` show them)."))


def _one(archive: Archive, doc_id: str, matches: list[str]) -> None:
    if not matches:
        raise NotFoundError(_("No document with id '{id}' in {archive}: use `digitize search` to find it.")
                            .format(id=doc_id, archive=archive.root))
    if len(matches) > 1 and doc_id not in matches:
        raise NotFoundError(_("'{id}' matches {count} documents ({ids}): give more of the id.")
                            .format(id=doc_id, count=len(matches), ids=", ".join(matches[:5])))


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


PARALLEL_REBUILD = 2000  # documents from which a rebuild analyses texts in several processes


def rebuild(settings: Settings, progress: Callable[[int, int], None] | None = None) -> int:
    """Recreate the indexes (the main part's, and the restricted part's when there is one) from the
    archive's sidecars alone, with ``settings.index.backend``; return the number of documents.
    ``progress(done, total)`` is called as documents are indexed."""
    archive = _open(settings)
    with archive_lock(archive.root, "index rebuild", settings.archive.lock_wait):
        return _rebuild(settings, archive, progress)


def _rebuild(settings: Settings, archive: Archive, progress: Callable[[int, int], None] | None = None) -> int:
    parts = [False] + ([True] if (archive.restricted / "documents").exists() else [])
    if True in parts:
        require_readable(archive)
    sidecars = {restricted: archive.sidecar_paths(restricted) for restricted in parts}
    total = sum(len(paths) for paths in sidecars.values())
    jobs = (settings.ingest.jobs or os.cpu_count() or 1) if total >= PARALLEL_REBUILD else 1
    count = 0
    for restricted in parts:
        documents = (IndexedDocument.from_metadata(meta, pages)
                     for meta, pages in archive.iter_documents(restricted, sidecars[restricted]))
        before = count
        tell = (lambda done, before=before: progress(before + done, total)) if progress else None
        count += rebuild_index(archive.index_for(restricted), settings.index.backend, documents, tell,
                               jobs=jobs, modes=archive.modes(restricted))
    ledger = Ledger(archive.ledger_path)
    try:
        ledger.mark_all_indexed()
    finally:
        ledger.close()
    return count
