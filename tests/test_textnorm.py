import pickle

import pytest

from digitize import textnorm


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pengelo-\nlaan arsip", "pengelolaan arsip"),
        ("Undang-\nUndang", "undang-undang"),  # a capital after the break: a real hyphen
        ("arsip-\narsip", "arsip-arsip"),  # reduplication keeps its hyphen
        ("Tahun 2O23", "tahun 2023"),
        ("NIP. l9870830", "nip. 19870830"),
        ("2OO8O1", "200801"),
        ("S1 Hukum, lulusan SD, BOS, lO", "s1 hukum, lulusan sd, bos, lo"),  # not numbers: unchanged
        ("  banyak   spasi\n\tdan  baris ", "banyak spasi dan baris"),
        ("ﬁle", "file"),  # NFKC
    ],
)
def test_normalize(text, expected):
    assert textnorm.normalize(text) == expected


def test_fix_digits_only_inside_numbers():
    assert textnorm.fix_digits("2O23 SOLO B8 l9870830") == "2023 SOLO B8 19870830"


def test_stemming_with_sastrawi():
    assert textnorm.stem("pengelolaan") == "kelola"
    assert textnorm.stem("menugaskan") == "tugas"
    assert textnorm.stem("2023") == "2023"


def test_tokens_drop_stop_words_and_stem():
    assert textnorm.tokens("Pengelolaan arsip dan menugaskan pegawai pada tahun 2O23") == [
        "kelola", "arsip", "tugas", "pegawai", "tahun", "2023"
    ]
    assert textnorm.tokens("Pengelolaan dan arsip", stem=False, stop=False) == ["pengelolaan", "dan", "arsip"]
    assert "dan" in textnorm.stop_words()


def test_analyzer_works_in_scikit_learn_and_pickles():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=textnorm.analyzer).fit(["pengelolaan arsip", "menugaskan pegawai"])
    assert {"kelola", "arsip", "tugas", "pegawai"} == set(vectorizer.vocabulary_)
    assert pickle.loads(pickle.dumps(vectorizer)).transform(["kelola"]).nnz == 1
