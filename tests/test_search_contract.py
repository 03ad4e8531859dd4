"""The search contract, run against every backend: the same query finds the same documents and the
same pages, whichever engine holds the index. The letters are real-shaped Indonesian government
letters (OCR noise included: ``1X`` read for ``IX``, ``2O23``, a word hyphenated across a line end)."""

from __future__ import annotations

import pytest

from digitize.fulltext import IndexedDocument, open_index
from digitize.fulltext.base import BACKENDS, finish_swap, rebuild_index
from digitize.fulltext.query import parse
from digitize.fulltext.search import run


def letter(doc_id, type_, title, date, pages, **fields):
    return IndexedDocument(id=doc_id, path=f"documents/{doc_id}.pdf", type=type_, title=title, date=date,
                           year=date[:4], pages=pages, fields=fields, nomor=fields.get("nomor", ""))


LETTERS = [
    letter("a1", "surat_undangan", "Undangan Bimbingan Teknis Kearsipan", "2024-09-16", [
        "KEMENTERIAN AGAMA REPUBLIK INDONESIA\nKANTOR WILAYAH PROVINSI PAPUA\n"
        "Nomor : 1931/KPA.W15-A12/HM2.1.4/1X/2024\n"
        "Sifat : Biasa\nLampiran : 1 (satu) berkas\nHal : Undangan Bimbingan Teknis Kearsipan\n\n"
        "Dengan hormat, dalam rangka meningkatkan kompetensi pengelo-\nlaan arsip dinamis, kami mengundang "
        "Saudara mengikuti bimbingan teknis kearsipan.",
        "Kegiatan dilaksanakan pada hari Senin, 23 September 2024 di Aula Kanwil.\nDemikian undangan ini kami "
        "sampaikan.\nKepala Bagian Tata Usaha\nNIP. 19680412 199303 1 007",
    ], nomor="1931/KPA.W15-A12/HM2.1.4/IX/2024", kka="800.1.2", perihal="Undangan Bimbingan Teknis Kearsipan",
        nip="196804121993031007", sifat="biasa"),
    letter("b2", "surat_edaran", "Surat Edaran Disiplin Pegawai", "2023-01-12", [
        "PEMERINTAH KABUPATEN JAYAPURA\nSURAT EDARAN\nNomor : 800/045/BKPSDM/2023\nTentang Disiplin Pegawai "
        "Negeri Sipil\nSehubungan dengan meningkatnya ketidakhadiran pegawai, diminta kepada seluruh kepala "
        "perangkat daerah untuk menegakkan disiplin jam kerja.",
        "Ditetapkan di Sentani pada tanggal 12 Januari 2O23\nBUPATI JAYAPURA\nNIP. 19750101 200001 2 003",
    ], nomor="800/045/BKPSDM/2023", kka="800", perihal="Disiplin Pegawai Negeri Sipil", nip="197501012000012003"),
    letter("c3", "surat_keputusan", "Keputusan Pengangkatan Pegawai", "2021-03-01", [
        "KEPUTUSAN BUPATI MERAUKE\nNomor : 821.2/112/2021\nTENTANG PENGANGKATAN CALON PEGAWAI NEGERI SIPIL\n"
        "Menimbang bahwa untuk kelancaran tugas perlu mengangkat pegawai.",
        "Memutuskan: menetapkan pengangkatan mahasiswa lulusan program ikatan dinas sebagai calon pegawai.",
        "Lampiran daftar nama: NIK 9171010101010001 kepegawaian daerah.",
    ], nomor="821.2/112/2021", kka="821.2", perihal="Pengangkatan Calon Pegawai Negeri Sipil",
        nik="9171010101010001"),
    letter("d4", "surat_undangan", "Undangan Rapat Koordinasi Anggaran", "2023-10-25", [
        "PEMERINTAH KOTA JAYAPURA\nNomor : 005/321/KOTA/2023\nPerihal : Undangan Rapat Koordinasi\n"
        "Mengharap kehadiran Saudara pada rapat koordinasi anggaran tahun 2024.",
    ], nomor="005/321/KOTA/2023", kka="005", perihal="Undangan Rapat Koordinasi Anggaran"),
    letter("e5", "laporan", "Laporan Kegiatan Arsip", "2022-06-30", [
        "LAPORAN KEGIATAN\nPenataan arsip inaktif di gudang arsip daerah.",
        "Jumlah arsip yang ditata 1.250 boks; arsip vital disimpan di ruang khusus.",
        "Rekomendasi: pengadaan rak arsip dan pelatihan petugas.",
    ], kka="045"),
]


