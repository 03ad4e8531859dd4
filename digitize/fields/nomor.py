"""``nomor`` (the letter's number) and ``kka`` (the archive classification code it carries).

``nomor`` comes from ``Nomor : ...`` (also OCR-damaged ``N0mor``, ``Nomer``,
``Nornor``, and ``No.``) at the start of a line, the same with the kind of number between
(``NO. PRANOTA : RJ/2003460/0617``, ``Nomor Surat : ...``; not ``Nomor Telepon``,
``No. Rekening``), ``NOMOR 23 TAHUN 2020`` and ``NOMOR B-99/...`` title lines. Spaces around slashes are removed
(``005/ 45 /Bag.Um`` -> ``005/45/Bag.Um``). References to other letters in the body
(``... Surat Dekan Nomor 1123/UN21.8/... tanggal ...``) are not taken.

``kka`` (Kode Klasifikasi Arsip) is the nomor's first segment when that is a numeric
code of the Permendagri 78/2012 shape, three digits with optional dotted
subdivisions (``800``, ``005``, ``045.2``, ``503``), followed by the agenda number
(``800/123/BKPSDM/2023``). In ``159/BPS/18041/ST/2021`` the 159 is a sequence
number, not a code. Codes of other schemes such as the ``KP.07.6`` of
``B-99/IJ/KP.07.6/04/2020`` (ministry and ANRI schemes), and the ``NOMOR 23 TAHUN
2020`` numbering of regulations and decrees, give none. :mod:`digitize.kka` labels
the code and falls back to a default code per document type.
"""

from __future__ import annotations

import re
from typing import Any

from digitize.fields.text import _GAP, _lines
from digitize.textnorm import ID_CONFUSABLE, ID_DIGIT_MAP, fix_digits

_NOMOR_LABEL = r"(?:n\s?[o0]\s?(?:m|rn|n)\s?[o0e]\s?r|nomer|nmr|no)"
_NOMOR_COLON = re.compile(rf"^\s*\W{{0,3}}{_NOMOR_LABEL}\s*\.?\s*(?:[:;>=]|[\-–](?=\s))\s*(\S.*)$", re.IGNORECASE)
# what a typed nomor is made of; any other mark (§ % @ « ...) is OCR reading handwriting or a stamp
_NOMOR_CHARS = re.compile(r"^[A-Za-z0-9./\-() ]+$")
# "NO. PRANOTA : RJ/2003460/0617", "NOMOR SURAT : 005/12/2023": the label, the kind of number, its value
_NOMOR_QUALIFIED = re.compile(
    rf"^\s*\W{{0,3}}{_NOMOR_LABEL}\s*[.,]?\s+([A-Za-z]{{2,12}})\s*[:;>+=]\s*(\S+/\S.*)$", re.IGNORECASE
)
# numbers that are not the document's ("Nomor Telepon :", "No. Rekening :", "NIP", "Nomor Induk :")
_OTHER_NUMBERS = {"telp", "telepon", "tlp", "hp", "fax", "faks", "rekening", "rek", "induk", "pokok", "polisi",
                  "kendaraan", "rangka", "mesin", "urut", "kode", "pos", "agenda", "ktp", "kk", "npwp", "nip", "nik"}
_NOMOR_NO_DOT = re.compile(r"^\s*\W{0,3}no\.\s+(\S.*)$", re.IGNORECASE)
_NOMOR_TITLE = re.compile(r"^\s*\W{0,3}(NOMOR|N[O0]M[O0]R|Nomor)\s+(\S.*)$")
_TAHUN_FORM = re.compile(r"^(\d{1,4})\s+(TAHUN|Tahun|tahun)\s+((?:19|20)\d\d)(?:\s*$|\s+TENTANG\b)")
_PLACE_DATE_END = re.compile(  # "... Jepara, 28 Januari 2020" closing the line
    r"\s+[A-Z][A-Za-z'.\-]+(?:\s[A-Z][A-Za-z'.\-]+){0,2},\s*\S{1,3}\s+[A-Za-z]{3,10}\s+(?:19|20)\d\d\s*$"
)
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


def _joined(text: str) -> str:
    """Spaces OCR put inside a nomor removed: around slashes, after a letter prefix (``B- 91`` -> ``B-91``)."""
    return re.sub(r"(?<=[A-Za-z])-\s+(?=\d)", "-", re.sub(r"\s*/\s*", "/", text))


def _nomor_code(rest: str) -> str | None:
    """The number at the start of ``rest``: slash-joined segments, spaces around slashes removed."""
    chunk = _GAP.split(rest.strip())[0]
    chunk = _joined(chunk)
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
    """(confidence, page, line, nomor) for every line that gives the letter's nomor."""
    out = []
    for index, line in enumerate(_lines(text)):
        found = _nomor_line(line)
        value = _nomor_value(*found) if found else None
        if value:
            out.append((value[0], number, index, value[1]))
    return out


def _nomor_line(line: str) -> tuple[str, bool, bool] | None:
    """(the text after the label, labelled with a colon, label OCR-damaged) when ``line`` gives a nomor."""
    match = _NOMOR_COLON.match(line)
    if match:
        label_match = re.match(r"\W*(\w+)", line)
        assert label_match is not None  # _NOMOR_COLON matched: the label's letters follow \W{0,3}
        label = label_match.group(1).lower()
        return match.group(1), True, label not in {"nomor", "no"}
    match = _NOMOR_QUALIFIED.match(line)
    if match and match.group(1).lower() not in _OTHER_NUMBERS:
        return match.group(2), True, True
    match = _NOMOR_NO_DOT.match(line)
    if match:
        rest = match.group(1)
        # "No. 17" of an address, unless it looks like a letter number
        return (rest, False, False) if "/" in rest.split()[0] else None
    match = _NOMOR_TITLE.match(line)
    if match and _own_title_nomor(_joined(match.group(2))):
        return _joined(match.group(2)), False, False
    return None


def _own_title_nomor(rest: str) -> bool:
    """Is ``rest``, after a ``NOMOR`` title word, the document's own number rather than a reference?"""
    if _TAHUN_FORM.match(rest):
        return True
    if "/" not in rest.split()[0]:
        return False  # "Nomor 43 Tahun 2009 tentang ...": a reference in the body
    head = _PLACE_DATE_END.sub("", _GAP.split(rest.strip())[0])  # a two-column header's "Jepara, 28 Januari 2020"
    words = [w for w in head.split() if re.search(r"\w", w)]  # OCR specks out
    return len(words) <= 1  # not "Nomor 1123/UN21.8/2023 tanggal ...": a reference


def _nomor_value(rest: str, colon: bool, damaged: bool) -> tuple[float, str] | None:
    """(confidence, nomor) read from the text after the label."""
    tahun = _TAHUN_FORM.match(rest.strip())
    if tahun:
        return 0.95, f"{tahun.group(1)} {tahun.group(2)} {tahun.group(3)}"
    value = _nomor_code(rest)
    if not value or not _NOMOR_CHARS.match(value):
        return None  # not read reliably: no nomor rather than a wrong one
    if "/" in value:
        return (0.85 if damaged else (0.95 if colon else 0.9)), value
    return 0.7, value


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

