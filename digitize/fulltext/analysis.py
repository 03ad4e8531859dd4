"""Text analysis for the search index, done once here and the same for every backend.

The index never sees raw text: each backend receives the terms made here (space-separated) and
splits them on spaces, and every query is put through the same functions, so both backends find
the same documents for the same words. What happens to a text:

- OCR noise fixed: words hyphenated across line ends joined, ``2O23`` read as ``2023``
  (:mod:`digitize.textnorm`);
- lower-cased, accents folded (``é`` -> ``e``);
- words: runs of letters and digits. An identifier (a run of them joined by ``/ . -`` that holds a
  digit, or a word mixing letters and digits) is split into its parts and each part loses the
  look-alikes OCR confuses: ``o`` -> ``0``, ``i`` and ``l`` -> ``1``. So the letter number
  ``1931/KPA.W15-A12/HM2.1.4/IX/2024`` is the terms ``1931 kpa w15 a12 hm2 1 4 1x 2024``, the
  same as its OCR reading ``1931/KPA.W15-A12/HM2.1.4/1X/2024`` or ``1931 / KPA.W15 ...``;
- Indonesian words stemmed with Sastrawi (``pengelolaan`` and ``mengelola`` are both ``kelola``);
  English words pass unchanged (Sastrawi leaves them be; an English stemmer would also change
  Indonesian words), numbers are never stemmed.

Stop words are kept in the index (phrases stay exact) and left out of a query's words by
:mod:`digitize.fulltext.query`.
"""

from __future__ import annotations

import re
import unicodedata

from digitize import textnorm

# An identifier chunk (parts joined by / . -) or a single word; underscores are not word characters.
_CHUNK = re.compile(r"[^\W_]++(?:[./\-][^\W_]++)*+")  # possessive: no backtracking
_PART = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_ID_MAP = str.maketrans({"o": "0", "i": "1", "l": "1"})
_STEMS: dict[str, str] = {}  # word -> stem, for the life of the process
_STEM_CACHE_MAX = 500_000


def prepare(text: str) -> str:
    """The text with OCR's line-end hyphenation and digit look-alikes fixed (offsets may shift)."""
    return textnorm.fix_digits(textnorm.join_hyphenated(text))


def identifier(part: str) -> str:
    """One lower-case part of an identifier with OCR's look-alikes made digits: ``ix`` -> ``1x``."""
    return part.translate(_ID_MAP)


def word(token: str) -> str:
    """One lower-case word as the index holds it: accents folded, stemmed (cached)."""
    stem = _STEMS.get(token)
    if stem is None:
        folded = _fold(token) if not token.isascii() else token
        if _DIGIT.search(folded):
            stem = identifier(folded) if not folded.isdigit() else folded
        else:
            stem = textnorm.stem.__wrapped__(folded)  # cached here: not twice
        if len(_STEMS) < _STEM_CACHE_MAX:
            _STEMS[token] = stem
    return stem


def _fold(token: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))


def spans(text: str, wanted: re.Pattern[str] | None = None) -> list[tuple[str, int, int]]:
    """Each term of ``text`` with where its word starts and ends in ``text`` (for highlighting).

    ``text`` is analysed as it is (call :func:`prepare` first for the OCR fixes); the offsets point
    into ``text.lower()``, which is ``text`` itself but for the rare letter whose lower case is longer.
    With ``wanted``, only words it finds something in are stemmed (the others get ""): a snippet
    needs the terms of the words that can match, not of every word."""
    out: list[tuple[str, int, int]] = []
    for chunk in _CHUNK.finditer(text.lower()):
        value, base = chunk.group(0), chunk.start()
        if "/" in value or "." in value or "-" in value:
            make = _id_part if _DIGIT.search(value) else word
            out.extend((make(p.group(0)) if wanted is None or wanted.search(p.group(0)) else "",
                        base + p.start(), base + p.end()) for p in _PART.finditer(value))
        else:
            out.append((word(value) if wanted is None or wanted.search(value) else "", base, chunk.end()))
    return out


def terms(text: str) -> list[str]:
    """The terms of ``text`` in order, OCR fixes included: what the index holds for it."""
    return analyse(text)[0]


def analyse(text: str) -> tuple[list[str], list[str]]:
    """The terms of ``text`` and its words (the same, not stemmed: what ``word*`` looks in)."""
    out: list[str] = []
    words: list[str] = []
    known = _STEMS.get
    for chunk in _CHUNK.findall(prepare(text).lower()):
        stem = known(chunk)  # most words were seen before: one lookup
        if stem is not None:
            out.append(stem)
            words.append(chunk)
        elif "/" in chunk or "." in chunk or "-" in chunk:
            if _DIGIT.search(chunk):
                parts = [_id_part(p) for p in _PART.findall(chunk)]
                out.extend(parts)
                words.extend(parts)
            else:
                parts = _PART.findall(chunk)
                out.extend(word(p) for p in parts)
                words.extend(parts)
        else:
            out.append(word(chunk))
            words.append(chunk)
    return out, words


def identifier_terms(text: str) -> list[str]:
    """The terms of an identifier (a nomor) written any way: every part's look-alikes made digits,
    so ``005 / 321 / KOTA / 2023`` is ``005 321 k0ta 2023`` like ``005/321/KOTA/2023``."""
    return [identifier(_fold(p) if not p.isascii() else p) for p in _PART.findall(prepare(text).lower())]


def _id_part(part: str) -> str:
    return identifier(part if part.isascii() else _fold(part))


