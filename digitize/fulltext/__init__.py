"""Full-text index behind a backend-neutral interface (see ``base``)."""

from digitize.fulltext.base import IndexedDocument, SearchHit, SearchIndex, finish_swap, open_index

__all__ = ["IndexedDocument", "SearchHit", "SearchIndex", "finish_swap", "open_index"]
