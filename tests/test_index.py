"""The default backend through the backend-neutral search (the contract tests run both backends)."""

from digitize.fulltext import IndexedDocument, open_index
from digitize.fulltext.base import rebuild_index
from digitize.fulltext.query import parse
from digitize.fulltext.search import run


def search(index, text):
    return run(index, parse(text)).hits


def doc(doc_id, pages, type_="surat_undangan", year="2023"):
    return IndexedDocument(doc_id, f"documents/{type_}/{year}/{doc_id}.pdf", type_, f"title {doc_id}",
                           f"{year}-01-02", year, pages, [{"path": f"{doc_id}.png", "sha256": "0" * 64}])


def test_search_reports_pages_and_snippet(tmp_path):
    index = open_index(tmp_path / "index")
    index.add([
        doc("a1", ["kop surat dinas", "mengundang peserta bimbingan teknis arsip dinamis", "penutup"]),
        doc("b2", ["laporan keuangan tahunan"], type_="laporan"),
    ])
    hits = search(index, '"bimbingan teknis"')
    assert [h.id for h in hits] == ["a1"]
    assert hits[0].pages == [2]
    assert "**bimbingan** **teknis**" in hits[0].snippet
    assert hits[0].sources[0]["path"] == "a1.png"
    assert search(index, "type:laporan")[0].id == "b2"
    assert search(index, "keuangan year:2023")[0].id == "b2"
    assert run(index, parse("tidakada")).total == 0
    index.close()


def test_update_and_delete(tmp_path):
    index = open_index(tmp_path / "index")
    index.add([doc("a1", ["versi pertama"])])
    index.add([doc("a1", ["versi kedua"])])
    assert index.count() == 1
    assert search(index, "pertama") == []
    index.delete(["a1"])
    assert index.count() == 0
    index.close()


def test_rebuild_replaces_the_index(tmp_path):
    path = tmp_path / "index"
    index = open_index(path)
    index.add([doc("old", ["lama"])])
    index.close()
    assert rebuild_index(path, "tantivy", [doc("new", ["baru"])]) == 1
    index = open_index(path)
    assert [h.id for h in search(index, "baru")] == ["new"]
    assert search(index, "lama") == []
    index.close()


def test_indonesian_stemming_and_ocr_digits(tmp_path):
    index = open_index(tmp_path / "index")
    index.add([doc("a1", ["Laporan pengelolaan arsip tahun 2O23 oleh bagian umum"])])
    assert [h.id for h in search(index, "mengelola")] == ["a1"]  # same stem: kelola
    assert [h.id for h in search(index, "2023")] == ["a1"]  # OCR read the zero as a letter O
    assert search(index, "pengelolaan arsip")[0].pages == [1]
    index.close()


def test_an_index_from_an_older_digitize_asks_for_a_rebuild(tmp_path):
    import pytest
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    from digitize.errors import ArchiveError

    (tmp_path / "index").mkdir()
    whoosh_index.create_in(str(tmp_path / "index"), Schema(id=ID(stored=True))).close()
    with pytest.raises(ArchiveError, match="index rebuild"):
        open_index(tmp_path / "index")
