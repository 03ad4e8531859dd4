"""A synthetic archive in digitize's own format, for ``bench_search.py``.

Documents read like Indonesian local-government records as OCR gives them: a letterhead, a letter
number (``800/045/BKPSDM/2023``, ``1931/KPA.W15-A12/HM2.1.4/IX/2024``), place and date, sifat,
lampiran, perihal, a body of sentences from a government vocabulary in which words carry Indonesian
affixes (``pengelolaan``, ``dilaksanakan``, ``kepegawaian``), names with NIPs, and OCR noise:
look-alike letters and digits (``O``/``0``, ``l``/``1``, ``IX``/``1X``), words broken at line ends,
dropped and doubled letters, stray specks. The words follow Zipf's law over the government
vocabulary and then Sastrawi's 30,000 Indonesian root words. About 10 pages a document (a quarter
single pages, a tenth long ones of 20 to 60), seeded, so the same ``--docs`` gives the same archive.

Each document is written as digitize writes it: ``documents/<type>/<year>/<id>.json`` (the metadata)
and ``<id>.txt`` (the pages, split by form feeds), with an empty ledger, so ``digitize index
rebuild`` builds the index from it as it does for a real archive. No PDFs: the index never reads them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOTS = """
arsip kelola laksana tugas tetap angkat pegawai urus kerja rencana anggar bangun bina latih didik
sehat jalan lapor periksa awas tata atur putus undang rapat koordinasi sosialisasi evaluasi monitoring
ajar nilai hasil usul mohon tanggap jawab kirim terima simpan pinjam pindah mutasi promosi pensiun
cuti disiplin hadir absen gaji tunjang bayar pajak retribusi belanja modal barang jasa hibah bantu
sosial desa kampung distrik kota kabupaten provinsi wilayah daerah pusat dinas badan kantor bagian
bidang seksi unit layan publik penduduk catat sipil nikah lahir mati kartu keluarga tanah bangunan
izin usaha dagang industri tani ternak ikan hutan tambang energi listrik air bersih jalan jembatan
pasar sekolah guru murid siswa mahasiswa kuliah beasiswa rumah sakit puskesmas obat gizi anak ibu
lindung aman tertib bencana banjir longsor gempa kebakaran pemadam polisi tentara hukum adat gereja
masjid agama budaya wisata seni olahraga pemuda perempuan keluarga berencana statistik data informasi
teknologi komputer jaringan aplikasi sistem elektronik tanda tangan sertifikat dokumen berkas salin
surat nota dinas edaran keputusan peraturan instruksi perintah pengumuman berita acara notulen
kontrak perjanjian kwitansi faktur laporan realisasi neraca kas bendahara akuntansi audit inspektorat
""".split()
PREFIXES = ["", "", "", "meN", "peN", "di", "ber", "ter"]
SUFFIXES = ["", "", "", "an", "kan", "i", "nya"]
CIRCUMFIXES = [("peN", "an"), ("ke", "an"), ("per", "an"), ("di", "kan"), ("meN", "kan"), ("meN", "i"),
               ("ber", "an"), ("di", "i")]


def _nasal(prefix: str, root: str) -> str:
    """meN-/peN- as Indonesian writes them: membayar, memakai, menulis, mengirim, mengangkat, melapor."""
    head = prefix[:-1]
    first = root[0]
    if first in "bfv":
        return head + "m" + root
    if first == "p":
        return head + "m" + root[1:]
    if first in "dcjz":
        return head + "n" + root
    if first == "t":
        return head + "n" + root[1:]
    if first == "s":
        return head + "ny" + root[1:]
    if first == "k":
        return head + "ng" + root[1:]
    if first in "gh" or first in "aiueo":
        return head + "ng" + root
    return head + root


def affixed(prefix: str, root: str, suffix: str) -> str:
    stem = _nasal(prefix, root) if prefix.endswith("N") else prefix + root
    return stem + suffix


FUNCTION = ("yang dan di ke dari untuk dengan dalam pada oleh atas bahwa sebagai agar serta atau tersebut "
            "ini itu telah akan dapat harus perlu masih sudah belum maka demikian".split())
ENGLISH = "report meeting budget review training data system office document annual plan".split()
PLACES = ["Jayapura", "Sentani", "Merauke", "Wamena", "Biak", "Nabire", "Timika", "Sorong", "Manokwari", "Jambi",
          "Muara Bungo", "Sarolangun", "Kuala Tungkal", "Bangko", "Muara Bulian", "Sungai Penuh"]
UNITS = ["BKPSDM", "BAPPEDA", "DISDUKCAPIL", "DINKES", "DISDIK", "BPKAD", "SETDA", "DPMK", "DISHUB", "INSPEKTORAT",
         "KPA.W15-A12", "DPUPR", "DINSOS", "BPBD", "KESBANGPOL"]
BODIES = ["PEMERINTAH KABUPATEN", "PEMERINTAH KOTA", "PEMERINTAH PROVINSI", "KEMENTERIAN AGAMA KANTOR WILAYAH"]
TYPES = {"surat_undangan": "Undangan", "surat_edaran": "Surat Edaran", "surat_keputusan": "Keputusan",
         "nota_dinas": "Nota Dinas", "surat_tugas": "Surat Tugas", "laporan": "Laporan",
         "berita_acara": "Berita Acara", "peraturan": "Peraturan", "surat_keterangan": "Surat Keterangan",
         "surat_permohonan": "Permohonan"}
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
FIRST = ["Yohanes", "Maria", "Agus", "Siti", "Budi", "Dewi", "Herman", "Fransiska", "Muhammad", "Nur", "Yakobus",
         "Elisabeth", "Rahmat", "Sri", "Petrus", "Ratna", "Abdul", "Theresia", "Hendrik", "Lestari"]
LAST = ["Wenda", "Kogoya", "Rumbiak", "Sinaga", "Siregar", "Harahap", "Nasution", "Wulandari", "Saputra", "Hidayat",
        "Mandowen", "Karubaba", "Tabuni", "Pratama", "Lubis", "Simanjuntak", "Yoku", "Ohee", "Rumaropen", "Mofu"]
SIFAT = ["Biasa", "Biasa", "Biasa", "Penting", "Segera", "Rahasia"]
KKA = ["000", "005", "045", "090", "100", "400", "440", "500", "800", "800.1.2", "821.2", "841", "900", "903"]


def _dictionary() -> list[str]:
    """Sastrawi's list of about 30,000 Indonesian root words (shipped with PySastrawi, a dependency)."""
    from importlib.resources import files

    text = files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text(encoding="utf-8")
    return sorted({w.strip() for w in text.split() if w.strip().isalpha() and len(w.strip()) >= 3})


