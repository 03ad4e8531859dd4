"""The query a clerk types, checked and rewritten before the index sees it: unknown fields and bad limits
are one clear error (no traceback), NIPs match as letters print them, dates compare."""

import pytest

from digitize import catalog
from digitize.errors import ExitCode, UsageError
from digitize.fulltext.query import normalize
from digitize.pipeline import ingest
from tests.conftest import make_page
from tests.fakes import FakeEngine
from tests.test_pipeline import settings_for

LETTERS = {
    "a.png": ["SURAT EDARAN\nJayapura, 12 Januari 2023\nPerihal : Disiplin pegawai\n"
              "Kepala Dinas\nNIP. 19680412 199303 1 007\narsip"],
    "b.png": ["SURAT UNDANGAN\nSentani, 25 Oktober 2023\nPerihal : Rapat arsip\nNIP. 19750101 200001 2 003\narsip"],
}


@pytest.mark.parametrize("typed, rewritten", [
    ('nip:"19680412 199303 1 007"', "nip:196804121993031007"),
    ("nik:9171.0101.0101.0001", "nik:9171010101010001"),
    ("date:>=2023-09-01", "date:[2023-09-01 TO]"),
    ("date:>2023-09-01", "date:{2023-09-01 TO]"),
    ("date:<2023", "date:[TO 2023}"),
    ("year:<=2022 arsip", "year:[TO 2022] arsip"),
    ('"Nomor: 005" undangan', '"Nomor: 005" undangan'),  # inside a phrase: words, not a field
    ("Hal: undangan", "Hal: undangan"),
])
def test_fields_are_rewritten_into_the_index_syntax(typed, rewritten):
    assert normalize(typed) == rewritten


@pytest.mark.parametrize("typed, message", [
    ("path:x", "Unknown field 'path:'"), ("foo:bar arsip", "Unknown field 'foo:'"),
    ("nip:abc", "nip: needs digits"), ("   ", "Give words to search for"),
])
def test_what_cannot_be_searched_is_one_clear_usage_error(typed, message):
    with pytest.raises(UsageError, match=message) as raised:
        normalize(typed)
    assert raised.value.exit_code == ExitCode.USAGE and "\n" not in str(raised.value)


def test_nip_as_printed_and_date_comparisons_find_the_right_letters(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in LETTERS:
        make_page(inbox / name, label=name, dpi=None)
    settings = settings_for(tmp_path)
    docs = {item["source"]: item["id"] for item in ingest(inbox, settings, engine=FakeEngine(LETTERS)).archived}
    found = lambda q: sorted(h.id for h in catalog.search(settings, q))  # noqa: E731
    assert found('nip:"19680412 199303 1 007"') == [docs["a.png"]]
    assert found("nip:19750101.200001.2.003") == [docs["b.png"]]
    assert found("date:>2023-09-01") == [docs["b.png"]]
    assert found("date:<2023-09-01 arsip") == [docs["a.png"]]
    assert found("date:>=2023-01-12") == sorted(docs.values())
    with pytest.raises(UsageError, match="--limit must be 1 or more"):
        catalog.search(settings, "arsip", limit=0)
