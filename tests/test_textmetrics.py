"""Text metrics: CER, WER, bag-of-words error, micro averages. Pure functions, fast."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitize.textmetrics import (
    ErrorCount,
    bag_of_words,
    bow_error,
    bow_errors,
    cer,
    char_errors,
    collapse_whitespace,
    micro,
    total,
    wer,
    word_errors,
)

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
wordlists = st.lists(st.from_regex(r"[a-zA-Z0-9]{1,8}", fullmatch=True), max_size=20)
spaces = st.sampled_from([" ", "  ", "\n", "\t", "\f", " \n "])


def test_known_values():
    assert char_errors("kitten", "sitting") == ErrorCount(3, 6)
    assert cer("kitten", "sitting") == pytest.approx(0.5)
    assert word_errors("the quick brown fox", "the quick brown box") == ErrorCount(1, 4)
    assert wer("the quick brown fox", "quick brown fox") == pytest.approx(0.25)
    assert cer("abc", "") == 1.0
    assert cer("ab", "abcdef") == 2.0  # insertions can take a rate above 1


def test_whitespace_is_collapsed():
    assert collapse_whitespace("  a \n\n b\f\tc  ") == "a b c"
    assert cer("a b\nc", "a  b   c\n") == 0.0
    assert wer("one two", "one\n\ntwo ") == 0.0
    assert char_errors("a  b", "ab") == ErrorCount(1, 3)  # the reference is counted collapsed


def test_bag_of_words_ignores_order_case_and_punctuation():
    assert bag_of_words("The cat, the HAT.") == {"the": 2, "cat": 1, "hat": 1}
    assert bow_error("left column right column", "right column left column") == 0.0
    assert bow_error("Hello, World!", "hello world") == 0.0
    # one misread word: missing once and extra once
    assert bow_errors("one two three four", "one two three for") == ErrorCount(2, 4)
    # multiset: a repeated word must be found as many times
    assert bow_errors("la la la", "la") == ErrorCount(2, 3)
    assert bow_errors("la", "la la la") == ErrorCount(2, 1)


def test_empty_reference():
    assert cer("", "") == wer("", "") == bow_error("", "") == 0.0
    assert cer("", "x") == wer(" ", "x") == bow_error("", "x") == 1.0


def test_micro_average_weighs_by_reference_length():
    counts = [ErrorCount(1, 10), ErrorCount(9, 90), ErrorCount(0, 0)]
    assert total(counts) == ErrorCount(10, 100)
    assert micro(counts) == pytest.approx(0.1)
    assert micro([]) == 0.0
    # not the macro mean of the rates
    assert micro([ErrorCount(1, 1), ErrorCount(0, 99)]) == pytest.approx(0.01)


@given(texts)
def test_identity_is_zero(text):
    assert cer(text, text) == wer(text, text) == bow_error(text, text) == 0.0


@given(texts, texts)
def test_rates_are_non_negative_and_bounded_by_lengths(ref, hyp):
    chars = char_errors(ref, hyp)
    r, h = collapse_whitespace(ref), collapse_whitespace(hyp)
    assert abs(len(r) - len(h)) <= chars.edits <= max(len(r), len(h))
    assert chars.length == len(r)
    for rate in (cer(ref, hyp), wer(ref, hyp), bow_error(ref, hyp)):
        assert rate >= 0.0


@given(texts)
def test_empty_hypothesis_deletes_everything(ref):
    if collapse_whitespace(ref):
        assert cer(ref, "") == 1.0
    if ref.split():
        assert wer(ref, "") == 1.0
    if bag_of_words(ref):
        assert bow_error(ref, "") == 1.0


@given(wordlists, st.lists(spaces, min_size=21, max_size=21))
def test_whitespace_layout_does_not_matter(words, seps):
    ref = " ".join(words)
    hyp = "".join(w + s for w, s in zip(words, seps, strict=False))
    assert cer(ref, hyp) == wer(ref, hyp) == bow_error(ref, hyp) == 0.0


@given(wordlists, st.randoms(use_true_random=False))
def test_bow_is_order_independent_and_wer_is_not_worse_than_words(words, rng: random.Random):
    shuffled = list(words)
    rng.shuffle(shuffled)
    ref, hyp = " ".join(words), " ".join(shuffled)
    assert bow_error(ref, hyp) == 0.0
    assert word_errors(ref, hyp).edits <= len(words)


@given(wordlists, wordlists)
def test_bow_counts_missing_plus_extra(ref_words, hyp_words):
    ref, hyp = " ".join(ref_words), " ".join(hyp_words)
    count = bow_errors(ref, hyp)
    assert count.length == len(ref_words)
    # every edit is a missing or an extra token, so at most all of both
    assert count.edits <= len(ref_words) + len(hyp_words)
    assert (count.edits - (len(hyp_words) - len(ref_words))) % 2 == 0  # missing - extra = |R| - |H|


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=10))
def test_micro_is_sum_over_sum(pairs):
    counts = [ErrorCount(e, n) for e, n in pairs]
    edits, length = sum(e for e, _ in pairs), sum(n for _, n in pairs)
    assert micro(counts) == ErrorCount(edits, length).rate
    if len(counts) == 1:
        assert micro(counts) == counts[0].rate
