"""Whoosh backend (PyPI ``whoosh-reloaded``, imported as ``whoosh``): pure Python, selectable with
``[index] backend = "whoosh"``. Texts arrive analysed; Whoosh splits them on spaces."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from digitize.errors import ArchiveError
from digitize.fields.registry import INDEXED
from digitize.fulltext import query as q
from digitize.fulltext.base import PAGE_FIELDS, Entries, Found, IndexedDocument, Modes, fix_modes
from digitize.i18n import _

INDEX_NAME = "digitize"
_KEYWORDS = ("type", *(name for name in INDEXED if name not in q.TEXT_FIELDS))
_TEXTS = tuple(dict.fromkeys(("title", "content", "words", *PAGE_FIELDS.values(),
                              *(name for name in INDEXED if name in q.TEXT_FIELDS))))
_NUMBERS = ("year", "datekey", "page")


def schema() -> Schema:
    words = SpaceSeparatedTokenizer()
    return Schema(
        key=ID(unique=True),
        kind=ID,
        doc=ID(stored=True),
        stored=STORED,
        text=STORED,
        **{name: KEYWORD for name in _KEYWORDS},
        **{name: TEXT(analyzer=words, phrase=name not in ("words", PAGE_FIELDS["words"])) for name in _TEXTS},
        **{name: NUMERIC(int, bits=32, stored=name == "page", sortable=name == "datekey")
           for name in _NUMBERS},
        docnum=STORED,
    )


class WhooshIndex:
    backend = "whoosh"

    def __init__(self, path: Path, create: bool = False, readonly: bool = False):
        self.path = path
        try:
            if create:
                self.ix = index.create_in(str(path), schema(), indexname=INDEX_NAME)
            else:
                self.ix = index.open_dir(str(path), indexname=INDEX_NAME, readonly=readonly)
        except Exception as exc:  # whoosh raises many kinds on a damaged index (EOFError, struct.error, ...)
            raise ArchiveError(_("Cannot open the search index {path}: {error}; run `digitize index rebuild`.")
                               .format(path=path, error=exc)) from exc
        self._searcher: Any = None
        self.modes: Modes | None = None

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A writer, committed when the block ends, cancelled on any error (nothing half-committed)."""
        self._drop_searcher()
        writer = self.ix.writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        fix_modes(self.path, self.modes)

    def add(self, documents: Iterable[IndexedDocument]) -> None:
        with self._writing() as writer:
            self._write(writer, (doc.entry() for doc in documents))

    def add_batches(self, batches: Iterable[list[Entries]]) -> Iterator[int]:
        """Add or replace documents given as their entries (:meth:`IndexedDocument.entry`): one
        commit per batch, then its size yielded."""
        for batch in batches:
            with self._writing() as writer:
                self._write(writer, batch)
            yield len(batch)

    def _write(self, writer: Any, entries: Iterable[Entries]) -> None:
        for entry, pages in entries:
            writer.delete_by_term("doc", entry["doc"])
            writer.add_document(**entry)
            for page in pages:
                writer.add_document(**page)

    def delete(self, doc_ids: Iterable[str]) -> None:
        with self._writing() as writer:
            for doc_id in doc_ids:
                writer.delete_by_term("doc", doc_id)

    # -- reading ---------------------------------------------------------------------------------

    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def compile(self, node: q.Node, pages: bool = False) -> wq.Query:
        if isinstance(node, q.Term) and (node.prefix or node.fuzzy) and node.field in (None, "content", "title"):
            # words as written: one field holds the title's and the pages'
            return self._leaf(node, PAGE_FIELDS["words"] if pages else "words", 1.0)
        if isinstance(node, q.Term) and node.field == "id":  # a document's id, or its start: its entry's key
            return self._leaf(q.Term("key", f"d:{node.text}", prefix=True), "key", 1.0)
        if isinstance(node, q.Term | q.Phrase):
            if node.field is None and not pages:
                return wq.DisjunctionMax([self._leaf(node, name, boost) for name, boost in q.DEFAULT_FIELDS.items()],
                                         tiebreak=0.3)
            return self._leaf(node, PAGE_FIELDS["content"] if pages else q.field_of(node.field), 1.0)
        if isinstance(node, q.Range):
            return wq.NumericRange("datekey" if node.field == "date" else "year", node.low or 0,
                                   node.high if node.high is not None else 99_999_999)
        if isinstance(node, q.And):
            positive = [self.compile(c, pages) for c in node.children if not isinstance(c, q.Not)]
            negative = [self.compile(c.child, pages) for c in node.children if isinstance(c, q.Not)]
            must: wq.Query = wq.And(positive) if positive else wq.Term("kind", "page" if pages else "doc")
            return wq.AndNot(must, wq.Or(negative)) if negative else must
        if isinstance(node, q.Or):
            return wq.Or([self.compile(c, pages) for c in node.children])
        if isinstance(node, q.AtLeast):
            return wq.Or([self.compile(c, pages) for c in node.children], minmatch=node.count)
        if isinstance(node, q.Not):
            return wq.AndNot(wq.Term("kind", "page" if pages else "doc"), self.compile(node.child, pages))
        return wq.NullQuery

    def _leaf(self, node: q.Term | q.Phrase, name: str, boost: float) -> wq.Query:
        if isinstance(node, q.Phrase):
            return wq.Phrase(name, list(node.terms), boost=boost)
        if node.prefix:
            return wq.Prefix(name, node.text, boost=boost)
        if node.fuzzy:
            return wq.FuzzyTerm(name, node.text, boost=boost, maxdist=node.fuzzy, prefixlength=0)
        return wq.Term(name, node.text, boost=boost)

    def find(self, node: q.Node, limit: int, offset: int = 0, sort: str = "score") -> tuple[int, list[Found]]:
        query = self.compile(node)  # the documents' own fields: page entries never match
        searcher = self.searcher()
        options: dict[str, Any] = {"limit": offset + limit}
        if sort != "score":
            options.update(sortedby="datekey", reverse=sort == "-date")
        results = searcher.search(query, **options)
        found = []
        for hit in results[offset:offset + limit]:
            stored = json.loads(hit["stored"])
            found.append(Found(stored["id"], round(float(hit.score), 3) if sort == "score" else 0.0, stored))
        return len(results), found

    def pages(self, node: q.Node, doc_ids: list[str]) -> dict[str, set[int]]:
        if not doc_ids:
            return {}
        query = wq.And([wq.Or([wq.Term("doc", d) for d in doc_ids]), self.compile(node, pages=True)])
        out: dict[str, set[int]] = {}
        for hit in self.searcher().search(query, limit=None):
            out.setdefault(hit["doc"], set()).add(int(hit["page"]))
        return out

    def page_text(self, doc_id: str, page: int) -> str:
        fields = self.searcher().document(key=f"p:{doc_id}:{page}")
        return str(fields.get("text") or "") if fields else ""

    def doc_freq(self, field: str, term: str) -> int:
        return int(self.searcher().doc_frequency(field, term))

    def count(self) -> int:
        return len(self.searcher().search(wq.Term("kind", "doc"), limit=None))

    def ids(self) -> set[str]:
        return set(self.entries())

    def entries(self) -> dict[str, dict[str, str]]:
        out = {}
        for fields in self.searcher().documents(kind="doc"):
            stored = json.loads(fields["stored"])
            out[stored["id"]] = {k: stored.get(k) or "" for k in ("path", "type", "title", "date")}
        return out

    def close(self) -> None:
        self._drop_searcher()
        self.ix.close()
