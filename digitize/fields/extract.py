"""All fields of a document at once (``extract_fields``) and its short human title (``make_title``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from digitize.fields import header
from digitize.fields.ids import find_niks, find_nips
from digitize.fields.instansi import find_instansi
from digitize.fields.nomor import find_nomor, kka_from_nomor
from digitize.fields.perihal import find_lampiran_sifat, find_perihal
from digitize.fields.signatory import find_signatory
from digitize.fields.tanggal import find_tanggal


def extract_fields(pages: list[str], today: date | None = None,
                   unsure: Sequence[frozenset[str]] = ()) -> dict[str, Any]:
    """All fields found in the pages' text (see :mod:`digitize.fields`); a field not found is absent.

    ``unsure`` holds, per page, the words OCR read with low confidence (handwriting, a stamp):
    a nomor or a date made of them is not reported, rather than reported wrong."""
    today = today or date.today()
    pages = header.normalise(pages)
    nomor = _trusted(find_nomor(pages), unsure)
    person, jabatan = find_signatory(pages, today)
    found = {
        "nomor": nomor,
        "kka": _kka(nomor),
        "tanggal": _trusted(find_tanggal(pages), unsure, _printed_date),
        "perihal": find_perihal(pages),
        **find_lampiran_sifat(pages),
        "instansi": find_instansi(pages),
        "penandatangan": person,
        "jabatan": jabatan,
        "nip": find_nips(pages, today),
        "nik": find_niks(pages, today),
    }
    return {name: value for name, value in found.items() if value}


def _trusted(found: dict[str, Any] | None, unsure: Sequence[frozenset[str]],
             doubted: Callable[[dict[str, Any], frozenset[str]], bool] | None = None) -> dict[str, Any] | None:
    """``found``, unless a word OCR was unsure of on its page is part of it."""
    if not found or not unsure or found["page"] > len(unsure) or not unsure[found["page"] - 1]:
        return found
    return None if (doubted or _in_value)(found, unsure[found["page"] - 1]) else found


def _in_value(found: dict[str, Any], doubtful: frozenset[str]) -> bool:
    """A doubtful word is part of the value: one of its segments (``09g`` of ``09g/0341``), or a
    doubtful word with a slash inside it (``1/4/RS-SET.RS``). Whole segments only: a doubtful ``7``
    does not doubt the ``17`` of ``800/17/2023``."""
    text = re.sub(r"\s+", "", str(found["value"])).casefold()
    segments = set(re.split(r"[/\s]+", str(found["value"]).casefold()))
    for word in doubtful:
        word = re.sub(r"\s+", "", word).casefold()
        if word in segments or ("/" in word and word.strip("/") in text):
            return True
    return False


def _printed_date(found: dict[str, Any], doubtful: frozenset[str]) -> bool:
    """The date's day is a doubtful word's number (``»3Desember``, a handwritten ``23``)."""
    day = str(int(found["value"][8:10]))
    return any(day in re.findall(r"\d+", word) for word in doubtful)


def _kka(nomor: dict[str, Any] | None) -> dict[str, Any] | None:
    """The classification code the nomor starts with, a little less sure than the nomor."""
    if not nomor:
        return None
    code = kka_from_nomor(nomor["value"])
    if not code:
        return None
    return {"value": code, "page": nomor["page"], "confidence": round(nomor["confidence"] * 0.9, 2),
            "source": "nomor"}  # fmt: skip


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