def _vocabulary(rng: random.Random) -> list[str]:
    """Words in the order of how common they are: the government vocabulary first, with its affixed
    forms, then the rest of the language's roots (a few affixed) as the long tail."""
    head: list[str] = []
    for root in ROOTS:
        head.append(root)
        for _ in range(4):
            if rng.random() < 0.5:
                before, after = rng.choice(CIRCUMFIXES)
            else:
                before, after = rng.choice(PREFIXES), rng.choice(SUFFIXES)
            head.append(affixed(before, root, after))
    rng.shuffle(head)
    tail = [w for w in _dictionary() if w not in set(ROOTS)]
    rng.shuffle(tail)
    for n, word in enumerate(tail):
        if rng.random() < 0.25:
            before, after = rng.choice(CIRCUMFIXES)
            tail[n] = affixed(before, word, after)
    return list(dict.fromkeys(head + tail))


@dataclass
class Generated:
    id: str
    type: str
    title: str
    date: str
    nomor: str
    nip: str
    perihal: str
    pages: list[str]


class Corpus:
    def __init__(self, seed: int = 20261203):
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        # Zipf's law, as word counts of real text follow: a few words very common, a long tail
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(self.words))))

    def noise(self, text: str) -> str:
        """OCR's mistakes: look-alikes, dropped or doubled letters, specks, words split at line ends."""
        rng = self.rng
        out = []
        for word in text.split(" "):
            roll = rng.random()
            if roll < 0.015 and len(word) > 3:
                at = rng.randrange(1, len(word) - 1)
                word = word[:at] + word[at + 1:]
            elif roll < 0.025 and len(word) > 3:
                at = rng.randrange(1, len(word))
                word = word[:at] + word[at] + word[at:]
            elif roll < 0.035:
                word = word.replace("o", "0", 1).replace("l", "1", 1)
            elif roll < 0.040:
                word = word + rng.choice([".", ",", "'", "|"])
            elif roll < 0.050 and len(word) > 7:
                at = len(word) // 2
                word = word[:at] + "-\n" + word[at:]
            out.append(word)
        return " ".join(out)

    def sentence(self, words: int) -> str:
        rng = self.rng
        picked = rng.choices(self.words, cum_weights=self.cumulative, k=words)
        for n in range(2, len(picked), rng.randint(3, 5)):
            picked[n] = rng.choice(FUNCTION)
        if rng.random() < 0.05:
            picked[rng.randrange(len(picked))] = rng.choice(ENGLISH)
        text = " ".join(picked)
        return text[0].upper() + text[1:] + "."

    def person(self) -> tuple[str, str]:
        rng = self.rng
        year = rng.randint(1965, 1995)
        nip = (f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} {year + rng.randint(22, 30)}"
               f"{rng.randint(1, 12):02d} {rng.randint(1, 2)} {rng.randint(1, 20):03d}")
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}", nip

    def document(self, number: int) -> Generated:
        rng = self.rng
        type_ = rng.choice(list(TYPES))
        year = rng.randint(2015, 2025)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        place = rng.choice(PLACES)
        unit = rng.choice(UNITS)
        nomor = f"{rng.choice(KKA)}/{rng.randint(1, 2999):03d}/{unit}/{ROMAN[month - 1]}/{year}"
        perihal = " ".join(rng.choices(self.words[:400], k=rng.randint(3, 6))).title()
        name, nip = self.person()
        head = (f"{rng.choice(BODIES)} {place.upper()}\n{unit}\nJalan {rng.choice(LAST)} No. {rng.randint(1, 99)} "
                f"{place}\n\n{TYPES[type_].upper()}\nNomor : {nomor}\nSifat : {rng.choice(SIFAT)}\n"
                f"Lampiran : {rng.randint(1, 5)} berkas\nPerihal : {perihal}\n\n"
                f"{place}, {day} {MONTHS[month - 1]} {year}\n")
        count = 1 if rng.random() < 0.25 else rng.randint(2, 16) if rng.random() < 0.9 else rng.randint(20, 60)
        pages = []
        for page in range(count):
            body = "\n".join(self.sentence(rng.randint(8, 20)) for _ in range(rng.randint(8, 14)))
            text = (head if page == 0 else f"- {page + 1} -\n") + body
            if page == count - 1:
                text += f"\n\nKepala {unit}\n\n{name}\nNIP. {nip}\n"
            pages.append(self.noise(text))
        digest = hashlib.sha256(f"{number}".encode()).hexdigest()
        return Generated(digest, type_, f"{TYPES[type_]} {perihal}", f"{year}-{month:02d}-{day:02d}", nomor,
                         nip.replace(" ", ""), perihal, pages)


