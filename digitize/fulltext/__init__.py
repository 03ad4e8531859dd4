"""Full-text index behind a backend-neutral interface (see ``base``)."""

from digitize.fulltext.base import IndexedDocument, SearchHit, SearchIndex, open_index

__all__ = ["IndexedDocument", "SearchHit", "SearchIndex", "open_index"]
