"""Near-duplicate detection: MinHash signatures of word 3-shingles.

A rescan of a document already in the archive has different bytes (so a new
SHA-256) but nearly the same text. Two signatures agreeing in a share ``s`` of
their positions estimate the Jaccard similarity of the two texts' shingle sets.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SIZE = 64
_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20261125)  # fixed: signatures must be comparable across runs
_A = _RNG.integers(1, _PRIME, SIZE, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, SIZE, dtype=np.uint64)
_WORD = re.compile(r"\w{2,}")


def signature(text: str) -> list[int] | None:
    """MinHash signature of the text, or None when it has too few words to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < 20:
        return None
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 4 for s in shingles],
        dtype=np.uint64,
    )
    # (a*x + b) mod p, computed in Python ints to avoid overflow, vectorised per permutation
    values = [((int(a) * hashes.astype(object) + int(b)) % _PRIME).min() for a, b in zip(_A, _B, strict=True)]
    return [int(v) for v in values]


def similarity(one: list[int], other: list[int]) -> float:
    return float(np.mean(np.array(one, dtype=object) == np.array(other, dtype=object)))
