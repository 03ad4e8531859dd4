"""``tanggal``: the letter's own date, as ISO ``YYYY-MM-DD``.

In order of trust: ``Ditetapkan di ... pada tanggal ...`` / ``Dikeluarkan di ...``
(0.95); a ``Tanggal :`` header field, also ``Tanggal Surat``, ``TANGGAL CETAK``, ``Tgl. :``
(0.9); a place, a comma and a date
(``Sentani, 25 Oktober 2023``; not after ``Lahir`` and not a weekday, 0.9); a date
written in words (``tanggal dua puluh lima bulan Oktober tahun dua ribu dua puluh
tiga``, 0.85 after ``hari ini``). No other date is taken for the letter's (a date cited
in the text, an invitation's event date in its ``Hari/Tanggal``, ``Pukul``, ``Tempat``
block, a birth date): when none of these stands, there is no ``tanggal``. Dates are
``25 Oktober 2023``, ``25 Okt 2023``, ``25-10-2023``, ``25/10/2023``,
``25.10.2023``; month names may be abbreviated, old-spelled (``Pebruari``,
``Nopember``) or OCR-damaged (``Okiober``, ``Desernber``); impossible dates are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from digitize.fields.numbers import _NUMWORDS, month_number, words_to_number
from digitize.fields.text import _clean
from digitize.textnorm import fix_digits

_SP = r"[^\S\n]"  # a space that is not a line break
_MONTH_TOKEN = r"[A-Za-z][A-Za-z0-9!]{2,11}"
_DATE_WORD = re.compile(
    rf"(?<![\d/.\-])(\d{{1,2}}){_SP}*[-.]?{_SP}*({_MONTH_TOKEN})\.?[,.\-]?{_SP}*((?:19|20)\d\d)(?!\d)"
)
_DATE_NUM = re.compile(r"(?<![\d/.\-])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)\d\d)(?![\d/]|[.\-]\d)")
_DATE_SPELLED = re.compile(
    rf"(?:tanggal{_SP}+)?(?:(\d{{1,2}}){_SP}*\(({_NUMWORDS})\)|(\d{{1,2}})|({_NUMWORDS})){_SP}+(?:bulan{_SP}+)?"
    rf"({_MONTH_TOKEN}){_SP}+(?:tahun{_SP}+)?(?:(\d{{4}}){_SP}*\(({_NUMWORDS})\)|({_NUMWORDS})|(\d{{4}}))",
    re.IGNORECASE,
)
_WEEKDAYS = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"}
_PLACE_DATE = re.compile(rf"([A-Z][A-Za-z'.\-]+(?:{_SP}[A-Z][A-Za-z'.\-]+){{0,3}}),{_SP}*(?=\d)")
_SET_DATE = re.compile(
    r"\b(?:ditetapkan|dikeluarkan|dibuat)\s+di\b[^\n]{0,60}\n?[^\n]{0,40}?\bpada\s+tanggal\s*[:;.]?\s*",
    re.IGNORECASE,
)
# "Tanggal :", and the same with the kind of date a form prints ("Tanggal Surat", "TANGGAL CETAK", "Tgl. Terbit")
_TANGGAL_FIELD = re.compile(
    r"^\s*\W{0,3}(?:tanggal|tgl\.?)(?:\s+(?:surat|cetak|dokumen|terbit|dikeluarkan))?\s*[:;]\s*",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINES = 30  # the lines of a page where its header (Nomor, Lampiran, Hal) stands
_NOMOR_LINE = re.compile(r"^\W*no(mor)?\b", re.IGNORECASE)
_HARI_INI = re.compile(r"hari\s+ini", re.IGNORECASE)
# the labels of an event block (an invitation's Hari/Tanggal, Waktu, Tempat, Acara): its date is the event's
_EVENT_LABEL = re.compile(r"^\W*(hari|pukul|waktu|jam|tempat|acara|agenda)\b[^\n]{0,12}[:;]",
                          re.IGNORECASE | re.MULTILINE)
_EVENT_WINDOW = 160  # characters either side of a "Tanggal :" label where event labels are looked for
_BIRTH_CONTEXT = re.compile(r"lahir|tgl\.?\s*lhr", re.IGNORECASE)
# a "Hari /" or "Tanggal" label just before
_AFTER_LABEL = re.compile(r"hari\s*/|tanggal\s*$|tgl\.?\s*$", re.IGNORECASE)


def _make_date(year: int, month: int | None, day: int | None) -> date | None:
    if month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class _DateHit:
    start: int
    end: int
    value: date
    spelled: bool = False


def _dates_in(text: str) -> list[_DateHit]:
    """Every valid date in ``text`` (digits already fixed), in order of position."""
    hits = [*_word_dates(text), *_numeric_dates(text), *_spelled_dates(text)]
    hits.sort(key=lambda h: (h.start, -h.end))
    return hits


def _word_dates(text: str) -> Iterator[_DateHit]:
    """``25 Oktober 2023``, ``25 Okt. 2023``, ``25-Okt-2023``."""
    for match in _DATE_WORD.finditer(text):
        found = _make_date(int(match.group(3)), month_number(match.group(2)), int(match.group(1)))
        if found:
            yield _DateHit(match.start(), match.end(), found)


def _numeric_dates(text: str) -> Iterator[_DateHit]:
    """``25-10-2023``, ``25/10/2023``, ``25.10.2023``."""
    for match in _DATE_NUM.finditer(text):
        month = int(match.group(3))
        found = _make_date(int(match.group(4)), month if 1 <= month <= 12 else None, int(match.group(1)))
        if found:
            yield _DateHit(match.start(), match.end(), found)


def _spelled_dates(text: str) -> Iterator[_DateHit]:
    """Dates with the day or the year in words (``dua puluh lima Oktober dua ribu dua puluh tiga``)."""
    for match in _DATE_SPELLED.finditer(text):
        found = _spelled_date(match)
        if found:
            yield _DateHit(match.start(), match.end(), found, spelled=True)


def _spelled_date(match: re.Match[str]) -> date | None:
    day_digits, day_words1, day_digits2, day_words = match.group(1, 2, 3, 4)
    year_digits, year_words1, year_words, year_digits2 = match.group(6, 7, 8, 9)
    if not (day_words1 or day_words or year_words1 or year_words):
        return None  # all digits: _DATE_WORD's business
    day = _number(day_digits or day_digits2, day_words)
    year = _number(year_digits or year_digits2, year_words)
    return _make_date(year or 0, month_number(match.group(5)), day)


def _number(digits: str | None, words: str | None) -> int | None:
    if digits:
        return int(digits)
    return words_to_number(words) if words else None


def _date_candidates(number: int, text: str) -> list[tuple[float, int, int, str]]:
    """(confidence, page, position, iso) for every date that could be the letter's."""
    fixed = fix_digits(text)  # same length: positions stay valid
    hits = _dates_in(fixed)
    found = [*_labelled_dates(fixed, hits), *_place_dates(fixed, hits), *_standalone_dates(fixed, hits),
             *_loose_dates(fixed, hits)]
    return [(confidence, number, hit.start, hit.value.isoformat()) for confidence, hit in found]


