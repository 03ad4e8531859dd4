"""The index interface every backend implements, and the entries both backends store.

An index holds, for each document, one *document entry* (its id, path, type, title, date, year, the
metadata fields of :mod:`digitize.fields.registry` and the terms of all its pages) and one *page
entry* per page (the page's terms and its text, for snippets). Documents are found by their
document entry; the pages of a hit by its page entries. Every text is analysed once, by
:mod:`digitize.fulltext.analysis`, before a backend sees it; queries arrive as trees of
:mod:`digitize.fulltext.query`. So the backends agree: the same documents, the same pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from digitize.errors import ArchiveError
from digitize.fields.registry import FIELDS, INDEXED
from digitize.fulltext.query import Node
from digitize.i18n import _

HIGHLIGHT_START = "**"
HIGHLIGHT_END = "**"


Entries = tuple[dict[str, Any], list[dict[str, Any]]]  # a document's entry and its pages' entries


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
    fields: dict[str, str] = field(default_factory=dict)  # kka, nomor, perihal, sifat, nip, nik (space-separated)
    nomor: str = ""  # as extracted, for display

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
            nomor=_value((meta.get("fields") or {}).get("nomor")),
        )

    def entry(self) -> Entries:
        """The document entry and the page entries: analysed terms (space-separated), keyword values
        (lower case), numbers, and what is stored (``stored``, ``text``)."""
        import json

        from digitize.fulltext import analysis
        from digitize.fulltext.query import date_key

        analysed = [analysis.analyse(page) for page in self.pages]
        page_terms = [" ".join(terms) for terms, _unused in analysed]
        page_words = [" ".join(words) for _unused, words in analysed]
        title_terms, title_words = analysis.analyse(self.title)
        stored = {"id": self.id, "path": self.path, "type": self.type, "title": self.title, "date": self.date,
                  "nomor": self.nomor, "sources": self.sources, "pages": len(self.pages)}
        document: dict[str, Any] = {
            "key": f"d:{self.id}", "kind": "doc", "doc": self.id, "type": self.type.lower(),
            "title": " ".join(title_terms), "content": " ".join(page_terms),
            "words": " ".join((" ".join(title_words), *page_words)),
            "year": int(self.year) if self.year.isdigit() else 0, "datekey": date_key(self.date) or 0,
            "stored": json.dumps(stored, ensure_ascii=False),
        }
        for name, value in self.fields.items():
            if name == "nomor":
                document[name] = " ".join(analysis.identifier_terms(value))
            elif name in TEXT_FIELDS:
                document[name] = " ".join(analysis.terms(value))
            else:
                document[name] = value.lower()
        pages = [{"key": f"p:{self.id}:{n}", "kind": "page", "doc": self.id, "docnum": doc_number(self.id), "page": n,
                  PAGE_FIELDS["content"]: terms,
                  PAGE_FIELDS["words"]: words, "text": text}
                 for n, (terms, words, text) in enumerate(zip(page_terms, page_words, self.pages, strict=True), 1)]
        return document, pages


INDEXED_FIELDS = INDEXED  # from digitize.fields.registry
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.index == "text")  # analysed like the pages; the others: keywords


def doc_number(doc_id: str) -> int:
    """A number standing for a document id in its page entries (a fast field: one search finds the
    pages of many documents)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=7).digest(), "big")


def _value(item: Any) -> str:
    return str(item.get("value") or "") if isinstance(item, dict) else str(item or "")


def index_fields(fields: dict[str, Any]) -> dict[str, str]:
    """The extracted fields the index holds, as text (lists joined by spaces)."""
    out = {}
    for name in INDEXED_FIELDS:
        value = fields.get(name)
        items = value if isinstance(value, list) else [value] if value else []
        texts = [str(item.get("value", "")) if isinstance(item, dict) else str(item) for item in items]
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
    pages: list[int]  # the pages where most of the query's words are, first page 1
    snippet: str  # from the first of those pages, matches wrapped in HIGHLIGHT_START/END
    sources: list[dict[str, Any]]
    nomor: str = ""
    rank: int = 0  # 1 for the best hit of the whole result (offset included)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Found:
    """One document a backend found: its id, score and what its entry stores."""

    id: str
    score: float
    stored: dict[str, Any]  # id, path, type, title, date, nomor, sources, pages (count)


