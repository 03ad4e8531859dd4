"""Extract stage: the metadata fields of an Indonesian government document.

The work is done by :mod:`digitize.fields` (nomor, KKA, tanggal, perihal, lampiran,
sifat, instansi, penandatangan, jabatan, NIP, NIK; each with its page and a
confidence); this module keeps the names the pipeline calls.
"""

from __future__ import annotations

from digitize.fields import MONTHS, extract_fields, find_date, make_title

__all__ = ["MONTHS", "extract_fields", "find_date", "make_title"]
