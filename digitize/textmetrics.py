"""How far OCR output is from a ground-truth text: character, word and bag-of-words error.

All three compare a *reference* (the ground truth) with a *hypothesis* (what OCR
read) and count edits; a rate is edits divided by the length of the reference.

``char_errors``  character error (CER): Levenshtein distance between the two
                 texts after whitespace is collapsed (every run of spaces, tabs,
                 newlines and form feeds becomes one space; leading and trailing
                 whitespace is dropped), divided by the reference's length in
                 characters after the same collapsing. Case and punctuation count.
``word_errors``  word error (WER): Levenshtein distance between the sequences of
                 whitespace-separated words (a word is substituted, inserted or
                 deleted as a whole), divided by the number of reference words.
``bow_errors``   bag-of-words error: order-independent. Both texts are lower-cased
                 and cut into word tokens (runs of Unicode letters, digits and
                 ``_``, the regex ``\\w+``; punctuation is dropped). With R and H
                 the two multisets of tokens, the error is
                 ``(|R - H| + |H - R|) / |R|``: words the OCR missed plus words
                 it added, over the reference's word count. A misread word counts
                 twice (one missing, one extra), the same word found in another
                 reading order counts zero. Multi-column pages and receipts, which
                 OCR reads in a different order than the ground truth lists them,
                 are judged fairly by this score and unfairly by CER/WER.

Rates can exceed 1 (a hypothesis with much extra text). When the reference is
empty the rate is 0.0 for an empty hypothesis and 1.0 otherwise.

Averages over many files are *micro* averages: the sum of the edits over the sum
of the reference lengths (``micro``), so a long page weighs more than a short one.
Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class ErrorCount:
    """Edits against a reference of ``length`` units (characters or words)."""

    edits: int = 0
    length: int = 0

    @property
    def rate(self) -> float:
        if self.length:
            return self.edits / self.length
        return 0.0 if self.edits == 0 else 1.0

    def __add__(self, other: ErrorCount) -> ErrorCount:
        return ErrorCount(self.edits + other.edits, self.length + other.length)


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace becomes one space; no leading or trailing whitespace."""
    return " ".join(text.split())


def bag_of_words(text: str) -> Counter[str]:
    """The multiset of lower-cased ``\\w+`` tokens of ``text``."""
    return Counter(_TOKEN.findall(text.lower()))


def char_errors(reference: str, hypothesis: str) -> ErrorCount:
    ref, hyp = collapse_whitespace(reference), collapse_whitespace(hypothesis)
    return ErrorCount(Levenshtein.distance(ref, hyp), len(ref))


def word_errors(reference: str, hypothesis: str) -> ErrorCount:
    ref, hyp = reference.split(), hypothesis.split()
    return ErrorCount(Levenshtein.distance(ref, hyp), len(ref))


def bow_errors(reference: str, hypothesis: str) -> ErrorCount:
    ref, hyp = bag_of_words(reference), bag_of_words(hypothesis)
    missing = sum((ref - hyp).values())
    extra = sum((hyp - ref).values())
    return ErrorCount(missing + extra, sum(ref.values()))


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate after collapsing whitespace."""
    return char_errors(reference, hypothesis).rate


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate over whitespace-separated words."""
    return word_errors(reference, hypothesis).rate


def bow_error(reference: str, hypothesis: str) -> float:
    """Order-independent bag-of-words error: (missing + extra) / reference words."""
    return bow_errors(reference, hypothesis).rate


def total(counts: Iterable[ErrorCount]) -> ErrorCount:
    """Sum of edits and sum of reference lengths."""
    result = ErrorCount()
    for count in counts:
        result = result + count
    return result


def micro(counts: Iterable[ErrorCount]) -> float:
    """Micro-averaged rate: sum of edits / sum of reference lengths (0.0 for nothing)."""
    return total(counts).rate
