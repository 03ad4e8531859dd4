"""The search query as a clerk types it, checked and put into the index's syntax before any backend
sees it: an unknown field is a clear error naming the fields, identifiers lose the spaces letters
print in them (``nip:"19680412 199303 1 007"``), and date comparisons become ranges
(``date:>=2023-09-01``)."""

from __future__ import annotations

import re

from digitize.errors import UsageError
from digitize.fields.registry import INDEXED

FIELDS = ("type", "title", "date", "year", "id", "content", *INDEXED)  # what a query may name
DIGITS_ONLY = ("nip", "nik")  # identifiers printed with spaces or dots
_FIELD = re.compile(r'(?<![\w"])([A-Za-z_]\w*):("[^"]*"|\S+)')
_COMPARE = re.compile(r"^(>=|<=|>|<)(\d{4}(?:-\d{2}){0,2})$")


def normalize(query: str) -> str:
    """The query with its fields checked and rewritten; raises ``UsageError`` for what cannot be searched."""
    if not query.strip():
        raise UsageError("Give words to search for, e.g. digitize search \"bimbingan teknis\".")
    return _FIELD.sub(_field, query)


def _field(match: re.Match[str]) -> str:
    name, value = match.group(1).lower(), match.group(2)
    if name not in FIELDS:
        raise UsageError(f"Unknown field '{match.group(1)}:' in the search; fields: {', '.join(FIELDS)} "
                         "(see digitize search --help).")
    bare = value.strip('"')
    if name in DIGITS_ONLY:
        digits = re.sub(r"\D", "", bare)
        if not digits:
            raise UsageError(f"{name}: needs digits, e.g. {name}:196804121993031007.")
        return f"{name}:{digits}"
    if name in ("date", "year"):
        compare = _COMPARE.match(bare)
        if compare:
            op, day = compare.groups()
            return {">=": f"{name}:[{day} TO]", ">": f"{name}:{{{day} TO]",
                    "<=": f"{name}:[TO {day}]", "<": f"{name}:[TO {day}}}"}[op]
    return f"{name}:{value}"