def _hit_at(hits: list[_DateHit], pos: int, slack: int = 2) -> _DateHit | None:
    return next((hit for hit in hits if pos <= hit.start <= pos + slack), None)


def _labelled_dates(fixed: str, hits: list[_DateHit]) -> Iterator[tuple[float, _DateHit]]:
    """After ``Ditetapkan di ... pada tanggal`` (0.95) or a ``Tanggal :`` field (0.9) that is not
    part of an event block (an invitation's ``Tanggal :`` beside ``Pukul :``, ``Tempat :``)."""
    for pattern, confidence in ((_SET_DATE, 0.95), (_TANGGAL_FIELD, 0.9)):
        for match in pattern.finditer(fixed):
            hit = _hit_at(hits, match.end())
            if hit and not (pattern is _TANGGAL_FIELD and _in_event_block(fixed, match.start())):
                yield confidence, hit


def _in_event_block(fixed: str, pos: int) -> bool:
    window = fixed[max(0, pos - _EVENT_WINDOW) : pos + _EVENT_WINDOW]
    return len(_EVENT_LABEL.findall(window)) >= 1


def _place_dates(fixed: str, hits: list[_DateHit]) -> Iterator[tuple[float, _DateHit]]:
    """After a place and a comma: 0.9 at the start of a line or of a column, else 0.8."""
    for match in _PLACE_DATE.finditer(fixed):
        hit = _hit_at(hits, match.end(), slack=0)
        place = match.group(1)
        if not hit or place.lower().strip(".") in _WEEKDAYS or place.split()[0].lower() in _WEEKDAYS:
            continue
        line_start = fixed.rfind("\n", 0, match.start()) + 1
        before = fixed[max(line_start, match.start() - 30) : match.start()]
        if _BIRTH_CONTEXT.search(before) or _AFTER_LABEL.search(before):
            continue
        starts_line = not before.strip() or "  " in fixed[line_start : match.start()]
        yield (0.9 if starts_line else 0.8), hit


def _standalone_dates(fixed: str, hits: list[_DateHit]) -> Iterator[tuple[float, _DateHit]]:
    """A date that stands alone on its line (the letter's date printed without its place, 0.85), or
    closes the header's ``Nomor`` line (a two-column header, 0.8; not a date cited after ``tanggal``)."""
    for hit in hits:
        line_start = fixed.rfind("\n", 0, hit.start) + 1
        line_end = fixed.find("\n", hit.end)
        before = fixed[line_start : hit.start]
        after = fixed[hit.end : line_end if line_end >= 0 else len(fixed)]
        previous = fixed[fixed.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
        if (after.strip(" |,.") or _BIRTH_CONTEXT.search(before) or _AFTER_LABEL.search(before)
                or _AFTER_LABEL.search(previous.rstrip()) or fixed.count("\n", 0, line_start) >= _HEADER_LINES):
            continue  # text after it, a label (or a cited "tanggal" at the end of the line above), the body
        if not before.strip(" |"):
            yield 0.85, hit
        elif _NOMOR_LINE.match(before) and any(c.isalpha() for c in fixed[hit.start : hit.end]):
            yield 0.8, hit  # a month name: digits at the end of a nomor line are the nomor's own


def _loose_dates(fixed: str, hits: list[_DateHit]) -> Iterator[tuple[float, _DateHit]]:
    """A date spelled out after ``hari ini`` (a berita acara's own date, 0.85). Any other date in
    the text is not taken for the letter's: a cited letter's date, an event's, a birth date would
    be an invented value."""
    for hit in hits:
        before = fixed[max(0, hit.start - 40) : hit.start]
        if hit.spelled and _HARI_INI.search(before):
            yield 0.85, hit


def find_tanggal(pages: list[str]) -> dict[str, Any] | None:
    """The letter's own date: ``{"value": iso, "page": n, "confidence": c}``."""
    candidates = []
    for number, text in enumerate(pages, start=1):
        candidates.extend(_date_candidates(number, _clean(text)))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], -c[1], -c[2]))
    return {"value": best[3], "page": best[1], "confidence": best[0]}


def find_date(pages: list[str]) -> tuple[str, int] | None:
    """The document's own date as (ISO date, page), or None."""
    found = find_tanggal(pages)
    return (found["value"], found["page"]) if found else None

