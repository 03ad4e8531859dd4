"""Metadata fields of Indonesian government documents, read from OCR text.

``extract_fields(pages)`` takes the text of each page (page 1 first) and returns
the fields it finds; a field that is not found is absent. Every value records the
page it came from (1-based) and a confidence from 0 to 1::

    fields["nomor"] = {"value": "800/123/BKPSDM/2023", "page": 1, "confidence": 0.95}
    fields["nip"] = [{"value": "198708302008011003", "page": 1, "confidence": 0.95}, ...]

One module per field or family of fields, each describing what it finds:
:mod:`.nomor` (``nomor``, ``kka``), :mod:`.tanggal`, :mod:`.perihal` (``perihal``,
``lampiran``, ``sifat``), :mod:`.instansi`, :mod:`.signatory` (``penandatangan``,
``jabatan``), :mod:`.ids` (``nip``, ``nik``); :mod:`.numbers` and :mod:`.text` hold
what they share, :mod:`.extract` puts them together, and :mod:`.registry` says how
the search index and the ledger keep each field.

``make_title(pages, fields, type_label)`` gives a short human title, and
``find_date(pages)`` the letter's date as ``(iso, page)``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Where each name lives. Imported on first use (PEP 562): ``digitize search`` needs only the
# registry, not the extractors' regular expressions.
_HOMES = {
    "extract_fields": "extract", "make_title": "extract",
    "PROVINCES": "ids", "NikParts": "ids", "NipParts": "ids", "find_niks": "ids", "find_nips": "ids",
    "parse_nik": "ids", "parse_nip": "ids", "validate_nik": "ids", "validate_nip": "ids",
    "find_instansi": "instansi", "find_nomor": "nomor", "kka_from_nomor": "nomor",
    "MONTHS": "numbers", "NUMBER_WORDS": "numbers", "month_number": "numbers", "words_to_number": "numbers",
    "find_lampiran_sifat": "perihal", "find_perihal": "perihal", "find_signatory": "signatory",
    "find_date": "tanggal", "find_tanggal": "tanggal", "title_case": "text",
}  # fmt: skip
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
