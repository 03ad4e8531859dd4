"""The index interface every backend implements.

A backend stores one entry per document with the fields ``id``, ``path``,
``type``, ``title``, ``date``, ``year``, the metadata fields of
:mod:`digitize.fields.registry` (``kka``, ``nomor``, ``perihal``, ``nip``, ``nik``;
searchable as ``nip:19870830...``) and the text of
each page, and answers
queries with ``SearchHit`` objects that carry the score, the pages where the
query's terms occur and a highlighted snippet (matches wrapped in ``**``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from digitize.fields.registry import INDEXED

HIGHLIGHT_START = "**"
HIGHLIGHT_END = "**"


@dataclass
class IndexedDocument:
    id: str
    path: str  # the PDF, relative to the archive root
    type: str
    title: str
    date: str  # ISO date or ""
    year: str
    pages: list[str]
    sources: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # kka, nomor, perihal, nip, nik (space-separated)

    @classmethod
    def from_metadata(cls, meta: dict[str, Any], pages: list[str]) -> IndexedDocument:
        return cls(
            id=meta["id"],
            path=meta["files"]["pdf"],
            type=meta["type"],
            title=meta.get("title") or "",
            date=meta.get("date") or "",
            year=str(meta.get("year") or ""),
            pages=pages,
            sources=meta.get("sources", []),
            fields=index_fields(meta.get("fields") or {}),
        )


INDEXED_FIELDS = INDEXED  # from digitize.fields.registry


def index_fields(fields: dict[str, Any]) -> dict[str, str]:
    """The extracted fields the index holds, as text (lists joined by spaces)."""
    out = {}
    for name in INDEXED_FIELDS:
        value = fields.get(name)
        items = value if isinstance(value, list) else [value] if value else []
        texts = [str(item.get("value", "")) if isinstance(item, dict) else str(item) for item in items]
        if name == "nomor":
            texts = [t.replace(" ", "") for t in texts]
        joined = " ".join(t for t in texts if t)
        if joined:
            out[name] = joined
    return out


@dataclass
class SearchHit:
    id: str
    path: str
    type: str
    title: str
    date: str
    score: float
    pages: list[int]
    snippet: str
    sources: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class SearchIndex(Protocol):
    def add(self, documents: Iterable[IndexedDocument]) -> None:
        """Add or replace documents (by id); durable when this returns."""

    def delete(self, doc_ids: Iterable[str]) -> None: ...

    def search(self, query: str, limit: int = 10) -> list[SearchHit]: ...

    def count(self) -> int: ...

    def entries(self) -> dict[str, dict[str, str]]:
        """Every entry's stored ``path``, ``type``, ``title`` and ``date`` by document id."""
        ...

    def close(self) -> None: ...


def open_index(path: Path, backend: str = "whoosh", readonly: bool = False) -> SearchIndex:
    """The index at ``path``; created when missing unless ``readonly`` (then a missing index is an error)."""
    if backend == "whoosh":
        from digitize.fulltext.whoosh_index import WhooshIndex

        return WhooshIndex(path, readonly=readonly)
    raise ValueError(f"unknown index backend {backend!r}")  # settings.validate admits only INDEX_BACKENDS


_COMPLETE = ".complete"  # written into a fresh index once it holds every document


def rebuild_index(path: Path, backend: str, documents: Iterable[IndexedDocument]) -> int:
    """Build a fresh index from ``documents`` beside the old one, then swap it in.

    A kill at any moment leaves the old index or the new one: between the two renames of the
    swap, :func:`finish_swap` (run by every writer before it opens the index) completes it."""
    import shutil

    fresh, old = _swap_paths(path)
    finish_swap(path)
    shutil.rmtree(fresh, ignore_errors=True)
    index = open_index(fresh, backend)
    try:
        index.add(documents)
        count = index.count()
    finally:
        index.close()
    (fresh / _COMPLETE).write_bytes(b"")
    _fsync_dir(fresh)
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    fresh.rename(path)
    _fsync_dir(path.parent)
    shutil.rmtree(old, ignore_errors=True)
    return count


def _swap_paths(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + ".new"), path.with_name(path.name + ".old")


def finish_swap(path: Path) -> None:
    """Complete a rebuild's swap that a kill interrupted: the finished new index, else the old one, is put
    back at ``path``; an unfinished new index is left for the next rebuild to clear."""
    import shutil

    fresh, old = _swap_paths(path)
    if not path.exists():
        if (fresh / _COMPLETE).exists():
            fresh.rename(path)
        elif old.exists():
            old.rename(path)
    if path.exists() and old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    import os

    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
