"""Tantivy backend (PyPI ``tantivy``): the default. Texts arrive analysed; Tantivy splits them on spaces."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from digitize.errors import ArchiveError
from digitize.fields.registry import INDEXED
from digitize.fulltext import query as q
from digitize.fulltext.base import PAGE_FIELDS, Entries, Found, IndexedDocument, Modes, doc_number, fix_modes
from digitize.i18n import _

_TERMS = "terms"  # the tokenizer: split on spaces, nothing else (analysis.py did the rest)
_KEYWORDS = ("kind", "doc", "type", *(name for name in INDEXED if name not in q.TEXT_FIELDS))
_TEXTS = tuple(dict.fromkeys(("title", "content", "words", *PAGE_FIELDS.values(),
                              *(name for name in INDEXED if name in q.TEXT_FIELDS))))
_NUMBERS = ("year", "datekey", "page", "docnum")
_UNPOSITIONED = ("words", PAGE_FIELDS["words"])
WRITER_HEAP = 48_000_000  # bytes Tantivy buffers before it writes a segment: bounds the writer's memory
_ERRORS = (ValueError, OSError, RuntimeError)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")
    for name in _KEYWORDS:
        builder.add_text_field(name, tokenizer_name=_TERMS, index_option="basic")
    for name in _TEXTS:  # the words as written serve prefixes and close words only: no positions
        option = "freq" if name in _UNPOSITIONED else "position"
        builder.add_text_field(name, tokenizer_name=_TERMS, index_option=option)
    for name in _NUMBERS:
        builder.add_unsigned_field(name, stored=name == "page", indexed=True, fast=True)
    builder.add_bytes_field("stored", stored=True)
    builder.add_bytes_field("text", stored=True)
    return builder.build()


class TantivyIndex:
    backend = "tantivy"

    def __init__(self, path: Path, create: bool = False):
        self.path = path
        self.schema = _schema()
        try:
            self.ix = tantivy.Index(self.schema, path=str(path), reuse=not create)
            self.ix.register_tokenizer(_TERMS, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
            self.ix.reload()
        except _ERRORS as exc:
            raise ArchiveError(_("Cannot open the search index {path}: {error}; run `digitize index rebuild`.")
                               .format(path=path, error=exc)) from exc
        self._searcher: Any = None
        self.modes: Modes | None = None

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A writer, committed when the block ends, rolled back on any error (nothing half-committed)."""
        try:
            writer = self.ix.writer(heap_size=WRITER_HEAP, num_threads=1)
        except _ERRORS as exc:
            raise ArchiveError(_("Cannot write the search index {path}: {error}.")
                               .format(path=self.path, error=exc)) from exc
        try:
            yield writer
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        fix_modes(self.path, self.modes)
        self.ix.reload()
        self._searcher = None

    def add(self, documents: Iterable[IndexedDocument]) -> None:
        with self._writing() as writer:
            self._write(writer, (doc.entry() for doc in documents))

    def add_batches(self, batches: Iterable[list[Entries]]) -> Iterator[int]:
        """Add or replace documents given as their entries (:meth:`IndexedDocument.entry`), batch by
        batch with one writer: each batch is committed, then its size yielded. Merges run meanwhile
        and are waited for once, at the end."""
        with self._writing() as writer:
            for batch in batches:
                self._write(writer, batch)
                writer.commit()
                yield len(batch)

    def _write(self, writer: Any, entries: Iterable[Entries]) -> None:
        for entry, pages in entries:
            writer.delete_documents_by_term("doc", entry["doc"])
            writer.add_document(self._document(entry))
            for page in pages:
                writer.add_document(self._document(page))

    def _document(self, entry: dict[str, Any]) -> tantivy.Document:
        document = tantivy.Document()
        for name, value in entry.items():
            if name in _NUMBERS:
                document.add_unsigned(name, value)
            elif name in ("stored", "text"):
                document.add_bytes(name, value.encode("utf-8"))
            elif value:
                document.add_text(name, value)
        return document

    def delete(self, doc_ids: Iterable[str]) -> None:
        with self._writing() as writer:
            for doc_id in doc_ids:
                writer.delete_documents_by_term("doc", doc_id)

    # -- reading ---------------------------------------------------------------------------------

    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def _kind(self, kind: str) -> Query:
        return Query.term_query(self.schema, "kind", kind)

    def compile(self, node: q.Node, pages: bool = False) -> Query:
        """The Tantivy query of ``node``: over the default fields (boosted), or only the content for pages."""
        if isinstance(node, q.Term) and (node.prefix or node.fuzzy) and node.field in (None, "content", "title"):
            # words as written: one field holds the title's and the pages'
            return self._leaf(node, PAGE_FIELDS["words"] if pages else "words")
        if isinstance(node, q.Term) and node.field == "id":  # a document's id, or its start: its entry's key
            return self._leaf(q.Term("key", f"d:{node.text}", prefix=True), "key")
        if isinstance(node, q.Term | q.Phrase):
            if node.field is None and not pages:
                return Query.disjunction_max_query(
                    [Query.boost_query(self._leaf(node, name), boost) for name, boost in q.DEFAULT_FIELDS.items()],
                    tie_breaker=0.3)
            return self._leaf(node, PAGE_FIELDS["content"] if pages else q.field_of(node.field))
        if isinstance(node, q.Range):
            return Query.range_query(self.schema, "datekey" if node.field == "date" else "year",
                                     tantivy.FieldType.Unsigned, node.low or 0, node.high or 99_999_999)
        if isinstance(node, q.And):
            parts = [(Occur.MustNot if isinstance(c, q.Not) else Occur.Must,
                      self.compile(c.child if isinstance(c, q.Not) else c, pages)) for c in node.children]
            if all(occur == Occur.MustNot for occur, _unused in parts):
                parts.append((Occur.Must, self._kind("page" if pages else "doc")))
            return Query.boolean_query(parts)
        if isinstance(node, q.Or):
            return Query.boolean_query([(Occur.Should, self.compile(c, pages)) for c in node.children])
        if isinstance(node, q.AtLeast):
            return Query.boolean_query([(Occur.Should, self.compile(c, pages)) for c in node.children],
                                       minimum_number_should_match=node.count)
        if isinstance(node, q.Not):
            return Query.boolean_query([(Occur.Must, self._kind("page" if pages else "doc")),
                                        (Occur.MustNot, self.compile(node.child, pages))])
        return Query.empty_query()

    def _leaf(self, node: q.Term | q.Phrase, name: str) -> Query:
        if isinstance(node, q.Phrase):
            return Query.phrase_query(self.schema, name, list(node.terms))
        if node.prefix:
            return Query.regex_query(self.schema, name, re.escape(node.text) + ".*")
        if node.fuzzy:
            return Query.fuzzy_term_query(self.schema, name, node.text, distance=node.fuzzy)
        return Query.term_query(self.schema, name, node.text)

    def find(self, node: q.Node, limit: int, offset: int = 0, sort: str = "score") -> tuple[int, list[Found]]:
        query = self.compile(node)  # the documents' own fields: page entries never match
        searcher = self.searcher()
        if sort == "score":
            result = searcher.search(query, limit, count=True, offset=offset)
        else:
            order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
            result = searcher.search(query, limit, count=True, offset=offset, order_by_field="datekey", order=order)
        found = []
        for score, address in result.hits:
            stored = json.loads(bytes(searcher.doc(address).get_first("stored")).decode("utf-8"))
            found.append(Found(stored["id"], float(score) if sort == "score" else 0.0, stored))
        return result.count, found

    def pages(self, node: q.Node, doc_ids: list[str]) -> dict[str, set[int]]:
        if not doc_ids:
            return {}
        searcher = self.searcher()
        query = Query.boolean_query([(Occur.Must, Query.term_set_query(self.schema, "doc", list(doc_ids))),
                                     (Occur.Must, self.compile(node, pages=True))])
        result = searcher.search(query, 100_000, count=False)  # one search: a close word's automaton runs once
        out: dict[str, set[int]] = {}
        if not result.hits:
            return out
        addresses = [address for _unused, address in result.hits]
        owners = {doc_number(doc_id): doc_id for doc_id in doc_ids}
        numbers = searcher.fast_field_values("page", addresses)
        docs = searcher.fast_field_values("docnum", addresses)
        for page, docnum in zip(numbers, docs, strict=True):
            doc_id = owners.get(int(docnum or 0))
            if doc_id is not None and page:
                out.setdefault(doc_id, set()).add(int(page))
        return out

    def page_text(self, doc_id: str, page: int) -> str:
        query = Query.boolean_query([
            (Occur.Must, Query.term_query(self.schema, "key", f"p:{doc_id}:{page}")),
        ])
        result = self.searcher().search(query, 1, count=False)
        if not result.hits:
            return ""
        return bytes(self.searcher().doc(result.hits[0][1]).get_first("text")).decode("utf-8")

    def doc_freq(self, field: str, term: str) -> int:
        return int(self.searcher().doc_freq(field, term))

    def count(self) -> int:
        return int(self.searcher().search(self._kind("doc"), 1, count=True).count)

    def ids(self) -> set[str]:
        return set(self.entries())

    def entries(self) -> dict[str, dict[str, str]]:
        searcher = self.searcher()
        total = self.count()
        result = searcher.search(self._kind("doc"), max(total, 1), count=False)
        out = {}
        for _unused, address in result.hits:
            stored = json.loads(bytes(searcher.doc(address).get_first("stored")).decode("utf-8"))
            out[stored["id"]] = {k: stored.get(k) or "" for k in ("path", "type", "title", "date")}
        return out

    def close(self) -> None:
        self._searcher = None
        self.ix = None  # type: ignore[assignment]
