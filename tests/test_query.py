"""The query a clerk types, checked and rewritten before the index sees it: unknown fields and bad limits
are one clear error (no traceback), NIPs match as letters print them, dates compare."""

import pytest

from digitize import catalog
from digitize.errors import ExitCode, UsageError
from digitize.fulltext.query import And, Not, Or, Phrase, Range, Term, parse
from digitize.pipeline import ingest
from tests.conftest import make_page
from tests.fakes import FakeEngine
from tests.test_pipeline import settings_for

LETTERS = {
    "a.png": ["SURAT EDARAN\nJayapura, 12 Januari 2023\nPerihal : Disiplin pegawai\n"
              "Kepala Dinas\nNIP. 19680412 199303 1 007\narsip"],
    "b.png": ["SURAT UNDANGAN\nSentani, 25 Oktober 2023\nPerihal : Rapat arsip\nNIP. 19750101 200001 2 003\narsip"],
}


@pytest.mark.parametrize("typed, tree", [
    ('nip:"19680412 199303 1 007"', Term("nip", "196804121993031007")),
    ("nik:9171.0101.0101.0001", Term("nik", "9171010101010001")),
    ("date:>=2023-09-01", Range("date", 20230901, None)),
    ("date:>2023-09-01", Range("date", 20230902, None)),
    ("date:<2023", Range("date", None, 20230100)),
    ("date:2023-09", Range("date", 20230901, 20230931)),
    ("year:2021..2023", Range("year", 2021, 2023)),
    ("year:<=2022 arsip", And((Range("year", None, 2022), Term(None, "arsip")))),
    ('"Nomor: 005" undangan', And((Phrase(None, ("nomor", "005")), Term(None, "undang")))),
    ("Hal: undangan", And((Term(None, "hal"), Term(None, "undang")))),
    ("kka:800*", Term("kka", "800", prefix=True)),
    ("mahasiwa~", Term(None, "mahasiwa", fuzzy=2)),
    ("arsip -rapat", And((Term(None, "arsip"), Not(Term(None, "rapat"))))),
    ("arsip NOT rapat", And((Term(None, "arsip"), Not(Term(None, "rapat"))))),
    ("undangan OR edaran 2023", And((Or((Term(None, "undang"), Term(None, "edar"))), Term(None, "2023")))),
    ("kepegawai*", Term(None, "kepegawai", prefix=True)),
    ("surat dari bupati", And((Term(None, "surat"), Term(None, "bupati")))),  # the stop word left out
    ('"1931/KPA.W15-A12/HM2.1.4/IX/2024"', Phrase(None, ("1931", "kpa", "w15", "a12", "hm2", "1", "4", "1x", "2024"))),
    ("nomor:005/KOTA/2024", Phrase("nomor", ("005", "k0ta", "2024"))),
])
def test_the_query_language_parses_into_the_tree_every_backend_runs(typed, tree):
    node = parse(typed).node
    assert _plain(node) == tree, typed


def _plain(node):
    """The tree without the look-alike aliases of plain words (``kota`` OR ``k0ta``) and stop flags."""
    if isinstance(node, Or) and len(node.children) == 2 and all(isinstance(c, Term) for c in node.children) \
            and node.children[0].field == node.children[1].field and node.children[1].text == \
            node.children[0].text.translate(str.maketrans("oil", "011")):
        return _plain(node.children[0])
    if isinstance(node, Term):
        return Term(node.field, node.text, node.prefix, node.fuzzy)
    if isinstance(node, Phrase):
        return Phrase(node.field, node.terms)
    if isinstance(node, And | Or):
        return type(node)(tuple(_plain(c) for c in node.children))
    if isinstance(node, Not):
        return Not(_plain(node.child))
    return node


@pytest.mark.parametrize("typed, message", [
    ("path:x", "Unknown field 'path:'"), ("foo:bar arsip", "Unknown field 'foo:'"),
    ("nip:abc", "nip: needs digits"), ("   ", "Give words to search for"),
    ('"bimbingan teknis', "Unclosed quote"), ("(rapat OR undangan", "Unclosed '\\('"), ("rapat)", "Unbalanced"),
    ("year:duaribu", "Cannot read year:duaribu"), ("date:2023-13-01", "is not a date"), ("rapat OR", "OR needs"),
    ("type:", "Cannot read the search|Give a value"),
])
def test_what_cannot_be_searched_is_one_clear_usage_error(typed, message):
    with pytest.raises(UsageError, match=message) as raised:
        parse(typed)
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
