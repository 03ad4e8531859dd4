"""``nomor`` (the letter's number) and ``kka`` (the archive classification code it carries).

``nomor`` comes from ``Nomor : ...`` (also OCR-damaged ``N0mor``, ``Nomer``,
``Nornor``, and ``No.``) at the start of a line, ``NOMOR 23 TAHUN 2020`` and
``NOMOR B-99/...`` title lines. Spaces around slashes are removed
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