@pytest.fixture(params=BACKENDS)
def index(request, tmp_path):
    ix = open_index(tmp_path / "index", request.param)
    ix.add(LETTERS)
    yield ix
    ix.close()


def ids(index, text, **options):
    return [h.id for h in run(index, parse(text), **options).hits]


@pytest.mark.parametrize("text, expected", [
    ("bimbingan teknis", ["a1"]),
    ('"bimbingan teknis kearsipan"', ["a1"]),
    ('"1931/KPA.W15-A12/HM2.1.4/IX/2024"', ["a1"]),  # OCR read 1X; the clerk types IX
    ("1931/KPA.W15-A12/HM2.1.4/IX/2024", ["a1"]),
    ('nomor:"1931 / KPA.W15-A12 / HM2.1.4 / IX / 2024"', ["a1"]),
    ('nip:"19680412 199303 1 007"', ["a1"]),
    ('"19680412 199303 1 007"', ["a1"]),
    ("nik:9171.0101.0101.0001", ["c3"]),
    ("pengelolaan", ["a1"]),  # hyphenated across a line end, stemmed
    ("kelola", ["a1"]),
    ("mahasiwa~", ["c3"]),
    ("kka:800*", ["a1", "b2"]),
    ("kka:800", ["b2"]),
    ("type:surat_undangan", ["a1", "d4"]),
    ("type:surat_undangan rapat", ["d4"]),
    ("undangan -rapat", ["a1"]),
    ("undangan NOT rapat", ["a1"]),
    ("koordinasi OR disiplin", ["b2", "d4"]),
    ("kepegawai*", ["c3"]),
    ("year:2021..2022", ["c3", "e5"]),
    ("date:>=2023-09-01", ["a1", "d4"]),
    ("date:<2023-01-13", ["b2", "c3", "e5"]),
    ("date:2023", ["b2", "d4"]),
    ("sifat:biasa", ["a1"]),
    ("2023 bupati", ["b2"]),  # 2O23 read as 2023
    ("kota", ["d4"]),  # also inside the number 005/321/KOTA/2023
    ("id:c3", ["c3"]),
    ("arsip vital", ["e5"]),
    ('"arsip vital"', ["e5"]),
    ('"vital arsip"', []),
])
def test_queries_find_the_documents_they_should(index, text, expected):
    assert sorted(ids(index, text, fallback=False)) == expected, (index.backend, text)


def test_the_backends_agree_on_documents_and_pages(tmp_path):
    queries = ["arsip", "pegawai", "undangan", "bimbingan teknis", '"calon pegawai"', "rapat OR arsip",
               "kepegawai*", "mahasiwa~", "nip:196804121993031007", "date:>=2022-01-01 arsip"]
    seen = {}
    for backend in BACKENDS:
        ix = open_index(tmp_path / backend, backend)
        ix.add(LETTERS)
        seen[backend] = {text: sorted((h.id, tuple(h.pages)) for h in run(ix, parse(text), limit=10).hits)
                         for text in queries}
        ix.close()
    first, *others = BACKENDS
    for other in others:
        assert seen[first] == seen[other]
    assert seen[first]["arsip"] == [("a1", (1,)), ("e5", (1, 2, 3))]
    assert seen[first]['"calon pegawai"'] == [("c3", (1, 2))]


def test_hits_carry_pages_snippet_rank_and_the_total(index):
    results = run(index, parse("pegawai"), limit=2)
    assert results.total == 2 and [h.rank for h in results.hits] == [1, 2]
    by_id = {h.id: h for h in results.hits}
    assert by_id["c3"].pages == [1, 2, 3] and by_id["b2"].pages == [1]  # page 3: kepegawaian
    assert "**pegawai**" in by_id["b2"].snippet.lower()
    assert by_id["b2"].nomor == "800/045/BKPSDM/2023" and by_id["b2"].type == "surat_edaran"
    page_two = run(index, parse("kegiatan"), limit=10).hits
    assert {h.id: h.pages for h in page_two} == {"a1": [2], "e5": [1]}
    # the snippet is the page's own text, punctuation kept, with the nomor's parts highlighted
    nomor = run(index, parse('"1931/KPA.W15-A12/HM2.1.4/IX/2024"')).hits[0]
    assert "**1931**/**KPA**.**W15**-**A12**/**HM2**.**1**.**4**/**1X**/**2024**" in nomor.snippet


