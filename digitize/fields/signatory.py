"""``penandatangan`` and ``jabatan``: the signatory's name and title from the last signature block.

The title ends with a comma (``Kepala Dinas ...,``); ``penandatangan`` also carries
``nip`` and ``pangkat`` when they are printed under the name.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from digitize.fields.ids import _find_nips
from digitize.fields.text import _page_lines

_POSITION = re.compile(
    r"\b(kepala|bupati|wali\s?kota|walikota|gubernur|sekretaris|camat|lurah|direktur|inspektur|kabag|"
    r"kasubag|kabid|kasi|ketua|pejabat|pimpinan|menteri|plt|pj|a\.\s?n|kuasa|bendahara|pihak|"
    r"koordinator|komandan|mengetahui|menyetujui)\b",
    re.IGNORECASE,
)
_RANK = re.compile(r"^\W*(pembina|penata|pengatur|juru)\b", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"\b(DINAS|KABUPATEN|KOTA|PROVINSI|PEMERINTAH|BADAN|KANTOR|SEKRETARIAT|REPUBLIK|INDONESIA|TEMBUSAN)\b",
    re.IGNORECASE,
)
_NIP_LINE = re.compile(r"^\W*N[I1l|]P\b", re.IGNORECASE)
_DATE_LINE = re.compile(r"\d{4}|pada\s+tanggal|ditetapkan|dikeluarkan", re.IGNORECASE)
_DEGREE = re.compile(r"(?:,\s*|\s)(?:Dr|Drs|Dra|Ir|H|Hj|S\.\w{1,4}|M\.\w{1,4}|A\.Md)\.?(?:,|\s|$)")
_TEMBUSAN = re.compile(r"^\W*tembusan\s*:?\s*$", re.IGNORECASE)

Person = dict[str, Any]


def find_signatory(pages: list[str], today: date | None = None) -> tuple[Person | None, Person | None]:
    """(penandatangan, jabatan) from the last signature block, each None when not found."""
    today = today or date.today()
    for number in range(len(pages), 0, -1):
        body = _signature_area(pages[number - 1])
        for index in range(len(body) - 1, -1, -1):
            found = _titled_block(body, index, number, today)
            if found:
                return found
    # No title line: the name above the last NIP line.
    for number in range(len(pages), 0, -1):
        person = _name_over_last_nip(_page_lines(pages[number - 1]), number, today)
        if person:
            return person, None
    return None, None


def _signature_area(text: str) -> list[str]:
    """The page's lines above the copy list (``Tembusan:`` on a line of its own), which follows the signature."""
    lines = _page_lines(text)
    heads = [i for i, line in enumerate(lines) if _TEMBUSAN.match(line)]
    return lines[: heads[-1]] if heads else lines


def _titled_block(body: list[str], index: int, number: int, today: date) -> tuple[Person | None, Person] | None:
    """(penandatangan or None, jabatan) when ``body[index]`` ends the title of a signature block."""
    if not _title_end(body[index]):
        return None
    name_index = next((j for j in range(index + 1, min(index + 7, len(body))) if _name_like(body[j])), None)
    nip_below = any(_NIP_LINE.match(b) for b in body[index + 1 : index + 7])
    if name_index is None and not nip_below:
        return None
    title = " ".join(_title_lines(body, index))
    if not _POSITION.search(title):
        return None
    jabatan = {"value": " ".join(title.split()), "page": number, "confidence": 0.8}
    if name_index is None:
        return None, jabatan  # the name is lost under the signature or the stamp
    return _person(body, name_index, number, today), jabatan


def _title_end(line: str) -> bool:
    """Could ``line`` be the last line of a signatory's title (``Kepala Dinas ...,``)?"""
    return line.endswith(",") and len(line) <= 80 and ":" not in line and not _DATE_LINE.search(line)


def _title_lines(body: list[str], index: int) -> list[str]:
    """The title ending at ``body[index]``, with up to three lines above that continue it."""
    title = [body[index].rstrip(",").strip()]
    for above in reversed(body[max(0, index - 3) : index]):
        if _ends_paragraph(above):
            break
        title.insert(0, above)
    return title


def _ends_paragraph(line: str) -> bool:
    """Is ``line`` something other than the upper part of a title (a sentence end, a field, a date)?"""
    return bool(
        line.endswith((".", ":", ";", ","))
        or ":" in line
        or _DATE_LINE.search(line)
        or len(line) > 60
        or not line[0].isupper()
    )


def _person(body: list[str], name_index: int, number: int, today: date) -> Person:
    """The name at ``body[name_index]``, with the pangkat and NIP printed under it."""
    person: Person = {"value": " ".join(_name_text(body[name_index]).split()), "page": number, "confidence": 0.75}
    for follow in body[name_index + 1 : name_index + 3]:
        if _RANK.match(follow):
            person["pangkat"] = " ".join(follow.split())
        elif _NIP_LINE.match(follow):
            nips = _find_nips(follow, number, today)
            if nips:
                person["nip"] = nips[0]["value"]
                person["confidence"] = 0.9
            break
    return person


def _name_over_last_nip(lines: list[str], number: int, today: date) -> Person | None:
    """The name right above the page's last valid NIP line (a rank line may stand between)."""
    for index in range(len(lines) - 1, -1, -1):
        nips = _find_nips(lines[index], number, today) if _NIP_LINE.match(lines[index]) else []
        if not nips:
            continue
        for above in reversed(lines[max(0, index - 3) : index]):
            if _RANK.match(above):
                continue  # "Pembina Utama Muda" stands between the name and the NIP
            name = _name_text(above)
            if _name_like(name) or _DEGREE.search(name):
                return {"value": " ".join(name.split()), "page": number, "confidence": 0.7, "nip": nips[0]["value"]}
            return None  # the line right above the NIP block is not a name: do not guess further up
        return None
    return None


def _name_text(line: str) -> str:
    return re.sub(r"^[^A-Za-z]+", "", line).strip().rstrip(",;")


def _name_like(line: str) -> bool:
    text = line.strip()
    if not 4 <= len(text) <= 70 or any(c.isdigit() for c in text) or _not_a_name(text):
        return False
    if sum(c.isalpha() for c in text) < 0.7 * len(text.replace(" ", "")):
        return False
    return _name_words(text.replace(",", " ").split())


def _name_words(words: list[str]) -> bool:
    """Two words or more, one of them shouted (``BUDI Santoso``) or all capitalised."""
    if len(words) < 2:
        return False
    capital = [w for w in words if w[0].isupper()]
    shouting = [w for w in words if len(w) >= 3 and w.isalpha() and w.isupper()]
    return bool(shouting) or len(capital) == len(words)


def _not_a_name(text: str) -> bool:
    """A rank, a NIP, an institution or a position: words a name line does not have."""
    return bool(_RANK.match(text) or _NIP_LINE.match(text) or _INSTITUTION.search(text) or _POSITION.search(text))