SORTS = ("score", "date", "-date")


class SearchIndex(Protocol):
    """What every backend does. Queries arrive as trees of :mod:`digitize.fulltext.query`; texts
    arrive analysed by :mod:`digitize.fulltext.analysis` (the backend splits them on spaces)."""

    backend: str
    modes: Modes | None  # set by open_index: what the files get after each commit

    def add(self, documents: Iterable[IndexedDocument]) -> None:
        """Add or replace documents (by id) and commit; on an error nothing is committed."""

    def add_batches(self, batches: Iterable[list[Entries]]) -> Iterator[int]:
        """The same for batches of documents already analysed (:meth:`IndexedDocument.entry`):
        each batch committed, then its size yielded (a rebuild's progress, and what a kill keeps)."""
        ...

    def delete(self, doc_ids: Iterable[str]) -> None: ...

    def find(self, node: Node, limit: int, offset: int = 0, sort: str = "score") -> tuple[int, list[Found]]:
        """The total number of documents matching ``node`` and those from ``offset`` to ``offset + limit``."""
        ...

    def pages(self, node: Node, doc_ids: list[str]) -> dict[str, set[int]]:
        """The pages of each of ``doc_ids`` where ``node`` (a word or a phrase) matches."""
        ...

    def page_text(self, doc_id: str, page: int) -> str: ...

    def doc_freq(self, field: str, term: str) -> int:
        """How many entries (documents and pages) hold ``term`` in ``field``."""
        ...

    def count(self) -> int: ...

    def ids(self) -> set[str]: ...

    def entries(self) -> dict[str, dict[str, str]]:
        """Every entry's stored ``path``, ``type``, ``title`` and ``date`` by document id."""
        ...

    def close(self) -> None: ...


BACKENDS = ("tantivy", "whoosh")
FORMAT = 5  # bump when the entries or the analysis change: older indexes must be rebuilt
# The page entries' fields, apart from the documents': a search for documents reads only the
# documents' posting lists, a search for pages only the pages'.
PAGE_FIELDS = {"content": "page_content", "words": "page_words"}
_MARKER = "digitize-index.json"


