"""Whoosh backend (PyPI ``whoosh-reloaded``, imported as ``whoosh``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import highlight, index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.qparser import MultifieldParser
from whoosh.support.charset import accent_map

from digitize import textnorm
from digitize.errors import ArchiveError
from digitize.fields.registry import FIELDS
from digitize.fulltext.base import HIGHLIGHT_END, HIGHLIGHT_START, IndexedDocument, SearchHit

_SNIPPET_CHARS = 240


INDEX_NAME = "digitize-v2"  # bump when the schema or the analysis changes: old indexes must be rebuilt


def analyzer():
    """Words and numbers, lower-cased, accents folded, Indonesian words stemmed with Sastrawi
    (``pengelolaan`` and ``mengelola`` both find ``kelola``). No stop words: phrases stay exact."""
    return (RegexTokenizer(r"\w+(?:[./-]\w+)*") | LowercaseFilter() | CharsetFilter(accent_map)
            | StemFilter(stemfn=textnorm.stem, cachesize=100_000))


def prepare_text(text: str) -> str:
    """OCR noise fixed before indexing: words split at line ends joined, ``2O23`` read as ``2023``."""
    return textnorm.fix_digits(textnorm.join_hyphenated(text))


# The field type for each index kind of digitize.fields.registry, given the text analyzer.
_FIELD_TYPES: dict[str, Callable[[Any], FieldType]] = {
    "id": lambda text: ID(stored=True),
    "keyword": lambda text: KEYWORD(stored=True),
    "keyword_lower": lambda text: KEYWORD(stored=True, lowercase=True),
    "text": lambda text: TEXT(analyzer=text, stored=True),
}
# Searched when a query names no field: the title, the extracted text fields, the content.
_SEARCHED = ("title", *(f.name for f in FIELDS if f.index == "text"), "content")


def schema() -> Schema:
    text = analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED,
        sources=STORED,
        type=ID(stored=True),
        title=TEXT(analyzer=text, stored=True, field_boost=2.0),
        date=ID(stored=True),
        year=ID(stored=True),
        content=TEXT(analyzer=text, phrase=True),
        pages=STORED,
        **{f.name: _FIELD_TYPES[f.index](text) for f in FIELDS if f.index != "none"},
    )


class _Marker(highlight.Formatter):
    between = " ... "

    def format_token(self, text, token, replace=False):
        return f"{HIGHLIGHT_START}{highlight.get_text(text, token, replace)}{HIGHLIGHT_END}"


class WhooshIndex:
    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        try:
            if index.exists_in(str(path), indexname=INDEX_NAME):
                self.ix = index.open_dir(str(path), indexname=INDEX_NAME, readonly=readonly)
            elif path.exists() and any(path.iterdir()):
                raise ArchiveError(
                    f"The search index {path} was made by an older digitize: run `digitize index rebuild`."
                )
            elif readonly:
                raise ArchiveError(f"The search index {path} is missing: run `digitize index rebuild`.")
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.ix = index.create_in(str(path), schema(), indexname=INDEX_NAME)
        except ArchiveError:
            raise
        except Exception as exc:  # whoosh raises many kinds on a damaged index (EOFError, struct.error, ...)
            raise ArchiveError(
                f"Cannot open the search index {path}: {exc}; run `digitize index rebuild`."
            ) from exc

    def add(self, documents: Iterable[IndexedDocument]) -> None:
        writer = self.ix.writer()
        try:
            for doc in documents:
                writer.update_document(
                    id=doc.id,
                    path=doc.path,
                    sources=json.dumps(doc.sources, ensure_ascii=False),
                    type=doc.type,
                    title=doc.title,
                    date=doc.date,
                    year=doc.year,
                    content=prepare_text("\n\n".join(doc.pages)),
                    pages=doc.pages,
                    **doc.fields,
                )
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete(self, doc_ids: Iterable[str]) -> None:
        writer = self.ix.writer()
        try:
            for doc_id in doc_ids:
                writer.delete_by_term("id", doc_id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def count(self) -> int:
        with self.ix.searcher() as searcher:
            return searcher.doc_count()

    def entries(self) -> dict[str, dict[str, str]]:
        with self.ix.searcher() as searcher:
            return {f["id"]: {k: f.get(k) or "" for k in ("path", "type", "title", "date")}
                    for f in searcher.all_stored_fields()}

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        parser = MultifieldParser(list(_SEARCHED), self.ix.schema)
        parsed = parser.parse(query)
        wanted = {
            text if isinstance(text, str) else text.decode("utf-8")
            for field, text in parsed.iter_all_terms()
            if field in _SEARCHED
        }
        ana = analyzer()
        hits: list[SearchHit] = []
        with self.ix.searcher() as searcher:
            results = searcher.search(parsed, limit=limit, terms=True)
            results.fragmenter = highlight.ContextFragmenter(maxchars=_SNIPPET_CHARS, surround=70)
            results.formatter = _Marker()
            for hit in results:
                pages: list[str] = hit["pages"]
                found = [{t.text for t in ana(prepare_text(page))} & wanted for page in pages]
                best = max((len(f) for f in found), default=0)
                numbers = [n for n, f in enumerate(found, start=1) if f and len(f) == best]
                snippet = ""
                if numbers:
                    snippet = hit.highlights("content", text=pages[numbers[0] - 1], top=2)
                if not snippet:
                    snippet = (pages[0] if pages else "")[:_SNIPPET_CHARS]
                hits.append(
                    SearchHit(
                        id=hit["id"],
                        path=hit["path"],
                        type=hit["type"],
                        title=hit["title"],
                        date=hit["date"],
                        score=round(float(hit.score), 3),
                        pages=numbers,
                        snippet=" ".join(snippet.split()),
                        sources=json.loads(hit["sources"]),
                    )
                )
        return hits

    def close(self) -> None:
        self.ix.close()
