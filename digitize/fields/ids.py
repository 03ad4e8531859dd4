"""``nip`` and ``nik``: civil-servant and population numbers, validated and decoded.

NIP: 18 digits (birth date YYYYMMDD, appointment YYYYMM, sex 1/2, sequence
001-999), found as printed (``19870830 200801 1 003``, ``NIP.198708302008011003``,
``NIP : 19870830200801 1 003``) and with OCR letter/digit confusions
(``l9870830 2OO8O1 1 OO3``), normalised to 18 digits. NIK: 16 digits (region code,
DDMMYY with women's day + 40, sequence), each reported with ``sex`` and
``birth_date``; a 16-digit number labelled as a family card (KK), NPWP, bank account
or phone number is not a NIK. Only numbers that :func:`validate_nip` /
:func:`validate_nik` accept are reported; :func:`parse_nip` / :func:`parse_nik`
raise ``ValueError`` saying why a number is invalid. Validity depends on ``today``
(an appointment or a birth cannot lie in the future), default the real date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from digitize.fields.text import _clean
from digitize.textnorm import ID_CONFUSABLE, ID_DIGIT_MAP

PROVINCES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
    61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
})  # fmt: skip  (Kemendagri province codes; 93-96: the Papua provinces of 2022)


@dataclass(frozen=True)
class NipParts:
    value: str  # 18 digits
    birth_date: date
    appointed: tuple[int, int]  # (year, month) of appointment (TMT CPNS)
    sex: str  # "male" (1) or "female" (2)
    sequence: int

    @property
    def formatted(self) -> str:
        """As printed on documents: ``19870830 200801 1 003``."""
        v = self.value
        return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"


@dataclass(frozen=True)
class NikParts:
    value: str  # 16 digits
    province: str
    regency: str
    district: str
    birth_date: date
    sex: str  # "male" or "female" (day + 40)
    sequence: int

    @property
    def region(self) -> str:
        return self.value[:6]


def _digits_only(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


def parse_nip(value: str, today: date | None = None) -> NipParts:
    """Decode an 18-digit NIP (spaces allowed); ValueError says what is wrong.

    Rules: birth date a real date in 1940-2010; appointment month 1-12, at least 18
    and at most 60 years after the birth year, not after ``today``; sex 1 or 2;
    sequence 001-999.
    """
    today = today or date.today()
    digits = _digits_only(value)
    if not re.fullmatch(r"\d{18}", digits):
        raise ValueError(f"a NIP has 18 digits, not {digits!r}")
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValueError(f"{digits[:8]} is not a date of birth") from None
    if not 1940 <= born.year <= 2010:
        raise ValueError(f"birth year {born.year} is outside 1940-2010")
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise ValueError(f"appointment month {month} is not a month")
    if year < born.year + 18 or year > born.year + 60:
        raise ValueError(f"appointed in {year}, at an implausible age for a birth year {born.year}")
    if (year, month) > (today.year, today.month):
        raise ValueError(f"appointment {year}-{month:02d} lies in the future")
    if digits[14] not in "12":
        raise ValueError(f"sex digit {digits[14]} is not 1 or 2")
    sequence = int(digits[15:])
    if sequence == 0:
        raise ValueError("sequence 000 is not issued")
    return NipParts(digits, born, (year, month), "male" if digits[14] == "1" else "female", sequence)


def _parses(parse, value: str, today: date | None) -> bool:
    try:
        parse(value, today)
    except ValueError:
        return False
    return True


def validate_nip(value: str, today: date | None = None) -> bool:
    return _parses(parse_nip, value, today)


def parse_nik(value: str, today: date | None = None) -> NikParts:
    """Decode a 16-digit NIK; ValueError says what is wrong.

    Rules: province code of a real province, regency and district codes not 00;
    DDMMYY a real date (day + 40 for women), the century the latest that is not in
    the future; sequence 0001-9999.
    """
    today = today or date.today()
    digits = _digits_only(value)
    if not re.fullmatch(r"\d{16}", digits):
        raise ValueError(f"a NIK has 16 digits, not {digits!r}")
    if int(digits[:2]) not in PROVINCES:
        raise ValueError(f"{digits[:2]} is not a province code")
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise ValueError(f"{digits[:6]} is not a region code")
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "female" if day > 40 else "male"
    day = day - 40 if day > 40 else day
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueError(f"{digits[6:12]} is not a date of birth (DDMMYY, women day + 40)") from None
    if born > today:
        raise ValueError(f"birth date {born} lies in the future")
    sequence = int(digits[12:])
    if sequence == 0:
        raise ValueError("sequence 0000 is not issued")
    return NikParts(digits, digits[:2], digits[2:4], digits[4:6], born, sex, sequence)


def validate_nik(value: str, today: date | None = None) -> bool:
    return _parses(parse_nik, value, today)


_CH = f"[0-9{ID_CONFUSABLE}]"
_TO_DIGIT = ID_DIGIT_MAP
_NIP_RE = re.compile(
    rf"(?:(?<=[Pp])|(?<![0-9A-Za-z]))({_CH}{{8}})[ .\-]{{0,2}}({_CH}{{6}})[ .\-]{{0,2}}({_CH})[ .\-]{{0,2}}"
    rf"({_CH}{{3}})(?![0-9A-Za-z])"
)
# 16 digits as printed: run together, or in groups 4-4-4-4 or 6-6-4 with single spaces.
_NIK_RE = re.compile(
    rf"(?:(?<=[Kk])|(?<![0-9A-Za-z]))({_CH}{{16}}|{_CH}{{4}}(?: {_CH}{{4}}){{3}}|{_CH}{{6}} {_CH}{{6}} {_CH}{{4}})"
    rf"(?![0-9A-Za-z])"
)
_NIP_LABEL = re.compile(r"N[I1l|][PF]\b|nomor\s+induk\s+pegawai", re.IGNORECASE)
_NIK_LABEL = re.compile(r"\bN[I1l|]K\b|nomor\s+induk\s+kependudukan", re.IGNORECASE)
_NOT_NIK = re.compile(
    r"\bKK\b|kartu\s+keluarga|rekening|\brek\b|npwp|telp|telepon|\bhp\b|\bwa\b|fax|faks|\bNIB\b|N[I1l]P|"
    r"nomor\s+induk\s+berusaha|virtual|\bva\b|seri|no\.?\s*reg|SP2D|\bSP[MP]\b|kuitansi|bukti|"
    r"\bnomor\s+(?!induk)",
    re.IGNORECASE,
)


def _find_nips(text: str, page: int, today: date) -> list[dict[str, Any]]:
    found = []
    for match in _NIP_RE.finditer(text):
        raw = "".join(match.groups())
        labelled = bool(_NIP_LABEL.search(text[max(0, match.start() - 14) : match.start()]))
        # OCR may misread several digits after a NIP label; a bare number must be mostly digits.
        if sum(c.isdigit() for c in raw) < (10 if labelled else 14):
            continue
        digits = raw.translate(_TO_DIGIT)
        if not validate_nip(digits, today):
            continue
        confidence = (0.95 if labelled else 0.8) - (0.1 if digits != raw else 0.0)
        found.append({"value": digits, "page": page, "confidence": round(confidence, 2), "_span": match.span()})
    return found


def find_nips(pages: list[str], today: date | None = None) -> list[dict[str, Any]]:
    """Every valid NIP, in reading order, each once (first occurrence)."""
    today = today or date.today()
    hits = [hit for number, text in enumerate(pages, start=1) for hit in _find_nips(_clean(text), number, today)]
    for hit in hits:
        hit.pop("_span")
    return _first_of_each(hits)


def find_niks(pages: list[str], today: date | None = None) -> list[dict[str, Any]]:
    """Every valid NIK, in reading order, each once, with ``sex`` and ``birth_date``."""
    today = today or date.today()
    return _first_of_each(
        [hit for number, text in enumerate(pages, start=1) for hit in _find_niks(_clean(text), number, today)])


def _first_of_each(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hits in order, a value found again dropped."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit["value"] not in seen:
            seen.add(hit["value"])
            out.append(hit)
    return out


def _find_niks(text: str, page: int, today: date) -> list[dict[str, Any]]:
    """The page's valid NIKs, not counting the digits of its NIPs."""
    taken = [hit["_span"] for hit in _find_nips(text, page, today)]
    found = []
    for match in _NIK_RE.finditer(text):
        if not any(a < match.end() and match.start() < b for a, b in taken):
            hit = _nik_hit(text, match, page, today)
            if hit:
                found.append(hit)
    return found


def _nik_hit(text: str, match: re.Match[str], page: int, today: date) -> dict[str, Any] | None:
    raw = match.group(1).replace(" ", "")
    if sum(c.isdigit() for c in raw) < 13:
        return None
    digits = raw.translate(_TO_DIGIT)
    line_before = text[max(0, match.start() - 25) : match.start()].rsplit("\n", 1)[-1]
    if _NOT_NIK.search(line_before):
        return None
    try:
        parts = parse_nik(digits, today)
    except ValueError:
        return None
    labelled = bool(_NIK_LABEL.search(line_before))
    confidence = (0.95 if labelled else 0.75) - (0.1 if digits != raw else 0.0)
    return {
        "value": digits, "page": page, "confidence": round(confidence, 2),
        "sex": parts.sex, "birth_date": parts.birth_date.isoformat(),
    }  # fmt: skip
