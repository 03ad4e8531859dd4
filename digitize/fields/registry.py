"""One entry per extracted field: how the search index holds it and whether the ledger has a column.

The search index entries (:mod:`digitize.fulltext.base`) and the ledger's
``documents`` table (:mod:`digitize.ledger`) are built from ``FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# How the index holds a field: "id" (the whole value one term, as written), "keyword"
# (space-separated terms, as written), "keyword_lower" (the same, lower-cased: searches
# ignore case), "text" (analysed like the pages: words stemmed, identifiers split into their parts;
# searched with the title and the content) or "none".
INDEX_KINDS = ("id", "keyword", "keyword_lower", "text", "none")


@dataclass(frozen=True)
class Field:
    name: str
    index: str  # one of INDEX_KINDS
    ledger: bool = False  # a TEXT column of the ledger's documents table holds its value

    def __post_init__(self) -> None:
        if self.index not in INDEX_KINDS:
            raise ValueError(f"field {self.name}: index kind {self.index!r} is not one of {INDEX_KINDS}")


FIELDS = (
    Field("kka", "id", ledger=True),
    Field("nomor", "text", ledger=True),
    Field("perihal", "text", ledger=True),
    Field("sifat", "keyword_lower"),
    Field("nip", "keyword"),
    Field("nik", "keyword"),
)

INDEXED = tuple(f.name for f in FIELDS if f.index != "none")
LEDGER_COLUMNS = tuple(f.name for f in FIELDS if f.ledger)


def ledger_values(fields: dict[str, Any]) -> dict[str, str | None]:
    """The ledger's column values from a document's meta["fields"]."""
    return {name: (fields.get(name) or {}).get("value") for name in LEDGER_COLUMNS}
