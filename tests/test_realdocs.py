"""End to end on ../shared/realdocs (23 real letters and regulations nobody on the project wrote):
the same worker stages as ``ingest``, real Tesseract and OCRmyPDF, every value compared with the
hand-checked ``documents.csv``. A wrong value fails here, not only a missing one.

The floors are what digitize reaches today (issue 11); they only move up. Skipped when the
folder is absent (it is never copied into the repository).
"""

from __future__ import annotations

import pytest

from digitize.evaluate_fields import evaluate_fields, read_expected
from digitize.pipeline.executor import LocalExecutor
from digitize.settings import load_settings

from .conftest import REPO

REALDOCS = REPO.parent / "shared" / "realdocs"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (REALDOCS / "documents.csv").is_file(), reason="../shared/realdocs is not here"),
]


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    settings = load_settings(env={}, cwd=tmp_path_factory.mktemp("cfg"))
    return evaluate_fields(read_expected(REALDOCS / "documents.csv"), settings, executor=LocalExecutor(0))


def test_no_real_document_is_refused_and_none_gets_a_wrong_specific_type(evaluation):
    types = evaluation.types
    assert evaluation.refused == 0
    assert types["wrong"] == 0, evaluation.confusion
    assert types["right"] >= 21, evaluation.confusion  # of 23; the rest unclassified


def test_no_date_is_invented_and_few_are_wrong(evaluation):
    tanggal = evaluation.tally("tanggal")
    assert tanggal.invented == 0
    assert tanggal.wrong <= 1, evaluation.wrong_values()  # handwritten days are doubted, not reported
    assert tanggal.right >= 9


@pytest.mark.parametrize(
    "name, right, wrong",
    [("perihal", 14, 1), ("issuer", 17, 3), ("signer_title", 8, 1), ("nomor", 5, 1), ("nip_signer", 2, 0)],
)
def test_fields_right_and_wrong_on_real_documents(evaluation, name, right, wrong):
    tally = evaluation.tally(name)
    found = [(file, r.found, r.expected) for file, r in evaluation.wrong_values() if r.name == name]
    assert tally.right >= right and tally.wrong <= wrong, found


def known_items(rows):
    """Queries a clerk types to find one letter, made from its hand-checked row (not from the OCR):
    its nomor as printed, the start of its perihal as a phrase, the signer's NIP with the spaces
    letters print, and the start of its perihal with its longest word misspelt (a letter dropped)."""
    import re

    for row in rows:
        if row["nomor_as_printed"]:
            yield row["file"], "nomor", f'"{row["nomor_as_printed"]}"'
        words = row["perihal"].split()[:5]
        if len(words) >= 3:
            yield row["file"], "phrase", '"' + " ".join(words) + '"'
            longest = max(range(len(words)), key=lambda n: len(re.sub(r"\W", "", words[n])))
            if len(words[longest]) >= 6:
                slip = words[longest][:3] + words[longest][4:]
                yield row["file"], "misspelt", " ".join(words[:longest] + [slip] + words[longest + 1:])
        nip = row["nip_signer"]
        if nip:
            yield row["file"], "nip", f'"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"'


def readable(kind: str, text: str, terms: set[str]) -> bool:
    """Whether OCR read the item at all: most parts of a nomor or NIP, every word of a phrase (a
    word misspelt on purpose aside) are among the document's terms. What OCR lost no search finds."""
    from digitize.fulltext import analysis

    if kind in ("nomor", "nip"):
        parts = analysis.identifier_terms(text.strip('"'))
        return bool(parts) and sum(p in terms for p in parts) >= 0.6 * len(parts)
    words = analysis.terms(text.strip('"'))
    return sum(w not in terms for w in words) <= (1 if kind == "misspelt" else 0)


@pytest.mark.parametrize("backend", ["tantivy", "whoosh"])
def test_known_items_on_real_letters_come_first(evaluation, tmp_path, backend):
    """A phrase, a nomor as printed, a NIP with spaces, a misspelt word, typed as a clerk would:
    of the items OCR read, the letter comes first for at least 9 in 10 (and for 3 in 4 of all,
    handwritten numbers and unread signature blocks included)."""
    import csv

    from digitize.fulltext import IndexedDocument, analysis, open_index
    from digitize.fulltext.query import parse
    from digitize.fulltext.search import run

    with open(REALDOCS / "documents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = {doc.file: doc.texts for doc in evaluation.documents if doc.texts}
    index = open_index(tmp_path / "index", backend)
    index.add(IndexedDocument(id=file, path=file, type="", title="", date="", year="", pages=pages)
              for file, pages in texts.items())
    first = {True: [], False: []}
    for file, kind, text in known_items(rows):
        terms = set(analysis.terms("\n".join(texts.get(file, []))))
        hits = run(index, parse(text), limit=3).hits
        first[readable(kind, text, terms)].append((bool(hits) and hits[0].id == file, kind, text, file))
    index.close()
    read, unread = first[True], first[False]
    found = sum(ok for ok, *_ in read)
    found_all = found + sum(ok for ok, *_ in unread)
    total = len(read) + len(unread)
    print(f"{backend}: first for {found} of {len(read)} items OCR read, {found_all} of {total} in all")
    assert found >= 0.9 * len(read), [item for item in read if not item[0]]
    assert found_all >= 0.75 * total, [item for item in read + unread if not item[0]]