def test_paging_and_sorting_by_date(index):
    assert results_dates(index, "arsip OR pegawai OR undangan", sort="date") == \
        ["2021-03-01", "2022-06-30", "2023-01-12", "2023-10-25", "2024-09-16"]
    assert results_dates(index, "arsip OR pegawai OR undangan", sort="-date")[:2] == ["2024-09-16", "2023-10-25"]
    first = run(index, parse("arsip OR pegawai OR undangan"), limit=2, sort="date")
    second = run(index, parse("arsip OR pegawai OR undangan"), limit=2, offset=2, sort="date")
    assert first.total == second.total == 5
    assert [h.rank for h in second.hits] == [3, 4]
    assert [h.date for h in second.hits] == ["2023-01-12", "2023-10-25"]


def results_dates(index, text, **options):
    return [h.date for h in run(index, parse(text), limit=10, **options).hits]


def test_misspellings_fall_back_to_close_words_and_suggest_the_right_ones(index):
    results = run(index, parse("bimbingn teknis"))
    assert results.close and [h.id for h in results.hits] == ["a1"]
    assert results.suggestion == "bimbingan teknis"
    exact = run(index, parse("bimbingan teknis"))
    assert not exact.close and exact.suggestion is None
    assert run(index, parse("zzzqqq")).total == 0


def test_the_index_follows_the_archive_add_replace_retype_delete(index):
    assert index.count() == 5
    retyped = letter("e5", "notulen", "Notulen Rapat Arsip", "2022-06-30", ["Notulen rapat penataan arsip."], kka="045")
    index.add([retyped])
    assert index.count() == 5
    assert ids(index, "type:notulen") == ["e5"] and ids(index, "type:laporan") == []
    assert ids(index, "rekomendasi") == []  # the old pages are gone with the old entry
    assert run(index, parse("notulen")).hits[0].pages == [1]
    index.delete(["e5", "d4"])
    assert index.count() == 3 and sorted(index.entries()) == ["a1", "b2", "c3"]
    assert ids(index, "koordinasi", fallback=False) == []


def test_the_writer_never_commits_after_an_error(index):
    def broken():
        yield letter("f6", "laporan", "Laporan", "2024-01-01", ["halaman satu"])
        raise OSError("disk gone")

    with pytest.raises(OSError):
        index.add(broken())
    assert index.count() == 5 and "f6" not in index.entries()
    index.add([letter("f6", "laporan", "Laporan", "2024-01-01", ["halaman satu"])])  # and it can write again
    assert index.count() == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rebuild_killed_midway_is_resumed_and_swapped_in_whole(tmp_path, backend, monkeypatch):
    path = tmp_path / "index"
    old = open_index(path, backend)
    old.add(LETTERS[:1])
    old.close()
    monkeypatch.setattr("digitize.fulltext.base.REBUILD_BATCH", 2)

    def dying():
        yield from LETTERS[:3]
        raise KeyboardInterrupt  # the kill, after the first batch of two was committed

    with pytest.raises(KeyboardInterrupt):
        rebuild_index(path, backend, dying())
    finish_swap(path)
    kept = open_index(path, backend, readonly=True)
    assert kept.count() == 1  # the old index still answers
    kept.close()
    analysed = []
    counted = []

    def documents():
        for doc in LETTERS:
            analysed.append(doc.id)
            yield doc

    assert rebuild_index(path, backend, documents(), progress=counted.append) == 5
    assert counted[0] == 2 and counted[-1] == 5  # it went on from the two already committed
    fresh = open_index(path, backend, readonly=True)
    assert sorted(fresh.entries()) == ["a1", "b2", "c3", "d4", "e5"]
    fresh.close()
    assert not (tmp_path / "index.new").exists() and not (tmp_path / "index.old").exists()


def test_an_index_opens_with_its_own_backend_and_an_older_format_says_to_rebuild(tmp_path):
    from digitize.errors import ArchiveError

    ix = open_index(tmp_path / "index", "whoosh")
    ix.add(LETTERS[:1])
    ix.close()
    again = open_index(tmp_path / "index", "tantivy")  # the settings changed since: the index says what it is
    assert again.backend == "whoosh" and again.count() == 1
    again.close()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "_digitize-v2_0.toc").write_bytes(b"x")
    with pytest.raises(ArchiveError, match="older digitize: run `digitize index rebuild`"):
        open_index(tmp_path / "old", "tantivy", readonly=True)
