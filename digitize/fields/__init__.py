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

from digitize.fields.extract import extract_fields, make_title
from digitize.fields.ids import (
    PROVINCES,
    NikParts,
    NipParts,
    find_niks,
    find_nips,
    parse_nik,
    parse_nip,
    validate_nik,
    validate_nip,
)
from digitize.fields.instansi import find_instansi
from digitize.fields.nomor import find_nomor, kka_from_nomor
from digitize.fields.numbers import MONTHS, NUMBER_WORDS, month_number, words_to_number
from digitize.fields.perihal import find_lampiran_sifat, find_perihal
from digitize.fields.signatory import find_signatory
from digitize.fields.tanggal import find_date, find_tanggal
from digitize.fields.text import title_case

__all__ = [
    "MONTHS", "NUMBER_WORDS", "PROVINCES", "NikParts", "NipParts", "extract_fields", "find_date",
    "find_instansi", "find_lampiran_sifat", "find_niks", "find_nips", "find_nomor", "find_perihal", "find_signatory",
    "find_tanggal", "kka_from_nomor", "make_title", "month_number", "parse_nik", "parse_nip",
    "title_case", "validate_nik", "validate_nip", "words_to_number",
]  # fmt: skip
