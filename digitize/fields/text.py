"""Text helpers the field finders share: line splitting, capitalisation, OCR specks."""

from __future__ import annotations

import re
import unicodedata

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


def _page_lines(text: str) -> list[str]:
    """The page's non-blank lines, stripped."""
    return [line.strip() for line in _lines(text) if line.strip()]
