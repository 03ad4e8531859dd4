"""Metadata fields of Indonesian government documents, read from OCR text.

``extract_fields(pages)`` takes the text of each page (page 1 first) and returns
the fields it finds; a field that is not found is absent. Every value records the
page it came from (1-based) and a confidence from 0 to 1::

    fields["nomor"] = {"value": "800/123/BKPSDM/2023", "page": 1, "confidence": 0.95}
    fields["nip"] = [{"value": "198708302008011003", "page": 1, "confidence": 0.95}, ...]

Fields:

``nomor``
    the letter's number, from ``Nomor : ...`` (also OCR-damaged ``N0mor``, ``Nomer``,
    ``Nornor``, and ``No.``) at the start of a line, ``NOMOR 23 TAHUN 2020`` and
    ``NOMOR B-99/...`` title lines. Spaces around slashes are removed
    (``005/ 45 /Bag.Um`` -> ``005/45/Bag.Um``). References to other letters in the
    body (``... Surat Dekan Nomor 1123/UN21.8/... tanggal ...``) are not taken.
``kka``
    the archive classification code (Kode Klasifikasi Arsip) the nomor carries:
    its first segment when that is a numeric code of the Permendagri 78/2012 shape,
    three digits with optional dotted subdivisions (``800``, ``005``, ``045.2``,
    ``503``), followed by the agenda number (``800/123/BKPSDM/2023``). In
    ``159/BPS/18041/ST/2021`` the 159 is a sequence number, not a code. Codes of other schemes such as the
    ``KP.07.6`` of ``B-99/IJ/KP.07.6/04/2020`` (ministry and ANRI schemes), and the
    ``NOMOR 23 TAHUN 2020`` numbering of regulations and decrees, carry no KKA and
    give none. The field has ``"source": "nomor"``; :mod:`digitize.kka` labels it and
    falls back to a default code per document type.
``tanggal``
    the letter's own date as ISO ``YYYY-MM-DD``. In order of trust: ``Ditetapkan di
    ... pada tanggal ...`` / ``Dikeluarkan di ...`` (0.95); a ``Tanggal :`` header
    field (0.9); a place, a comma and a date (``Sentani, 25 Oktober 2023``; not after
    ``Lahir`` and not a weekday, 0.9); a date written in words (``tanggal dua puluh
    lima bulan Oktober tahun dua ribu dua puluh tiga``, 0.85 after ``hari ini``);
    else the first date in the text (0.5). Dates are ``25 Oktober 2023``, ``25 Okt
    2023``, ``25-10-2023``, ``25/10/2023``, ``25.10.2023``; month names may be
    abbreviated, old-spelled (``Pebruari``, ``Nopember``) or OCR-damaged
    (``Okiober``, ``Desernber``); impossible dates are skipped.
``perihal``
    from ``Perihal :`` / ``Hal :`` (0.95), else the ``TENTANG`` block of a decree,
    regulation or circular (0.9), else a title line that says more than the type
    (``SURAT IZIN PENELITIAN``, ``LAPORAN HASIL AUDIT ...``; 0.75). All-capital text
    is given in title case.
``lampiran``, ``sifat``
    the header fields of a letter (``Lampiran : -`` is not reported).
``instansi``
    the sending agency from the letterhead (kop surat): its unit (``DINAS ...``,
    ``BADAN ...``) as ``value`` and the government it belongs to (``PEMERINTAH
    KABUPATEN X``) as ``pemerintah``, both in title case.
``penandatangan``, ``jabatan``
    the signatory's name and title from the signature block near the end (the
    title ends with a comma: ``Kepala Dinas ...,``); ``penandatangan`` also carries
    ``nip`` and ``pangkat`` when they are printed under the name.
``nip``
    a list of civil-servant numbers (NIP, 18 digits: birth date YYYYMMDD, appointment
    YYYYMM, sex 1/2, sequence 001-999), found as printed (``19870830 200801 1 003``,
    ``NIP.198708302008011003``, ``NIP : 19870830200801 1 003``) and with OCR letter/digit
    confusions (``l9870830 2OO8O1 1 OO3``). Only numbers that pass
    :func:`validate_nip` are reported, normalised to 18 digits.
``nik``
    a list of population numbers (NIK, 16 digits: region code, DDMMYY with women's
    day + 40, sequence), validated by :func:`validate_nik`, each with ``sex`` and
    ``birth_date``. A 16-digit number labelled as a family card (KK), NPWP, bank
    account or phone number is not a NIK.

NIP and NIK are checked with :func:`validate_nip` / :func:`validate_nik`, and decoded
by :func:`parse_nip` / :func:`parse_nik` (which raise ``ValueError`` saying why a
number is invalid). Validity depends on today's date (an appointment or a birth
cannot lie in the future): every function takes ``today``, default the real date.

``make_title(pages, fields, type_label)`` gives a short human title, and
``find_date(pages)`` the letter's date as ``(iso, page)``, as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from digitize.textnorm import ID_CONFUSABLE, ID_DIGIT_MAP, fix_digits

# --- months and number words ---

MONTHS = {
    "januari": 1, "jan": 1, "januar": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "febr": 2,
    "maret": 3, "mar": 3, "mrt": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "agst": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9, "okt": 10, "oktober": 10, "nopember": 11, "november": 11,
    "nov": 11, "nop": 11, "desember": 12, "des": 12, "january": 1, "february": 2, "march": 3,
    "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8, "october": 10, "oct": 10,
    "december": 12, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = {name: n for name, n in MONTHS.items() if len(name) >= 5}

NUMBER_WORDS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9,
}  # fmt: skip
_NUMWORD = r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|puluh|seratus|ratus|seribu|ribu)"
_NUMWORDS = rf"{_NUMWORD}(?:[^\S\n]+{_NUMWORD})*"


def month_number(token: str) -> int | None:
    """The month of a (possibly abbreviated, old-spelled or OCR-damaged) month name."""
    word = token.lower().strip(".")
    if word in MONTHS:
        return MONTHS[word]
    fixed = word.replace("rn", "m").replace("vv", "w").replace("0", "o").replace("1", "i").replace("!", "i")
    if fixed in MONTHS:
        return MONTHS[fixed]
    if len(fixed) < 5 or not fixed.isalpha():
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(fixed, list(_FULL_MONTHS), scorer=fuzz.ratio)
    if best and best[1] >= 75:
        return _FULL_MONTHS[best[0]]
    return None


def words_to_number(text: str) -> int | None:
    """Indonesian number words to an int: ``dua ribu dua puluh tiga`` -> 2023."""
    total = group = unit = 0
    seen = False
    for word in text.lower().split():
        seen = True
        if word in NUMBER_WORDS:
            if unit:
                return None  # "dua tiga" is not a number
            unit = NUMBER_WORDS[word] or 0
        elif word == "sepuluh":
            group += 10
        elif word == "sebelas":
            group += 11
        elif word == "seratus":
            group += 100
        elif word == "seribu":
            total += 1000
        elif word == "belas":
            group, unit = group + unit + 10, 0
        elif word == "puluh":
            group, unit = group + unit * 10, 0
        elif word == "ratus":
            group, unit = group + unit * 100, 0
        elif word == "ribu":
            total, group, unit = total + (group + unit) * 1000, 0, 0
        else:
            return None
    return total + group + unit if seen else None


# --- dates ---

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
_TANGGAL_FIELD = re.compile(r"^\s*\W{0,3}tanggal\s*[:;]\s*", re.IGNORECASE | re.MULTILINE)
_HARI_INI = re.compile(r"hari\s+ini", re.IGNORECASE)
_BIRTH_CONTEXT = re.compile(r"lahir|tgl\.?\s*lhr", re.IGNORECASE)


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
    hits: list[_DateHit] = []
    for match in _DATE_WORD.finditer(text):
        found = _make_date(int(match.group(3)), month_number(match.group(2)), int(match.group(1)))
        if found:
            hits.append(_DateHit(match.start(), match.end(), found))
    for match in _DATE_NUM.finditer(text):
        month = int(match.group(3))
        found = _make_date(int(match.group(4)), month if 1 <= month <= 12 else None, int(match.group(1)))
        if found:
            hits.append(_DateHit(match.start(), match.end(), found))
    for match in _DATE_SPELLED.finditer(text):
        day_digits, day_words1, day_digits2, day_words = match.group(1, 2, 3, 4)
        year_digits, year_words1, year_words, year_digits2 = match.group(6, 7, 8, 9)
        if not (day_words1 or day_words or year_words1 or year_words):
            continue  # all digits: _DATE_WORD's business
        day = int(day_digits or day_digits2) if (day_digits or day_digits2) else words_to_number(day_words)
        year = int(year_digits or year_digits2) if (year_digits or year_digits2) else words_to_number(year_words)
        found = _make_date(year or 0, month_number(match.group(5)), day)
        if found:
            hits.append(_DateHit(match.start(), match.end(), found, spelled=True))
    hits.sort(key=lambda h: (h.start, -h.end))
    return hits


def _date_candidates(number: int, text: str) -> list[tuple[float, int, int, str]]:
    """(confidence, page, position, iso) for every date that could be the letter's."""
    fixed = fix_digits(text)  # same length: positions stay valid
    hits = _dates_in(fixed)
    out = []

    def at(pos: int, slack: int = 2) -> _DateHit | None:
        for hit in hits:
            if pos <= hit.start <= pos + slack:
                return hit
        return None

    for match in _SET_DATE.finditer(fixed):
        hit = at(match.end())
        if hit:
            out.append((0.95, number, hit.start, hit.value.isoformat()))
    for match in _TANGGAL_FIELD.finditer(fixed):
        hit = at(match.end())
        if hit:
            out.append((0.9, number, hit.start, hit.value.isoformat()))
    for match in _PLACE_DATE.finditer(fixed):
        hit = at(match.end(), slack=0)
        if not hit:
            continue
        place = match.group(1)
        if place.lower().strip(".") in _WEEKDAYS or place.split()[0].lower() in _WEEKDAYS:
            continue
        line_start = fixed.rfind("\n", 0, match.start()) + 1
        before = fixed[max(line_start, match.start() - 30) : match.start()]
        if _BIRTH_CONTEXT.search(before) or re.search(r"hari\s*/|tanggal\s*$|tgl\.?\s*$", before, re.I):
            continue
        starts_line = not before.strip() or "  " in fixed[line_start : match.start()]
        out.append((0.9 if starts_line else 0.8, number, hit.start, hit.value.isoformat()))
    for hit in hits:
        before = fixed[max(0, hit.start - 40) : hit.start]
        if hit.spelled:
            out.append((0.85 if _HARI_INI.search(before) else 0.6, number, hit.start, hit.value.isoformat()))
        elif not _BIRTH_CONTEXT.search(before[-25:]):
            out.append((0.5, number, hit.start, hit.value.isoformat()))
    return out


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


