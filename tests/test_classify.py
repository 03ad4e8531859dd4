from pathlib import Path

import pytest

from digitize.errors import ConfigError
from digitize.stages.classify import UNCLASSIFIED, classify, load_rules

RULES = load_rules(None)

UNDANGAN = """PEMERINTAH KABUPATEN JAYAPURA
DINAS KEARSIPAN DAN PERPUSTAKAAN
Jl. Raya Sentani No. 12, Sentani
Sentani, 25 Oktober 2023
Nomor : 005/45/Bag.Um
Sifat : Biasa
Lampiran : -
Perihal : Undangan Bimbingan Teknis
Dengan hormat, kami mengundang Bapak/Ibu untuk hadir pada:
Hari/Tanggal : Senin, 30 Oktober 2023
Pukul : 09.00 WIT
Tempat : Aula Dinas
"""

KEPUTUSAN = """PEMERINTAH KABUPATEN MERAUKE
KEPUTUSAN BUPATI MERAUKE
NOMOR 23 TAHUN 2023
TENTANG PEMBENTUKAN TIM PENGELOLA ARSIP
Menimbang : a. bahwa ...
Mengingat : 1. Undang-Undang ...
MEMUTUSKAN:
Menetapkan :
KESATU : Membentuk tim ...
"""

NOTA = """PEMERINTAH PROVINSI JAMBI
NOTA DINAS
Kepada Yth. : Sekretaris Daerah
Dari : Kepala Biro Umum
Tembusan : Inspektur
Tanggal : 2 Mei 2023
Hal : Laporan penggunaan kendaraan dinas
"""


@pytest.mark.parametrize("text, expected",
                         [(UNDANGAN, "surat_undangan"), (KEPUTUSAN, "surat_keputusan"), (NOTA, "nota_dinas")])
def test_shipped_rules_recognise_common_documents(text, expected):
    result = classify([text], RULES)
    assert result.type == expected
    assert 0 < result.confidence <= 1
    assert result.scores[expected] == max(result.scores.values())


def test_text_without_evidence_is_unclassified():
    result = classify(["The quick brown dog jumped over the lazy fox."], RULES)
    assert result.type == UNCLASSIFIED
    assert result.confidence == 0


def test_weak_evidence_below_min_score_is_unclassified():
    result = classify(["rapat akan membahas acara tahunan"], RULES)  # one weak keyword
    assert result.type == UNCLASSIFIED


def test_title_zone_rule_does_not_fire_deep_in_the_text():
    filler = "\n".join(f"baris {n}" for n in range(40))
    assert classify([filler + "\nNOTA DINAS\n"], RULES).scores["nota_dinas"] == 0


def test_bad_rule_file_is_a_config_error(tmp_path: Path):
    path = tmp_path / "classes.toml"
    path.write_text('[types.x]\nrules = [{ regex = "(", weight = 1 }]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_rules(path)
    path.write_text('[types.x]\nrules = [{ keyword = "a", zone = "footer" }]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="zone"):
        load_rules(path)
