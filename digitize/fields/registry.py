"""One entry per extracted field: how the search index holds it and whether the ledger has a column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    index: str  # "keyword", "text", "id" or "none"
    ledger: bool = False


FIELDS = (
    Field("kka", "id", ledger=True),
    Field("nomor", "keyword", ledger=True),
    Field("perihal", "text", ledger=True),
    Field("nip", "keyword"),
    Field("nik", "keyword"),
)

INDEXED = tuple(f.name for f in FIELDS if f.index != "none")
LEDGER_COLUMNS = tuple(f.name for f in FIELDS if f.ledger)


def ledger_values(fields: dict[str, Any]) -> dict[str, str | None]:
    """The ledger's column values from a document's meta["fields"]."""
    return {name: (fields.get(name) or {}).get("value") for name in LEDGER_COLUMNS}
