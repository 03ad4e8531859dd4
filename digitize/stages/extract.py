"""Extract stage: the first metadata fields of an Indonesian government document.

Only what the archive layout and the index need today: the letter's date
(tanggal), its nomor and perihal, and a title. Each field records the page it
came from.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11, "desember": 12, "des": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
}  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
# "Sentani, 25 Oktober 2023": a place name and a comma before the date marks the letter's own date.
_PLACE_DATE = re.compile(rf"[A-Z][A-Za-z .'-]{{2,40}},\s*(\d{{1,2}})\s+({_MONTH_RE})\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_NOMOR = re.compile(r"^\s*(?:Nomor|No)\s*[.:;]?\s*[:;]\s*(\S.{1,60}?)\s*$", re.IGNORECASE | re.MULTILINE)
_NOMOR_TAHUN = re.compile(r"\bNOMOR\s+(\d{1,4}\s+TAHUN\s+(?:19|20)\d\d)\b", re.IGNORECASE)
_PERIHAL = re.compile(r"^\s*(?:Perihal|Hal)\s*[:;]\s*(\S.{1,150}?)\s*$", re.IGNORECASE | re.MULTILINE)


def _to_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
    except (KeyError, ValueError):
        return None


def find_date(pages: list[str]) -> tuple[str, int] | None:
    """The document's own date as (ISO date, page). A place-and-date line wins over other dates."""
    for pattern in (_PLACE_DATE, _DATE):
        for number, text in enumerate(pages, start=1):
            for match in pattern.finditer(text):
                found = _to_date(*match.groups())
                if found:
                    return found.isoformat(), number
    return None


def _first(pattern: re.Pattern[str], pages: list[str]) -> tuple[str, int] | None:
    for number, text in enumerate(pages, start=1):
        match = pattern.search(text)
        if match:
            return " ".join(match.group(1).split()), number
    return None


def extract_fields(pages: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    found = find_date(pages)
    if found:
        fields["tanggal"] = {"value": found[0], "page": found[1]}
    for name, patterns in (("nomor", (_NOMOR, _NOMOR_TAHUN)), ("perihal", (_PERIHAL,))):
        for pattern in patterns:
            hit = _first(pattern, pages)
            if hit:
                fields[name] = {"value": hit[0], "page": hit[1]}
                break
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
