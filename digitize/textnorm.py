"""Normalise OCR text of Indonesian documents for classification and search.

Shared by the learned classifier (:mod:`digitize.learn`), the field extractor
(:mod:`digitize.fields`) and, later, the search index. Nothing here does work at
import time: the Sastrawi stemmer and its stop-word list are built on first use
and cached for the life of the process.

API::

    normalize(text) -> str           NFKC, join words hyphenated across line ends,
                                     fix letter/digit confusions inside numbers,
                                     lower-case, collapse whitespace
    join_hyphenated(text) -> str     "pengelo-\\nlaan" -> "pengelolaan"
    fix_digits(text) -> str          "2O23" -> "2023", "l9870830" -> "19870830"
    tokens(text, stem=True, stop=True) -> list[str]
    analyzer(text) -> list[str]      tokens(text): a picklable callable for scikit-learn
                                     (``TfidfVectorizer(analyzer=analyzer)``, or
                                     ``tokenizer=tokens`` to keep its n-grams)
    stem(word) -> str                Sastrawi stem of one lower-case word, cached
    stop_words() -> frozenset[str]   Sastrawi's Indonesian stop words

Stemming uses PySastrawi (the maintained fork of Sastrawi on PyPI; it installs
the ``Sastrawi`` import package): ``pengelolaan`` -> ``kelola``,
``menugaskan`` -> ``tugas``. Numbers and words with digits are never stemmed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters OCR reads in place of digits, and the digit each stands for.
DIGIT_CONFUSIONS = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "|": "1",
                    "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2"}  # fmt: skip
_CONFUSABLE = "".join(re.escape(c) for c in DIGIT_CONFUSIONS)
# A run of digits and look-alike letters, not glued to other letters or digits.
_NUMBERISH = re.compile(rf"(?<![^\W_])[0-9{_CONFUSABLE}]+(?![^\W_])")
_DIGIT_MAP = str.maketrans(DIGIT_CONFUSIONS)
# The look-alikes trusted inside identifiers (NIP, NIK, nomor segments): a subset of the table above.
ID_CONFUSABLE = "OoIlSB"
ID_DIGIT_MAP = str.maketrans({c: DIGIT_CONFUSIONS[c] for c in ID_CONFUSABLE})

# "pengelo-\nlaan": a word broken at the end of a line. The next part starts in lower case;
# "Undang-\nUndang" (capital) and "arsip-\narsip" (a reduplication) keep their hyphen.
# Possessive, from a word's start: each word is tried once (no backtracking through its letters).
_HYPHEN_BREAK = re.compile(r"(?<!\w)(\w++)[-\u00ad\u2010\u2011]\s*\n\s*(\w+)")
_LINE_END_HYPHEN = re.compile(r"[-\u00ad\u2010\u2011][^\S\n]*\n")  # cheap test: is there any?
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


def fix_digits(text: str) -> str:
    """Replace look-alike letters by digits inside numbers, and only there.

    A run of digits and look-alikes (O o D l I i | S s B Z z) that stands alone counts
    as a number when it holds at least two real digits and no more look-alikes than
    digits: ``2O23`` -> ``2023``, ``l9870830`` -> ``19870830``, while ``S1`` (a
    degree), ``BOS`` or ``lO`` stay as they are.
    """

    def repl(match: re.Match[str]) -> str:
        run = match.group(0)
        digits = sum(c.isdigit() for c in run)
        if digits >= 2 and digits >= len(run) - digits and digits < len(run):
            return run.translate(_DIGIT_MAP)
        return run

    return _NUMBERISH.sub(repl, text)


def join_hyphenated(text: str) -> str:
    """Join words hyphenated across a line end: ``pengelo-\\nlaan`` -> ``pengelolaan``."""

    def repl(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if tail[0].islower() and head.lower() != tail.lower():
            return head + tail
        return f"{head}-{tail}"

    return _HYPHEN_BREAK.sub(repl, text) if _LINE_END_HYPHEN.search(text) else text


def normalize(text: str) -> str:
    """One lower-case line: NFKC, hyphenation joined, digit look-alikes fixed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = fix_digits(join_hyphenated(text))
    return _SPACE.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # PySastrawi

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's list of Indonesian stop words (about 800 words)."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Sastrawi stem of one lower-case word; words with digits are returned unchanged."""
    if not word.isalpha() or len(word) < 4:
        return word
    stemmer = _stemmer()
    if word.isascii():  # Sastrawi's own text normalising and cache would change nothing: its word stemmer
        return stemmer.delegatedStemmer.stem_word(word) or word
    return stemmer.stem(word) or word


def tokens(text: str, stem: bool = True, stop: bool = True) -> list[str]:
    """Words of ``normalize(text)``: letters and digits, one-character words dropped.

    ``stop`` drops Sastrawi's stop words; ``stem`` reduces each word to its stem.
    """
    words = _WORD.findall(normalize(text))
    if stop:
        drop = stop_words()
        words = [w for w in words if w not in drop]
    words = [w for w in words if len(w) > 1]
    if stem:
        words = [_stem(w) for w in words]
    return words


_stem = stem  # tokens() takes a parameter named ``stem``


def analyzer(text: str) -> list[str]:
    """``tokens(text)`` with stemming and stop words: a scikit-learn ``analyzer``."""
    return tokens(text)