# --- text helpers ---

_SMALL_WORDS = {"dan", "di", "ke", "dari", "pada", "yang", "untuk", "atas", "dalam", "serta", "atau",
                "tentang", "bagi", "oleh", "dengan", "se", "sebagai", "terhadap", "melalui", "the", "of"}  # fmt: skip
_ROMAN = re.compile(r"^[IVXLC]+$")
_GAP = re.compile(r"\s{3,}|\t")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")


def _upper_ratio(line: str) -> float:
    letters = [c for c in line if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def title_case(text: str) -> str:
    """``PADA DINAS KESEHATAN`` -> ``pada Dinas Kesehatan`` style (small words lower, acronyms kept)."""
    words = []
    for i, word in enumerate(text.split()):
        core = word.strip("().,;:")
        if any(c.isdigit() for c in word) or _ROMAN.match(core) and len(core) <= 4 and core not in {"DI", "CV"}:
            words.append(word)
        elif core and not any(c in "AEIOUaeiou" for c in core) and len(core) <= 5:
            words.append(word)  # acronyms: DPRD, SKPD, PNS
        elif i > 0 and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def _readable(text: str) -> str:
    text = " ".join(text.split())
    return title_case(text) if _upper_ratio(text) > 0.8 else text


def _drop_noise(text: str) -> str:
    """An all-capital block without OCR specks: lower-case fragments and stray punctuation go."""
    words = [w.strip(".,:;'\"`~|_-") if i == 0 else w for i, w in enumerate(text.split())]
    words = [w for w in words if w and (any(c.isupper() or c.isdigit() for c in w) or w.lower() in _SMALL_WORDS)]
    words = [w for w in words if any(c.isalnum() for c in w)]
    return " ".join(words).strip(" ,;:.")


def _lines(text: str) -> list[str]:
    return _clean(text).split("\n")


# --- nomor and KKA ---

_NOMOR_LABEL = r"(?:n\s?[o0]\s?(?:m|rn|n)\s?[o0e]\s?r|nomer|nmr|no)"
_NOMOR_COLON = re.compile(rf"^\s*\W{{0,3}}{_NOMOR_LABEL}\s*\.?\s*[:;>=]\s*(\S.*)$", re.IGNORECASE)
_NOMOR_NO_DOT = re.compile(r"^\s*\W{0,3}no\.\s+(\S.*)$", re.IGNORECASE)
_NOMOR_TITLE = re.compile(r"^\s*\W{0,3}(NOMOR|N[O0]M[O0]R|Nomor)\s+(\S.*)$")
_TAHUN_FORM = re.compile(r"^(\d{1,4})\s+(TAHUN|Tahun|tahun)\s+((?:19|20)\d\d)(?:\s*$|\s+TENTANG\b)")
_KKA_SHAPE = re.compile(r"^\d{3}(?:\.\d{1,3})*$")
_NUMERIC_SEGMENT = re.compile(rf"^[0-9{ID_CONFUSABLE}]+$")


def _fix_segment(segment: str) -> str:
    """Digits inside an all-number segment of a nomor: ``8OO`` -> ``800``."""
    parts = segment.split(".")
    fixed = []
    for part in parts:
        if part and _NUMERIC_SEGMENT.match(part) and any(c.isdigit() for c in part):
            part = fix_digits(part) if sum(c.isdigit() for c in part) >= 2 else part
            part = part.translate(ID_DIGIT_MAP)
        fixed.append(part)
    return ".".join(fixed)


def _nomor_code(rest: str) -> str | None:
    """The number at the start of ``rest``: slash-joined segments, spaces around slashes removed."""
    chunk = _GAP.split(rest.strip())[0]
    chunk = re.sub(r"\s*/\s*", "/", chunk)
    tokens = chunk.split()
    if not tokens:
        return None
    code = tokens[0]
    for token in tokens[1:]:
        if "/" in token and "/" in code and not re.match(r"\d{1,2}/\d{1,2}/\d{4}", token):
            code += " " + token  # "421.2/1234/SMPN 2/2023"
        else:
            break
    code = code.strip(".,;:")
    if not any(c.isdigit() for c in code) or len(code) > 60 or len(code) < 1:
        return None
    return "/".join(_fix_segment(s) for s in code.split("/"))


def _nomor_candidates(number: int, text: str) -> list[tuple[float, int, int, str]]:
    out = []
    for index, line in enumerate(_lines(text)):
        match = _NOMOR_COLON.match(line)
        damaged = False
        if match:
            label = re.match(r"\W*(\w+)", line).group(1).lower()
            damaged = label not in {"nomor", "no"}
            rest = match.group(1)
        elif _NOMOR_NO_DOT.match(line):
            rest = _NOMOR_NO_DOT.match(line).group(1)
            if "/" not in rest.split()[0]:
                continue  # "No. 17" of an address, unless it looks like a letter number
        elif _NOMOR_TITLE.match(line):
            rest = _NOMOR_TITLE.match(line).group(2)
            if not _TAHUN_FORM.match(rest) and "/" not in rest.split()[0]:
                continue  # "Nomor 43 Tahun 2009 tentang ...": a reference in the body
            words = [w for w in _GAP.split(rest.strip())[0].split() if re.search(r"\w", w)]  # OCR specks out
            if not _TAHUN_FORM.match(rest) and len(words) > 1:
                continue  # "Nomor 1123/UN21.8/2023 tanggal ...": a reference
        else:
            continue
        tahun = _TAHUN_FORM.match(rest.strip())
        if tahun:
            value = f"{tahun.group(1)} {tahun.group(2)} {tahun.group(3)}"
            out.append((0.95, number, index, value))
            continue
        value = _nomor_code(rest)
        if not value:
            continue
        if "/" in value:
            confidence = 0.85 if damaged else (0.95 if match else 0.9)
        else:
            confidence = 0.7
        out.append((confidence, number, index, value))
    return out


def find_nomor(pages: list[str]) -> dict[str, Any] | None:
    """The letter's nomor: the first confident one in reading order, else the best."""
    candidates = []
    for number, text in enumerate(pages, start=1):
        candidates.extend(_nomor_candidates(number, text))
    if not candidates:
        return None
    confident = [c for c in candidates if c[0] >= 0.85]
    best = confident[0] if confident else max(candidates, key=lambda c: (c[0], -c[1], -c[2]))
    return {"value": best[3], "page": best[1], "confidence": best[0]}


def kka_from_nomor(nomor: str) -> str | None:
    """The Permendagri-78-shaped classification code a nomor starts with, or None.

    ``800/123/BKPSDM/2023`` -> ``800``; ``045.2/7/Um`` -> ``045.2``;
    ``B-99/IJ/KP.07.6/04/2020`` -> None (another scheme); ``23 TAHUN 2023`` -> None.
    """
    segments = nomor.split("/")
    if len(segments) < 2:
        return None
    first = segments[0].strip()
    # code/agenda number/unit/year: a second segment without digits means the first is a sequence
    # number of another numbering ("159/BPS/18041/ST/2/2021").
    if not any(c.isdigit() for c in segments[1]):
        return None
    return first if _KKA_SHAPE.match(first) else None


# --- perihal, lampiran, sifat ---

_PERIHAL = re.compile(r"^\s*\W{0,3}(?:peri\s?ha[l1i]|perlhal|prihal|ha[l1i])\s*\.?\s*[:;]\s*(\S.*)$", re.IGNORECASE)
_LAMPIRAN = re.compile(r"^\s*\W{0,3}(?:lampiran|lamp\.?)\s*[:;]\s*(\S.*)$", re.IGNORECASE)
_SIFAT = re.compile(r"^\s*\W{0,3}sifat\s*[:;]\s*(\S.*)$", re.IGNORECASE)
_BLOCK_START = re.compile(
    r"^\W*(yth|kepada|dengan\s+hormat|di\b|tembusan|lampiran|sifat|nomor|hari|tanggal|dari|"
    r"sdr|bapak|ibu|menimbang|mengingat|memperhatikan)",
    re.IGNORECASE,
)
_TENTANG = re.compile(r"^[\W_]{0,8}(TENTANG|Tentang)\s*:?\s*(.*)$")
# Labels of a decree's left column, which OCR may read in between the TENTANG lines.
_SK_LABEL = re.compile(
    r"^[\W_]*(menimbang|mengingat|memperhatikan|menetapkan|memutuskan|kesatu|kedua|ketiga|keempat|kelima|"
    r"keenam|ketujuh|kedelapan)\s*:?[\W_]*$",
    re.IGNORECASE,
)
_TENTANG_STOP = re.compile(
    r"DENGAN\s+RAHMAT|^\s*(BUPATI|WALI\s?KOTA|GUBERNUR|MENTERI|KEPALA|SEKRETARIS|DIREKTUR|KETUA)\b.*,\s*$|"
    r"Menimbang|^\W*Yth|^\W*Kepada",
    re.IGNORECASE,
)
_DOC_TITLE = re.compile(
    r"^\s*\W{0,3}(LAPORAN|SURAT|BERITA\s+ACARA|NOTA\s+DINAS|KEPUTUSAN|PERATURAN|INSTRUKSI|PENGUMUMAN|"
    r"TELAAHAN|MEMO|NOTULEN|NOTULA|RENCANA|KERANGKA\s+ACUAN|PERJANJIAN|SERTIFIKAT|PIAGAM|KWITANSI|"
    r"KUITANSI|DAFTAR|REKAPITULASI|PROPOSAL|BUKU)\b"
)
_ISSUED_TITLE = re.compile(r"^\s*\W{0,3}(SURAT\s+)?(KEPUTUSAN|PERATURAN|INSTRUKSI|EDARAN)\b")
# Titles that only name the document type: no perihal of their own.
_BARE_TITLES = {
    "surat", "surat tugas", "surat perintah tugas", "surat perintah", "nota dinas", "surat edaran",
    "berita acara", "surat keputusan", "keputusan", "undangan", "surat undangan", "laporan",
    "surat keterangan", "pengumuman", "surat izin", "memo", "memorandum", "surat kuasa",
    "surat pernyataan", "surat rekomendasi", "surat pengantar", "nota", "notulen", "kuitansi",
}  # fmt: skip


def _value_chunk(rest: str) -> str:
    return " ".join(_GAP.split(rest.strip())[0].split()).strip(" ;")


def _continues(line: str) -> bool:
    """Could ``line`` be the wrapped rest of a header value (Perihal) above it?"""
    stripped = line.strip()
    if not stripped or ":" in stripped or _BLOCK_START.match(stripped) or len(stripped.split()) > 9:
        return False
    if _PLACE_DATE.search(stripped) or stripped.endswith("."):
        return False
    if stripped[0].islower():
        return True
    words = [w for w in stripped.split() if w.isalpha()]
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _labelled(pages: list[str], pattern: re.Pattern[str], follow: bool) -> tuple[str, int, bool] | None:
    for number, text in enumerate(pages, start=1):
        lines = _lines(text)
        for index, line in enumerate(lines):
            match = pattern.match(line)
            if not match:
                continue
            value = _value_chunk(match.group(1))
            joined = False
            if follow and not value.endswith("."):
                for extra in lines[index + 1 : index + 3]:
                    if not _continues(extra):
                        break
                    value += " " + " ".join(extra.split())
                    joined = True
            if value.strip("-–— ."):
                return value, number, joined
    return None


def _tentang(pages: list[str]) -> tuple[str, int] | None:
    for number, text in enumerate(pages[:1], start=1):
        lines = [line for line in _lines(text) if line.strip()][:40]
        for index, line in enumerate(lines):
            match = _TENTANG.match(line)
            if not match:
                continue
            rest = match.group(2).strip()
            parts = [rest] if rest and _upper_ratio(rest) >= 0.7 else []
            for extra in lines[index + 1 : index + 12]:
                if _SK_LABEL.match(extra):
                    continue
                if _TENTANG_STOP.search(extra) or _upper_ratio(extra) < 0.7 or len(parts) >= 6:
                    break
                parts.append(extra.strip())
            value = _drop_noise(" ".join(parts))
            if len(value) >= 5:
                return _readable(value), number
    return None


def _title_block(pages: list[str]) -> tuple[str, int] | None:
    if not pages:
        return None
    lines = [line for line in _lines(pages[0]) if line.strip()][:25]
    for index, line in enumerate(lines):
        if not _DOC_TITLE.match(line) or _upper_ratio(line) < 0.8:
            continue
        if _ISSUED_TITLE.match(line):
            return None  # "KEPUTUSAN BUPATI X": its subject is the TENTANG block
        parts = [line.strip()]
        for extra in lines[index + 1 : index + 4]:
            if _upper_ratio(extra) < 0.8 or re.match(rf"^\W*{_NOMOR_LABEL}\b", extra, re.I) or _TENTANG.match(extra):
                break
            parts.append(extra.strip())
        value = _drop_noise(" ".join(parts))
        if re.sub(r"[^a-z ]", "", value.lower()).strip() in _BARE_TITLES:
            return None
        return _readable(value), 1
    return None


def find_perihal(pages: list[str]) -> dict[str, Any] | None:
    found = _labelled(pages, _PERIHAL, follow=True)
    if found:
        value = _readable(found[0].rstrip(" .,;"))
        return {"value": value, "page": found[1], "confidence": 0.85 if found[2] else 0.95}
    found = _tentang(pages)
    if found:
        return {"value": found[0], "page": found[1], "confidence": 0.9}
    found = _title_block(pages)
    if found:
        return {"value": found[0], "page": found[1], "confidence": 0.75}
    return None


# --- instansi (kop surat) ---

_KOP_HEAD = re.compile(
    r"^\s*\W{0,3}(PEMERINTAH|DINAS|BADAN|SEKRETARIAT|KANTOR|INSPEKTORAT|RUMAH\s+SAKIT|RSUD|KECAMATAN|"
    r"KELURAHAN|DESA|BUPATI|WALI\s?KOTA|GUBERNUR|SATUAN|UPTD|UPT|PUSKESMAS|BAGIAN|DPRD|DEWAN|"
    r"KEMENTERIAN|BIRO|LEMBAGA|KOMISI|SEKOLAH|SMP|SMA|SMK|SD|UNIVERSITAS|KEPOLISIAN|PENGADILAN|"
    r"KEJAKSAAN|BALAI|ARSIP\s+NASIONAL|PERUSAHAAN|PDAM|BANK)\b"
)
_CONTACT = re.compile(
    r"\bjl\b\.?|\bjalan\b|telp|telep|\bfax\b|faks|pos-?el|e-?mail|website|laman|kode\s+pos|www\.|\.go\.id|@",
    re.IGNORECASE,
)


def find_instansi(pages: list[str]) -> dict[str, Any] | None:
    if not pages:
        return None
    lines = [line.strip() for line in _lines(pages[0]) if line.strip()][:10]
    kop: list[str] = []
    for line in lines:
        letters = sum(c.isalpha() for c in line)
        if not kop and (letters < 4 or letters < 0.5 * len(line)):
            continue  # emblem noise before the letterhead
        if _CONTACT.search(line) or _DOC_TITLE.match(line) or _upper_ratio(line) < 0.7 or letters < 4:
            break
        kop.append(" ".join(line.split()))
    groups: list[str] = []
    for line in kop:
        if _KOP_HEAD.match(line) or not groups:
            groups.append(line)
        else:
            groups[-1] += " " + line
    groups = [g for g in groups if _KOP_HEAD.match(g)]
    if not groups:
        return None
    pemerintah = next((g for g in groups if g.startswith("PEMERINTAH")), None)
    units = [g for g in groups if g is not pemerintah]
    result: dict[str, Any] = {
        "value": title_case(units[-1] if units else pemerintah or groups[0]),
        "page": 1,
        "confidence": 0.85 if units and pemerintah else 0.7,
    }
    if pemerintah and units:
        result["pemerintah"] = title_case(pemerintah)
    return result


# --- signature block ---

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


def _name_like(line: str) -> bool:
    text = line.strip()
    if not 4 <= len(text) <= 70 or any(c.isdigit() for c in text):
        return False
    if _RANK.match(text) or _NIP_LINE.match(text) or _INSTITUTION.search(text) or _POSITION.search(text):
        return False
    if sum(c.isalpha() for c in text) < 0.7 * len(text.replace(" ", "")):
        return False
    words = text.replace(",", " ").split()
    if len(words) < 2:
        return False
    capital = [w for w in words if w[0].isupper()]
    shouting = [w for w in words if len(w) >= 3 and w.isalpha() and w.isupper()]
    return bool(shouting) or len(capital) == len(words)


def find_signatory(
    pages: list[str], today: date | None = None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(penandatangan, jabatan) from the last signature block, each None when not found."""
    today = today or date.today()
    for number in range(len(pages), 0, -1):
        lines = [line.strip() for line in _lines(pages[number - 1]) if line.strip()]
        # The copy list ("Tembusan:" on a line of its own) follows the signature.
        heads = [i for i, line in enumerate(lines) if re.match(r"^\W*tembusan\s*:?\s*$", line, re.I)]
        body = lines[: heads[-1]] if heads else lines
        for index in range(len(body) - 1, -1, -1):
            line = body[index]
            if not line.endswith(",") or len(line) > 80 or ":" in line or _DATE_LINE.search(line):
                continue
            name_index = next((j for j in range(index + 1, min(index + 7, len(body))) if _name_like(body[j])), None)
            nip_below = any(_NIP_LINE.match(b) for b in body[index + 1 : index + 7])
            if name_index is None and not nip_below:
                continue
            title = [line.rstrip(",").strip()]
            for above in reversed(body[max(0, index - 3) : index]):
                if (
                    above.endswith((".", ":", ";", ","))
                    or ":" in above
                    or _DATE_LINE.search(above)
                    or len(above) > 60
                    or not above[0].isupper()
                ):
                    break
                title.insert(0, above)
            if not _POSITION.search(" ".join(title)):
                continue
            jabatan = {"value": " ".join(" ".join(title).split()), "page": number, "confidence": 0.8}
            if name_index is None:
                return None, jabatan  # the name is lost under the signature or the stamp
            name = re.sub(r"^[^A-Za-z]+", "", body[name_index]).strip().rstrip(",;")
            person: dict[str, Any] = {"value": " ".join(name.split()), "page": number, "confidence": 0.75}
            for follow in body[name_index + 1 : name_index + 3]:
                if _RANK.match(follow):
                    person["pangkat"] = " ".join(follow.split())
                elif _NIP_LINE.match(follow):
                    nips = _find_nips(follow, number, today)
                    if nips:
                        person["nip"] = nips[0]["value"]
                        person["confidence"] = 0.9
                    break
            return person, jabatan
    # No title line: the name above the last NIP line.
    for number in range(len(pages), 0, -1):
        lines = [line.strip() for line in _lines(pages[number - 1]) if line.strip()]
        for index in range(len(lines) - 1, -1, -1):
            if _NIP_LINE.match(lines[index]) and _find_nips(lines[index], number, today):
                for above in reversed(lines[max(0, index - 3) : index]):
                    if _RANK.match(above):
                        continue  # "Pembina Utama Muda" stands between the name and the NIP
                    name = re.sub(r"^[^A-Za-z]+", "", above).strip().rstrip(",;")
                    if _name_like(name) or _DEGREE.search(name):
                        nip = _find_nips(lines[index], number, today)[0]["value"]
                        return {"value": " ".join(name.split()), "page": number, "confidence": 0.7, "nip": nip}, None
                    break  # the line right above the NIP block is not a name: do not guess further up
                break
    return None, None


# --- NIP and NIK ---

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
    rf"(?:(?<=[Pp])|(?<![0-9A-Za-z]))({_CH}{{8}})[ .\-]{{0,2}}({_CH}{{6}})[ .\-]{{0,2}}({_CH})[ .\-]{{0,2}}({_CH}{{3}})(?![0-9A-Za-z])"
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
    seen, out = set(), []
    for number, text in enumerate(pages, start=1):
        for hit in _find_nips(_clean(text), number, today):
            hit.pop("_span")
            if hit["value"] not in seen:
                seen.add(hit["value"])
                out.append(hit)
    return out


def find_niks(pages: list[str], today: date | None = None) -> list[dict[str, Any]]:
    """Every valid NIK, in reading order, each once, with ``sex`` and ``birth_date``."""
    today = today or date.today()
    seen, out = set(), []
    for number, text in enumerate(pages, start=1):
        text = _clean(text)
        taken = [hit["_span"] for hit in _find_nips(text, number, today)]
        for match in _NIK_RE.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            raw = match.group(1).replace(" ", "")
            if sum(c.isdigit() for c in raw) < 13:
                continue
            digits = raw.translate(_TO_DIGIT)
            before = text[max(0, match.start() - 25) : match.start()]
            line_before = before.rsplit("\n", 1)[-1]
            if _NOT_NIK.search(line_before):
                continue
            try:
                parts = parse_nik(digits, today)
            except ValueError:
                continue
            labelled = bool(_NIK_LABEL.search(line_before))
            confidence = (0.95 if labelled else 0.75) - (0.1 if digits != raw else 0.0)
            if digits not in seen:
                seen.add(digits)
                out.append({
                    "value": digits, "page": number, "confidence": round(confidence, 2),
                    "sex": parts.sex, "birth_date": parts.birth_date.isoformat(),
                })  # fmt: skip
    return out


# --- everything ---


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