def read_marker(path: Path) -> dict[str, Any] | None:
    """What the index at ``path`` says it is (backend, format), or None when it says nothing."""
    import json

    try:
        return json.loads((path / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_marker(path: Path, backend: str) -> None:
    import json
    import os

    tmp = path / (_MARKER + ".part")
    tmp.write_text(json.dumps({"backend": backend, "format": FORMAT}), encoding="utf-8")
    os.replace(tmp, path / _MARKER)


Modes = tuple[int, int, "int | None"]  # file mode, folder mode, group id: what the index's files get


def open_index(path: Path, backend: str = "tantivy", readonly: bool = False, modes: Modes | None = None) -> SearchIndex:
    """The index at ``path``; created when missing unless ``readonly`` (then a missing index is an error).

    An existing index is opened with the backend it was built with (``backend`` is what a new one
    is built with); one of an older format is an :class:`ArchiveError` that says to rebuild. A
    writer's files get ``modes`` (the archive part's) after every commit, whatever the umask."""
    if path.exists() and any(p.name != _COMPLETE for p in path.iterdir()):
        if is_outdated(path):
            raise ArchiveError(_("The search index {path} was made by an older digitize: run `digitize index rebuild`.")
                               .format(path=path))
        backend = (read_marker(path) or {})["backend"]
        fresh = False
    elif readonly:
        raise ArchiveError(_("The search index {path} is missing: run `digitize index rebuild`.").format(path=path))
    else:
        path.mkdir(parents=True, exist_ok=True)
        fresh = True
    index: SearchIndex
    if backend == "tantivy":
        from digitize.fulltext.tantivy_index import TantivyIndex

        index = TantivyIndex(path, create=fresh)
    elif backend == "whoosh":
        from digitize.fulltext.whoosh_index import WhooshIndex

        index = WhooshIndex(path, create=fresh, readonly=readonly)
    else:
        raise ValueError(f"unknown index backend {backend!r}")  # settings.validate admits only BACKENDS
    index.modes = modes
    if fresh:
        write_marker(path, backend)
        fix_modes(path, modes)
    return index


def is_outdated(path: Path) -> bool:
    """Whether ``path`` holds an index in an older format (or of an older digitize, without a label)."""
    if not path.is_dir() or not any(p.name != _COMPLETE for p in path.iterdir()):
        return False
    marker = read_marker(path)
    return marker is None or marker.get("format") != FORMAT or marker.get("backend") not in BACKENDS


READER_LOCK = ".tantivy-meta.lock"


def fix_modes(path: Path, modes: Modes | None) -> None:
    """Give the index's folder and files the archive's modes (Tantivy writes some files 0600)."""
    import os

    if modes is None or not path.exists():
        return
    file_mode, dir_mode, gid = modes
    os.chmod(path, dir_mode)
    if gid is not None:
        os.chown(path, -1, gid)
    for item in path.iterdir():
        try:
            if item.is_file() and not item.is_symlink():
                # Tantivy's readers lock this empty file while they load the index: whoever may read
                # the index must be able to open it for writing
                shared = (file_mode & 0o444) >> 1 if item.name == READER_LOCK else 0
                os.chmod(item, file_mode | shared)
                if gid is not None:
                    os.chown(item, -1, gid)
        except FileNotFoundError:  # merged away meanwhile
            continue


_COMPLETE = ".complete"  # written into a fresh index once it holds every document
REBUILD_BATCH = 500  # documents per commit of a rebuild: bounds its memory, and what a kill loses


def rebuild_index(path: Path, backend: str, documents: Iterable[IndexedDocument],
                  progress: Callable[[int], None] | None = None, jobs: int = 1, modes: Modes | None = None) -> int:
    """Build a fresh index from ``documents`` beside the old one, then swap it in.

    It commits every REBUILD_BATCH documents; a rebuild killed midway is resumed by the next one
    (the documents the unfinished new index holds are skipped). ``jobs`` processes analyse the texts.
    A kill at any moment leaves the old index or the new one: between the two renames of the
    swap, :func:`finish_swap` (run by every writer before it opens the index) completes it."""
    import shutil

    fresh, old = _swap_paths(path)
    finish_swap(path)
    marker = read_marker(fresh) if fresh.exists() else None
    resume = bool(marker) and marker == {"backend": backend, "format": FORMAT} and not (fresh / _COMPLETE).exists()
    if not resume:
        shutil.rmtree(fresh, ignore_errors=True)
    index = open_index(fresh, backend, modes=modes)
    try:
        done = index.ids() if resume else set()
        pending = (doc for doc in documents if doc.id not in done)
        added = len(done)
        if progress:
            progress(added)
        for size in index.add_batches(_analysed(pending, jobs)):
            added += size
            if progress:
                progress(added)
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


def _entry(doc: IndexedDocument) -> Entries:
    return doc.entry()


def _analysed(documents: Iterable[IndexedDocument], jobs: int) -> Iterator[list[Entries]]:
    """Batches of analysed documents; with ``jobs`` > 1 analysed by that many processes (the parent writes)."""
    from itertools import islice

    source = iter(documents)
    if jobs <= 1:
        while batch := [doc.entry() for doc in islice(source, REBUILD_BATCH)]:
            yield batch
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: the parent already runs the index's writer threads, which a fork must not copy
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        docs = list(islice(source, REBUILD_BATCH))
        pending = pool.map(_entry, docs, chunksize=8) if docs else None
        while pending is not None:  # the next batch is analysed while this one is written
            docs = list(islice(source, REBUILD_BATCH))
            following = pool.map(_entry, docs, chunksize=8) if docs else None
            yield list(pending)
            pending = following


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
