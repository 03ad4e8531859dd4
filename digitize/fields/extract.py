"""All fields of a document at once (``extract_fields``) and its short human title (``make_title``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from digitize.fields.ids import find_niks, find_nips
from digitize.fields.instansi import find_instansi
from digitize.fields.nomor import find_nomor, kka_from_nomor
from digitize.fields.perihal import _LAMPIRAN, _SIFAT, _labelled, find_perihal
from digitize.fields.signatory import find_signatory
from digitize.fields.tanggal import find_tanggal


def extract_fields(pages: list[str], today: date | None = None) -> dict[str, Any]:
    """All fields found in the pages' text (see the module docstring)."""
    today = today or date.today()
    fields: dict[str, Any] = {}
    nomor = find_nomor(pages)
    if nomor:
        fields["nomor"] = nomor
        code = kka_from_nomor(nomor["value"])
        if code:
            fields["kka"] = {"value": code, "page": nomor["page"], "confidence": round(nomor["confidence"] * 0.9, 2),
                             "source": "nomor"}  # fmt: skip
    tanggal = find_tanggal(pages)
    if tanggal:
        fields["tanggal"] = tanggal
    perihal = find_perihal(pages)
    if perihal:
        fields["perihal"] = perihal
    for name, pattern in (("lampiran", _LAMPIRAN), ("sifat", _SIFAT)):
        found = _labelled(pages, pattern, follow=False)
        if found:
            fields[name] = {"value": found[0], "page": found[1], "confidence": 0.9}
    instansi = find_instansi(pages)
    if instansi:
        fields["instansi"] = instansi
    person, jabatan = find_signatory(pages, today)
    if person:
        fields["penandatangan"] = person
    if jabatan:
        fields["jabatan"] = jabatan
    nips = find_nips(pages, today)
    if nips:
        fields["nip"] = nips
    niks = find_niks(pages, today)
    if niks:
        fields["nik"] = niks
    return fields


def make_title(pages: list[str], fields: dict[str, Any], type_label: str | None) -> str:
    """A short human title: the perihal if any, else the document type and nomor, else the first line."""
    if "perihal" in fields:
        return fields["perihal"]["value"]
    if type_label and "nomor" in fields:
        return f"{type_label} {fields['nomor']['value']}"
    if type_label:
        return type_label
    for text in pages:
        for line in text.splitlines():
            if len(line.strip()) > 3:
                return line.strip()[:120]
    return "(no text)"
