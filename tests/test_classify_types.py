"""The document types of issue #5 in the built-in classes.toml, and its policy for look-alikes:
a subject type (kepegawaian, keuangan, kependudukan, peraturan) wins over a form type
(surat_keputusan, berita_acara, laporan) when its subject stands in the title."""

import pytest

from digitize.stages.classify import classify, load_rules

RULES = load_rules(None)

SK_PANGKAT = """PEMERINTAH KABUPATEN JAYAPURA
KEPUTUSAN BUPATI JAYAPURA
NOMOR 821.2/123/BKPSDM/2023
TENTANG
KENAIKAN PANGKAT PEGAWAI NEGERI SIPIL
BUPATI JAYAPURA,
Menimbang : a. bahwa Pegawai Negeri Sipil yang namanya tersebut dalam keputusan ini memenuhi syarat;
Mengingat : 1. Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;
MEMUTUSKAN:
Menetapkan :
KESATU : Menaikkan pangkat Saudara BUDI, NIP 19870830 200801 1 003, Pangkat/Gol. Penata (III/c),
gaji pokok Rp 3.500.000, masa kerja golongan 10 tahun, TMT 1 April 2023.
"""
SK_CPNS = """KEPUTUSAN KEPALA BADAN KEPEGAWAIAN DAERAH
NOMOR 813/45/BKD/2022
TENTANG PENGANGKATAN CALON PEGAWAI NEGERI SIPIL
Menimbang : bahwa ...
MEMUTUSKAN:
Menetapkan : KESATU : mengangkat sebagai CPNS ...
"""
SKP = """SASARAN KERJA PEGAWAI (SKP)
PEJABAT PENILAI  PEGAWAI YANG DINILAI
Nama : Budi  NIP : 19870830 200801 1 003  Pangkat/Gol : Penata
"""
PERBUP = """BUPATI MERAUKE
PROVINSI PAPUA SELATAN
PERATURAN BUPATI MERAUKE
NOMOR 5 TAHUN 2019
TENTANG
PENYELENGGARAAN KEARSIPAN
DENGAN RAHMAT TUHAN YANG MAHA ESA
BUPATI MERAUKE,
Menimbang : a. bahwa ...
MEMUTUSKAN:
Menetapkan : PERATURAN BUPATI TENTANG PENYELENGGARAAN KEARSIPAN.
BAB I
KETENTUAN UMUM
Pasal 1
Dalam Peraturan Bupati ini yang dimaksud dengan ...
Diundangkan di Merauke
BERITA DAERAH KABUPATEN MERAUKE TAHUN 2019 NOMOR 5
"""
KTP = """PROVINSI JAMBI
KOTA JAMBI
NIK : 1571015203980003
Nama : NUR AINI SAFITRI
Tempat/Tgl Lahir : JAMBI, 12-03-1998
Jenis Kelamin : PEREMPUAN Gol. Darah : O
Agama : ISLAM
Status Perkawinan : BELUM KAWIN
Kewarganegaraan : WNI
KARTU TANDA PENDUDUK
"""
AKTA = """REPUBLIK INDONESIA
KUTIPAN AKTA KELAHIRAN
Berdasarkan Akta Kelahiran Nomor 1571-LT-12032019-0001
Dinas Kependudukan dan Pencatatan Sipil Kota Jambi
"""
KUITANSI = """KUITANSI
No. Bukti : 000209
Sudah terima dari : Bendahara Pengeluaran BPS Kabupaten Takalar
Uang sejumlah : Rp 1.250.000
Terbilang : satu juta dua ratus lima puluh ribu rupiah
Untuk pembayaran : honor petugas survei
"""
BKU = """BUKU KAS UMUM
Tahun Anggaran : (2021)
Satuan Kerja : (428873) BADAN PUSAT STATISTIK KAB. TAKALAR
Bulan : Desember 2021
Saldo Awal 13.274.884
30-12-2021 000870 Pungut Pajak PPH Pasal 21 Nomor Kuitansi 000209 99.600
"""
BA_REKON = """BERITA ACARA REKONSILIASI
Nomor: BAR-89618/WPB.13/KP.134/2021
Pada hari ini Selasa tanggal Lima bulan Oktober tahun Dua Ribu Dua Puluh Satu telah diselenggarakan
rekonsiliasi Laporan Realisasi Anggaran antara Unit Akuntansi Kuasa Pengguna Anggaran dengan KPPN.
"""
BA_KAS = """BERITA ACARA PEMERIKSAAN KAS DAN REKONSILIASI
Pada hari ini, Kamis Tiga Puluh September Dua Ribu Dua Puluh Satu, kami selaku Kuasa Pengguna Anggaran
telah melakukan pemeriksaan kas Bendahara Pengeluaran dengan posisi Saldo Buku Kas Umum sebesar Rp 109.756.600
"""
LPJ = """FORM LPJ LAPORAN PERTANGGUNGJAWABAN BENDAHARA PENGELUARAN
Bulan : September 2021
Saldo awal, penerimaan, pengeluaran dan saldo akhir kas bendahara pengeluaran.
"""
BA_SERAH = """PEMERINTAH KABUPATEN MERAUKE
BERITA ACARA SERAH TERIMA ARSIP INAKTIF
Nomor: 045/77/BA-DKP/X/2023
Pada hari ini Senin tanggal tiga puluh bulan Oktober tahun dua ribu dua puluh tiga,
kami yang bertanda tangan di bawah ini: PIHAK PERTAMA ... PIHAK KEDUA ...
"""
SURAT_KETERANGAN = """PEMERINTAH KOTA JAMBI
KECAMATAN KOTA BARU
SURAT KETERANGAN
Nomor : 470/55/KB/2023
Yang bertanda tangan di bawah ini menerangkan bahwa Saudara BUDI adalah benar warga kami.
"""
PENGUMUMAN = """PENGUMUMAN
Nomor : 800/12/BKPSDM/2023
TENTANG HASIL SELEKSI ADMINISTRASI
Diberitahukan kepada peserta seleksi ...
"""
LAPORAN_AUDIT = """PEMERINTAH KABUPATEN JAYAPURA
LAPORAN HASIL AUDIT KEARSIPAN INTERNAL
BAB I PENDAHULUAN
Kesimpulan dan penutup.
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (SK_PANGKAT, "kepegawaian"),  # an SK, but its subject is a civil servant's rank
        (SK_CPNS, "kepegawaian"),
        (SKP, "kepegawaian"),
        (PERBUP, "peraturan"),
        (KTP, "kependudukan"),
        (AKTA, "kependudukan"),
        (KUITANSI, "keuangan"),
        (BKU, "keuangan"),
        (BA_REKON, "keuangan"),  # a berita acara about finance: subject wins
        (BA_KAS, "keuangan"),  # the look-alike, the same policy
        (LPJ, "keuangan"),
        (BA_SERAH, "berita_acara"),
        (SURAT_KETERANGAN, "surat_keterangan"),  # issue 11: a type of its own
        (PENGUMUMAN, "lainnya"),
        (LAPORAN_AUDIT, "laporan"),
    ],
)
def test_issue_5_types(text, expected):
    result = classify([text], RULES)
    assert result.type == expected, result.scores
    assert 0 < result.confidence <= 1


def test_all_issue_5_types_are_defined():
    names = {t.name for t in RULES.types}
    assert names >= {
        "surat_undangan", "surat_edaran", "surat_keputusan", "nota_dinas", "surat_tugas", "surat_izin",
        "laporan", "berita_acara", "peraturan", "kepegawaian", "keuangan", "kependudukan", "lainnya",
    }  # fmt: skip


# --- issue 11: letters known by their structure, and kinds named in the title or subject -------------

def _letter(kop: str, hal: str, body: str, sep: str = ":") -> str:
    return (f"{kop}\nJl. Merdeka No. 5 Telp. (0967) 123456\n\nKota Baru, 3 Maret 2021\n"
            f"Nomor {sep} 800/123/BKD/2021\nSifat {sep} Biasa\nLampiran {sep} -\nHal {sep} {hal}\n\n"
            f"Yth. Kepala Dinas Pendidikan\ndi -\n  Tempat\n\n{body}\n\n"
            "Demikian disampaikan, atas perhatiannya diucapkan terima kasih.\n\nKEPALA BADAN,\n\nNama Pejabat\n")


KOP = "PEMERINTAH KABUPATEN CONTOH\nBADAN KEPEGAWAIAN DAERAH"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a letter that names no kind of its own is a surat dinas, even when its body cites an edaran or an SK
        (_letter(KOP, "Penyampaian Data Pegawai", "Menindaklanjuti Surat Edaran Menteri Dalam Negeri Nomor 1\n"
                 "Tahun 2021, bersama ini kami sampaikan data pegawai."), "surat_dinas"),
        (_letter(KOP, "Pemberitahuan Jadwal", "Menindaklanjuti Surat Keputusan Kepala Badan tentang jadwal,\n"
                 "kami beritahukan jadwal kegiatan."), "surat_dinas"),
        # the subject names the kind, whatever separator OCR read
        (_letter(KOP, "Permohonan Data Pegawai", "Dengan ini kami mohon data pegawai."), "surat_permohonan"),
        (_letter(KOP, "Mohon Kesediaan Narasumber", "Kami mohon kesediaan Bapak.", sep="-"), "surat_permohonan"),
        (_letter(KOP, "Ralat Edaran Hari Libur", "Bersama ini disampaikan ralat."), "surat_edaran"),
        # a title line of its own
        (f"{KOP}\n\nSURAT PENGANTAR\nNomor : 12/BKD/2021\n\nNo. Naskah Dinas/Barang Yang dikirimkan Banyaknya\n"
         "1. Data pegawai 1 berkas\n", "surat_pengantar"),
        (f"{KOP}\n\nSURAT PERNYATAAN\n\nYang bertanda tangan di bawah ini menyatakan dengan sesungguhnya bahwa\n"
         "data yang disampaikan benar.\n", "surat_pernyataan"),
        (f"{KOP}\n\nSURAT KETERANGAN\nNomor : 13/BKD/2021\n\nKepala Badan menerangkan bahwa yang bersangkutan\n"
         "benar pegawai kami.\n", "surat_keterangan"),
    ],
)
def test_letter_kinds_from_structure_title_and_subject(text, expected):
    result = classify([text], RULES)
    assert result.type == expected, result.scores


def test_a_page_without_letter_structure_stays_unclassified():
    result = classify(["Catatan rapat kecil\nhadir tiga orang\nselesai pukul dua belas"], RULES)
    assert result.type == "unclassified", result.scores


def test_a_subject_cited_in_the_text_does_not_name_the_letters_kind():
    text = ("PEMERINTAH KABUPATEN CONTOH\nBADAN KEPEGAWAIAN DAERAH\n\nSURAT TUGAS\nNomor : 800/12/BKD/2023\n\n"
            "Dasar : Surat Kepala Dinas Nomor 2105/KR.VII/II/2023 perihal Undangan Rapat Koordinasi.\n\n"
            "MENUGASKAN\nKepada : Nama Pegawai\nUntuk : mengikuti rapat koordinasi.\n")
    result = classify([text], RULES)
    assert result.type == "surat_tugas", result.scores
