"""Field extraction on hand-checked, real-world-looking OCR strings.

Each field has a set of cases (positives, OCR-damaged variants and near-misses
that must not be extracted). The tests compute precision and recall over each
set and assert precision >= 0.98 and recall >= 0.9, listing the cases that fail.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitize.fields import (
    PROVINCES,
    extract_fields,
    find_instansi,
    find_niks,
    find_nips,
    find_nomor,
    find_perihal,
    find_tanggal,
    kka_from_nomor,
    parse_nik,
    parse_nip,
    title_case,
    validate_nik,
    validate_nip,
    words_to_number,
)

from .conftest import SAMPLES

TODAY = date(2025, 6, 30)

NOMOR_CASES = [
    ("Nomor : 800/123/BKPSDM/2023", "800/123/BKPSDM/2023"),
    ("Nomor: B-99/IJ/KP.07.6/04/2020", "B-99/IJ/KP.07.6/04/2020"),
    ("KEPUTUSAN BUPATI JAYAPURA\nNOMOR 23 TAHUN 2020\nTENTANG", "23 TAHUN 2020"),
    ("Nomor : 005/ 45 /Bag.Um", "005/45/Bag.Um"),
    ("N0mor : 421.2/118/SMPN.1/2022", "421.2/118/SMPN.1/2022"),
    ("Nomer : 090/77/Setda/2021", "090/77/Setda/2021"),
    ("No. : 045/12/DISARPUS/2023", "045/12/DISARPUS/2023"),
    ("No : 503/071/DPMPTSP/VI/2023", "503/071/DPMPTSP/VI/2023"),
    ("Nomor   :   870/ 1234 /BKD/XII/2019", "870/1234/BKD/XII/2019"),
    ("SURAT EDARAN\nNOMOR B-99/DISARPUS/KP.07.6/04/2023\nTENTANG", "B-99/DISARPUS/KP.07.6/04/2023"),
    ("Nomor : 800/123/BKPSDM/2023          Sentani, 25 Oktober 2023", "800/123/BKPSDM/2023"),
    ("Nomor : 005/214/DISARPUS/2023 Sentani, 25 Oktober 2023", "005/214/DISARPUS/2023"),
    ("Nornor : 900/456/BPKAD/2022", "900/456/BPKAD/2022"),
    ("Nomor; 060/15/Org/2020", "060/15/Org/2020"),
    ("NOMOR : 188.342/05/HUK/2021", "188.342/05/HUK/2021"),
    ("Nomor : 12 Tahun 2021", "12 Tahun 2021"),
    ("PERATURAN BUPATI MERAUKE\nNOMOR 5 TAHUN 2019\nTENTANG", "5 TAHUN 2019"),
    ("BERITA ACARA REKONSILIASI\nNomor: BAR-89618/WPB.13/KP.134/2021", "BAR-89618/WPB.13/KP.134/2021"),
    ("Nomor : 8OO/123/BKPSDM/2O23", "800/123/BKPSDM/2023"),
    ("No.: 474.1/ 33 /Dukcapil/2022", "474.1/33/Dukcapil/2022"),
    ("Nomor : 141/ 07 /Kel.Sentani/III/2023", "141/07/Kel.Sentani/III/2023"),
    ("Nomor : 005/45/Bag.Um\nDasar : Surat Kepala BKN Nomor 2105/KR.VII/II/2023 perihal Rapat", "005/45/Bag.Um"),
    ("Dasar : Surat Dekan Nomor 1123/UN21.8/PT.01.04/2023 tanggal 5 Juni 2023\nNomor : 503/071/DPMPTSP/VI/2023",
     "503/071/DPMPTSP/VI/2023"),
    ("Nomor : 800 / 2345 / BKPSDM", "800/2345/BKPSDM"),
    ("     Nomor : 027/110/PBJ/2023", "027/110/PBJ/2023"),
    ("Nomor : SPT/45/DISHUB/2023", "SPT/45/DISHUB/2023"),
    ("Nomor : 094/ 512 /SPPD/2022", "094/512/SPPD/2022"),
    ("NOMOR : 821.2/1987/BKD", "821.2/1987/BKD"),
    ("Nomor : 420/ 55 /SD.INPRES/2019", "420/55/SD.INPRES/2019"),
    ("INSTRUKSI WALI KOTA JAMBI\nNOMOR 3 TAHUN 2022\nTENTANG", "3 TAHUN 2022"),
    ("Nomor : 440/1.234/Dinkes/2021", "440/1.234/Dinkes/2021"),
    ("Nomor: 900/ 3.12 /BKU/2021", "900/3.12/BKU/2021"),
    ("NOTA DINAS\nKepada Yth. : Bupati\nNomor : 005/45/Bag.Um\nSifat : Segera", "005/45/Bag.Um"),
    # near-misses: no nomor of this letter
    ("Jl. Raya Sentani - Kemiri No. 17, Sentani", None),
    ("Nomor Telepon : 0812-4800-1234", None),
    ("No. HP : 081248001234", None),
    ("Mengingat : 1. Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan", None),
    ("Nomor 43 Tahun 2009 tentang Kearsipan (Lembaran Negara Tahun 2009)", None),
    ("Nomor Induk Pegawai : 19870830 200801 1 003", None),
    ("Nomor Rekening : 1234-01-000123-30-1", None),
    ("Nomor : -", None),
    ("Surat Kepala Kantor Regional VII BKN Nomor 2105/KR.VII/II/2023 perihal Undangan", None),
    ("No. Rek. 0123456789 a.n. Bendahara", None),
    ("Nomor/Tanggal Dokumen : DIPA-054.01.2.428873/2021 / 23-11-2020", None),
    ("Nomor Kuitansi 000209", None),
    ("Kode Pos 99352, Telp (0967) 591234", None),
]

TANGGAL_CASES = [
    ("Sentani, 25 Oktober 2023", "2023-10-25"),
    ("Jayapura, 2 Januari 2024", "2024-01-02"),
    ("Jambi, 14 Juni 2023", "2023-06-14"),
    ("Merauke, 25 Okt 2023", "2023-10-25"),
    ("Sentani, 25-10-2023", "2023-10-25"),
    ("Jambi, 25/10/2023", "2023-10-25"),
    ("Ditetapkan di Merauke\npada tanggal 14 Agustus 2023", "2023-08-14"),
    ("Ditetapkan di : Jambi\npada tanggal : 17 April 2023", "2023-04-17"),
    ("Dikeluarkan di : Jambi\npada tanggal : 6 Maret 2023", "2023-03-06"),
    ("Pada hari ini Senin tanggal tiga puluh bulan Oktober tahun dua ribu dua puluh tiga, bertempat di",
     "2023-10-30"),
    ("tanggal dua puluh lima bulan Oktober tahun dua ribu dua puluh tiga", "2023-10-25"),
    ("Sentani, 25 Okiober 2023", "2023-10-25"),
    ("Merauke, 12 Desernber 2022", "2022-12-12"),
    ("Jambi, 2 Pebruari 2021", "2021-02-02"),
    ("Sentani, 7 Nopember 2019", "2019-11-07"),
    ("Sentani, 25 Oktober 2O23", "2023-10-25"),
    ("NOTA DINAS\nDari : Kepala Bagian Umum\nTanggal : 12 September 2023\nNomor : 005/45/Bag.Um", "2023-09-12"),
    ("Menurut surat tanggal 1 Januari 2020 ...\nSentani, 25 Oktober 2023", "2023-10-25"),
    ("Tempat/Tgl. Lahir : Jambi, 12 Maret 1998\nPekerjaan : Mahasiswa\nJambi, 14 Juni 2023", "2023-06-14"),
    ("Hari/Tanggal : Kamis, 2 November 2023\nTempat : Aula\nSentani, 25 Oktober 2023", "2023-10-25"),
    ("Kab. Bolaang Mongondow Ut, 01-03-2021\nBendahara Pengeluaran", "2021-03-01"),
    ("Pada hari ini, Kamis Tiga Puluh September Dua Ribu Dua Puluh Satu, kami selaku", "2021-09-30"),
    ("Pada hari ini Selasa tanggal Lima bulan Oktober tahun Dua Ribu Dua Puluh Satu telah", "2021-10-05"),
    ("Jakarta, 31 Agustus 2022", "2022-08-31"),
    ("Sentani, 1 Juli 2023", "2023-07-01"),
    ("Makassar, 3 Mei 2021", "2021-05-03"),
    ("Rapat tanggal 25 Okt 2023", "2023-10-25"),
    ("Denpasar, 17 Agustus 2020", "2020-08-17"),
    ("Ditetapkan di Sentani pada tanggal 30 Desember 2022", "2022-12-30"),
    ("Kupang, 5 Sept. 2022", "2022-09-05"),
    ("Sentani, 09.10.2023", "2023-10-09"),
    ("pada hari ini tanggal 30 (tiga puluh) bulan Oktober tahun 2023", "2023-10-30"),
    ("Biak, 29 Februari 2024", "2024-02-29"),
    ("Nomor : 005/45/Bag.Um          Sentani, 12 September 2023", "2023-09-12"),
    # near-misses
    ("Sentani, 31 Februari 2023", None),
    ("Tempat/Tgl. Lahir : Jambi, 12 Maret 1998", None),
    ("Nomor : 800/12/05/2023", None),
    ("Telp. (0967) 591234", None),
    ("tanpa tanggal", None),
    ("Sentani, 25 Oktober", None),
    ("NIP. 19870830 200801 1 003", None),
    ("Jumlah Rp 1.250.000,00", None),
]

PERIHAL_CASES = [
    ("Perihal : Undangan Rapat Koordinasi", "Undangan Rapat Koordinasi"),
    ("Hal : Undangan Bimbingan Teknis Pengelolaan Arsip Dinamis",
     "Undangan Bimbingan Teknis Pengelolaan Arsip Dinamis"),
    ("Perihal: Permohonan Data Pegawai", "Permohonan Data Pegawai"),
    ("Hal: Usulan Pengadaan Sarana Penyimpanan Arsip Inaktif", "Usulan Pengadaan Sarana Penyimpanan Arsip Inaktif"),
    ("Perihal ; Laporan Kegiatan", "Laporan Kegiatan"),
    ("Perlhal : Penyampaian Laporan Keuangan", "Penyampaian Laporan Keuangan"),
    ("Ha1 : Pemberitahuan", "Pemberitahuan"),
    ("Nomor : 005/45/Bag.Um\nSifat : Biasa\nLampiran : -\nPerihal : Undangan Bimbingan Teknis",
     "Undangan Bimbingan Teknis"),
    ("Perihal : Undangan Bimbingan Teknis          Sentani, 25 Oktober 2023", "Undangan Bimbingan Teknis"),
    ("Perihal : Usulan Pengadaan Sarana\n           Penyimpanan Arsip Inaktif\nYth. Sekretaris Daerah",
     "Usulan Pengadaan Sarana Penyimpanan Arsip Inaktif"),
    ("Hal : Permohonan izin penggunaan\naula kantor\n\nKepada Yth.", "Permohonan izin penggunaan aula kantor"),
    ("KEPUTUSAN BUPATI MERAUKE\nNOMOR 23 TAHUN 2023\nTENTANG\nPEMBENTUKAN TIM PENILAI ARSIP\n"
     "DENGAN RAHMAT TUHAN YANG MAHA ESA", "Pembentukan Tim Penilai Arsip"),
    ("SURAT EDARAN\nNOMOR 3 TAHUN 2023\nTENTANG\nPELAKSANAAN GERAKAN NASIONAL SADAR TERTIB ARSIP\n"
     "DI LINGKUNGAN PEMERINTAH PROVINSI JAMBI\n\nDalam rangka mewujudkan tertib arsip",
     "Pelaksanaan Gerakan Nasional Sadar Tertib Arsip di Lingkungan Pemerintah Provinsi Jambi"),
    ("PERATURAN DAERAH KABUPATEN JAYAPURA\nNOMOR 5 TAHUN 2019\nTENTANG\nPENYELENGGARAAN KEARSIPAN\n"
     "DENGAN RAHMAT TUHAN YANG MAHA ESA\nBUPATI JAYAPURA,", "Penyelenggaraan Kearsipan"),
    ("KEPUTUSAN KEPALA DINAS\nTENTANG : PEMBENTUKAN TIM PENGELOLA ARSIP\nKEPALA DINAS,",
     "Pembentukan Tim Pengelola Arsip"),
    ("PEMERINTAH KOTA JAMBI\nDINAS PENANAMAN MODAL\nSURAT IZIN PENELITIAN\nNomor: 503/071/DPMPTSP/VI/2023",
     "Surat Izin Penelitian"),
    ("LAPORAN HASIL AUDIT KEARSIPAN INTERNAL\nPADA DINAS KESEHATAN KABUPATEN JAYAPURA\nTAHUN 2023\n"
     "Nomor: 045/318/DISARPUS/2023",
     "Laporan Hasil Audit Kearsipan Internal pada Dinas Kesehatan Kabupaten Jayapura Tahun 2023"),
    ("BERITA ACARA SERAH TERIMA ARSIP INAKTIF\nNomor: 045/77/BA-DKP/X/2023", "Berita Acara Serah Terima Arsip Inaktif"),
    ("BERITA ACARA PEMUSNAHAN ARSIP\nNomor : 045/12/BA/2022", "Berita Acara Pemusnahan Arsip"),
    ("Perihal : Penyampaian SPJ Bulan Oktober 2023", "Penyampaian SPJ Bulan Oktober 2023"),
    ("Hal : Mohon Bantuan Data Kepegawaian.", "Mohon Bantuan Data Kepegawaian"),
    ("PERIHAL : UNDANGAN RAPAT", "Undangan Rapat"),
    ("Perihal : Permohonan Izin Penelitian a.n. Nur Aini", "Permohonan Izin Penelitian a.n. Nur Aini"),
    ("Hal : Pemberitahuan Jadwal Ujian Dinas Tahun 2023", "Pemberitahuan Jadwal Ujian Dinas Tahun 2023"),
    ("Perihal : Undangan\nYth. Kepala Dinas", "Undangan"),
    ("  Perihal    :   Pengiriman Berkas Usul Kenaikan Pangkat", "Pengiriman Berkas Usul Kenaikan Pangkat"),
    ("Lampiran : 1 (satu) berkas\nHal : Usul Pensiun a.n. Sdr. Markus", "Usul Pensiun a.n. Sdr. Markus"),
    ("SURAT KETERANGAN PINDAH\nNomor : 474.1/55/Dukcapil/2023", "Surat Keterangan Pindah"),
    ("Perihal : Permohonan Rekomendasi\nKepada", "Permohonan Rekomendasi"),
    ("Hal : Undangan Rapat Evaluasi Pelaksanaan Kegiatan Triwulan III",
     "Undangan Rapat Evaluasi Pelaksanaan Kegiatan Triwulan III"),
    ("Perihal : Laporan Realisasi Anggaran\nSemester I Tahun 2023\nKepada Yth.",
     "Laporan Realisasi Anggaran Semester I Tahun 2023"),
    # as Tesseract read a speckled circular and a decree with its label column in between
    ("SURAT EDARAN\nNOMOR B-99/DISARPUS/KP.07.6/04/2023\n: . TENTANG : noe\n. PELAKSANAAN GERAKAN NASIONAL\n"
     ": DI LINGKUNGAN PEMERINTAH PROVINSI JAMBI\n\nDalam rangka mewujudkan tertib arsip",
     "Pelaksanaan Gerakan Nasional di Lingkungan Pemerintah Provinsi Jambi"),
    ("KEPUTUSAN BUPATI MERAUKE\nNOMOR 23 TAHUN 2023\nTENTANG\n\nPEMBENTUKAN TIM PENILAI ARSIP\n\nMenimbang\n\n"
     "Mengingat\n\nKESATU\n\nPENGELOLA ARSIP INAKTIF\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA\nBUPATI MERAUKE,",
     "Pembentukan Tim Penilai Arsip Pengelola Arsip Inaktif"),
    # near-misses
    ("SURAT TUGAS\nNomor: 800/123/BKPSDM/2023\nDasar : Peraturan Wali Kota", None),
    ("NOTA DINAS\nKepada Yth. : Sekretaris Daerah", None),
    ("Dalam hal ini kami sampaikan bahwa kegiatan telah selesai.", None),
    ("Surat Dekan tanggal 5 Juni 2023 perihal Permohonan Izin Penelitian.", None),
    ("Hal-hal yang perlu diperhatikan:", None),
    ("Perihal : -", None),
    ("SURAT EDARAN\nNOMOR B-99/DISARPUS/KP.07.6/04/2023\n\nDalam rangka mewujudkan tertib arsip", None),
    ("KEPUTUSAN BUPATI\nNOMOR 23 TAHUN 2023", None),
]

NIP_CASES = [
    ("NIP. 19870830 200801 1 003", ["198708302008011003"]),
    ("NIP.19870830 200801 1 003", ["198708302008011003"]),
    ("NIP : 19870830200801 1 003", ["198708302008011003"]),
    ("NIP:198708302008011003", ["198708302008011003"]),
    ("NIP. l9870830 2OO8O1 1 OO3", ["198708302008011003"]),
    ("NIP 19870830  200801  1  003", ["198708302008011003"]),
    ("NlP. 19680412 199303 1 007", ["196804121993031007"]),
    ("NIP. 19750915 200012 2 0O4", ["197509152000122004"]),
    ("NIP 19860519.201012.1.004", ["198605192010121004"]),
    ("Saudara YAKOBUS SAMKAKAI, S.Sos., NIP 19860519 201012 1 004, Penata (III/c)", ["198605192010121004"]),
    ("| 3 | Budi Santoso | 19900725 201503 2 001 | Penata Muda |", ["199007252015032001"]),
    ("NIP. 19870830 200801 1 003 dan NIP. 19911003 201503 2 006", ["198708302008011003", "199110032015032006"]),
    ("NIP/NRP : 19651212 198903 1 011", ["196512121989031011"]),
    ("Drs. ELIAS W. KAREMBO, M.Si.\nPembina Utama Muda\nNIP. 19680412 199303 1 007", ["196804121993031007"]),
    ("NIP. 19580817 198103 1 005", ["195808171981031005"]),
    ("NIP. 19951231 202101 2 003", ["199512312021012003"]),
    ("NIP. 19770304 200312 1 009", ["197703042003121009"]),
    ("NIP 19811209 200601 2 014", ["198112092006012014"]),
    ("NIP. 19700218 199503 1 002", ["197002181995031002"]),
    ("NIP. 196501011987031010", ["196501011987031010"]),
    ("Nama : DEWI ANGGRAINI\nNIP : 19910214 201503 2 006\nPangkat : Penata", ["199102142015032006"]),
    ("NIP.19920317 201903 2 011;", ["199203172019032011"]),
    ("NIP. 19720611 199803 2 005 (Pembina Utama Muda)", ["197206111998032005"]),
    ("NIP. 19810101 2OO5O1 1 OO2", ["198101012005011002"]),
    ("NIP. 19880808 201001 1 008\nNIP. 19880808 201001 1 008", ["198808082010011008"]),
    # near-misses: must not be reported
    ("NIP. 19871330 200801 1 003", []),  # birth month 13
    ("NIP. 19870230 200801 1 003", []),  # 30 February
    ("NIP. 19870830 200813 1 003", []),  # appointment month 13
    ("NIP. 19870830 200801 3 003", []),  # sex digit 3
    ("NIP. 19870830 199801 1 003", []),  # appointed at 11
    ("NIP. 19870830 203001 1 003", []),  # appointed in the future
    ("NIP. 19300830 195001 1 003", []),  # born before 1940
    ("NIP. 19870830 200801 1 000", []),  # sequence 000
    ("NIP. 19870830 200801 1 03", []),  # 17 digits
    ("NIP. 19870830 200801 1 0031", []),  # 19 digits
    ("NPWP : 01.234.567.8-901.000", []),
    ("Telp. 0812 4800 1234", []),
    ("No. Rekening 123456789012345678", []),
    ("NIK : 1571015203980003", []),
]

NIK_CASES = [
    ("NIK : 1571015203980003", [("1571015203980003", "female", "1998-03-12")]),
    ("NIK 3174012505850001", [("3174012505850001", "male", "1985-05-25")]),
    ("NIK: 3273224107900002", [("3273224107900002", "female", "1990-07-01")]),
    ("NIK. 9101016708010004", [("9101016708010004", "female", "2001-08-27")]),
    ("Nomor Induk Kependudukan : 5171030101700011", [("5171030101700011", "male", "1970-01-01")]),
    ("NIK : 7371105512950007", [("7371105512950007", "female", "1995-12-15")]),
    ("NIK 1271031703880002", [("1271031703880002", "male", "1988-03-17")]),
    ("NIK : 3578106004030001", [("3578106004030001", "female", "2003-04-20")]),
    ("NIK : 6471052909760003", [("6471052909760003", "male", "1976-09-29")]),
    ("NIK : 1803121010100005", [("1803121010100005", "male", "2010-10-10")]),
    ("NIK : 3174 0125 0585 0001", [("3174012505850001", "male", "1985-05-25")]),
    ("NIK. 3273 2241 0790 0002", [("3273224107900002", "female", "1990-07-01")]),
    ("NIK : 3174O12505850001", [("3174012505850001", "male", "1985-05-25")]),
    ("NlK: 1571015203980003", [("1571015203980003", "female", "1998-03-12")]),
    ("Nama : NUR AINI SAFITRI\nNIK : 1571015203980003\nTempat/Tgl. Lahir : Jambi, 12 Maret 1998",
     [("1571015203980003", "female", "1998-03-12")]),
    ("| 1 | Budi | 3174012505850001 | Laki-laki |", [("3174012505850001", "male", "1985-05-25")]),
    ("NIK : 1571015203980003\nNIK : 3174012505850001",
     [("1571015203980003", "female", "1998-03-12"), ("3174012505850001", "male", "1985-05-25")]),
    ("NIK : 9371014412000001", [("9371014412000001", "female", "2000-12-04")]),
    ("NIK : 3201010101500001", [("3201010101500001", "male", "1950-01-01")]),
    ("NIK: 6302094506820003", [("6302094506820003", "female", "1982-06-05")]),
    ("NIK : 2171026902040001", [("2171026902040001", "female", "2004-02-29")]),
    ("NIK : 1101010101010001", [("1101010101010001", "male", "2001-01-01")]),
    # near-misses
    ("NIK : 3174017205850001", []),  # day 72 (72 - 40 = 32)
    ("NIK : 3174013205850001", []),  # day 32
    ("NIK : 3174012513850001", []),  # month 13
    ("NIK : 9901012505850001", []),  # province 99
    ("NIK : 3100012505850001", []),  # regency 00
    ("NIK : 3174012505850000", []),  # sequence 0000
    ("NIK : 3174012902010001", []),  # 29 February 2001
    ("No. KK : 3174012505850001", []),  # a family card number
    ("No. Rekening : 3174012505850001", []),
    ("NPWP : 3174012505850001", []),
    ("Telp. 0812 4800 1234", []),
    ("NIP. 19870830 200801 1 003", []),
    ("NIK : 317401250585000", []),  # 15 digits
    ("NIK : 31740125058500012", []),  # 17 digits
    ("05-02-2021 000054 SPMLS Bendahara Nomor SP2D 210591301000487 1.920.000", []),  # 15 digits, then an amount
    ("Nomor SPM 2105913010004871", []),
    ("NIK : 3174 01 2505 850001", []),  # not a way NIKs are printed
    ("NIK : 157101 520398 0003", [("1571015203980003", "female", "1998-03-12")]),
]


def _score(results: list[tuple[str, object, object]]) -> tuple[float, float, list[str]]:
    """Precision and recall of (text, expected, got) with single values or lists of values."""
    tp = fp = fn = 0
    failures = []
    for text, expected, got in results:
        want = set(expected) if isinstance(expected, list) else ({expected} if expected is not None else set())
        have = set(got) if isinstance(got, list) else ({got} if got is not None else set())
        tp += len(want & have)
        fp += len(have - want)
        fn += len(want - have)
        if want != have:
            failures.append(f"{text!r}: expected {sorted(want)}, got {sorted(have)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, failures


def _check(results, minimum_cases=30):
    assert len(results) >= minimum_cases
    precision, recall, failures = _score(results)
    message = f"precision {precision:.3f}, recall {recall:.3f}; failing cases:\n" + "\n".join(failures)
    assert precision >= 0.98 and recall >= 0.9, message
    return precision, recall


def _value(found):
    return found["value"] if found else None


@pytest.mark.parametrize("cases,read", [
    (NOMOR_CASES, lambda text: _value(find_nomor(text.split("\f")))),
    (TANGGAL_CASES, lambda text: _value(find_tanggal([text]))),
    (PERIHAL_CASES, lambda text: _value(find_perihal([text]))),
    (NIP_CASES, lambda text: [n["value"] for n in find_nips([text], TODAY)]),
], ids=["nomor", "tanggal", "perihal", "nip"])
def test_field_precision_recall(cases, read):
    _check([(text, expected, read(text)) for text, expected in cases])


def test_nik_precision_recall():  # expected values are (nik, sex, birth date) triples
    _check([(text, [tuple(e) for e in expected],
             [(n["value"], n["sex"], n["birth_date"]) for n in find_niks([text], TODAY)])
            for text, expected in NIK_CASES])


def test_every_value_has_page_and_confidence():
    pages = [
        "PEMERINTAH KABUPATEN JAYAPURA\nDINAS KEARSIPAN DAN PERPUSTAKAAN\nJl. Raya Sentani No. 17\n"
        "Nomor : 005/214/DISARPUS/2023\nSifat : Penting\nLampiran : 1 (satu) lembar\n"
        "Hal : Undangan Bimbingan Teknis\n",
        "Sentani, 25 Oktober 2023\nKepala Dinas Kearsipan dan Perpustakaan\nKabupaten Jayapura,\n\n"
        "Drs. ELIAS W. KAREMBO, M.Si.\nPembina Utama Muda\nNIP. 19680412 199303 1 007\n"
        "Peserta: NIK 1571015203980003\n",
    ]
    fields = extract_fields(pages, today=TODAY)
    for name in ("nomor", "kka", "tanggal", "perihal", "lampiran", "sifat", "instansi", "penandatangan", "jabatan"):
        assert set(fields[name]) >= {"value", "page", "confidence"}, name
        assert 0 < fields[name]["confidence"] <= 1
    assert fields["nomor"]["page"] == 1 and fields["tanggal"]["page"] == 2
    assert fields["kka"] == {"value": "005", "page": 1, "confidence": fields["kka"]["confidence"], "source": "nomor"}
    assert fields["instansi"]["value"] == "Pemerintah Kabupaten Jayapura / Dinas Kearsipan dan Perpustakaan"
    assert fields["instansi"]["unit"] == "Dinas Kearsipan dan Perpustakaan"
    assert fields["instansi"]["pemerintah"] == "Pemerintah Kabupaten Jayapura"
    assert fields["jabatan"]["value"] == "Kepala Dinas Kearsipan dan Perpustakaan Kabupaten Jayapura"
    assert fields["penandatangan"]["value"] == "Drs. ELIAS W. KAREMBO, M.Si."
    assert fields["penandatangan"]["nip"] == "196804121993031007"
    assert fields["nip"] == [{"value": "196804121993031007", "page": 2, "confidence": 0.95}]
    assert fields["nik"][0]["sex"] == "female" and fields["nik"][0]["birth_date"] == "1998-03-12"
    assert "lampiran" not in extract_fields(["Lampiran : -"])


def test_signature_block_with_the_name_lost_under_the_stamp_still_gives_the_jabatan():
    text = ("Demikian undangan ini disampaikan.\n\nKepala Dinas Kearsipan dan Perpustakaan\n\nKabupaten Jayapura,\n"
            "Tn\n\nPembina Utama Muda\nNIP. 19680412 199303 1 007\n\nTembusan:\n1. Bupati Jayapura,\n")  # fmt: skip
    fields = extract_fields([text], today=TODAY)
    assert fields["jabatan"]["value"] == "Kepala Dinas Kearsipan dan Perpustakaan Kabupaten Jayapura"
    assert "penandatangan" not in fields
    text = "Kepala Badan,\n\n< SYAHRIAL EFENDI, M.M.\nPembina Utama Muda\nNIP. 19711003 199602 1 001\n"
    person = extract_fields([text], today=TODAY)["penandatangan"]
    assert person == {"value": "SYAHRIAL EFENDI, M.M.", "page": 1, "confidence": 0.9,
                      "pangkat": "Pembina Utama Muda", "nip": "197110031996021001"}  # fmt: skip


@pytest.mark.parametrize(
    "nomor, kka",
    [
        ("800/123/BKPSDM/2023", "800"),
        ("005/45/Bag.Um", "005"),
        ("045.2/12/Um/2023", "045.2"),
        ("503/071/DPMPTSP/VI/2023", "503"),
        ("B-99/IJ/KP.07.6/04/2020", None),  # another scheme's code
        ("23 TAHUN 2023", None),  # regulation numbering
        ("SPT/45/DISHUB/2023", None),
        ("12", None),
        ("159/BPS/18041/ST/2/2021", None),  # a sequence number, then the unit: no code
    ],
)
def test_kka_from_nomor(nomor, kka):
    assert kka_from_nomor(nomor) == kka


def test_parse_nip_and_nik_decode_their_parts():
    nip = parse_nip("19870830 200801 1 003", TODAY)
    assert (nip.birth_date, nip.appointed, nip.sex, nip.sequence) == (date(1987, 8, 30), (2008, 1), "male", 3)
    assert nip.formatted == "19870830 200801 1 003"
    nik = parse_nik("1571015203980003", TODAY)
    assert (nik.province, nik.regency, nik.district, nik.region) == ("15", "71", "01", "157101")
    assert (nik.birth_date, nik.sex, nik.sequence) == (date(1998, 3, 12), "female", 3)
    with pytest.raises(ValueError, match="not a date of birth"):
        parse_nip("19871330 200801 1 003", TODAY)
    with pytest.raises(ValueError, match="province"):
        parse_nik("9901012505850001", TODAY)
    assert validate_nip("198708302008011003", TODAY) and not validate_nip("1987", TODAY)
    assert validate_nik("3174012505850001", TODAY) and not validate_nik("3174017205850001", TODAY)


def test_number_words_and_title_case():
    assert words_to_number("dua ribu dua puluh tiga") == 2023
    assert words_to_number("seribu sembilan ratus sembilan puluh delapan") == 1998
    assert words_to_number("sebelas") == 11 and words_to_number("tujuh belas") == 17
    assert words_to_number("dua tiga") is None
    assert title_case("LAPORAN REALISASI SEMESTER II PADA DPRD") == "Laporan Realisasi Semester II pada DPRD"


def test_expected_sample_values_have_shapes_the_extractor_reads():
    """samples/expected.json: the nomor, tanggal, perihal, NIP and NIK shapes the scans carry."""
    samples = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]  # fmt: skip
    for sample in samples:
        want = sample["fields"]
        nomor_line = (f"NOMOR {want['nomor']}" if "TAHUN" in want["nomor"] else f"Nomor : {want['nomor']}")
        year, month, day = (int(p) for p in want["tanggal"].split("-"))
        text = f"{nomor_line}\nSentani, {day} {months[month - 1]} {year}\n"
        if want["perihal"]:
            text += f"Perihal : {want['perihal']}\n"
        text += "".join(f"NIP. {n}\n" for n in want["nip"]) + "".join(f"NIK : {n}\n" for n in want["nik"])
        fields = extract_fields([text], today=TODAY)
        assert fields["nomor"]["value"] == want["nomor"], sample["file"]
        assert fields["tanggal"]["value"] == want["tanggal"], sample["file"]
        assert fields.get("perihal", {}).get("value") == want["perihal"], sample["file"]
        assert [n["value"] for n in fields.get("nip", [])] == [n.replace(" ", "") for n in want["nip"]]
        assert [n["value"] for n in fields.get("nik", [])] == want["nik"]


# --- property tests: valid numbers round-trip, a corrupted date is rejected ---


@st.composite
def nips(draw):
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2007, 6, 30)))
    year = draw(st.integers(min_value=born.year + 18, max_value=min(born.year + 60, TODAY.year)))
    month = draw(st.integers(min_value=1, max_value=12 if year < TODAY.year else TODAY.month))
    sex = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return born, year, month, sex, sequence


@given(nips(), st.sampled_from(["NIP. ", "NIP.", "NIP : ", "NIP "]))
def test_valid_nip_round_trips(parts, label):
    born, year, month, sex, sequence = parts
    printed = f"{born:%Y%m%d} {year}{month:02d} {sex} {sequence:03d}"
    found = find_nips([f"Pembina Utama Muda\n{label}{printed}\n"], TODAY)
    assert [n["value"] for n in found] == [printed.replace(" ", "")]
    decoded = parse_nip(found[0]["value"], TODAY)
    assert (decoded.birth_date, decoded.appointed, decoded.sequence) == (born, (year, month), sequence)
    assert decoded.sex == ("male" if sex == "1" else "female")


@given(nips(), st.sampled_from([4, 6]), st.sampled_from("456789"))
def test_nip_with_a_corrupted_birth_date_is_rejected(parts, position, digit):
    born, year, month, sex, sequence = parts
    value = list(f"{born:%Y%m%d}{year}{month:02d}{sex}{sequence:03d}")
    if position == 4:
        digit = str(max(int(digit), 2))  # month tens digit >= 2: month 20-29 or more
    value[position] = digit  # day tens digit >= 4: day 40 or more
    corrupted = "".join(value)
    assert not validate_nip(corrupted, TODAY)
    assert find_nips([f"NIP. {corrupted}"], TODAY) == []


@st.composite
def niks(draw):
    province = draw(st.sampled_from(sorted(PROVINCES)))
    regency = draw(st.integers(min_value=1, max_value=99))
    district = draw(st.integers(min_value=1, max_value=99))
    # Births whose two-digit year reads back to the same century as of TODAY.
    born = draw(st.dates(min_value=date(TODAY.year - 98, 1, 1), max_value=TODAY))
    female = draw(st.booleans())
    sequence = draw(st.integers(min_value=1, max_value=9999))
    day = born.day + (40 if female else 0)
    value = f"{province:02d}{regency:02d}{district:02d}{day:02d}{born:%m%y}{sequence:04d}"
    return value, born, female


@given(niks(), st.sampled_from(["NIK : ", "NIK ", "NIK. "]), st.booleans())
def test_valid_nik_round_trips(parts, label, spaced):
    value, born, female = parts
    printed = " ".join(value[i : i + 4] for i in range(0, 16, 4)) if spaced else value
    found = find_niks([f"Nama : X\n{label}{printed}\n"], TODAY)
    assert [n["value"] for n in found] == [value]
    assert found[0]["birth_date"] == born.isoformat()
    assert found[0]["sex"] == ("female" if female else "male")
    assert parse_nik(value, TODAY).birth_date == born


@given(niks(), st.sampled_from("23456789"))
def test_nik_with_a_corrupted_month_is_rejected(parts, digit):
    value, _, _ = parts
    corrupted = value[:8] + digit + value[9:]  # month tens digit >= 2
    assert not validate_nik(corrupted, TODAY)
    assert find_niks([f"NIK : {corrupted}"], TODAY) == []


def test_title_nomor_with_ocr_speck_after_it():
    from digitize.fields import find_nomor

    found = find_nomor(["SURAT EDARAN\nNOMOR B-99/DISARPUS/KP.07.6/04/2023 :\nTENTANG ai\n"])
    assert found["value"] == "B-99/DISARPUS/KP.07.6/04/2023"


def test_signatory_under_a_stamp_is_the_line_above_rank_and_nip():
    from digitize.fields import find_signatory

    text = ("Jambi, 14 Juni 2023\nKepala Dinas Penanaman Modal dan\nPelayanan Terpadu Satu Pintu\n\n"
            "« HMA YULIANTI, S.E., M.M.\nPembina Utama Muda\nNIP. 19720611 199803 2 005\n\nTembusan:\n1. Wali Kota\n")
    person, _ = find_signatory([text])
    assert person["value"] == "HMA YULIANTI, S.E., M.M." and person["nip"] == "197206111998032005"


# --- issue 11: the issuing office is the kop's chain of headings -------------------------------------

@pytest.mark.parametrize(
    "kop, value, unit",
    [
        ("PEMERINTAH KABUPATEN JEPARA\nDINAS KESEHATAN\nUPTD LABORATORIUM KESEHATAN\nJl. Kartini No. 1 Telp. 591492",
         "Pemerintah Kabupaten Jepara / Dinas Kesehatan / Uptd Laboratorium Kesehatan",
         "Uptd Laboratorium Kesehatan"),
        # an emblem read as specks, a heading that runs on over two lines, a repeated heading
        ("4 KEMENTERIAN SOSIAL REPUBLIK INDONESIA\noO\nKEMENTERIAN SOSIAL REPUBLIK INDONESIA\n"
         "| FG DIREKTORAT REHABILITASI SOSIAL\nANAK DAN REMAJA\nJalan Salemba Raya No. 28 Jakarta",
         "Kementerian Sosial Republik Indonesia / Direktorat Rehabilitasi Sosial Anak dan Remaja",
         "Direktorat Rehabilitasi Sosial Anak dan Remaja"),
        # the address printed above the kop
        ("JALAN SALEMBA RAYA NOMOR 28 JAKARTA PUSAT 10430\nTELEPON (021) 3103591\n\n"
         "KEMENTERIAN SOSIAL REPUBLIK INDONESIA\nNomor : 12/SJ/2017",
         "Kementerian Sosial Republik Indonesia", "Kementerian Sosial Republik Indonesia"),
    ],
)
def test_instansi_is_the_kops_chain_of_offices(kop, value, unit):
    found = find_instansi([kop + "\n\nKota, 1 Januari 2021\n\nIsi surat yang biasa saja.\n"])
    assert (found["value"], found["unit"], found["page"]) == (value, unit, 1)


def test_no_kop_no_instansi():
    assert find_instansi(["Yth. Bapak Kepala\nDengan hormat, kami sampaikan laporan.\n"]) is None
# --- signature blocks (tata naskah dinas): place/date, a.n./u.b./Plt., title, stamp, name, rank, NIP ---

NIP_TEXT, NIP_VALUE = "NIP. 19690717 198803 1 001", "196907171988031001"
BODY = "Demikian atas perhatian dan kerjasamanya disampaikan terima kasih.\n\n"

# (text, jabatan, name, nip, a value a careless reader gives instead)
SIGNATURE_CASES = [
    # title with a comma over two lines, rank, NIP, then the copy list with titles of its own
    (BODY + "Jepara, 27 Januari 2020\nKepala Dinas Kesehatan\nKabupaten Jepara,\n\nDrs. BUDI SANTOSO, M.Kes\n"
     "Pembina Utama Muda\n" + NIP_TEXT + "\n\nTembusan:\n1. Bupati Jepara;\n2. Kepala Dinas Kesehatan Provinsi,\n",
     "Kepala Dinas Kesehatan Kabupaten Jepara", "Drs. BUDI SANTOSO, M.Kes", NIP_VALUE,
     "Kepala Dinas Kesehatan Provinsi"),
    # upper case, no comma, three lines; the NIP under the name
    (BODY + "KEPALA DINAS SOSIAL, PEMBERDAYAAN PEREMPUAN DAN\nPERLINDUNGAN ANAK DAN\nPEMBERDAYAAN MASYARAKAT DESA\n\n"
     "H. AHMAD YANI, S.Sos\n" + NIP_TEXT + "\n",
     "KEPALA DINAS SOSIAL, PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK DAN PEMBERDAYAAN MASYARAKAT DESA",
     "H. AHMAD YANI, S.Sos", NIP_VALUE, "KEPALA DINAS SOSIAL, PEMBERDAYAAN PEREMPUAN DAN"),
    # a.n. the regent, then the title of the one who signs; the rank line between name and NIP
    (BODY + "Jepara, 27 Januari 2020\nAn. BUPATI JEPARA\nSekretaris Daerah\n\nIr. SHOLIH, MM\nPembina Utama Madya\n"
     + NIP_TEXT + "\n", "An. BUPATI JEPARA / Sekretaris Daerah", "Ir. SHOLIH, MM", NIP_VALUE, "Sekretaris Daerah"),
    # a.n. and u.b. each on a line of their own
    (BODY + "a.n.\nBUPATI MERAUKE\nSekretaris Daerah\nu.b.\nKepala Bagian Umum,\n\nYOHANES GEBZE, S.H.\n"
     + NIP_TEXT + "\n",
     "a.n. BUPATI MERAUKE / Sekretaris Daerah / u.b. Kepala Bagian Umum", "YOHANES GEBZE, S.H.", NIP_VALUE,
     "Kepala Bagian Umum"),
    # Plh. on the title line; a one-word name right above the NIP
    (BODY + "Plh. Kepala Kantor,\n\nYurimaizul\nNIP 196205151985101001\n", "Plh. Kepala Kantor", "Yurimaizul",
     "196205151985101001", "Kepala Kantor"),
    # Plt. with a.n.
    (BODY + "Sentani, 25 Oktober 2023\na.n. KEPALA DINAS KEARSIPAN\nPlt. Sekretaris,\n\nMARIA WANGGAI, S.E.\n"
     + NIP_TEXT + "\n", "a.n. KEPALA DINAS KEARSIPAN / Plt. Sekretaris", "MARIA WANGGAI, S.E.", NIP_VALUE,
     "Plt. Sekretaris"),
    # e-signed: the title under the e-sign line
    (BODY + "Ditandatangani secara elektronik oleh:\nKEPALA BADAN KEPEGAWAIAN DAERAH\nPROVINSI JAMBI\n\n"
     "Dr. RINA MARLINA, M.Si\nPembina Tingkat I\n" + NIP_TEXT + "\n",
     "KEPALA BADAN KEPEGAWAIAN DAERAH PROVINSI JAMBI", "Dr. RINA MARLINA, M.Si", NIP_VALUE, None),
    # stamp and signature specks between the title and the name, a speck read as three words above the rank
    (BODY + "Kepala Dinas Kearsipan dan Perpustakaan,\n\nCAP &/\n~ Ae /\n4\n\nDrs. ELIAS W. KAREMBO, M.Si.\n"
     + NIP_TEXT + "\n", "Kepala Dinas Kearsipan dan Perpustakaan", "Drs. ELIAS W. KAREMBO, M.Si.", NIP_VALUE, None),
    (BODY + "KEPALA DINAS SOSIAL\nPROVINSI RIAU\n\nSpr YES Tm\n6 pang Utama Muda (IV/c)\n" + NIP_TEXT + "\n",
     "KEPALA DINAS SOSIAL PROVINSI RIAU", None, None, None),
    # "Mengetahui" with a logo's words before the title; no NIP
    ("Surabaya, 20 Juni 2017\nMENGETAHUI\n© WareHouse MANAJER TERMINAL JAMRUD\n\nDENNY LAMBERT W.\n",
     "MANAJER TERMINAL JAMRUD", "DENNY LAMBERT W.", None, "© WareHouse MANAJER TERMINAL JAMRUD"),
    # the name lost under the stamp: a.n. block at the end of the page, a one-word speck not taken as the name
    (BODY + "An. Kepala\nKepala Sub Bagian Tata Usaha\n\nSUYON\n", "An. Kepala / Kepala Sub Bagian Tata Usaha",
     None, None, "SUYON"),
    # a regulation: the enacting block, not the promulgating one under it
    ("Ditetapkan di Bali\npada tanggal 4 Januari 2021\nGUBERNUR BALI,\nKepala Biro Hukum\nttd\nWAYAN KOSTER\n\n"
     "Diundangkan di Bali\npada tanggal 4 Januari 2021\nSEKRETARIS DAERAH PROVINSI BALI,\nttd\nDEWA MADE INDRA\n",
     "GUBERNUR BALI", "WAYAN KOSTER", None, "SEKRETARIS DAERAH PROVINSI BALI"),
    # a statement: the signer's fields under "yang bertanda tangan di bawah ini"; the person it is about after
    ("SURAT PERNYATAAN\nYang bertanda tangan di bawah ini:\n1. Nama : Drs. Cup Santo, M.Si\n"
     "2. Jabatan : Kuasa Pengguna Anggaran\n3. NIP : 19660924 199202 1 001\ndengan ini menyatakan bahwa\n"
     "Nama : Budi\nJabatan : Staf\n", "Kuasa Pengguna Anggaran", "Drs. Cup Santo, M.Si", "196609241992021001", "Staf"),
]


@pytest.mark.parametrize("text, jabatan, name, nip, wrong", SIGNATURE_CASES)
def test_signature_block(text, jabatan, name, nip, wrong):
    from digitize.fields import find_signatory

    person, title = find_signatory([text], TODAY)
    assert title is not None and title["value"] == jabatan
    assert title["page"] == 1 and 0 < title["confidence"] <= 1
    assert (person or {}).get("value") == name
    assert (person or {}).get("nip") == nip
    assert wrong is None or wrong not in (title["value"], (person or {}).get("value"))


@pytest.mark.parametrize(
    "text",
    [
        # the addressee's title at the top, then the body: no signature block
        "Kepada Yth.\nKepala Dinas Kesehatan\nKabupaten Jepara\ndi\nJepara\n\nDengan hormat, bersama ini kami sampaikan"
        " undangan rapat koordinasi.\n",
        # a title in running text and a copy list only
        "KEPALA DINAS SOSIAL PROVINSI RIAU, dengan ini mengundang Saudara untuk hadir pada :\nHari : Selasa\n"
        "\nTembusan:\n1. Kepala Dinas Sosial Kabupaten,\n2. Arsip.\n",
        # a title with a comma and nothing under it to show a signature
        "Sehubungan dengan surat\nKepala Dinas Kesehatan,\nkami sampaikan bahwa kegiatan telah selesai dilaksanakan.\n",
        # a person "a.n." someone in the body
        "Perihal : Permohonan Izin Penelitian\na.n. Nur Aini\n\nBersama ini kami mohon izin penelitian.\n",
    ],
)
def test_no_signature_block_gives_no_jabatan(text):
    from digitize.fields import find_signatory

    assert find_signatory([text], TODAY) == (None, None)


def test_signature_cases_fail_on_a_wrong_value():
    """The expectations above are specific: the value a careless reader gives is not what they accept."""
    from digitize.fields import find_signatory

    for text, jabatan, _, _, wrong in SIGNATURE_CASES:
        _, title = find_signatory([text], TODAY)
        if wrong is not None:
            assert wrong != jabatan and (title or {}).get("value") != wrong
    person, title = find_signatory([SIGNATURE_CASES[2][0]], TODAY)
    assert title["value"] != "Sekretaris Daerah" and person["value"] != "Pembina Utama Madya"


def test_nomor_read_from_handwriting_marks_is_not_reported():
    # OCR of a handwritten agenda number gives marks a typed nomor never has: no nomor rather than a wrong one
    assert find_nomor(["Nomor : §-90%/WPB.04/KP.008/2017\n"]) is None
    assert find_nomor(["Nomor : @So/1\n"]) is None


def test_nomor_label_with_a_dash_and_a_split_prefix():
    assert find_nomor(["Nomor - 120/PSBR/RH.00.01/05/2017\n"])["value"] == "120/PSBR/RH.00.01/05/2017"
    assert find_nomor(["Nomor : B- 91/M.3.32/Dpp/01/2020\n"])["value"] == "B-91/M.3.32/Dpp/01/2020"


@pytest.mark.parametrize(
    "header, perihal",
    [
        # the right column of a two-column header read into the same line
        ("Perihal : Revisi Pembatasan Perjalanan Yth. Kepala Perangkat Daerah\n", "Revisi Pembatasan Perjalanan"),
        ("Hal : Penyampaian Data Pegawai |\n", "Penyampaian Data Pegawai"),
        # the wrapped rest of the subject, with the blank lines OCR puts between lines
        ("Hal : Permintaan Data Reviu Rencana Kegiatan,\n\nRencana Penyerapan Dana, dan\nCapaian Output 2017\n\nYth.\n",
         "Permintaan Data Reviu Rencana Kegiatan, Rencana Penyerapan Dana, dan Capaian Output 2017"),
        # OCR lost the colon, or read it as a dash
        ("Perihal Permohonan Penjualan Barang\nYth. Kepala Kantor\n", "Permohonan Penjualan Barang"),
        ("Hal - Mohon Kesediaan Menerima Peserta\n\nYth,\n", "Mohon Kesediaan Menerima Peserta"),
    ],
)
def test_perihal_in_real_header_layouts(header, perihal):
    found = find_perihal(["KEMENTERIAN CONTOH\nNomor : 1/2/2021\n" + header + "Dengan hormat, isi surat.\n"])
    assert found["value"] == perihal


def test_hal_hal_in_the_body_is_not_a_perihal():
    assert find_perihal(["Hal-hal yang perlu diperhatikan adalah berikut.\n"]) is None


def test_nomor_without_colon_beside_the_place_and_date():
    found = find_nomor(["KEJAKSAAN NEGERI CONTOH\nNomor B-91/M.3.32/Dpp/01/2020 Jepara, 28 Januari 2020\n"
                        "Sifat : Biasa\n"])
    assert found["value"] == "B-91/M.3.32/Dpp/01/2020"
    # a body reference without a colon is still not the letter's nomor
    assert find_nomor(["sesuai Nomor 1123/UN21.8/2023 tanggal 3 Maret 2023 perihal rapat\n"]) is None


def test_values_made_of_words_ocr_doubted_are_not_reported():
    page = "Nomor : 09g/0341\nJepara, 4 Januari 2020\nPerihal : Revisi Pembatasan\n"
    sure = extract_fields([page])
    assert sure["nomor"]["value"] == "09g/0341" and sure["tanggal"]["value"] == "2020-01-04"
    doubted = extract_fields([page], unsure=[frozenset({"09g", "0341", "4Januari"})])
    assert "nomor" not in doubted and "tanggal" not in doubted
    assert doubted["perihal"]["value"] == "Revisi Pembatasan"  # the words OCR was sure of stand
    # a doubtful word elsewhere on the page does not take a value with it
    other = extract_fields([page], unsure=[frozenset({"0217", "Tembusan"})])
    assert other["nomor"]["value"] == "09g/0341" and other["tanggal"]["value"] == "2020-01-04"


def test_header_with_labels_stacked_in_one_column_and_values_in_the_next():
    # OCR reads the label column first, then the values, with the place and date in between;
    # Sifat and Lampiran printed empty: the first value is the Nomor's, the last the Hal's
    page = ("PEMERINTAH KABUPATEN CONTOH\nDINAS KESEHATAN\n\nNomor\nSifat\nLampiran\nPerihal\n\n"
            "Kota Baru, 7 Januari 2020\n\n:445.9/ 01 Kepada\n\nYth. Kepala Dinas\n\n"
            ": Laporan Kejadian Tanah Longsor\n\nDengan hormat, isi surat.\n")
    fields = extract_fields([page])
    assert fields["nomor"]["value"] == "445.9/01"
    assert fields["perihal"]["value"] == "Laporan Kejadian Tanah Longsor"
    assert "sifat" not in fields and fields["tanggal"]["value"] == "2020-01-07"


def test_header_whose_colons_ocr_lost():
    page = ("KEJAKSAAN NEGERI CONTOH\nNomor B-91/M.3.32/Dpp/01/2020 Kota, 28 Januari 2020\nSifat Segera\n"
            "Lampiran -\nHal Penghentian Pengawalan dan Pengamanan\nProyek Strategis Pembangunan\n"
            "Pecangaan Tahun Anggaran 2019.\nKEPADA YTH :\nKEPALA DINAS\n")
    fields = extract_fields([page])
    assert fields["sifat"]["value"] == "Segera"
    assert fields["perihal"]["value"] == ("Penghentian Pengawalan dan Pengamanan Proyek Strategis Pembangunan "
                                          "Pecangaan Tahun Anggaran 2019")
    # one line that starts with a label word is not a header ("Hal ini ..." in the body)
    assert "perihal" not in extract_fields(["Dengan hormat,\nHal ini kami sampaikan karena penting.\n"])


def test_signers_nip_kept_when_the_name_is_lost_under_the_stamp():
    page = ("Dengan hormat, isi surat.\n\nKEPALA DINAS SOSIAL\nKABUPATEN CONTOH,\n\nSpr YES Tm\n"
            "Pembina Utama Muda (IV/c)\nNIP. 19610211. 199103 1 003\n\nTembusan :\n1. Bupati\n")
    fields = extract_fields([page])
    assert "penandatangan" not in fields  # no name invented from the stamp's specks
    assert fields["jabatan"]["nip"] == "196102111991031003"


@pytest.mark.parametrize(
    "line, nomor",
    [
        # forms of state companies and offices print the kind of number between the label and its value
        ("NO. PRANOTA : RJ/2003460/0617", "RJ/2003460/0617"),
        ("Nomor Surat : 005/123/BKD/2023", "005/123/BKD/2023"),
        ("NOMOR EPB > PL/2001307/0617", "PL/2001307/0617"),  # OCR read the colon as ">"
        ("NO, SPMK + SPMK/201349/0617 NO. : EPBT/2000079/0617", "SPMK/201349/0617"),
    ],
)
def test_nomor_label_with_the_kind_of_number(line, nomor):
    page = f"PT CONTOH (PERSERO)\nCABANG KOTA\n{line}\nTanggal : 2 Juni 2017\nIsi dokumen.\n"
    assert find_nomor([page])["value"] == nomor
    assert extract_fields([page])["nomor"]["value"] == nomor  # also after the header is normalised


@pytest.mark.parametrize("line", ["Nomor Telepon : 0291/591427", "No. Rekening : 0012/01/2023",
                                  "Nomor Agenda : 17/SM/2023", "No. Polisi : K/1234/AB"])
def test_numbers_that_are_not_the_documents_are_not_its_nomor(line):
    assert find_nomor([f"DINAS CONTOH\n{line}\nIsi dokumen.\n"]) is None


def test_a_forms_labelled_date_is_its_date_but_an_events_is_not():
    assert find_tanggal(["PRANOTA\nTANGGAL CETAK : 21 JUNI 2017 16.44\n"])["value"] == "2017-06-21"
    assert find_tanggal(["Tanggal Surat : 3 Maret 2023\n"])["value"] == "2023-03-03"
    invitation = "Mengundang Saudara pada:\nHari : Senin\nTanggal : 20 Januari 2020\nPukul : 09.00\nTempat : Aula\n"
    assert find_tanggal([invitation]) is None


def test_only_a_whole_doubted_segment_doubts_a_nomor():
    page = "Nomor : 800/17/BKD/2023\nPerihal : Undangan\n"
    assert extract_fields([page], unsure=[frozenset({"7", "BK", "os"})])["nomor"]["value"] == "800/17/BKD/2023"
    assert "nomor" not in extract_fields([page], unsure=[frozenset({"17"})])
    assert "nomor" not in extract_fields([page], unsure=[frozenset({"/17/BKD"})])