VERSION = 2  # bump when the documents change: an archive of another version is written again


def write_archive(root: Path, docs: int, seed: int = 20261203) -> tuple[int, list[Generated]]:
    """Write ``docs`` documents under ``root`` (an archive with an empty ledger); return the number of
    pages and a sample of the documents (every 97th) for known-item queries."""
    from digitize.archive import Archive
    from digitize.ledger import Ledger

    archive = Archive(root)
    archive.ensure()
    Ledger(archive.ledger_path).close()
    corpus = Corpus(seed)
    pages = 0
    sample = []
    for number in range(docs):
        doc = corpus.document(number)
        pages += len(doc.pages)
        if number % 97 == 0:
            sample.append(doc)
        folder = root / "documents" / doc.type / doc.date[:4]
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"id": doc.id, "type": doc.type, "title": doc.title, "date": doc.date, "year": doc.date[:4],
                "files": {"pdf": f"documents/{doc.type}/{doc.date[:4]}/{doc.id}.pdf"},
                "sources": [{"path": f"scan/{doc.id[:12]}.tif", "sha256": doc.id}],
                "fields": {"nomor": {"value": doc.nomor}, "perihal": {"value": doc.perihal},
                           "nip": [{"value": doc.nip}], "kka": {"value": doc.nomor.split("/")[0]}}}
        (folder / f"{doc.id}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        (folder / f"{doc.id}.txt").write_text("\f".join(doc.pages), encoding="utf-8")
    return pages, sample


def queries(sample: list[Generated], count: int = 240, seed: int = 7) -> list[str]:
    """A fixed mix: words, two words, phrases, OR, NOT, prefixes, fuzzy, fields, ranges, nomor as
    printed, NIPs with spaces; a quarter of them known items from ``sample``."""
    rng = random.Random(seed)
    common = Corpus().words[:300]  # the archive's own vocabulary (its seed), its 300 most common words
    out: list[str] = []
    while len(out) < count:
        kind = len(out) % 12
        doc = rng.choice(sample)
        a, b = rng.choice(common), rng.choice(common)
        out.append([
            a, f"{a} {b}", f'"{" ".join(doc.pages[0].split()[40:43])}"', f"{a} OR {b}", f"{a} -{b}",
            f"{a[:5]}*", f"{a[:-1]}~" if len(a) > 4 else f"{a}~", f"type:{doc.type} {a}",
            f"year:{doc.date[:4]}..{int(doc.date[:4]) + 1} {a}", f"date:>={doc.date} {b}",
            f'nomor:"{doc.nomor}"', f'nip:"{doc.nip[:8]} {doc.nip[8:14]} {doc.nip[14]} {doc.nip[15:]}"',
        ][kind])
    return out
