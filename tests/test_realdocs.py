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
